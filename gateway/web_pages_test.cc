#include "gateway/web_pages.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "carebridge/v1/inquiries.pb.h"
#include "gateway/api_services.h"

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// Every value of attribute `name` in `html`, e.g. each name="..." of a form.
std::multiset<std::string> AttributeValues(const std::string& html, const std::string& name) {
  // Plain string search: std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.
  std::multiset<std::string> values;
  const std::string open = " " + name + "=\"";
  for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const size_t begin = at + open.size(), close = html.find('"', begin);
    if (close == std::string::npos) break;
    values.insert(html.substr(begin, close - begin));
  }
  return values;
}

// Each form control "<input|select|textarea id=\"...\" ...>" of `html` whose id is made of a-z and
// '_': its whole tag and its id, in order.
std::vector<std::pair<std::string, std::string>> FormControls(const std::string& html) {
  std::vector<std::pair<std::string, std::string>> controls;
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    bool control = false;
    size_t after = at + 1;
    for (std::string_view kind : {"input", "select", "textarea"}) {
      if (html.compare(at + 1, kind.size() + 5, std::string(kind) + " id=\"") == 0) {
        control = true;
        after = at + 1 + kind.size() + 5;
      }
    }
    if (!control) continue;
    const size_t quote = html.find('"', after), end = html.find('>', after);
    if (quote == std::string::npos || end == std::string::npos || quote > end) continue;
    const std::string id = html.substr(after, quote - after);
    if (id.empty() || id.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      continue;
    }
    controls.emplace_back(html.substr(at, end - at + 1), id);
  }
  return controls;
}

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
  // One script, from /static/ (the CSP allows no inline script), that enhances a working form.
  EXPECT_THAT(page, HasSubstr("<script src=\"/static/contact.js\" defer></script>"));
  EXPECT_EQ(Count(page, "<script"), 1);
  EXPECT_THAT(page, Not(HasSubstr(" onclick=")));
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

TEST_F(WebPagesTest, JapaneseFormByLangOrAcceptLanguage) {
  for (const std::string& page :
       {pages_->RenderForm({{"lang", "ja"}}, {}),
        pages_->RenderForm({{"utm_source", "guide"}}, {}, "ja-JP,ja;q=0.9,en;q=0.8")}) {
    EXPECT_THAT(page, HasSubstr("<html lang=\"ja\">"));
    EXPECT_THAT(page, HasSubstr("<h1>お問い合わせ</h1>"));
    EXPECT_THAT(page, HasSubstr("<label for=\"email\">メールアドレス"));
    EXPECT_THAT(page, HasSubstr("<p class=\"hint\" id=\"phone-hint\">国番号から"));
    EXPECT_THAT(page, HasSubstr("<h2 id=\"error-summary-title\">入力内容をご確認ください</h2>"));
    EXPECT_THAT(page, HasSubstr("<button type=\"submit\" class=\"submit\">送信する</button>"));
    EXPECT_THAT(page, HasSubstr("data-required-message=\"メールアドレスを入力してください。\""));
    // The form carries the language on, and the switch leads back to English.
    EXPECT_THAT(page, HasSubstr("<input type=\"hidden\" name=\"lang\" value=\"ja\">"));
    EXPECT_THAT(page, HasSubstr("<a href=\"/?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"));
    EXPECT_THAT(page, Not(HasSubstr("Full name")));
  }
  // An explicit choice beats the browser's languages; English is the default.
  for (const std::string& page : {pages_->RenderForm({{"lang", "en"}}, {}, "ja"),
                                  pages_->RenderForm({}, {}), pages_->RenderForm({}, {}, "fr, de"),
                                  pages_->RenderForm({{"lang", "xx"}}, {}, "en;q=0.9")}) {
    EXPECT_THAT(page, HasSubstr("<html lang=\"en\">"));
    EXPECT_THAT(page, HasSubstr("<input type=\"hidden\" name=\"lang\" value=\"en\">"));
    EXPECT_THAT(page, HasSubstr("<a href=\"/?lang=ja\" hreflang=\"ja\" lang=\"ja\">日本語</a>"));
  }
}

