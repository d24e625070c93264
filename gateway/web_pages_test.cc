#include "gateway/web_pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.pb.h"
#include "gateway/api_services.h"

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class WebPagesTest : public ::testing::Test {
 protected:
  WebPagesTest() {
    auto table = RouteTable::Build(ApiServices());
    EXPECT_TRUE(table.ok()) << table.status();
    routes_ = *std::move(table);
    auto pages = WebPages::Load(CAREBRIDGE_DEFAULT_WEB_DIR, routes_);
    EXPECT_TRUE(pages.ok()) << pages.status();
    pages_ = *std::move(pages);
  }

  RouteTable routes_;
  std::unique_ptr<WebPages> pages_;
};

TEST_F(WebPagesTest, TheEmptyFormHasEveryInquiryFieldAndAFreshIdempotencyKey) {
  const std::string page = pages_->RenderForm({}, {});
  EXPECT_THAT(page, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(page, HasSubstr("name=\"viewport\""));
  EXPECT_THAT(page, HasSubstr("action=\"/v1/inquiries\" method=\"post\""));
  const auto* inquiry = v1::Inquiry::descriptor();
  for (int i = 0; i < inquiry->field_count(); ++i) {
    EXPECT_THAT(page, HasSubstr("name=\"" + inquiry->field(i)->name() + "\""))
        << inquiry->field(i)->name();
  }
  EXPECT_THAT(page, HasSubstr("name=\"privacy_policy_version\" value=\"2026-01\""));
  EXPECT_THAT(page, HasSubstr("tabindex=\"-1\" autocomplete=\"off\""));
  EXPECT_THAT(page, HasSubstr("aria-hidden=\"true\""));
  EXPECT_THAT(page, Not(HasSubstr("{{")));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, HasSubstr("id=\"error-summary\" role=\"alert\""));
  EXPECT_THAT(page, HasSubstr("tabindex=\"-1\" hidden>"));  // no errors: summary hidden
  const std::string again = pages_->RenderForm({}, {});
  const auto key = [](const std::string& html) {
    const std::string marker = "name=\"idempotency_key\" value=\"";
    const size_t start = html.find(marker) + marker.size();
    return html.substr(start, html.find('"', start) - start);
  };
  EXPECT_EQ(key(page).size(), 32u);
  EXPECT_NE(key(page), key(again));
}

