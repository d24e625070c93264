#include "gateway/rate_limiter.h"

#include <gtest/gtest.h>

#include <map>

namespace carebridge::gateway {
namespace {

// Counts hits in memory, or fails like an unreachable Redis.
class FakeHitCounter : public HitCounter {
 public:
  absl::StatusOr<std::pair<long long, long long>> Hit(const std::string& key,
                                                      std::chrono::milliseconds window) override {
    ++calls;
    last_key = key;
    if (unavailable) return absl::UnavailableError("Redis is unavailable");
    return std::make_pair(++counts[key], ms_left);
  }

  std::map<std::string, long long> counts;
  long long ms_left = 42'100;
  bool unavailable = false;
  int calls = 0;
  std::string last_key;
};

TEST(RateLimiterTest, AllowsUpToTheLimitThenAsksToRetryAfterTheWindow) {
  auto counter = std::make_unique<FakeHitCounter>();
  FakeHitCounter* fake = counter.get();
  RateLimiter limiter(std::move(counter), DefaultRateLimitRules(3));
  const RateLimitRule* rule = limiter.RuleFor("POST", "/v1/inquiries");
  ASSERT_NE(rule, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Check(*rule, "192.0.2.1").allowed);
  const RateLimiter::Decision refused = limiter.Check(*rule, "192.0.2.1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 43);  // 42.1 s rounded up
  EXPECT_EQ(fake->last_key, "ratelimit:inquiries:192.0.2.1:");
  // Another client has its own window.
  EXPECT_TRUE(limiter.Check(*rule, "192.0.2.2").allowed);
}

TEST(RateLimiterTest, OnlyConfiguredRoutesAreLimitedAndZeroDisables) {
  RateLimiter limiter(std::make_unique<FakeHitCounter>(), DefaultRateLimitRules(30));
  EXPECT_NE(limiter.RuleFor("POST", "/v1/inquiries"), nullptr);
  EXPECT_EQ(limiter.RuleFor("GET", "/v1/inquiries"), nullptr);
  EXPECT_EQ(limiter.RuleFor("GET", "/v1/clinics"), nullptr);
  EXPECT_EQ(limiter.RuleFor("POST", "/v1/bookings"), nullptr);  // bookings: off unless given
  RateLimiter disabled(std::make_unique<FakeHitCounter>(), DefaultRateLimitRules(0));
  EXPECT_EQ(disabled.RuleFor("POST", "/v1/inquiries"), nullptr);
  RateLimiter with_bookings(std::make_unique<FakeHitCounter>(), DefaultRateLimitRules(0, 60));
  ASSERT_NE(with_bookings.RuleFor("POST", "/v1/bookings"), nullptr);
  EXPECT_EQ(with_bookings.RuleFor("POST", "/v1/bookings")->per_minute, 60);
  EXPECT_EQ(with_bookings.RuleFor("POST", "/v1/bookings:cancel"), nullptr);
}

TEST(RateLimiterTest, FailsOpenWhenTheStoreIsDownAndBacksOffAsking) {
  auto counter = std::make_unique<FakeHitCounter>();
  FakeHitCounter* fake = counter.get();
  fake->unavailable = true;
  RateLimiter limiter(std::move(counter), DefaultRateLimitRules(1));
  const RateLimitRule& rule = *limiter.RuleFor("POST", "/v1/inquiries");
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Check(rule, "192.0.2.1").allowed);
  EXPECT_EQ(fake->calls, 1);  // not asked again for a second after a failure
}

TEST(RateLimiterTest, RetryAfterIsAtLeastOneSecond) {
  auto counter = std::make_unique<FakeHitCounter>();
  counter->ms_left = 3;
  RateLimiter limiter(std::move(counter), DefaultRateLimitRules(1));
  const RateLimitRule& rule = *limiter.RuleFor("POST", "/v1/inquiries");
  EXPECT_TRUE(limiter.Check(rule, "::1").allowed);
  EXPECT_EQ(limiter.Check(rule, "::1").retry_after_seconds, 1);
}

}  // namespace
}  // namespace carebridge::gateway