TEST_F(WebPagesTest, JapaneseReRenderKeepsTheLanguageAndNamesFieldsInJapanese) {
  const std::string page = pages_->RenderForm(
      {{"lang", "ja"}, {"full_name", "山田 太郎"}, {"email", "yamada@"}, {"cell_source", "x"}},
      {{"inquiry.email", "Must be an email address such as name@example.com."},
       {"cell_source", "Must be AUTOLOGOUS, ALLOGENEIC or NO_PREFERENCE."}});
  EXPECT_THAT(page, HasSubstr("<html lang=\"ja\">"));
  EXPECT_THAT(page, HasSubstr("value=\"山田 太郎\""));
  EXPECT_THAT(page, HasSubstr("value=\"yamada@\" aria-invalid=\"true\""));
  EXPECT_THAT(page, HasSubstr("<p class=\"field-error\" id=\"email-error\">Must be an email"));
  // The summary names each field as the Japanese page labels it, and links to it.
  EXPECT_THAT(page, HasSubstr("<li><a href=\"#email\">メールアドレス: Must be an email address"));
  EXPECT_THAT(page, HasSubstr("<li><a href=\"#cell_source\">希望する細胞の種類: Must be"));
  EXPECT_THAT(page, Not(HasSubstr("tabindex=\"-1\" hidden>")));  // the summary shows
}

// Each field's error sits next to it: the field's aria-describedby names its -error element,
// which exists once; aria-invalid marks the field; so in every language.
TEST_F(WebPagesTest, EveryFieldIsDescribedByItsErrorInEveryLanguage) {
  for (std::string_view language : kPageLanguages) {
    const std::string page = pages_->RenderForm({{"lang", std::string(language)}}, {});
    int fields = 0;
    for (const auto& [tag, id] : FormControls(page)) {
      if (id == "website") continue;  // the honeypot: never shown, never in error
      ++fields;
      if (id != "cell_source") {  // a radio group: its fieldset is described by the error
        EXPECT_THAT(tag, HasSubstr("aria-invalid=\"false\"")) << language << " " << id;
        EXPECT_THAT(AttributeValues(tag, "aria-describedby"),
                    testing::ElementsAre(testing::HasSubstr(id + "-error")))
            << language << " " << id;
      }
      EXPECT_EQ(Count(page, "id=\"" + id + "-error\""), 1) << language << " " << id;
      EXPECT_EQ(Count(page, "<label for=\"" + id + "\"") + Count(page, "id=\"" + id + "-legend\""),
                1)
          << language << " " << id << " has no label";
    }
    EXPECT_EQ(fields, 18) << language;
    EXPECT_THAT(
        page,
        HasSubstr("<fieldset class=\"field choice\" aria-describedby=\"cell_source-error\">"));
  }
}

// The Japanese page is a translation of the English one: the same fields, ids, names, values
// and required-field checks.
TEST_F(WebPagesTest, EveryLanguageHasTheSameForm) {
  const std::string english = pages_->RenderForm({}, {});
  for (std::string_view language : kPageLanguages) {
    const std::string page = pages_->RenderForm({{"lang", std::string(language)}}, {});
    for (const char* attribute : {"id", "name", "for", "aria-describedby", "type", "autocomplete",
                                  "maxlength", "min", "max"}) {
      EXPECT_EQ(AttributeValues(page, attribute), AttributeValues(english, attribute))
          << language << ": attribute " << attribute;
    }
    // The same values (options, radios), but for the lang input and the fresh idempotency key.
    const auto values = [](const std::string& html, std::string_view lang) {
      std::multiset<std::string> all = AttributeValues(html, "value");
      all.erase(all.find(std::string(lang)));
      const std::string key = "name=\"idempotency_key\" value=\"";
      const size_t start = html.find(key) + key.size();
      all.erase(all.find(html.substr(start, html.find('"', start) - start)));
      return all;
    };
    EXPECT_EQ(values(page, language), values(english, "en")) << language;
    EXPECT_EQ(Count(page, " required"), Count(english, " required")) << language;
    EXPECT_EQ(Count(page, "data-required-message="), 3) << language;
  }
}

