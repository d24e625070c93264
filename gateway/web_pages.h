// The public web pages: the contact form (GET / and re-rendered with errors), the thank-you page,
// the error page, the patient's self-booking page (GET /book, a static page whose script reads
// the link token from the URL), the static files under /static/, and the coordinator dashboard
// (GET /dashboard/: web/dashboard/index.html and its scripts and styles, /dashboard/<file>).
//
// Pages are loaded once from the web directory (CAREBRIDGE_WEB_DIR) and filled per request through
// html_template.h, every value HTML-escaped. The contact form, the thank-you page and the error
// page come in each language of page_language.h (contact.html, contact.ja.html, ...). The form
// posts to the route of one RPC (kFormMethod); its fields are those of that route's body message,
// so the values and errors to re-render are found through the descriptor, not a hand-kept list.
// Files under /static/ come from a fixed list (kStaticFiles in web_pages.cc); the dashboard's are
// every .js and .css file under web/dashboard/ at start (its tests/ aside). Both are read into
// memory by Load, so no request path ever reaches the file system. Immutable after Load;
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "gateway/html_template.h"
#include "gateway/page_language.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "gateway/url_encoding.h"
#include "services/common/errors.h"

namespace carebridge::gateway {

// The RPC whose urlencoded browser posts are answered with pages.
inline constexpr std::string_view kFormMethod = "carebridge.v1.Inquiries.CreateInquiry";

struct StaticFile {
  std::string content_type;
  std::string body;
};

class WebPages {
 public:
  // Reads contact.html, thanks.html, error.html (and contact.<lang>.html, ... for each other
  // page language), book.html, the static files and the dashboard's files from `dir`.
  // NOT_FOUND names a missing file; FAILED_PRECONDITION when `routes` has no POST route for
  // kFormMethod.
  static absl::StatusOr<std::unique_ptr<WebPages>> Load(const std::string& dir,
                                                        const RouteTable& routes);

  // True for the route the form posts to.
  bool ServesForm(const Route& route) const { return &route == form_route_; }

  // The form page with the values of `submitted` (names as the form posts them) and each of
  // `violations` marked at its field and listed in a summary; a fresh idempotency key each time.
  // In the language that `submitted`'s `lang` names, else the best of `accept_language`
  // (ChoosePageLanguage).
  std::string RenderForm(const FormPairs& submitted, const std::vector<FieldViolation>& violations,
                         std::string_view accept_language = "") const;

  // The thank-you page; {{field}} placeholders take the response's fields (e.g. {{reference}}).
  // In the language of the form's `lang` input in `submitted` (English without one).
  std::string RenderThanks(const google::protobuf::Message& response,
                           const FormPairs& submitted = {}) const;

  // The error page for `http_status`; retry_after_seconds > 0 shows the wait. In the language of
  // the form's `lang` input in `submitted` (English without one).
  std::string RenderError(int http_status, int retry_after_seconds, std::string_view request_id,
                          const FormPairs& submitted = {}) const;

  // The self-booking page (book.html, as it is).
  const std::string& BookPage() const { return book_page_; }

  // The static file `name` (as in /static/<name>), or nullptr.
  const StaticFile* FindStatic(std::string_view name) const;

  // The dashboard page (web/dashboard/index.html, served at /dashboard/).
  const StaticFile& DashboardPage() const { return dashboard_page_; }

  // The dashboard's asset `name` (as in /dashboard/<name>, e.g. "views/inbox.js"), or nullptr.
  const StaticFile* FindDashboardAsset(std::string_view name) const;

  // The names of every dashboard asset, sorted.
  std::vector<std::string> DashboardAssetNames() const;

 private:
  WebPages() = default;

  const Route* form_route_ = nullptr;
  const google::protobuf::Descriptor* form_type_ = nullptr;
  std::string body_prefix_;  // "inquiry." when violations may name fields from the request root
  // The pages that exist in each page language.
  struct LocalizedPages {
    std::unique_ptr<HtmlTemplate> contact;
    std::unique_ptr<HtmlTemplate> thanks;
    std::unique_ptr<HtmlTemplate> error;
    std::map<std::string, std::string> labels;  // the contact form's field names, by field
  };
  const LocalizedPages& PagesIn(std::string_view language) const;

  std::map<std::string_view, LocalizedPages> localized_;  // by kPageLanguages entry
  std::string book_page_;
  std::map<std::string, StaticFile, std::less<>> static_files_;
  StaticFile dashboard_page_;
  std::map<std::string, StaticFile, std::less<>> dashboard_files_;
};

}  // namespace carebridge::gateway
