#include "services/catalog/text_checks.h"

#include <gtest/gtest.h>

namespace carebridge::catalog {
namespace {

TEST(TextChecksTest, RecognizesUuids) {
  EXPECT_TRUE(IsUuid("c1000000-0000-4000-8000-000000000001"));
  EXPECT_TRUE(IsUuid("C1000000-0000-4000-8000-00000000000A"));
  EXPECT_FALSE(IsUuid("c1000000-0000-4000-8000-00000000000"));
  EXPECT_FALSE(IsUuid("c1000000x0000-4000-8000-000000000001"));
  EXPECT_FALSE(IsUuid("' OR 1=1 --"));
}

TEST(TextChecksTest, ConditionKeys) {
  EXPECT_TRUE(IsConditionKey("stroke"));
  EXPECT_TRUE(IsConditionKey("spinal-cord-injury"));
  EXPECT_FALSE(IsConditionKey(""));
  EXPECT_FALSE(IsConditionKey("Stroke"));
  EXPECT_FALSE(IsConditionKey("stroke%"));
  EXPECT_FALSE(IsConditionKey(std::string(51, 'a')));
}

TEST(TextChecksTest, LanguageTags) {
  EXPECT_TRUE(IsLanguageTag("ja"));
  EXPECT_TRUE(IsLanguageTag("zh-Hant-TW"));
  EXPECT_FALSE(IsLanguageTag("j"));
  EXPECT_FALSE(IsLanguageTag("en_US"));
  EXPECT_FALSE(IsLanguageTag("en-"));
  EXPECT_EQ(CanonicalLanguageTag("EN-us"), "en-US");
  EXPECT_EQ(CanonicalLanguageTag("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(PrimaryLanguage("pt-BR"), "pt");
  EXPECT_EQ(PrimaryLanguage("JA"), "ja");
}

TEST(TextChecksTest, TimeZonesContactsAndMoney) {
  EXPECT_TRUE(IsKnownTimeZone("Asia/Tokyo"));
  EXPECT_FALSE(IsKnownTimeZone("Asia/Atlantis"));
  EXPECT_FALSE(IsKnownTimeZone("UTC"));
  EXPECT_TRUE(IsEmailAddress("care@clinic.example"));
  EXPECT_FALSE(IsEmailAddress("care@clinic"));
  EXPECT_TRUE(IsE164("+81312345678"));
  EXPECT_FALSE(IsE164("0312345678"));
  EXPECT_TRUE(IsHttpsUrl("https://clinic.example/en"));
  EXPECT_FALSE(IsHttpsUrl("http://clinic.example"));
  EXPECT_FALSE(IsHttpsUrl("https://clinic.example/a b"));
  EXPECT_EQ(FormatUsd(5000), "$5,000");
  EXPECT_EQ(FormatUsd(1234567), "$1,234,567");
  EXPECT_EQ(FormatUsd(999), "$999");
}

}  // namespace
}  // namespace carebridge::catalog
