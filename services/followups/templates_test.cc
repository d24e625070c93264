#include "services/followups/templates.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace carebridge::followups {
namespace {

carebridge::v1::CaseContact Contact(const std::string& language) {
  carebridge::v1::CaseContact contact;
  contact.set_case_id("0b7d2c4e-0000-4000-8000-000000000001");
  contact.set_reference("CB-2026-000123");
  contact.set_full_name("Aiko Tanaka");
  contact.set_preferred_language(language);
  contact.set_condition("stroke");
  return contact;
}

TEST(TemplatesTest, PicksJapaneseForJapaneseTagsAndEnglishOtherwise) {
  EXPECT_EQ(TemplateLanguage("ja"), "ja");
  EXPECT_EQ(TemplateLanguage("ja-JP"), "ja");
  EXPECT_EQ(TemplateLanguage("JA"), "ja");
  EXPECT_EQ(TemplateLanguage("en-GB"), "en");
  EXPECT_EQ(TemplateLanguage("pt-BR"), "en");
  EXPECT_EQ(TemplateLanguage(""), "en");
  EXPECT_EQ(TemplateLanguage("jav"), "en");
}

TEST(TemplatesTest, AcknowledgementCarriesReferenceAndBookingLink) {
  for (const std::string language : {"en", "ja", "de"}) {
    const EmailText text = AcknowledgementEmail(Contact(language), "https://x/book/1");
    EXPECT_TRUE(absl::StrContains(text.subject, "CB-2026-000123")) << language;
    EXPECT_TRUE(absl::StrContains(text.body, "CB-2026-000123")) << language;
    EXPECT_TRUE(absl::StrContains(text.body, "https://x/book/1")) << language;
  }
  EXPECT_EQ(AcknowledgementEmail(Contact("ja"), "l").language, "ja");
  EXPECT_EQ(AcknowledgementEmail(Contact("de"), "l").language, "en");
}

TEST(TemplatesTest, CoordinatorMailsCarryNoPatientContactData) {
  const EmailText alert = CoordinatorAlertEmail(Contact("ja"), "https://x/dashboard");
  EXPECT_FALSE(absl::StrContains(alert.body, "Aiko"));
  EXPECT_TRUE(absl::StrContains(alert.body, "CB-2026-000123"));
  const EmailText sla = SlaEscalationEmail(Contact("ja"), "https://x/dashboard");
  EXPECT_FALSE(absl::StrContains(sla.body, "Aiko"));
  EXPECT_TRUE(absl::StrContains(sla.subject, "CB-2026-000123"));
}

}  // namespace
}  // namespace carebridge::followups
