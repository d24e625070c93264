// The gateway's configuration, read once from the environment in main(). Variables and defaults:
//
//   CAREBRIDGE_GATEWAY_LISTEN         HTTP host:port (port 0 picks one)   127.0.0.1:8080
//   CAREBRIDGE_GATEWAY_THREADS        HTTP I/O threads                    2
//   CAREBRIDGE_MAX_BODY_BYTES         largest request body (413 above)    65536
//   CAREBRIDGE_BACKEND_TIMEOUT_MS     deadline of every backend call      5000
//   CAREBRIDGE_<SERVICE>_ADDR         gRPC address per service, by upper-cased name: INQUIRIES
//                                     127.0.0.1:50051, CATALOG 127.0.0.1:50052, SCHEDULING
//                                     127.0.0.1:50053, others none; "none" turns one off (its
//                                     routes answer 503, /readyz does not wait for it)
//   CAREBRIDGE_REDIS_ADDR             Redis (rate limits, readiness)      127.0.0.1:56379
//   CAREBRIDGE_RATE_LIMIT_PER_MINUTE  POST /v1/inquiries per client IP    30 (0 disables)
//   CAREBRIDGE_BOOKING_RATE_LIMIT_PER_MINUTE  POST /v1/bookings per client IP  60 (0 disables)
//   CAREBRIDGE_TRUST_FORWARDED_FOR    client IP from X-Forwarded-For      false
//   CAREBRIDGE_COOKIE_SECURE          Secure session cookies (https)      false
//   CAREBRIDGE_IDENTITY_ADDR          Identity backend             as CAREBRIDGE_INQUIRIES_ADDR
//   CAREBRIDGE_WEB_DIR                pages and static files              <source dir>/web
//   CAREBRIDGE_LOG_LEVEL              debug, info, warning, error         info
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/rate_limiter.h"
#include "services/common/http_server.h"
#include "services/common/redis_client.h"

namespace carebridge::gateway {

struct GatewayConfig {
  HttpServerOptions http;
  std::chrono::milliseconds backend_timeout{5000};
  std::map<std::string, std::string> backend_addresses;  // service short name -> host:port
  RedisConfig redis;
  std::vector<RateLimitRule> rate_limits;
  bool trust_forwarded_for = false;
  bool secure_cookies = false;
  std::string web_dir;
  std::string log_level = "info";
};

// The default address of a service, e.g. "Inquiries" -> "127.0.0.1:50051"; "" when it has none.
std::string DefaultBackendAddress(const std::string& service);

// The configuration from the environment, with backend addresses for `services` (short names of
// the services that have HTTP routes).
// INVALID_ARGUMENT names the first malformed variable.
absl::StatusOr<GatewayConfig> GatewayConfigFromEnv(const std::vector<std::string>& services);

}  // namespace carebridge::gateway
