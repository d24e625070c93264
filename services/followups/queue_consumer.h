// The Redis side of the worker: a consumer group on each follow-up stream, read by several threads.
//
// The streams are lanes in priority order (services/common/follow_up_streams.h): a thread takes
// work from the urgent stream (patients' acknowledgements) while it holds any, and then from every
// stream. A read takes up to `batch` new entries per stream (XREADGROUP ... COUNT: whatever is
// there, without waiting for a full batch): first a look at the urgent stream that does not wait,
// and when that finds nothing -- or after `urgent_reads_in_a_row` looks in a row found something,
// so the ordinary lane always moves -- a read of every stream that waits up to `block`. What one
// read returned goes to the JobProcessor together, urgent first, and what it reports OK is
// acknowledged and deleted (XACK + XDEL in one round trip: Redis holds a job only until it is
// done). Every `claim_interval` a thread also takes over entries another consumer has held for
// longer than `claim_idle` (XAUTOCLAIM, stream by stream): the deliveries of a crashed worker. A
// requeue thread puts back on the streams what PostgreSQL says is due but may not be there: retries
// whose backoff has passed, hand retries, and running jobs whose lease expired; it also flushes the
// processor's batched outbox confirmations. Redis outages are waited out (every call has a
// timeout); nothing is lost because PostgreSQL holds the record.
//
// Stream entries come from the outbox relay (services/common/outbox_relay.h): fields job_id,
// kind, case_id (and due_at, informational). Thread-safe; Start/Stop from one owner thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/redis_client.h"
#include "services/followups/job_processor.h"
#include "services/followups/job_store.h"
#include "services/followups/metrics.h"

namespace carebridge::followups {

struct ConsumerConfig {
  std::string group = "followups";
  std::string consumer_prefix;  // unique per process, e.g. "<host>-<pid>"
  int threads = 4;
  int batch = 16;  // entries per stream one thread reads and handles at a time
  // Reads of the urgent stream alone in a row, at most, before a read of every stream.
  int urgent_reads_in_a_row = 4;
  std::chrono::milliseconds block{1000};           // XREADGROUP BLOCK
  std::chrono::milliseconds claim_idle{60000};     // an entry held this long is taken over
  std::chrono::milliseconds claim_interval{5000};  // how often each thread looks for such entries
  std::chrono::milliseconds requeue_interval{1000};
  absl::Duration requeue_after = absl::Minutes(2);  // do not put a job back sooner than this
};

// OK when Redis keeps acknowledged writes: appendonly yes and maxmemory-policy noeviction.
// FAILED_PRECONDITION naming the setting otherwise; UNAVAILABLE when Redis cannot be reached.
absl::Status CheckRedisDurability(RedisClient& redis);

class QueueConsumer {
 public:
  QueueConsumer(RedisClient& redis, JobStore& store, JobProcessor& processor, ConsumerConfig config,
                std::function<absl::Time()> clock)
      : redis_(redis),
        store_(store),
        processor_(processor),
        config_(std::move(config)),
        clock_(std::move(clock)) {}
  ~QueueConsumer() { Stop(); }

  // Creates the stream and the consumer group if missing. Errors: UNAVAILABLE.
  absl::Status EnsureGroup();

  void Start();
  // Stops taking new entries and joins the threads (a job in progress finishes first).
  void Stop();

  // Wakes the requeue thread now (after a hand retry).
  void Nudge();

  // The Prometheus text of metrics.h.
  std::string RenderMetrics(const JobCounters& counters);

 private:
  void WorkerLoop(int index);
  void RequeueLoop();
  // One entry as read: [id, [field, value, ...]], and the stream it is on.
  struct Delivery {
    std::string stream;
    const RedisValue* entry;
  };
  // One XREADGROUP of `streams` (waiting up to `block` when it is positive) and the handling of
  // what it returned, in one batch in the order of `streams`. Returns how many entries it read.
  absl::StatusOr<int> ReadAndHandle(const std::string& consumer,
                                    const std::vector<std::string>& streams,
                                    std::chrono::milliseconds block);
  // XAUTOCLAIM on `stream`: handles what other consumers have held for longer than claim_idle.
  void TakeOverStale(const std::string& consumer, const std::string& stream);
  void HandleBatch(const std::string& consumer, const std::vector<Delivery>& deliveries);
  bool Sleep(std::chrono::milliseconds duration);  // false when stopping

  RedisClient& redis_;
  JobStore& store_;
  JobProcessor& processor_;
  const ConsumerConfig config_;
  const std::function<absl::Time()> clock_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool nudged_ = false;    // GUARDED_BY(mu_)
};

}  // namespace carebridge::followups
