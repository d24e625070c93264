// The SQL of case management over the `inquiries` schema: filtered keyset listing, reads, updates
// with their timeline events (and partner webhooks in the outbox, same transaction), notes and the
// timeline. Every statement is parameterized. Database failures come back as PgPool reports them.
// Thread-safe (state lives in PostgreSQL).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/pg_pool.h"

namespace carebridge::inquiries {

struct CaseFilter {
  std::string stage;        // stage name, or "" for any
  std::string assignee_id;  // a user id, or ""
  bool unassigned = false;  // assignee_id "none"
  std::string condition;
  std::string country;
  std::optional<absl::Time> created_after, created_before;
  std::string q;           // lower-cased free text, or ""
  std::string partner_id;  // a partner caller: only its own cases
  int page_size = 20;
  // Keyset position: the last case of the previous page.
  std::string after_created_at;  // RFC 3339 with microseconds, or ""
  std::string after_id;
};

struct CasePage {
  std::vector<carebridge::v1::Case> cases;
  // The key of the last case when more may follow (for the next page token).
  std::string last_created_at, last_id;
  bool more = false;
};

// What an update changes, computed by the caller from the current case.
struct CaseUpdate {
  carebridge::v1::Case updated;  // the whole case as it is to be stored
  std::string lost_from_stage;   // stored with LOST; "" otherwise
  std::vector<carebridge::v1::FieldChange> changes;
  std::string kind;  // STAGE_CHANGED, ASSIGNED or UPDATED
  bool stage_changed = false;
};

struct CurrentCase {
  carebridge::v1::Case value;
  std::string lost_from_stage;
};

class CaseStore {
 public:
  explicit CaseStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<CasePage> ListCases(const CaseFilter& filter);

  // NOT_FOUND for an unknown case, or one of another partner when `partner_id` is set.
  absl::StatusOr<carebridge::v1::Case> GetCase(const std::string& case_id,
                                               const std::string& partner_id);

  // Locks the case, asks `plan` what to change, and stores the change, its timeline event and (for
  // a partner-referred case whose stage changed) a PARTNER_WEBHOOK outbox row, in one transaction.
  // `plan`'s error is returned as is. NOT_FOUND for an unknown case.
  absl::StatusOr<carebridge::v1::Case> UpdateCase(
      const std::string& case_id, const std::string& actor, const std::string& request_id,
      absl::Time now, const std::function<absl::StatusOr<CaseUpdate>(const CurrentCase&)>& plan);

  // True when `user_id` is an active user (a valid assignee).
  absl::StatusOr<bool> IsActiveUser(const std::string& user_id);

  absl::StatusOr<carebridge::v1::CaseEvent> AddNote(const std::string& case_id,
                                                    const std::string& actor,
                                                    const std::string& text,
                                                    const std::string& request_id, absl::Time now);

  absl::StatusOr<std::vector<carebridge::v1::CaseEvent>> ListTimeline(const std::string& case_id);

 private:
  PgPool& pool_;
};

// "2026-01-02T03:04:05.123456Z".
std::string MicrosTimestamp(absl::Time t);

}  // namespace carebridge::inquiries
