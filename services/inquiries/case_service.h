// The case-management domain: listing with filters and page tokens, reads, updates with a field
// mask (stage machine, assignment, editable inquiry fields), notes, the timeline and clinic
// matches. Callers pass the authorized Principal; partners see only the cases they referred.
// No gRPC here (see inquiries_grpc_service.h). Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/principal.h"
#include "services/inquiries/case_store.h"

namespace carebridge::inquiries {

// Asks the Catalog service to rank protocols for a case (catalog_matcher.h).
class CaseMatcher {
 public:
  virtual ~CaseMatcher() = default;
  virtual absl::StatusOr<carebridge::v1::MatchCaseResponse> Match(
      const carebridge::v1::MatchCaseRequest& request, const std::string& request_id) = 0;
};

// The Case fields UpdateCase accepts in its mask.
const std::vector<std::string>& EditableCaseFields();

class CaseService {
 public:
  CaseService(CaseStore& store, CaseMatcher* matcher, std::function<absl::Time()> clock)
      : store_(store), matcher_(matcher), clock_(std::move(clock)) {}

  // Errors: INVALID_ARGUMENT naming the bad filter or page token; as CaseStore.
  absl::StatusOr<carebridge::v1::ListCasesResponse> ListCases(
      const Principal& principal, const carebridge::v1::ListCasesRequest& request);

  absl::StatusOr<carebridge::v1::Case> GetCase(const Principal& principal,
                                               const std::string& case_id);

  // Errors: INVALID_ARGUMENT for an empty or unknown mask path or a bad value (BadRequest);
  // FAILED_PRECONDITION for a move outside the state machine; as CaseStore.
  absl::StatusOr<carebridge::v1::Case> UpdateCase(const Principal& principal,
                                                  const carebridge::v1::UpdateCaseRequest& request,
                                                  const std::string& request_id);

  absl::StatusOr<carebridge::v1::CaseEvent> AddNote(
      const Principal& principal, const carebridge::v1::AddCaseNoteRequest& request,
      const std::string& request_id);

  absl::StatusOr<carebridge::v1::ListCaseTimelineResponse> Timeline(const std::string& case_id);

  absl::StatusOr<carebridge::v1::MatchCaseResponse> Matches(
      const carebridge::v1::GetCaseMatchesRequest& request, const std::string& request_id);

 private:
  CaseStore& store_;
  CaseMatcher* matcher_;
  std::function<absl::Time()> clock_;
};

}  // namespace carebridge::inquiries
