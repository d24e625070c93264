#include "services/common/http_message.h"

#include <gtest/gtest.h>

namespace carebridge {
namespace {

TEST(HttpMessageTest, BrowsersPreferHtmlApiClientsDoNot) {
  // Firefox, Chrome and Safari defaults.
  EXPECT_TRUE(PrefersHtml(
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"));
  EXPECT_TRUE(PrefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  EXPECT_TRUE(PrefersHtml("text/html"));
  EXPECT_TRUE(PrefersHtml("application/json;q=0.5, text/html"));
  EXPECT_FALSE(PrefersHtml(""));
  EXPECT_FALSE(PrefersHtml("*/*"));
  EXPECT_FALSE(PrefersHtml("application/json"));
  EXPECT_FALSE(PrefersHtml("application/json, text/html"));
  EXPECT_FALSE(PrefersHtml("text/html;q=0.4, application/json"));
  EXPECT_FALSE(PrefersHtml("text/html;q=0"));
}

TEST(HttpMessageTest, MediaTypeDropsParametersAndCase) {
  EXPECT_EQ(MediaType("Application/JSON; charset=utf-8"), "application/json");
  EXPECT_EQ(MediaType(" application/x-www-form-urlencoded "), "application/x-www-form-urlencoded");
  EXPECT_EQ(MediaType(""), "");
}

TEST(HttpMessageTest, HeadersByLowerCaseNameAndSetHeaderReplaces) {
  HttpRequest request;
  request.headers = {{"accept", "a"}, {"x-request-id", "r1"}, {"accept", "b"}};
  EXPECT_EQ(request.Header("accept"), "a");
  EXPECT_EQ(request.Header("missing"), "");
  HttpResponse response;
  response.SetHeader("Retry-After", "1");
  response.SetHeader("retry-after", "5");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "5");
}

}  // namespace
}  // namespace carebridge
