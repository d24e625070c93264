// The outbox relay: moves due follow-ups from a service's outbox table (inquiries.outbox,
// scheduling.outbox) to the Redis stream the follow-ups worker consumes. Runs as a thread inside
// the service that owns the outbox.
//
// Each pass, in one transaction: selects unsent rows that are due (by state and due time, never by
// an id high-water mark, since ids commit out of order) -- plus rows sent long ago that the worker
// never confirmed (Redis lost them) -- with FOR UPDATE SKIP LOCKED, so several relays share the
// work without sending a row twice at once; XADDs one job per row in a single pipeline, each on the
// stream for its kind (follow_up_streams.h); and marks the rows sent only when Redis accepted
// every job. If Redis fails, nothing is marked and the rows are sent on a later pass. A job sent
// twice is harmless: the worker keys effects on the job id.
//
// The table needs the columns id (bigint), case_id, kind, due_at, sent_at, received_at and
// enqueue_count (see services/inquiries/migrations). Stream entries (the contract with
// services/followups): fields `job_id` ("<prefix><outbox id>", e.g. "inquiries:42"), `kind`,
// `case_id`, `due_at` (RFC 3339). Ids only, never personal data.
//
// Thread-safe; Start/Stop from one owner thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/follow_up_streams.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"

namespace carebridge {

struct OutboxRelayConfig {
  std::chrono::milliseconds interval{100};  // pause between passes that found less than a batch
  int batch = 200;                          // rows per pass
  // A row sent this long ago without the worker's confirmation is sent again.
  absl::Duration resend_after = absl::Minutes(10);
  std::string table = "inquiries.outbox";  // schema-qualified; a constant, never user input
  std::string job_prefix = "inquiries:";   // the owner, so the worker knows whom to confirm to
};

// The prepared statements OutboxRelay uses for `table`; add them to the PgPoolConfig of its pool.
std::vector<std::pair<std::string, std::string>> OutboxRelayStatements(
    const std::string& table = "inquiries.outbox");

class OutboxRelay {
 public:
  OutboxRelay(PgPool& pool, RedisClient& redis, OutboxRelayConfig config,
              std::function<absl::Time()> clock)
      : pool_(pool), redis_(redis), config_(std::move(config)), clock_(std::move(clock)) {}
  ~OutboxRelay() { Stop(); }
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // One pass. Returns how many rows were handed to Redis. Errors: UNAVAILABLE when PostgreSQL or
  // Redis cannot be reached (nothing is marked sent), INTERNAL on other database errors.
  absl::StatusOr<int> RelayOnce();

  // Starts / stops the background thread that runs passes until stopped.
  void Start();
  void Stop();

 private:
  void Run();

  PgPool& pool_;
  RedisClient& redis_;
  const OutboxRelayConfig config_;
  const std::function<absl::Time()> clock_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
};

}  // namespace carebridge
