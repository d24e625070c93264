#include "gateway/session_cookies.h"

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/absl_compat.h"
#include "services/common/credentials.h"

namespace carebridge::gateway {
namespace {

bool IsSafeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

std::string Attributes(bool secure) {
  return secure ? "; Path=/; SameSite=Strict; Secure" : "; Path=/; SameSite=Strict";
}

}  // namespace

std::string CookieValue(const HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    for (absl::string_view part : absl::StrSplit(value, ';')) {
      part = absl::StripAsciiWhitespace(part);
      const size_t eq = part.find('=');
      if (eq == absl::string_view::npos) continue;
      if (part.substr(0, eq) == ToAbsl(name)) return std::string(part.substr(eq + 1));
    }
  }
  return "";
}

absl::StatusOr<std::string> ForwardedAuthorization(const HttpRequest& request, bool public_method) {
  const std::string header = request.Header("authorization");
  if (!header.empty()) return header;
  const std::string token = CookieValue(request, kSessionCookie);
  if (token.empty() || public_method) return std::string();
  if (!IsSafeMethod(request.method) &&
      !ConstantTimeEquals(request.Header("x-csrf-token"), CsrfTokenFor(token))) {
    return absl::PermissionDeniedError("missing or invalid X-CSRF-Token");
  }
  return absl::StrCat("Bearer ", token);
}

std::vector<std::string> SessionCookies(const std::string& token, const std::string& csrf_token,
                                        long long max_age_seconds, bool secure) {
  const std::string age = absl::StrCat("; Max-Age=", std::max(0LL, max_age_seconds));
  return {absl::StrCat(kSessionCookie, "=", token, age, Attributes(secure), "; HttpOnly"),
          absl::StrCat(kCsrfCookie, "=", csrf_token, age, Attributes(secure))};
}

std::vector<std::string> ClearedSessionCookies(bool secure) {
  return {absl::StrCat(kSessionCookie, "=; Max-Age=0", Attributes(secure), "; HttpOnly"),
          absl::StrCat(kCsrfCookie, "=; Max-Age=0", Attributes(secure))};
}

}  // namespace carebridge::gateway