TEST_F(WebPagesTest, ReRenderKeepsInputEscapedAndMarksEachBadField) {
  const std::string page =
      pages_->RenderForm({{"full_name", "<script>alert(1)</script>"},
                          {"email", "not-an-email"},
                          {"patientAge", "sixty"},
                          {"stroke_type", "haemorrhagic"},
                          {"mrs_score", "3"},
                          {"needs_interpreter", "true"},
                          {"cell_source", "ALLOGENEIC"},
                          {"message", "a \"quoted\" & <b>bold</b> text"}},
                         {{"email", "must be an email address"},
                          {"inquiry.patient_age", "must be a whole number"},
                          {"Idempotency-Key", "was used for another request"}});
  EXPECT_THAT(page, Not(HasSubstr("<script>alert(1)</script>")));
  EXPECT_THAT(page, HasSubstr("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_THAT(page, HasSubstr("value=\"not-an-email\" aria-invalid=\"true\""));
  EXPECT_THAT(page, HasSubstr("id=\"email-error\">must be an email address</p>"));
  EXPECT_THAT(page, HasSubstr("value=\"sixty\" aria-invalid=\"true\""));
  EXPECT_THAT(page, HasSubstr("id=\"patient_age-error\">must be a whole number</p>"));
  EXPECT_THAT(page, HasSubstr("aria-invalid=\"false\" aria-describedby=\"full_name-error\""));
  EXPECT_THAT(page, HasSubstr("value=\"HAEMORRHAGIC\" selected>"));
  EXPECT_THAT(page, HasSubstr("value=\"3\" selected>"));
  EXPECT_THAT(page, HasSubstr("value=\"ALLOGENEIC\" checked>"));
  EXPECT_THAT(page, HasSubstr("value=\"true\" checked"));
  EXPECT_THAT(page,
              HasSubstr("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; text</textarea>"));
  // The summary links to each field, named by its label.
  EXPECT_THAT(page, HasSubstr("<li><a href=\"#email\">Email: must be an email address</a></li>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"#patient_age\">Patient's age: must be a whole number"));
  EXPECT_THAT(page, HasSubstr("<a href=\"#contact-form\">Idempotency-Key: was used for another"));
  EXPECT_THAT(page, Not(HasSubstr("tabindex=\"-1\" hidden>")));
}

TEST_F(WebPagesTest, ThanksPageShowsTheReference) {
  v1::CreateInquiryResponse response;
  response.set_case_id("3f1c");
  response.set_reference("CB-2026-000123");
  response.set_stage(v1::NEW);
  const std::string page = pages_->RenderThanks(response);
  EXPECT_THAT(page, HasSubstr("<strong>CB-2026-000123</strong>"));
  EXPECT_THAT(page, HasSubstr("What happens next"));
}

TEST_F(WebPagesTest, ErrorPageShowsStatusAndRetryAfterOnlyWhenSet) {
  const std::string retry = pages_->RenderError(503, 7, "req-1");
  EXPECT_THAT(retry, HasSubstr("error 503"));
  EXPECT_THAT(retry, HasSubstr("about 7 seconds"));
  EXPECT_THAT(retry, HasSubstr("<code>req-1</code>"));
  EXPECT_THAT(retry, Not(HasSubstr("class=\"retry\" hidden")));
  const std::string plain = pages_->RenderError(500, 0, "req-2");
  EXPECT_THAT(plain, HasSubstr("class=\"retry\" hidden"));
}

TEST_F(WebPagesTest, StaticFilesOnlyFromTheFixedList) {
  const StaticFile* css = pages_->FindStatic("style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_THAT(css->body, HasSubstr(".hp"));
  for (const char* bad : {"", "../contact.html", "..%2Fcontact.html", "contact.html", "style.css/",
                          "/etc/passwd", "STYLE.CSS"}) {
    EXPECT_EQ(pages_->FindStatic(bad), nullptr) << bad;
  }
}

TEST_F(WebPagesTest, TheDashboardPageAndOnlyItsListedFiles) {
  const StaticFile& page = pages_->DashboardPage();
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(page.body, HasSubstr("<script type=\"module\" src=\"/dashboard/app.js\">"));
  EXPECT_THAT(page.body, HasSubstr("href=\"/dashboard/style.css\""));
  // The page runs under a CSP without 'unsafe-inline': no inline scripts, styles or handlers.
  EXPECT_THAT(page.body, Not(HasSubstr("style=")));
  EXPECT_THAT(page.body, Not(HasSubstr("<style")));
  EXPECT_THAT(page.body, Not(HasSubstr(" onclick=")));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));

  const StaticFile* app = pages_->FindDashboardAsset("app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  const StaticFile* inbox = pages_->FindDashboardAsset("views/inbox.js");
  ASSERT_NE(inbox, nullptr);
  EXPECT_THAT(inbox->body, Not(HasSubstr("innerHTML")));
  const StaticFile* css = pages_->FindDashboardAsset("style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  for (const char* bad :
       {"", "index.html", "x", "../contact.html", "views/../app.js", "views/", "views", "/app.js",
        "APP.JS", "app.js/", "book.js", "%2e%2e/contact.html", "views/inbox.js?x"}) {
    EXPECT_EQ(pages_->FindDashboardAsset(bad), nullptr) << bad;
  }
}

TEST_F(WebPagesTest, TheFormServesOnlyItsOwnRoute) {
  const RouteMatch match = routes_.Match("POST", "/v1/inquiries");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_TRUE(pages_->ServesForm(*match.route));
}

TEST(WebPagesLoadTest, MissingDirectoryIsAnError) {
  auto table = RouteTable::Build(ApiServices());
  ASSERT_TRUE(table.ok());
  auto pages = WebPages::Load("/nonexistent-web-dir", *table);
  EXPECT_EQ(pages.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carebridge::gateway
