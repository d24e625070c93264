#include "services/followups/backoff.h"

#include <gtest/gtest.h>

namespace carebridge::followups {
namespace {

TEST(BackoffTest, DoublesFromBaseAndStaysWithinJitterBounds) {
  BackoffPolicy policy{absl::Seconds(10), absl::Minutes(10)};
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), absl::Seconds(5));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.999999), absl::Seconds(10) - absl::Microseconds(5));
  EXPECT_EQ(BackoffDelay(policy, 2, 0.0), absl::Seconds(10));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.0), absl::Seconds(20));
}

TEST(BackoffTest, NeverExceedsCap) {
  BackoffPolicy policy{absl::Seconds(10), absl::Minutes(1)};
  for (int tries = 1; tries < 100; ++tries) {
    EXPECT_LE(BackoffDelay(policy, tries, 0.9999), absl::Minutes(1));
  }
  EXPECT_EQ(BackoffDelay(policy, 50, 0.0), absl::Seconds(30));
}

}  // namespace
}  // namespace carebridge::followups