TEST_F(WebPagesTest, ThanksPageInTheFormsLanguage) {
  v1::CreateInquiryResponse response;
  response.set_reference("CB-2026-000124");
  const std::string japanese = pages_->RenderThanks(response, {{"lang", "ja"}, {"email", "a@b.c"}});
  EXPECT_THAT(japanese, HasSubstr("<html lang=\"ja\">"));
  EXPECT_THAT(japanese, HasSubstr("受付番号：<strong>CB-2026-000124</strong>"));
  EXPECT_THAT(japanese, HasSubstr("<a href=\"/?lang=ja\">"));
  EXPECT_THAT(pages_->RenderThanks(response, {{"lang", "de"}}), HasSubstr("<html lang=\"en\">"));
}

TEST_F(WebPagesTest, ErrorPageShowsStatusAndRetryAfterOnlyWhenSet) {
  const std::string retry = pages_->RenderError(503, 7, "req-1");
  EXPECT_THAT(retry, HasSubstr("error 503"));
  EXPECT_THAT(retry, HasSubstr("about 7 seconds"));
  EXPECT_THAT(retry, HasSubstr("<code>req-1</code>"));
  EXPECT_THAT(retry, Not(HasSubstr("class=\"retry\" hidden")));
  const std::string plain = pages_->RenderError(500, 0, "req-2");
  EXPECT_THAT(plain, HasSubstr("class=\"retry\" hidden"));
  // In the language the form was sent in.
  const std::string japanese = pages_->RenderError(429, 30, "req-3", {{"lang", "ja"}});
  EXPECT_THAT(japanese, HasSubstr("<html lang=\"ja\">"));
  EXPECT_THAT(japanese, HasSubstr("約30秒お待ちいただいてから"));
  EXPECT_THAT(japanese, HasSubstr("エラー 429"));
  EXPECT_THAT(japanese, HasSubstr("<code>req-3</code>"));
}

TEST_F(WebPagesTest, StaticFilesOnlyFromTheFixedList) {
  const StaticFile* css = pages_->FindStatic("style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_THAT(css->body, HasSubstr(".hp"));
  const StaticFile* script = pages_->FindStatic("contact.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_THAT(script->body, Not(HasSubstr("innerHTML")));  // text only ever as textContent
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

// The module specifiers `path` imports ("./x.js", "../y.js"), resolved against its directory.
std::vector<std::string> RelativeImports(const std::string& path, const std::string& body) {
  const std::string dir =
      path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
  std::vector<std::string> out;
  for (size_t at = body.find("from \""); at != std::string::npos;
       at = body.find("from \"", at + 1)) {
    const size_t begin = at + 6, close = body.find('"', begin);
    if (close == std::string::npos) break;
    std::string spec = body.substr(begin, close - begin);
    if (absl::StartsWith(spec, "./")) {
      out.push_back(dir + spec.substr(2));
    } else if (absl::StartsWith(spec, "../")) {
      std::string parent = dir.substr(0, dir.size() - 1);
      parent = parent.find('/') == std::string::npos ? "" : parent.substr(0, parent.rfind('/') + 1);
      out.push_back(parent + spec.substr(3));
    } else {
      out.push_back("<non-relative import " + spec + ">");
    }
  }
  return out;
}

// Every module the dashboard imports is one the gateway serves (a file added to web/dashboard/ is
// served without a list to update; a misspelt import fails here, not in a coordinator's browser).
TEST_F(WebPagesTest, EveryDashboardImportIsServed) {
  const std::vector<std::string> names = pages_->DashboardAssetNames();
  EXPECT_THAT(names, testing::Contains("app.js"));
  EXPECT_THAT(names, testing::Contains("views/booking.js"));
  int imports = 0;
  for (const std::string& name : names) {
    if (!absl::EndsWith(name, ".js")) continue;
    EXPECT_FALSE(absl::StartsWith(name, "tests/")) << "unit tests are not served: " << name;
    for (const std::string& target :
         RelativeImports(name, pages_->FindDashboardAsset(name)->body)) {
      ++imports;
      EXPECT_NE(pages_->FindDashboardAsset(target), nullptr) << name << " imports " << target;
    }
  }
  EXPECT_GT(imports, 20);
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
