#include "services/inquiries/follow_up_plan.h"

#include <gtest/gtest.h>

namespace carebridge::inquiries {
namespace {

TEST(FollowUpPlanTest, AcknowledgesAndAlertsAtOnceAndChecksTheSlaAfter24Hours) {
  const absl::Time opened = absl::FromUnixSeconds(1'790'000'000);
  const std::vector<PlannedFollowUp> plan = FirstFollowUps(opened);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].kind, "ACKNOWLEDGEMENT_EMAIL");
  EXPECT_EQ(plan[0].due_at, opened);
  EXPECT_EQ(plan[1].kind, "COORDINATOR_ALERT");
  EXPECT_EQ(plan[1].due_at, opened);
  EXPECT_EQ(plan[2].kind, "SLA_CHECK");
  EXPECT_EQ(plan[2].due_at, opened + absl::Hours(24));
}

}  // namespace
}  // namespace carebridge::inquiries
