// Per-client fixed-window rate limits for chosen routes, counted in Redis.
//
// Each rule names a route (HTTP method + path template as in the .proto) and a limit per minute.
// A hit is one EVAL of a short Lua script (INCR, PEXPIRE on the first hit of a window, PTTL) on key
// "ratelimit:<rule name>:<client ip>:". Over the limit the caller answers 429 with Retry-After (the
// window's remaining time, rounded up to whole seconds). When Redis cannot be reached the request
// is allowed (rate limiting must never block intake), a warning is logged, and Redis is not asked
// again for a second so an outage does not add a timeout to every request. Check() blocks for at
// most the Redis timeouts: call it off the accept path. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/redis_client.h"

namespace carebridge::gateway {

struct RateLimitRule {
  std::string name;         // key part, e.g. "inquiries"
  std::string http_method;  // "POST"
  std::string pattern;      // "/v1/inquiries"
  int per_minute = 30;      // 0 disables the rule
};

// The default rules: POST /v1/inquiries at `inquiries_per_minute`, POST /v1/bookings (which
// anonymous patients reach with their link) at `bookings_per_minute`.
std::vector<RateLimitRule> DefaultRateLimitRules(int inquiries_per_minute,
                                                 int bookings_per_minute = 0);

// Where hits are counted; RedisHitCounter in production, a fake in tests.
class HitCounter {
 public:
  virtual ~HitCounter() = default;
  // Counts one hit on `key` whose window lasts `window`; returns {hits in the window, ms left}.
  // UNAVAILABLE when the store cannot be reached.
  virtual absl::StatusOr<std::pair<long long, long long>> Hit(const std::string& key,
                                                              std::chrono::milliseconds window) = 0;
};

class RedisHitCounter : public HitCounter {
 public:
  explicit RedisHitCounter(RedisClient* redis) : redis_(redis) {}  // not owned
  absl::StatusOr<std::pair<long long, long long>> Hit(const std::string& key,
                                                      std::chrono::milliseconds window) override;

 private:
  RedisClient* redis_;
};

class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // set when not allowed
  };

  RateLimiter(std::unique_ptr<HitCounter> counter, std::vector<RateLimitRule> rules);

  // The enabled rule for a route, or nullptr.
  const RateLimitRule* RuleFor(std::string_view http_method, std::string_view pattern) const;

  // Counts a request of `client_ip` under `rule`.
  Decision Check(const RateLimitRule& rule, std::string_view client_ip);

 private:
  std::unique_ptr<HitCounter> counter_;
  const std::vector<RateLimitRule> rules_;
  // steady_clock ticks until which the store is not asked (after it failed).
  std::atomic<long long> skip_until_{0};
};

}  // namespace carebridge::gateway
