// Which follow-ups a newly opened case gets (PRODUCT.md, "Follow-ups"): the acknowledgement email
// and the coordinator alert at once, and the first-contact SLA check 24 hours later. Pure logic.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace carebridge::inquiries {

inline constexpr absl::Duration kFirstContactSla = absl::Hours(24);

struct PlannedFollowUp {
  std::string kind;  // an outbox kind, e.g. "ACKNOWLEDGEMENT_EMAIL"
  absl::Time due_at;
};

// The follow-ups of a case opened at `opened_at`, in the order they fall due.
std::vector<PlannedFollowUp> FirstFollowUps(absl::Time opened_at);

}  // namespace carebridge::inquiries
