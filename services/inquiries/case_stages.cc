#include "services/inquiries/case_stages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace carebridge::inquiries {

using carebridge::v1::Stage;

bool IsOpenStage(Stage stage) {
  return stage >= carebridge::v1::NEW && stage <= carebridge::v1::TREATMENT_SCHEDULED;
}

std::vector<Stage> AllowedMoves(Stage current, Stage lost_from) {
  std::vector<Stage> moves;
  if (IsOpenStage(current)) {
    for (int s = current + 1; s <= carebridge::v1::COMPLETED; ++s) {
      moves.push_back(static_cast<Stage>(s));
    }
    moves.push_back(carebridge::v1::LOST);
    moves.push_back(carebridge::v1::SPAM);
  } else if (current == carebridge::v1::LOST) {
    moves.push_back(IsOpenStage(lost_from) ? lost_from : carebridge::v1::CONTACTED);
  }
  return moves;
}

absl::Status CheckMove(Stage current, Stage lost_from, Stage target,
                       const std::string& lost_reason) {
  const std::vector<Stage> allowed = AllowedMoves(current, lost_from);
  bool ok = false;
  for (Stage s : allowed) ok = ok || s == target;
  if (!ok) {
    const std::string names = absl::StrJoin(allowed, ", ", [](std::string* out, Stage s) {
      out->append(carebridge::v1::Stage_Name(s));
    });
    return absl::FailedPreconditionError(
        absl::StrCat("cannot move a ", carebridge::v1::Stage_Name(current), " case to ",
                     carebridge::v1::Stage_Name(target),
                     "; allowed: ", names.empty() ? "none (final stage)" : names));
  }
  if (target == carebridge::v1::LOST && lost_reason.empty()) {
    return InvalidFields({{"lost_reason", "Say why the case was lost."}});
  }
  return absl::OkStatus();
}

}  // namespace carebridge::inquiries
