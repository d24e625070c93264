// Operator metrics of the follow-ups worker, served as Prometheus text on GET /metrics:
//
//   carebridge_followups_queue_depth             jobs on the Redis stream not yet done (XLEN:
//                                                entries are deleted once acknowledged)
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
#include <thread>

#include "absl/status/statusor.h"

namespace carebridge::followups {

struct JobCounters {
  std::atomic<long long> done{0};
  std::atomic<long long> retried{0};
  std::atomic<long long> dead{0};
};

// A minimal HTTP/1.0 server on one thread: GET /metrics answers `render()`, anything else 404.
class MetricsServer {
 public:
  // Binds `address` ("host:port"; port 0 picks one). Errors: UNAVAILABLE when it cannot bind.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                              std::function<std::string()> render);
  ~MetricsServer();
  int port() const { return port_; }

 private:
  MetricsServer(int fd, int port, std::function<std::string()> render)
      : fd_(fd), port_(port), render_(std::move(render)) {}
  void Serve();

  int fd_;
  int port_;
  std::function<std::string()> render_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace carebridge::followups
