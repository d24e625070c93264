#include "gateway/gateway_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/config.h"
#include "services/common/status_macros.h"

namespace carebridge::gateway {

std::string DefaultBackendAddress(const std::string& service) {
  static const auto* defaults = new std::map<std::string, std::string>{
      {"INQUIRIES", "127.0.0.1:50051"},
      {"CATALOG", "127.0.0.1:50052"},
      {"SCHEDULING", "127.0.0.1:50053"},
      {"FOLLOWUPS", "127.0.0.1:50054"},
  };
  auto it = defaults->find(absl::AsciiStrToUpper(service));
  return it == defaults->end() ? "" : it->second;
}

absl::StatusOr<GatewayConfig> GatewayConfigFromEnv(const std::vector<std::string>& services) {
  GatewayConfig config;
  config.http.listen = EnvString("CAREBRIDGE_GATEWAY_LISTEN", "127.0.0.1:8080");
  ASSIGN_OR_RETURN(const long long threads, EnvInt("CAREBRIDGE_GATEWAY_THREADS", 2, 1, 256));
  config.http.threads = static_cast<int>(threads);
  ASSIGN_OR_RETURN(const long long max_body,
                   EnvInt("CAREBRIDGE_MAX_BODY_BYTES", 65536, 1, 64LL * 1024 * 1024));
  config.http.max_body_bytes = static_cast<size_t>(max_body);
  ASSIGN_OR_RETURN(const long long timeout_ms,
                   EnvInt("CAREBRIDGE_BACKEND_TIMEOUT_MS", 5000, 1, 600000));
  config.backend_timeout = std::chrono::milliseconds(timeout_ms);

  for (const std::string& service : services) {
    const std::string variable =
        absl::StrCat("CAREBRIDGE_", absl::AsciiStrToUpper(service), "_ADDR");
    std::string address = EnvString(variable, DefaultBackendAddress(service));
    if (address == "none") address.clear();  // explicitly not configured: its routes answer 503
    config.backend_addresses[service] = address;
  }
  // Identity is served by carebridge-inquiries: unless set on its own, it follows INQUIRIES.
  if (config.backend_addresses.count("Identity") &&
      EnvString("CAREBRIDGE_IDENTITY_ADDR", "").empty()) {
    std::string address =
        EnvString("CAREBRIDGE_INQUIRIES_ADDR", DefaultBackendAddress("Inquiries"));
    if (address == "none") address.clear();
    config.backend_addresses["Identity"] = address;
  }

  RETURN_IF_ERROR(
      ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &config.redis));
  // Rate limiting and readiness must not stall requests when Redis is slow or gone.
  config.redis.connect_timeout = std::chrono::milliseconds(150);
  config.redis.command_timeout = std::chrono::milliseconds(150);

  ASSIGN_OR_RETURN(const long long per_minute,
                   EnvInt("CAREBRIDGE_RATE_LIMIT_PER_MINUTE", 30, 0, 1000000));
  ASSIGN_OR_RETURN(const long long bookings_per_minute,
                   EnvInt("CAREBRIDGE_BOOKING_RATE_LIMIT_PER_MINUTE", 60, 0, 1000000));
  config.rate_limits =
      DefaultRateLimitRules(static_cast<int>(per_minute), static_cast<int>(bookings_per_minute));
  ASSIGN_OR_RETURN(config.trust_forwarded_for, EnvBool("CAREBRIDGE_TRUST_FORWARDED_FOR", false));
  ASSIGN_OR_RETURN(config.secure_cookies, EnvBool("CAREBRIDGE_COOKIE_SECURE", false));
  config.web_dir = EnvString("CAREBRIDGE_WEB_DIR", CAREBRIDGE_DEFAULT_WEB_DIR);
  config.log_level = EnvString("CAREBRIDGE_LOG_LEVEL", "info");
  return config;
}

}  // namespace carebridge::gateway
