#include "gateway/security_headers.h"

#include "absl/strings/ascii.h"

namespace carebridge::gateway {
namespace {

bool HasHeader(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i) {
      same = absl::ascii_tolower(static_cast<unsigned char>(key[i])) ==
             absl::ascii_tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return true;
  }
  return false;
}

void SetIfAbsent(HttpResponse* response, std::string_view name, std::string_view value) {
  if (!HasHeader(*response, name)) response->SetHeader(std::string(name), std::string(value));
}

}  // namespace

void AddSecurityHeaders(HttpResponse* response) {
  response->SetHeader("X-Content-Type-Options", "nosniff");
  SetIfAbsent(response, "Referrer-Policy", "same-origin");
  SetIfAbsent(response, "Content-Security-Policy", kDefaultContentSecurityPolicy);
  SetIfAbsent(response, "Cache-Control", "no-store");
}

void SetDashboardHeaders(HttpResponse* response, bool html) {
  response->SetHeader("Content-Security-Policy", std::string(kDashboardContentSecurityPolicy));
  response->SetHeader("Referrer-Policy", "same-origin");
  response->SetHeader("Cache-Control", html ? "no-store" : "no-cache");
}

void SetNoReferrer(HttpResponse* response) {
  response->SetHeader("Referrer-Policy", "no-referrer");
}

}  // namespace carebridge::gateway
