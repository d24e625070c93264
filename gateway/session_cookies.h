// Where the dashboard's cookies become credentials (API.md, Identity).
//
// On login (Identity.CreateSession) the gateway sets two cookies: `cb_session` (the bearer token;
// HttpOnly, SameSite=Strict, Path=/, Secure when configured) and `cb_csrf` (the session's CSRF
// token, readable by the dashboard's script). A request without an Authorization header but with
// `cb_session` is forwarded as `authorization: Bearer <token>`, for non-public methods only; when
// its HTTP method changes state (anything but GET/HEAD/OPTIONS) it must carry `X-CSRF-Token` equal
// to the session's CSRF token (services/common/credentials.h), else it is refused with 403. The
// CSRF token is derived from the session token, so another site can neither read nor forge it.
// Bearer-token and API-key calls need no CSRF token. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/http_message.h"

namespace carebridge::gateway {

inline constexpr char kSessionCookie[] = "cb_session";
inline constexpr char kCsrfCookie[] = "cb_csrf";

// The value of cookie `name` in the request's Cookie header(s), or "".
std::string CookieValue(const HttpRequest& request, std::string_view name);

// The `authorization` value to forward for `request` calling a method that is public or not, or ""
// for none. PERMISSION_DENIED when a cookie-authenticated write lacks a valid X-CSRF-Token.
absl::StatusOr<std::string> ForwardedAuthorization(const HttpRequest& request, bool public_method);

// Set-Cookie values for a new session.
std::vector<std::string> SessionCookies(const std::string& token, const std::string& csrf_token,
                                        long long max_age_seconds, bool secure);

// Set-Cookie values that delete both cookies.
std::vector<std::string> ClearedSessionCookies(bool secure);

}  // namespace carebridge::gateway
