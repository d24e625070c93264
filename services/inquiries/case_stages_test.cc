#include "services/inquiries/case_stages.h"

#include <gtest/gtest.h>

namespace carebridge::inquiries {
namespace {

using namespace carebridge::v1;

struct MoveCase {
  Stage from;
  Stage lost_from;
  Stage to;
  std::string reason;
  absl::StatusCode expected;
};

TEST(CaseStagesTest, MovesFollowTheStateMachine) {
  const MoveCase cases[] = {
      {NEW, STAGE_UNSPECIFIED, CONTACTED, "", absl::StatusCode::kOk},
      {NEW, STAGE_UNSPECIFIED, QUOTE_SENT, "", absl::StatusCode::kOk},
      {TREATMENT_SCHEDULED, STAGE_UNSPECIFIED, COMPLETED, "", absl::StatusCode::kOk},
      {QUALIFIED, STAGE_UNSPECIFIED, CONTACTED, "", absl::StatusCode::kFailedPrecondition},
      {NEW, STAGE_UNSPECIFIED, NEW, "", absl::StatusCode::kFailedPrecondition},
      {QUALIFIED, STAGE_UNSPECIFIED, LOST, "", absl::StatusCode::kInvalidArgument},
      {QUALIFIED, STAGE_UNSPECIFIED, LOST, "chose another desk", absl::StatusCode::kOk},
      {CONTACTED, STAGE_UNSPECIFIED, SPAM, "", absl::StatusCode::kOk},
      {COMPLETED, STAGE_UNSPECIFIED, LOST, "x", absl::StatusCode::kFailedPrecondition},
      {SPAM, STAGE_UNSPECIFIED, NEW, "", absl::StatusCode::kFailedPrecondition},
      {LOST, QUALIFIED, QUALIFIED, "", absl::StatusCode::kOk},
      {LOST, QUALIFIED, NEW, "", absl::StatusCode::kFailedPrecondition},
      {LOST, STAGE_UNSPECIFIED, CONTACTED, "", absl::StatusCode::kOk},
  };
  for (const MoveCase& c : cases) {
    EXPECT_EQ(CheckMove(c.from, c.lost_from, c.to, c.reason).code(), c.expected)
        << Stage_Name(c.from) << " -> " << Stage_Name(c.to);
  }
}

TEST(CaseStagesTest, RefusalNamesTheAllowedMoves) {
  const absl::Status status = CheckMove(QUOTE_SENT, STAGE_UNSPECIFIED, NEW, "");
  EXPECT_EQ(std::string(status.message()),
            "cannot move a QUOTE_SENT case to NEW; allowed: TREATMENT_SCHEDULED, COMPLETED, LOST, "
            "SPAM");
}

}  // namespace
}  // namespace carebridge::inquiries
