// Operator metrics of the follow-ups worker, served as Prometheus text on GET /metrics:
//
//   carebridge_followups_queue_depth             jobs on the Redis streams not yet done (XLEN of
//                                                both: entries are deleted once acknowledged)
//   carebridge_followups_oldest_due_age_seconds  how long the oldest due, unfinished job has waited
//                                                (stream head or a due PENDING/RETRYING job)
//   carebridge_followups_jobs{state="..."}       PENDING / RUNNING / RETRYING / DEAD jobs in
//                                                PostgreSQL
//   carebridge_followups_jobs_done_total         counters since this process started:
//   carebridge_followups_jobs_retried_total      effects done, failed tries scheduled again,
//   carebridge_followups_jobs_dead_total         jobs parked as DEAD
//   carebridge_followups_up                      1 when Redis and PostgreSQL answered this scrape
//
// Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/http_server.h"

namespace carebridge::followups {

struct JobCounters {
  std::atomic<long long> done{0};
  std::atomic<long long> retried{0};
  std::atomic<long long> dead{0};
};

// Serves GET (and HEAD) /metrics with `render()`'s text on one I/O thread of HttpServer
// (Boost.Beast); other paths answer 404, other methods on /metrics 405. Scrapes are rare and cheap,
// so `render()` runs on that thread.
class MetricsServer {
 public:
  // Binds `address` ("host:port"; port 0 picks one). Errors: INVALID_ARGUMENT when it is not
  // host:port, UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                              std::function<std::string()> render);
  int port() const { return server_->port(); }

 private:
  explicit MetricsServer(std::unique_ptr<HttpServer> server) : server_(std::move(server)) {}

  std::unique_ptr<HttpServer> server_;
};

}  // namespace carebridge::followups
