// The security headers of every gateway reply, kept in one place.
//
// Every reply gets X-Content-Type-Options: nosniff, and, unless the reply set its own,
// Referrer-Policy same-origin, Cache-Control no-store and the default Content-Security-Policy
// (same-origin resources only, no framing, no <base>, no plugins). Pages with needs of their own
// set their headers first with the helpers below: the coordinator dashboard (/dashboard/) runs
// under a strict policy without inline scripts or styles; the patient's booking page, whose URL
// carries a token, sends no referrer. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "services/common/http_message.h"

namespace carebridge::gateway {

inline constexpr std::string_view kDefaultContentSecurityPolicy =
    "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'";

// The dashboard's policy: scripts, styles, fonts and API calls from this origin only, images
// also as data: URLs, and no inline scripts or styles (no 'unsafe-inline' anywhere).
inline constexpr std::string_view kDashboardContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

// Adds the headers of every reply, keeping Referrer-Policy, Cache-Control and
// Content-Security-Policy when the reply already has them.
void AddSecurityHeaders(HttpResponse* response);

// The dashboard's headers: its policy, and for the page itself (`html`) no-store, for its
// scripts and styles no-cache (revalidated each time, so a deploy is seen at once).
void SetDashboardHeaders(HttpResponse* response, bool html);

// No referrer at all: for pages whose URL carries a secret (the booking link token).
void SetNoReferrer(HttpResponse* response);

}  // namespace carebridge::gateway
