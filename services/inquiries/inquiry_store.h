// The SQL of intake: stores a case with its timeline and outbox rows in one transaction, recognizes
// repeat inquiries, and keeps idempotency keys. Owns the `inquiries` schema (migrations/).
//
// Every statement is parameterized and prepared once per connection. Database failures come back as
// UNAVAILABLE / INTERNAL with generic messages (see PgPool); nothing of the server's error text.
// Thread-safe (state lives in PostgreSQL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/inquiries/follow_up_plan.h"
#include "services/inquiries/inquiry_validator.h"

namespace carebridge {
// The embedded migrations of the `inquiries` schema (generated from migrations/*.sql).
const std::vector<Migration>& InquiriesMigrations();
}  // namespace carebridge

namespace carebridge::inquiries {

// The prepared statements InquiryStore uses; add them to the PgPoolConfig of its pool.
std::vector<std::pair<std::string, std::string>> InquiryStoreStatements();

struct IdempotencyClaim {
  std::string key;
  std::string request_hash;  // hex SHA-256 of the normalized request
};

struct IntakeRecord {
  carebridge::v1::Inquiry inquiry;  // normalized and valid
  bool spam = false;                // honeypot filled: stored as SPAM, nothing scheduled
  absl::Time received_at;
  std::vector<PlannedFollowUp> follow_ups;  // scheduled only when a new, non-spam case opens
  std::optional<IdempotencyClaim> idempotency;
  std::string actor;       // who submitted it, for the timeline, e.g. "web"
  std::string request_id;  // stored on timeline events
  std::string partner_id;  // the referring partner (API key caller), or ""
};

struct IntakeOutcome {
  enum class Kind {
    kCreated,   // a new case was opened
    kRepeat,    // added to the open case of the same person and condition
    kReplayed,  // the idempotency key was seen before with the same request: nothing written
  };
  Kind kind = Kind::kCreated;
  std::string case_id;
  std::string reference;
  carebridge::v1::Stage stage = carebridge::v1::NEW;  // the stage the client is told
};

class InquiryStore {
 public:
  // A repeat inquiry joins an open case whose last inquiry is at most this old.
  static constexpr absl::Duration kRepeatWindow = absl::Hours(24 * 30);

  explicit InquiryStore(PgPool& pool) : pool_(pool) {}

  // Records an inquiry in one transaction. Errors: INVALID_ARGUMENT on field "Idempotency-Key" when
  // the key was used with a different request; otherwise as PgPool::InTransaction.
  absl::StatusOr<IntakeOutcome> RecordInquiry(const IntakeRecord& record);

 private:
  PgPool& pool_;
};

}  // namespace carebridge::inquiries
