// Retry timing for follow-ups: exponential backoff with jitter. Pure logic.
#pragma once

#include "absl/time/time.h"

namespace carebridge::followups {

struct BackoffPolicy {
  absl::Duration base = absl::Seconds(30);  // the delay after the first failed try
  absl::Duration cap = absl::Hours(1);      // no delay is longer than this
};

// The delay before the try after `failed_tries` failures (1 for the first failure): base * 2^(n-1),
// capped, then scaled into [delay/2, delay] by `unit_random` in [0, 1) ("equal jitter"), so
// workers that failed together do not retry together while delays still grow with each try.
absl::Duration BackoffDelay(const BackoffPolicy& policy, int failed_tries, double unit_random);

}  // namespace carebridge::followups
