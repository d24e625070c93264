// The case stage state machine of PRODUCT.md. Pure logic; thread-safe.
//
//   NEW -> CONTACTED -> QUALIFIED -> CONSULTATION_BOOKED -> QUOTE_SENT -> TREATMENT_SCHEDULED
//       -> COMPLETED
// Moves go forward only (skipping stages is allowed: a quote may follow the first call). LOST (with
// a reason) and SPAM are reachable from every open stage. COMPLETED and SPAM are final. A LOST case
// is re-opened by a coordinator into the stage it was lost from.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carebridge/v1/inquiries.pb.h"

namespace carebridge::inquiries {

// True for NEW .. TREATMENT_SCHEDULED.
bool IsOpenStage(carebridge::v1::Stage stage);

// The stages `current` may move to. `lost_from` is the stage a LOST case was lost from
// (STAGE_UNSPECIFIED when unknown: re-open goes to CONTACTED).
std::vector<carebridge::v1::Stage> AllowedMoves(carebridge::v1::Stage current,
                                                carebridge::v1::Stage lost_from);

// OK when `current` -> `target` is allowed. FAILED_PRECONDITION naming the allowed moves
// otherwise; INVALID_ARGUMENT (field "lost_reason") for LOST without a reason.
absl::Status CheckMove(carebridge::v1::Stage current, carebridge::v1::Stage lost_from,
                       carebridge::v1::Stage target, const std::string& lost_reason);

}  // namespace carebridge::inquiries
