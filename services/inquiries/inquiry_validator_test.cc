#include "services/inquiries/inquiry_validator.h"

#include <gtest/gtest.h>

namespace carebridge::inquiries {
namespace {

using carebridge::v1::Inquiry;

const absl::CivilDay kToday(2026, 11, 25);

Inquiry ValidInquiry() {
  Inquiry in;
  in.set_full_name("Aiko Tanaka");
  in.set_email("aiko.tanaka@example.jp");
  in.set_contact_consent(true);
  in.set_privacy_policy_version("2026-01");
  return in;
}

// The fields named by the violations of `in`, in order.
std::vector<std::string> BadFields(const Inquiry& in) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : ValidateInquiry(in, kToday)) fields.push_back(v.field);
  return fields;
}

using Fields = std::vector<std::string>;

TEST(InquiryValidatorTest, MinimalInquiryIsValid) {
  EXPECT_EQ(BadFields(ValidInquiry()), Fields{});
}

TEST(InquiryValidatorTest, FullInquiryIsValid) {
  Inquiry in = ValidInquiry();
  in.set_phone("+81 3-1234-5678");
  in.set_country_of_residence("de");
  in.set_preferred_language("pt-BR");
  in.set_patient_age(64);
  in.set_condition("stroke");
  in.set_stroke_type(carebridge::v1::ISCHAEMIC);
  in.set_months_since_event(14);
  in.set_mrs_score(3);
  in.set_destination_country("JP");
  in.set_cell_source(carebridge::v1::AUTOLOGOUS);
  in.set_budget_usd_max(40000);
  in.set_travel_window_start("2027-03-01");
  in.set_travel_window_end("2027-05-31");
  in.set_needs_interpreter(true);
  in.set_message("My father had an ischaemic stroke last year.\nIs he a candidate?");
  EXPECT_EQ(BadFields(in), Fields{});
}

TEST(InquiryValidatorTest, NameIsRequiredAndBounded) {
  Inquiry in = ValidInquiry();
  in.set_full_name("   ");
  EXPECT_EQ(BadFields(in), Fields{"full_name"});
  in.set_full_name(std::string(201, 'a'));
  EXPECT_EQ(BadFields(in), Fields{"full_name"});
  in.set_full_name("田中 愛子");  // counted in characters, not bytes
  EXPECT_EQ(BadFields(in), Fields{});
}

