// The internal reads and writes the follow-ups worker needs from the inquiries schema: a case's
// contact data (GetCaseContacts) and the confirmation that the worker holds a follow-up
// (ConfirmFollowUps). Every statement is parameterized and prepared once per connection; failures
// come back as PgPool reports them. Thread-safe (state lives in PostgreSQL).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/ids.h"
#include "services/common/pg_pool.h"

namespace carebridge::inquiries {

// The prepared statements CaseContactStore uses; add them to the PgPoolConfig of its pool.
std::vector<std::pair<std::string, std::string>> CaseContactStatements();

using ::carebridge::IsUuid;  // services/common/ids.h

inline constexpr size_t kMaxCaseContacts = 500;

class CaseContactStore {
 public:
  explicit CaseContactStore(PgPool& pool) : pool_(pool) {}

  // The contact data of those of `case_ids` that exist (unknown ones are left out), in no
  // particular order. Errors: INVALID_ARGUMENT (field "case_ids") for a malformed id or more than
  // kMaxCaseContacts ids; otherwise as PgPool::InAutocommit.
  absl::StatusOr<std::vector<carebridge::v1::CaseContact>> GetCaseContacts(
      const std::vector<std::string>& case_ids);

  // Marks the outbox rows `ids` as received by the worker (ids not found are ignored).
  absl::Status ConfirmFollowUps(const std::vector<int64_t>& ids);

 private:
  PgPool& pool_;
};

}  // namespace carebridge::inquiries
