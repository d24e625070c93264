#include "gateway/security_headers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Header(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(SecurityHeadersTest, EveryReplyGetsTheDefaults) {
  HttpResponse response;
  AddSecurityHeaders(&response);
  EXPECT_EQ(Header(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "same-origin");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Content-Security-Policy"), kDefaultContentSecurityPolicy);
}

TEST(SecurityHeadersTest, APagesOwnHeadersAreKept) {
  HttpResponse response;
  response.SetHeader("Cache-Control", "public, max-age=300");
  SetNoReferrer(&response);
  AddSecurityHeaders(&response);
  EXPECT_EQ(Header(response, "Cache-Control"), "public, max-age=300");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(response.headers.size(), 4u);
}

TEST(SecurityHeadersTest, TheDashboardIsStrictAndItsPageNeverCached) {
  HttpResponse page;
  SetDashboardHeaders(&page, /*html=*/true);
  AddSecurityHeaders(&page);
  const std::string csp = Header(page, "Content-Security-Policy");
  EXPECT_EQ(csp, kDashboardContentSecurityPolicy);
  for (const char* directive :
       {"default-src 'none'", "script-src 'self';", "style-src 'self';",
        "img-src 'self' data:", "connect-src 'self'", "font-src 'self'", "form-action 'self'",
        "base-uri 'none'", "frame-ancestors 'none'"}) {
    EXPECT_THAT(csp, HasSubstr(directive));
  }
  EXPECT_THAT(csp, Not(HasSubstr("unsafe")));
  EXPECT_EQ(Header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(page, "Referrer-Policy"), "same-origin");
  EXPECT_EQ(Header(page, "X-Content-Type-Options"), "nosniff");

  HttpResponse script;
  SetDashboardHeaders(&script, /*html=*/false);
  AddSecurityHeaders(&script);
  EXPECT_EQ(Header(script, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(script, "Content-Security-Policy"), kDashboardContentSecurityPolicy);
}

}  // namespace
}  // namespace carebridge::gateway
