#include "services/common/outbox_relay.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/logging.h"

namespace carebridge {
namespace {

// $1 now, $2 the sent_at before which an unconfirmed row is sent again, $3 the batch size.
// Two ordered, limited index scans (the partial indexes outbox_unsent_due and outbox_unconfirmed),
// one per reason to send, so a pass costs the same whatever the backlog: one scan filtered by
// "A OR B" and sorted by due_at had to read and sort every waiting row to return the first 200
// (270 ms a pass at 37,000 waiting rows, against 20 ms this way). The two sets are disjoint (unsent
// rows have no sent_at).
constexpr char kSelectDue[] = "relay_select_due";
std::string SelectDueSql(const std::string& table) {
  return absl::StrCat(
      "WITH due AS ("
      "  SELECT id, case_id, kind, due_at FROM ",
      table,
      "  WHERE sent_at IS NULL AND due_at <= $1::timestamptz "
      "  ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED), "
      "lost AS ("
      "  SELECT id, case_id, kind, due_at FROM ",
      table,
      "  WHERE received_at IS NULL AND sent_at < $2::timestamptz "
      "  ORDER BY sent_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
      "SELECT id, case_id::text, kind, "
      "  to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
      "FROM (SELECT * FROM due UNION ALL SELECT * FROM lost) AS picked "
      "ORDER BY due_at LIMIT $3");
}

// Ids arrive as one comma-separated list of integers read from the rows above. Joined from
// unnest, so the list is parsed once whatever plan the statement gets (a filter "id = ANY(<list
// expression>)" on a sequential scan, a plan a small table can get, parses it for every row).
constexpr char kMarkSent[] = "relay_mark_sent";
std::string MarkSentSql(const std::string& table) {
  return absl::StrCat("UPDATE ", table,
                      " AS t SET sent_at = $2::timestamptz, enqueue_count = t.enqueue_count + 1 "
                      "FROM unnest(string_to_array($1, ',')::bigint[]) AS sent(id) "
                      "WHERE t.id = sent.id");
}

constexpr std::chrono::milliseconds kMaxFailurePause{1000};

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> OutboxRelayStatements(const std::string& table) {
  return {{kSelectDue, SelectDueSql(table)}, {kMarkSent, MarkSentSql(table)}};
}

absl::StatusOr<int> OutboxRelay::RelayOnce() {
  const absl::Time now = clock_();
  int relayed = 0;
  absl::Status status = pool_.InTransaction("relay_outbox", [&](pqxx::work& tx) -> absl::Status {
    relayed = 0;
    const pqxx::result rows = tx.exec_prepared(
        kSelectDue, Timestamp(now), Timestamp(now - config_.resend_after), config_.batch);
    if (rows.empty()) return absl::OkStatus();
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> ids;
    commands.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      const std::string id = row[0].as<std::string>();
      ids.push_back(id);
      const std::string kind = row[2].as<std::string>();
      commands.push_back({"XADD", FollowUpStreamFor(kind), "*", "job_id",
                          absl::StrCat(config_.job_prefix, id), "kind", kind, "case_id",
                          row[1].as<std::string>(), "due_at", row[3].as<std::string>()});
    }
    auto replies = redis_.Pipeline(commands);
    if (!replies.ok()) return replies.status();
    for (const auto& reply : *replies) {
      // An error reply (e.g. Redis out of memory under noeviction): send nothing as done.
      if (!reply.ok()) return absl::UnavailableError("Redis refused a follow-up job");
    }
    tx.exec_prepared(kMarkSent, absl::StrJoin(ids, ","), Timestamp(now));
    relayed = static_cast<int>(ids.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return relayed;
}

void OutboxRelay::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Run() {
  LogInfo("outbox_relay_started",
          {{"interval_ms", static_cast<long long>(config_.interval.count())}});
  bool failing = false;
  int failures = 0;
  while (true) {
    absl::StatusOr<int> relayed = RelayOnce();
    // Errors are logged when they start and when they end, not once per pass.
    if (!relayed.ok() && !failing) {
      LogWarning("outbox_relay_failing",
                 {{"code", absl::StatusCodeToString(relayed.status().code())}});
    } else if (relayed.ok() && failing) {
      LogInfo("outbox_relay_recovered");
    }
    failing = !relayed.ok();
    if (relayed.ok() && *relayed > 0)
      Log(LogLevel::kDebug, "outbox_relayed", {{"count", *relayed}});
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) break;
    if (relayed.ok() && *relayed >= config_.batch) continue;  // more may be due: no pause
    // While PostgreSQL or Redis fails, passes back off (doubling, up to 1 s) so an outage is not
    // hammered; the first pass after it succeeds returns to the configured interval.
    failures = relayed.ok() ? 0 : std::min(failures + 1, 10);
    std::chrono::milliseconds pause = config_.interval;
    for (int i = 0; i < failures && pause < kMaxFailurePause; ++i) pause *= 2;
    wake_.wait_for(lock, std::max(config_.interval, std::min(pause, kMaxFailurePause)),
                   [this] { return stopping_; });
    if (stopping_) break;
  }
  LogInfo("outbox_relay_stopped");
}

}  // namespace carebridge