TEST(InquiryValidatorTest, EmailSyntax) {
  for (const char* good : {"a@b.co", "first.last+tag@sub.example.org", "x_y@ex-ample.com"}) {
    EXPECT_TRUE(IsValidEmail(good)) << good;
  }
  for (const char* bad :
       {"", "plain", "@example.com", "a@", "a@b", "a@b.c", "a..b@example.com", ".a@example.com",
        "a@-example.com", "a b@example.com", "a@exa_mple.com", "a@example.c0m"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  Inquiry in = ValidInquiry();
  in.set_email("not-an-email");
  EXPECT_EQ(BadFields(in), Fields{"email"});
  in.clear_email();
  EXPECT_EQ(BadFields(in), Fields{"email"});
}

TEST(InquiryValidatorTest, PhoneMustBeE164AfterPunctuationIsRemoved) {
  EXPECT_TRUE(IsValidE164("+4930123456"));
  EXPECT_FALSE(IsValidE164("030123456"));
  EXPECT_FALSE(IsValidE164("+0301234567"));
  EXPECT_FALSE(IsValidE164("+1234567"));           // too short
  EXPECT_FALSE(IsValidE164("+1234567890123456"));  // 16 digits
  Inquiry in = ValidInquiry();
  in.set_phone("+1 (212) 555-0100");
  EXPECT_EQ(BadFields(in), Fields{});
  EXPECT_EQ(NormalizeInquiry(in).phone(), "+12125550100");
  in.set_phone("call me");
  EXPECT_EQ(BadFields(in), Fields{"phone"});
}

TEST(InquiryValidatorTest, CountriesMustBeIsoAlpha2) {
  EXPECT_TRUE(IsIsoCountryCode("JP"));
  EXPECT_TRUE(IsIsoCountryCode("TR"));
  EXPECT_FALSE(IsIsoCountryCode("XX"));
  EXPECT_FALSE(IsIsoCountryCode("JPN"));
  Inquiry in = ValidInquiry();
  in.set_country_of_residence("UK");  // the ISO code is GB
  in.set_destination_country("Japan");
  EXPECT_EQ(BadFields(in), (Fields{"country_of_residence", "destination_country"}));
}

TEST(InquiryValidatorTest, LanguageMustBeBcp47) {
  for (const char* good : {"en", "ja", "pt-BR", "zh-Hant-TW", "es-419", "de-CH-1996"}) {
    EXPECT_TRUE(IsBcp47LanguageTag(good)) << good;
  }
  for (const char* bad : {"e", "english!", "en_US", "en--US", "-en", "1234"}) {
    EXPECT_FALSE(IsBcp47LanguageTag(bad)) << bad;
  }
}

TEST(InquiryValidatorTest, NumericRanges) {
  Inquiry in = ValidInquiry();
  in.set_patient_age(121);
  in.set_mrs_score(7);
  in.set_months_since_event(-1);
  in.set_budget_usd_max(-5);
  EXPECT_EQ(BadFields(in),
            (Fields{"patient_age", "months_since_event", "mrs_score", "budget_usd_max"}));
  in.set_patient_age(0);
  in.set_mrs_score(0);
  in.set_months_since_event(0);
  in.set_budget_usd_max(0);
  EXPECT_EQ(BadFields(in), Fields{});
  in.set_mrs_score(6);
  in.set_patient_age(120);
  EXPECT_EQ(BadFields(in), Fields{});
  in.set_mrs_score(-1);
  EXPECT_EQ(BadFields(in), Fields{"mrs_score"});
}

TEST(InquiryValidatorTest, TravelWindowDatesAreWellFormedInOrderAndNotPast) {
  Inquiry in = ValidInquiry();
  in.set_travel_window_start("2027-02-30");
  EXPECT_EQ(BadFields(in), Fields{"travel_window_start"});
  in.set_travel_window_start("2027/03/01");
  EXPECT_EQ(BadFields(in), Fields{"travel_window_start"});
  in.set_travel_window_start("2027-06-01");
  in.set_travel_window_end("2027-05-01");
  EXPECT_EQ(BadFields(in), Fields{"travel_window_end"});
  in.set_travel_window_start("2026-01-01");
  in.set_travel_window_end("2026-02-01");
  EXPECT_EQ(BadFields(in), Fields{"travel_window_end"});
  in.set_travel_window_end("2026-11-25");  // today is still fine
  EXPECT_EQ(BadFields(in), Fields{});
}

TEST(InquiryValidatorTest, MessageLengthIsBounded) {
  Inquiry in = ValidInquiry();
  in.set_message(std::string(kMaxMessageChars, 'x'));
  EXPECT_EQ(BadFields(in), Fields{});
  in.set_message(std::string(kMaxMessageChars + 1, 'x'));
  EXPECT_EQ(BadFields(in), Fields{"message"});
}

TEST(InquiryValidatorTest, ConsentAndPolicyVersionAreRequired) {
  Inquiry in = ValidInquiry();
  in.set_contact_consent(false);
  in.clear_privacy_policy_version();
  EXPECT_EQ(BadFields(in), (Fields{"contact_consent", "privacy_policy_version"}));
}

TEST(InquiryValidatorTest, UnknownEnumNumbersAreRefused) {
  Inquiry in = ValidInquiry();
  in.set_stroke_type(static_cast<carebridge::v1::StrokeType>(42));
  in.set_cell_source(static_cast<carebridge::v1::CellSource>(9));
  EXPECT_EQ(BadFields(in), (Fields{"stroke_type", "cell_source"}));
}

TEST(InquiryValidatorTest, ConditionIsASlug) {
  Inquiry in = ValidInquiry();
  in.set_condition("Spinal-Cord_injury");  // lower-cased by normalization
  EXPECT_EQ(BadFields(in), Fields{});
  in.set_condition("stroke; DROP TABLE");
  EXPECT_EQ(BadFields(in), Fields{"condition"});
}

TEST(InquiryValidatorTest, ReportsEveryBadFieldAtOnce) {
  Inquiry in;
  in.set_email("x");
  in.set_mrs_score(9);
  EXPECT_EQ(BadFields(in), (Fields{"full_name", "email", "mrs_score", "contact_consent",
                                   "privacy_policy_version"}));
}

TEST(InquiryValidatorTest, NormalizationTrimsAndCanonicalizesCase) {
  Inquiry in = ValidInquiry();
  in.set_full_name("  Aiko  ");
  in.set_email(" Aiko@Example.JP ");
  in.set_country_of_residence("jp");
  in.set_condition("Stroke");
  const Inquiry out = NormalizeInquiry(in);
  EXPECT_EQ(out.full_name(), "Aiko");
  EXPECT_EQ(out.email(), "Aiko@Example.JP");
  EXPECT_EQ(NormalizedEmail(out.email()), "aiko@example.jp");
  EXPECT_EQ(out.country_of_residence(), "JP");
  EXPECT_EQ(out.condition(), "stroke");
}

}  // namespace
}  // namespace carebridge::inquiries
