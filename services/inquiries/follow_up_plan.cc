#include "services/inquiries/follow_up_plan.h"

namespace carebridge::inquiries {

std::vector<PlannedFollowUp> FirstFollowUps(absl::Time opened_at) {
  return {
      {"ACKNOWLEDGEMENT_EMAIL", opened_at},
      {"COORDINATOR_ALERT", opened_at},
      {"SLA_CHECK", opened_at + kFirstContactSla},
  };
}

}  // namespace carebridge::inquiries
