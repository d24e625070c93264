#include "services/followups/queue_consumer.h"

#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/follow_up_streams.h"
#include "services/common/logging.h"

namespace carebridge::followups {
namespace {

// The value after `key` in a flat [key, value, ...] reply, or nullptr.
const RedisValue* Field(const RedisValue& flat, const std::string& key) {
  for (size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    if (flat.elements[i].str == key) return &flat.elements[i + 1];
  }
  return nullptr;
}

std::string ConfigValue(const RedisValue& reply) {
  return reply.elements.size() >= 2 ? reply.elements[1].str : "";
}

// Milliseconds since the epoch encoded in a stream entry id "<ms>-<seq>", or -1.
long long EntryMillis(const std::string& id) {
  long long ms = -1;
  if (!absl::SimpleAtoi(id.substr(0, id.find('-')), &ms)) return -1;
  return ms;
}

}  // namespace

absl::Status CheckRedisDurability(RedisClient& redis) {
  absl::StatusOr<RedisValue> aof = redis.Command({"CONFIG", "GET", "appendonly"});
  if (!aof.ok()) return aof.status();
  absl::StatusOr<RedisValue> policy = redis.Command({"CONFIG", "GET", "maxmemory-policy"});
  if (!policy.ok()) return policy.status();
  if (ConfigValue(*aof) != "yes") {
    return absl::FailedPreconditionError(
        "Redis runs without appendonly yes: queued jobs would be lost on a crash (set "
        "CAREBRIDGE_ALLOW_UNSAFE_REDIS=true to run anyway)");
  }
  if (ConfigValue(*policy) != "noeviction") {
    return absl::FailedPreconditionError(
        absl::StrCat("Redis maxmemory-policy is ", ConfigValue(*policy),
                     ", which evicts queued jobs; noeviction is required (set "
                     "CAREBRIDGE_ALLOW_UNSAFE_REDIS=true to run anyway)"));
  }
  return absl::OkStatus();
}

absl::Status QueueConsumer::EnsureGroup() {
  for (const char* stream : kFollowUpStreams) {
    absl::StatusOr<RedisValue> created =
        redis_.Command({"XGROUP", "CREATE", stream, config_.group, "0", "MKSTREAM"});
    if (!created.ok() && !absl::StrContains(created.status().message(), "BUSYGROUP")) {
      return absl::UnavailableError("cannot create the follow-up consumer group");
    }
  }
  return absl::OkStatus();
}

void QueueConsumer::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  for (int i = 0; i < config_.threads; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
  threads_.emplace_back([this] { RequeueLoop(); });
}

void QueueConsumer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // What the workers took since the last requeue pass (they have all stopped now).
  processor_.FlushConfirmations();
}

void QueueConsumer::Nudge() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    nudged_ = true;
  }
  wake_.notify_all();
}

bool QueueConsumer::Sleep(std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(mu_);
  wake_.wait_for(lock, duration, [this] { return stopping_; });
  return !stopping_;
}

void QueueConsumer::HandleBatch(const std::string& consumer,
                                const std::vector<Delivery>& deliveries) {
  std::map<std::string, std::vector<std::string>> done;  // stream -> entry ids to acknowledge
  std::vector<const Delivery*> delivered;
  std::vector<JobRef> jobs;
  for (const Delivery& delivery : deliveries) {
    const RedisValue& entry = *delivery.entry;
    if (entry.elements.size() < 2 || entry.elements[0].str.empty()) continue;
    const std::string& id = entry.elements[0].str;
    const RedisValue& fields = entry.elements[1];
    const RedisValue* job_id = Field(fields, "job_id");
    const RedisValue* kind = Field(fields, "kind");
    const RedisValue* case_id = Field(fields, "case_id");
    if (job_id == nullptr || kind == nullptr || case_id == nullptr) {
      LogWarning("queue_entry_malformed", {{"entry", id}});
      done[delivery.stream].push_back(id);
      continue;
    }
    delivered.push_back(&delivery);
    jobs.push_back({job_id->str, kind->str, case_id->str});
  }
  const std::vector<absl::Status> outcomes = processor_.ProcessBatch(jobs);
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (outcomes[i].ok()) {
      done[delivered[i]->stream].push_back(delivered[i]->entry->elements[0].str);
    } else {
      // Left pending: this or another consumer claims it again after claim_idle.
      LogWarning("job_not_recorded", {{"job_id", jobs[i].job_id},
                                      {"code", absl::StatusCodeToString(outcomes[i].code())}});
    }
  }
  if (done.empty()) return;
  std::vector<std::vector<std::string>> commands;
  int count = 0;
  for (const auto& [stream, ids] : done) {
    std::vector<std::string> ack = {"XACK", stream, config_.group};
    std::vector<std::string> del = {"XDEL", stream};
    ack.insert(ack.end(), ids.begin(), ids.end());
    del.insert(del.end(), ids.begin(), ids.end());
    commands.push_back(std::move(ack));
    commands.push_back(std::move(del));
    count += static_cast<int>(ids.size());
  }
  auto acked = redis_.Pipeline(commands);
  if (!acked.ok()) LogWarning("queue_ack_failed", {{"entries", count}, {"consumer", consumer}});
}

