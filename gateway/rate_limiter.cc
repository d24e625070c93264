#include "gateway/rate_limiter.h"

#include "absl/strings/str_cat.h"
#include "services/common/logging.h"

namespace carebridge::gateway {
namespace {

constexpr std::chrono::milliseconds kWindow = std::chrono::minutes(1);
constexpr std::chrono::seconds kSkipAfterFailure{1};

// KEYS[1] = counter key, ARGV[1] = window in ms. Returns {count, ms left in the window}.
constexpr char kFixedWindowScript[] = R"lua(
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
)lua";

long long NowTicks() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

}  // namespace

std::vector<RateLimitRule> DefaultRateLimitRules(int inquiries_per_minute,
                                                 int bookings_per_minute) {
  return {{"inquiries", "POST", "/v1/inquiries", inquiries_per_minute},
          {"bookings", "POST", "/v1/bookings", bookings_per_minute}};
}

absl::StatusOr<std::pair<long long, long long>> RedisHitCounter::Hit(
    const std::string& key, std::chrono::milliseconds window) {
  auto reply =
      redis_->Command({"EVAL", kFixedWindowScript, "1", key, absl::StrCat(window.count())});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisValue::Type::kArray || reply->elements.size() != 2 ||
      reply->elements[0].type != RedisValue::Type::kInteger ||
      reply->elements[1].type != RedisValue::Type::kInteger) {
    return absl::InternalError("unexpected rate limit reply");
  }
  return std::make_pair(reply->elements[0].integer, reply->elements[1].integer);
}

RateLimiter::RateLimiter(std::unique_ptr<HitCounter> counter, std::vector<RateLimitRule> rules)
    : counter_(std::move(counter)), rules_(std::move(rules)) {}

const RateLimitRule* RateLimiter::RuleFor(std::string_view http_method,
                                          std::string_view pattern) const {
  for (const RateLimitRule& rule : rules_) {
    if (rule.per_minute > 0 && rule.http_method == http_method && rule.pattern == pattern) {
      return &rule;
    }
  }
  return nullptr;
}

RateLimiter::Decision RateLimiter::Check(const RateLimitRule& rule, std::string_view client_ip) {
  if (NowTicks() < skip_until_.load(std::memory_order_relaxed)) return {};
  const std::string key = absl::StrCat("ratelimit:", rule.name, ":", std::string(client_ip), ":");
  auto hit = counter_->Hit(key, kWindow);
  if (!hit.ok()) {
    const auto until = std::chrono::steady_clock::now() + kSkipAfterFailure;
    skip_until_.store(until.time_since_epoch().count(), std::memory_order_relaxed);
    LogWarning("rate_limit_unavailable", {{"rule", rule.name}, {"action", "allow"}});
    return {};
  }
  const auto [count, ms_left] = *hit;
  if (count <= rule.per_minute) return {};
  Decision decision;
  decision.allowed = false;
  decision.retry_after_seconds = static_cast<int>(std::max<long long>(1, (ms_left + 999) / 1000));
  return decision;
}

}  // namespace carebridge::gateway
