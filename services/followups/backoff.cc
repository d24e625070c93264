#include "services/followups/backoff.h"

#include <algorithm>

namespace carebridge::followups {

absl::Duration BackoffDelay(const BackoffPolicy& policy, int failed_tries, double unit_random) {
  absl::Duration delay = policy.base;
  for (int i = 1; i < failed_tries && delay < policy.cap; ++i) delay *= 2;
  delay = std::min(delay, policy.cap);
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  return delay / 2 + (delay / 2) * jitter;
}

}  // namespace carebridge::followups