absl::StatusOr<int> QueueConsumer::ReadAndHandle(const std::string& consumer,
                                                 const std::vector<std::string>& streams,
                                                 std::chrono::milliseconds block) {
  std::vector<std::string> command = {"XREADGROUP", "GROUP", config_.group,
                                      consumer,     "COUNT", std::to_string(config_.batch)};
  if (block.count() > 0) {
    command.push_back("BLOCK");
    command.push_back(std::to_string(block.count()));
  }
  command.push_back("STREAMS");
  command.insert(command.end(), streams.begin(), streams.end());
  command.insert(command.end(), streams.size(), ">");
  absl::StatusOr<RedisValue> read = block.count() > 0
                                        ? redis_.Command(command, block + std::chrono::seconds(2))
                                        : redis_.Command(command);
  if (!read.ok()) return read.status();
  // [[stream, [[id, [field, value, ...]], ...]], ...] (streams with nothing left out), or nil when
  // nothing came in time. Handled together, in the order of `streams`.
  std::vector<Delivery> deliveries;
  for (const std::string& stream : streams) {
    for (const RedisValue& reply : read->elements) {
      if (reply.elements.size() < 2 || reply.elements[0].str != stream) continue;
      for (const RedisValue& entry : reply.elements[1].elements) {
        deliveries.push_back({stream, &entry});
      }
    }
  }
  if (!deliveries.empty()) HandleBatch(consumer, deliveries);
  return static_cast<int>(deliveries.size());
}

void QueueConsumer::WorkerLoop(int index) {
  const std::string consumer = absl::StrCat(config_.consumer_prefix, "-", index);
  const std::vector<std::string> urgent = {kFollowUpStreams.front()};
  const std::vector<std::string> all(kFollowUpStreams.begin(), kFollowUpStreams.end());
  auto last_claim = std::chrono::steady_clock::now() - config_.claim_interval;
  bool failing = false;
  int urgent_reads = 0;  // reads of the urgent lane alone that found work, since the last of both
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (std::chrono::steady_clock::now() - last_claim >= config_.claim_interval) {
      last_claim = std::chrono::steady_clock::now();
      for (const std::string& stream : all) TakeOverStale(consumer, stream);
    }
    // The urgent lane first, without waiting; every lane, waiting, when it is empty, and also
    // after urgent_reads_in_a_row reads that found urgent work, so that the other lane is never
    // held back for good by one that does not empty (acknowledgements failing against a stalled
    // SMTP server must not stop webhooks and SLA checks).
    absl::StatusOr<int> handled = 0;
    if (urgent_reads < config_.urgent_reads_in_a_row) {
      handled = ReadAndHandle(consumer, urgent, std::chrono::milliseconds(0));
      if (handled.ok() && *handled > 0) ++urgent_reads;
    }
    if (handled.ok() && *handled == 0) {
      urgent_reads = 0;
      handled = ReadAndHandle(consumer, all, config_.block);
    }
    if (!handled.ok()) {
      if (!failing) {
        LogWarning(
            "queue_read_failing",
            {{"consumer", consumer}, {"code", absl::StatusCodeToString(handled.status().code())}});
      }
      failing = true;
      if (absl::StrContains(handled.status().message(), "NOGROUP")) (void)EnsureGroup();
      if (!Sleep(std::chrono::milliseconds(500))) return;
      continue;
    }
    if (failing) LogInfo("queue_read_recovered", {{"consumer", consumer}});
    failing = false;
  }
}

void QueueConsumer::TakeOverStale(const std::string& consumer, const std::string& stream) {
  absl::StatusOr<RedisValue> claimed = redis_.Command(
      {"XAUTOCLAIM", stream, config_.group, consumer, std::to_string(config_.claim_idle.count()),
       "0-0", "COUNT", std::to_string(config_.batch)});
  if (!claimed.ok() || claimed->elements.size() < 2) return;
  std::vector<Delivery> deliveries;
  for (const RedisValue& entry : claimed->elements[1].elements) {
    // A deleted entry comes back as [id, nil]: nothing to run.
    if (entry.elements.size() >= 2 && !entry.elements[0].str.empty()) {
      LogInfo("queue_entry_taken_over", {{"entry", entry.elements[0].str}, {"consumer", consumer}});
      deliveries.push_back({stream, &entry});
    }
  }
  if (!deliveries.empty()) HandleBatch(consumer, deliveries);
}

