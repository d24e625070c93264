#include "gateway/page_language.h"

#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

TEST(PageLanguageTest, TheLangInputWinsWhenItIsAPageLanguage) {
  EXPECT_EQ(ChoosePageLanguage("ja", ""), "ja");
  EXPECT_EQ(ChoosePageLanguage("en", "ja"), "en");
  EXPECT_EQ(ChoosePageLanguage("ja", "en-GB,en;q=0.9"), "ja");
  // Anything else is no choice: the browser's languages decide.
  EXPECT_EQ(ChoosePageLanguage("fr", "ja"), "ja");
  EXPECT_EQ(ChoosePageLanguage("JA ", ""), "en");
  EXPECT_EQ(ChoosePageLanguage("<script>", ""), "en");
}

TEST(PageLanguageTest, AcceptLanguagePicksTheBestPageLanguage) {
  EXPECT_EQ(ChoosePageLanguage("", ""), "en");
  EXPECT_EQ(ChoosePageLanguage("", "ja"), "ja");
  EXPECT_EQ(ChoosePageLanguage("", "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"), "ja");
  EXPECT_EQ(ChoosePageLanguage("", "en-US,en;q=0.9,ja;q=0.8"), "en");
  EXPECT_EQ(ChoosePageLanguage("", "fr-FR, ja;q=0.5, de;q=0.9"), "ja");
  EXPECT_EQ(ChoosePageLanguage("", "en;q=0.4, JA-jp;q=0.6"), "ja");
  EXPECT_EQ(ChoosePageLanguage("", "ja;q=0.8, en;q=0.8"), "ja");  // equal: the first listed
  EXPECT_EQ(ChoosePageLanguage("", "fr, de"), "en");
  EXPECT_EQ(ChoosePageLanguage("", "ja;q=0, fr"), "en");  // q=0: not acceptable
  EXPECT_EQ(ChoosePageLanguage("", "ja;q=abc"), "en");
  EXPECT_EQ(ChoosePageLanguage("", "*"), "en");
  EXPECT_EQ(ChoosePageLanguage("", ",,;;ja-;q="), "en");
}

}  // namespace
}  // namespace carebridge::gateway
