// The followups schema (migrations/): jobs with state, tries, last error and times; one row per
// attempt; and the effect record keyed by job id that makes an effect happen once.
//
// Claiming is an upsert whose update is conditional (ON CONFLICT DO UPDATE ... WHERE, which locks
// the row first), so any number of workers can race for a job and at most one holds it (until its
// lease runs out: then a crashed worker's job is taken over). Completing is
// fenced by the try number, so a worker whose lease was taken over cannot overwrite the newer
// attempt's outcome. Every statement is parameterized and prepared once per connection; errors as
// PgPool reports them. Thread-safe (state lives in PostgreSQL).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"

namespace carebridge {
// The embedded migrations of the `followups` schema (generated from migrations/*.sql).
const std::vector<Migration>& FollowUpsMigrations();
}  // namespace carebridge

namespace carebridge::followups {

// The prepared statements JobStore uses; add them to the PgPoolConfig of its pool.
std::vector<std::pair<std::string, std::string>> JobStoreStatements();

// A job as the queue carries it: ids only.
struct JobRef {
  std::string job_id;  // "<source>:<id>", e.g. "inquiries:42"
  std::string kind;
  std::string case_id;
};

// A job reference the store accepts: id of [A-Za-z0-9:_.-] (at most 200), kind of [A-Z_] (at most
// 64), case id a UUID. Anything else on the queue is not ours to run.
bool WellFormed(const JobRef& job);

struct ClaimedJob {
  JobRef job;
  int tries = 0;  // this attempt's number (1 = first try)
  int max_tries = 0;
  absl::Time started_at;
};

struct JobCounts {
  long long pending = 0, running = 0, retrying = 0, dead = 0;
  double oldest_due_age_seconds = 0;  // of PENDING/RETRYING jobs already due; 0 when none
};

class JobStore {
 public:
  explicit JobStore(PgPool& pool) : pool_(pool) {}

  // Records each of `jobs` (first delivery: `max_tries`, due `now`) and claims those that may run
  // now: new ones, PENDING or RETRYING ones that are due, RUNNING ones whose lease expired -- never
  // one with a recorded effect. One statement for the whole batch. Returns the claims (state
  // RUNNING, lease until now + lease) in no particular order; jobs left out are done, dead, not
  // yet due or held by another worker. `jobs` must be WellFormed and hold no id twice. Errors:
  // INVALID_ARGUMENT for a malformed job; otherwise as PgPool::InAutocommit. (If a lost
  // connection hid a committed first run, the rerun claims nothing: those jobs wait out their
  // lease and are put back on the queue then -- late, never lost.)
  absl::StatusOr<std::vector<ClaimedJob>> RecordAndClaim(const std::vector<JobRef>& jobs,
                                                         int max_tries, absl::Time now,
                                                         absl::Duration lease);

  // The attempt succeeded: records the effect (channel, detail) and the attempt and marks the job
  // DONE, in one statement (its own transaction), fenced by the try number. Returns false when
  // the claim was lost (another worker took the job over; or a lost connection hid this very
  // write, which InAutocommit then ran again); nothing is written then.
  absl::StatusOr<bool> MarkDone(const ClaimedJob& claim, absl::Time now, const std::string& channel,
                                const std::string& detail);

  // The attempt failed with `error` (short, no personal data): RETRYING at `retry_at`, or DEAD
  // when `retry_at` is nullopt. Returns false when the claim was lost.
  absl::StatusOr<bool> MarkFailed(const ClaimedJob& claim, absl::Time now, const std::string& error,
                                  std::optional<absl::Time> retry_at);

  // Jobs that should be on the queue but may not be: due PENDING/RETRYING jobs, and RUNNING jobs
  // whose lease expired, not enqueued since `enqueued_before`. `enqueue` is called inside the
  // transaction that locks them (FOR UPDATE SKIP LOCKED) and marks them enqueued when it returns
  // OK. Returns how many were enqueued.
  absl::StatusOr<int> RequeueDue(
      absl::Time now, absl::Time enqueued_before, int limit,
      const std::function<absl::Status(const std::vector<JobRef>&)>& enqueue);

  // The jobs of a case, oldest first. Errors: INVALID_ARGUMENT for a malformed case id.
  absl::StatusOr<std::vector<carebridge::v1::FollowUp>> ListByCase(const std::string& case_id);

  // Puts a DEAD job back to PENDING with a fresh set of tries, due now. Errors: NOT_FOUND for an
  // unknown job, FAILED_PRECONDITION when it is not DEAD.
  // `actor` and `request_id` go to followups.audit_log in the same transaction.
  absl::StatusOr<carebridge::v1::FollowUp> RetryDead(const std::string& job_id, absl::Time now,
                                                     const std::string& actor = "system",
                                                     const std::string& request_id = "");

  // The dashboard's figures: every state (PENDING .. DEAD, zeros included) with its number of
  // jobs, the `dead_limit` most recently finished DEAD jobs (newest first), and the jobs tried more
  // than once in any state. `dead_limit` is 1..100 (checked by the caller).
  absl::StatusOr<carebridge::v1::FollowUpStats> Stats(int dead_limit);

  // Counts of unfinished and dead jobs, for metrics.
  absl::StatusOr<JobCounts> Counts(absl::Time now);

 private:
  PgPool& pool_;
};

}  // namespace carebridge::followups