void QueueConsumer::RequeueLoop() {
  while (true) {
    const absl::Time now = clock_();
    absl::StatusOr<int> requeued = store_.RequeueDue(
        now, now - config_.requeue_after, 200, [&](const std::vector<JobRef>& jobs) {
          std::vector<std::vector<std::string>> commands;
          for (const JobRef& job : jobs) {
            commands.push_back({"XADD", FollowUpStreamFor(job.kind), "*", "job_id", job.job_id,
                                "kind", job.kind, "case_id", job.case_id});
          }
          auto replies = redis_.Pipeline(commands);
          if (!replies.ok()) return replies.status();
          for (const auto& reply : *replies) {
            if (!reply.ok()) return absl::UnavailableError("Redis refused a job");
          }
          return absl::OkStatus();
        });
    if (requeued.ok() && *requeued > 0) LogInfo("jobs_requeued", {{"count", *requeued}});
    processor_.FlushConfirmations();
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait_for(lock, config_.requeue_interval, [this] { return stopping_ || nudged_; });
    nudged_ = false;
    if (stopping_) return;
  }
}

std::string QueueConsumer::RenderMetrics(const JobCounters& counters) {
  std::string out;
  bool up = true;
  const absl::Time now = clock_();
  double oldest = 0;
  // Per stream: its length and its oldest entry.
  std::vector<std::vector<std::string>> commands;
  for (const char* stream : kFollowUpStreams) {
    commands.push_back({"XLEN", stream});
    commands.push_back({"XRANGE", stream, "-", "+", "COUNT", "1"});
  }
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> replies = redis_.Pipeline(commands);
  long long depth = 0;
  bool depth_known = replies.ok();
  for (size_t i = 0; replies.ok() && i + 1 < replies->size(); i += 2) {
    const absl::StatusOr<RedisValue>& length = (*replies)[i];
    const absl::StatusOr<RedisValue>& head = (*replies)[i + 1];
    if (!length.ok() || !head.ok()) {
      depth_known = false;
      continue;
    }
    depth += length->integer;
    if (!head->elements.empty() && !head->elements[0].elements.empty()) {
      const long long ms = EntryMillis(head->elements[0].elements[0].str);
      if (ms >= 0) oldest = std::max(oldest, absl::ToDoubleSeconds(now - absl::FromUnixMillis(ms)));
    }
  }
  if (depth_known) {
    absl::StrAppend(
        &out, "# HELP carebridge_followups_queue_depth Jobs on the Redis streams not yet done.\n",
        "# TYPE carebridge_followups_queue_depth gauge\n", "carebridge_followups_queue_depth ",
        depth, "\n");
  } else {
    up = false;
  }
  absl::StatusOr<JobCounts> counts = store_.Counts(now);
  if (counts.ok()) {
    oldest = std::max(oldest, counts->oldest_due_age_seconds);
    absl::StrAppend(&out, "# HELP carebridge_followups_jobs Unfinished and dead jobs by state.\n",
                    "# TYPE carebridge_followups_jobs gauge\n",
                    "carebridge_followups_jobs{state=\"PENDING\"} ", counts->pending, "\n",
                    "carebridge_followups_jobs{state=\"RUNNING\"} ", counts->running, "\n",
                    "carebridge_followups_jobs{state=\"RETRYING\"} ", counts->retrying, "\n",
                    "carebridge_followups_jobs{state=\"DEAD\"} ", counts->dead, "\n");
  } else {
    up = false;
  }
  absl::StrAppend(
      &out, "# HELP carebridge_followups_oldest_due_age_seconds Wait of the oldest due job.\n",
      "# TYPE carebridge_followups_oldest_due_age_seconds gauge\n",
      "carebridge_followups_oldest_due_age_seconds ", oldest, "\n",
      "# TYPE carebridge_followups_jobs_done_total counter\n",
      "carebridge_followups_jobs_done_total ", counters.done.load(), "\n",
      "# TYPE carebridge_followups_jobs_retried_total counter\n",
      "carebridge_followups_jobs_retried_total ", counters.retried.load(), "\n",
      "# TYPE carebridge_followups_jobs_dead_total counter\n",
      "carebridge_followups_jobs_dead_total ", counters.dead.load(), "\n",
      "# TYPE carebridge_followups_up gauge\n", "carebridge_followups_up ", up ? 1 : 0, "\n");
  return out;
}

}  // namespace carebridge::followups
