#include "gateway/url_encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(UrlEncodingTest, FormPairsDecodePlusAndPercent) {
  EXPECT_THAT(ParseUrlEncoded("full_name=Ann+O%27Neil&email=a%40b.jp&message=1%2B1%3D2"),
              ElementsAre(Pair("full_name", "Ann O'Neil"), Pair("email", "a@b.jp"),
                          Pair("message", "1+1=2")));
}

TEST(UrlEncodingTest, FormPairsKeepOrderRepeatsAndEmptyValues) {
  EXPECT_THAT(
      ParseUrlEncoded("a=1&&b=&c&a=2&=x"),
      ElementsAre(Pair("a", "1"), Pair("b", ""), Pair("c", ""), Pair("a", "2"), Pair("", "x")));
  EXPECT_THAT(ParseUrlEncoded(""), ElementsAre());
}

TEST(UrlEncodingTest, Utf8AndMalformedEscapes) {
  EXPECT_THAT(ParseUrlEncoded("name=%E6%97%A5%E6%9C%AC"), ElementsAre(Pair("name", "日本")));
  EXPECT_THAT(ParseUrlEncoded("x=100%&y=%zz"), ElementsAre(Pair("x", "100%"), Pair("y", "%zz")));
}

TEST(UrlEncodingTest, PathSegmentsKeepPlus) {
  EXPECT_EQ(PercentDecode("a+b%20c"), "a+b c");
  EXPECT_EQ(PercentDecode("plain"), "plain");
}

TEST(UrlEncodingTest, SplitTarget) {
  EXPECT_EQ(SplitTarget("/v1/clinics?country=JP&x=1").first, "/v1/clinics");
  EXPECT_EQ(SplitTarget("/v1/clinics?country=JP&x=1").second, "country=JP&x=1");
  EXPECT_EQ(SplitTarget("/healthz").second, "");
}

}  // namespace
}  // namespace carebridge::gateway
