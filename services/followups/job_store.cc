#include "services/followups/job_store.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/ids.h"

namespace carebridge::followups {
namespace {

using carebridge::v1::FollowUp;

// Records and claims a batch in one statement. $1, $2, $3: comma-separated job ids, kinds and case
// ids (checked by WellFormed first, so none holds a comma), $4 max tries, $5 now, $6 lease end.
// A new job is inserted RUNNING on its first try; a known one is claimed when it may run now (due
// PENDING/RETRYING, or RUNNING with an expired lease) and has no recorded effect. ON CONFLICT DO
// UPDATE locks the row first, so of racing workers at most one gets it back. Rows are taken in id
// order, so two overlapping batches lock in the same order and cannot deadlock.
constexpr char kClaimJobs[] = "fu_claim_jobs";
constexpr char kClaimJobsSql[] =
    "INSERT INTO followups.jobs AS j (id, kind, case_id, state, tries, max_tries, next_attempt_at, "
    "  lease_until, enqueued_at, created_at, updated_at, last_attempt_at) "
    "SELECT t.id, t.kind, t.case_id::uuid, 'RUNNING', 1, $4, $5::timestamptz, $6::timestamptz, "
    "  $5::timestamptz, $5::timestamptz, $5::timestamptz, $5::timestamptz "
    "FROM unnest(string_to_array($1, ','), string_to_array($2, ','), string_to_array($3, ',')) "
    "  AS t(id, kind, case_id) ORDER BY t.id "
    "ON CONFLICT (id) DO UPDATE SET state = 'RUNNING', tries = j.tries + 1, lease_until = $6, "
    "  last_attempt_at = $5, updated_at = $5 "
    "WHERE ((j.state IN ('PENDING', 'RETRYING') AND j.next_attempt_at <= $5::timestamptz) "
    "       OR (j.state = 'RUNNING' AND j.lease_until < $5::timestamptz)) "
    "  AND NOT EXISTS (SELECT 1 FROM followups.effects e WHERE e.job_id = j.id) "
    "RETURNING j.id, j.kind, j.case_id::text, j.tries, j.max_tries";

// One statement (its own transaction): $1 id, $2 try, $3 now, $4 channel, $5 detail, $6 started.
constexpr char kMarkDone[] = "fu_mark_done";
constexpr char kMarkDoneSql[] =
    "WITH done AS ("
    "  UPDATE followups.jobs SET state = 'DONE', finished_at = $3, updated_at = $3, "
    "    lease_until = NULL, last_error = NULL "
    "  WHERE id = $1 AND state = 'RUNNING' AND tries = $2 RETURNING id), "
    "attempt AS ("
    "  INSERT INTO followups.attempts (job_id, try, started_at, finished_at, outcome, error) "
    "  SELECT id, $2, $6, $3, 'DONE', NULL FROM done ON CONFLICT DO NOTHING) "
    "INSERT INTO followups.effects (job_id, channel, detail, happened_at) "
    "SELECT id, $4, $5, $3 FROM done RETURNING job_id";

// One statement: $1 id, $2 try, $3 now, $4 new state, $5 error, $6 next attempt (NULL: unchanged),
// $7 started.
constexpr char kMarkFailed[] = "fu_mark_failed";
constexpr char kMarkFailedSql[] =
    "WITH failed AS ("
    "  UPDATE followups.jobs SET state = $4, last_error = $5, "
    "    next_attempt_at = coalesce($6::timestamptz, next_attempt_at), "
    "    finished_at = CASE WHEN $4 = 'DEAD' THEN $3::timestamptz END, lease_until = NULL, "
    "    enqueued_at = NULL, updated_at = $3 "
    "  WHERE id = $1 AND state = 'RUNNING' AND tries = $2 RETURNING id), "
    "attempt AS ("
    "  INSERT INTO followups.attempts (job_id, try, started_at, finished_at, outcome, error) "
    "  SELECT id, $2, $7, $3, 'FAILED', $5 FROM failed ON CONFLICT DO NOTHING) "
    "SELECT id FROM failed";

// $1 now, $2 enqueued before, $3 limit.
constexpr char kSelectRequeue[] = "fu_select_requeue";
constexpr char kSelectRequeueSql[] =
    "SELECT id, kind, case_id::text FROM followups.jobs "
    "WHERE ((state IN ('PENDING', 'RETRYING') AND next_attempt_at <= $1::timestamptz) "
    "       OR (state = 'RUNNING' AND lease_until < $1::timestamptz)) "
    "  AND (enqueued_at IS NULL OR enqueued_at < $2::timestamptz) "
    "ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED";

// Job ids never contain commas (they are "<source>:<integer>").
constexpr char kMarkEnqueued[] = "fu_mark_enqueued";
constexpr char kMarkEnqueuedSql[] =
    "UPDATE followups.jobs AS j SET enqueued_at = $2 "
    "FROM unnest(string_to_array($1, ',')) AS requeued(id) WHERE j.id = requeued.id";

constexpr char kColumns[] =
    "id, case_id::text, kind, state, tries, max_tries, coalesce(last_error, ''), "
    "(extract(epoch FROM created_at) * 1000000)::bigint, "
    "(extract(epoch FROM last_attempt_at) * 1000000)::bigint, "
    "(extract(epoch FROM next_attempt_at) * 1000000)::bigint, "
    "(extract(epoch FROM finished_at) * 1000000)::bigint";

constexpr char kListByCase[] = "fu_list_by_case";
constexpr char kRecentDead[] = "fu_recent_dead";
constexpr char kRetryDead[] = "fu_retry_dead";
constexpr char kJobState[] = "fu_job_state";
constexpr char kJobStateSql[] = "SELECT state FROM followups.jobs WHERE id = $1";

constexpr char kCounts[] = "fu_counts";
constexpr char kCountsSql[] =
    "SELECT count(*) FILTER (WHERE state = 'PENDING'), count(*) FILTER (WHERE state = 'RUNNING'), "
    "  count(*) FILTER (WHERE state = 'RETRYING'), "
    "  coalesce(extract(epoch FROM $1::timestamptz - min(next_attempt_at) FILTER ("
    "    WHERE state IN ('PENDING', 'RETRYING') AND next_attempt_at <= $1::timestamptz)), 0) "
    "FROM followups.jobs WHERE state IN ('PENDING', 'RUNNING', 'RETRYING')";
constexpr char kCountDead[] = "fu_count_dead";
constexpr char kCountDeadSql[] = "SELECT count(*) FROM followups.jobs WHERE state = 'DEAD'";

constexpr char kStateCounts[] = "fu_state_counts";
constexpr char kStateCountsSql[] =
    "SELECT state, count(*), count(*) FILTER (WHERE tries > 1) FROM followups.jobs GROUP BY state";

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

void SetTime(const pqxx::field& field, google::protobuf::Timestamp* out) {
  if (field.is_null()) return;
  const long long micros = field.as<long long>();
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int>(micros % 1000000) * 1000);
}

FollowUp ToFollowUp(const pqxx::row& row) {
  FollowUp f;
  f.set_follow_up_id(row[0].as<std::string>());
  f.set_case_id(row[1].as<std::string>());
  f.set_kind(row[2].as<std::string>());
  carebridge::v1::FollowUpState state = carebridge::v1::FOLLOW_UP_STATE_UNSPECIFIED;
  carebridge::v1::FollowUpState_Parse("FOLLOW_UP_" + row[3].as<std::string>(), &state);
  f.set_state(state);
  f.set_tries(row[4].as<int>());
  f.set_max_tries(row[5].as<int>());
  f.set_last_error(row[6].as<std::string>());
  SetTime(row[7], f.mutable_created_at());
  if (!row[8].is_null()) SetTime(row[8], f.mutable_last_attempt_at());
  if (!row[9].is_null()) SetTime(row[9], f.mutable_next_attempt_at());
  if (!row[10].is_null()) SetTime(row[10], f.mutable_finished_at());
  return f;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> JobStoreStatements() {
  return {
      {kClaimJobs, kClaimJobsSql},
      {kMarkDone, kMarkDoneSql},
      {kMarkFailed, kMarkFailedSql},
      {kSelectRequeue, kSelectRequeueSql},
      {kMarkEnqueued, kMarkEnqueuedSql},
      {kListByCase, std::string("SELECT ") + kColumns +
                        " FROM followups.jobs WHERE case_id = $1::uuid ORDER BY created_at, id"},
      {kRetryDead, std::string("UPDATE followups.jobs SET state = 'PENDING', tries = 0, "
                               "next_attempt_at = $2, enqueued_at = NULL, finished_at = NULL, "
                               "updated_at = $2 WHERE id = $1 AND state = 'DEAD' RETURNING ") +
                       kColumns},
      {kJobState, kJobStateSql},
      {kCounts, kCountsSql},
      {kStateCounts, kStateCountsSql},
      {kRecentDead, std::string("SELECT ") + kColumns +
                        " FROM followups.jobs WHERE state = 'DEAD' "
                        "ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT $1"},
      {kCountDead, kCountDeadSql}};
}

bool WellFormed(const JobRef& job) {
  auto only = [](const std::string& text, size_t max, auto allowed) {
    if (text.empty() || text.size() > max) return false;
    for (char c : text) {
      if (!allowed(c)) return false;
    }
    return true;
  };
  const bool id_ok = only(job.job_id, 200, [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' || c == '-' ||
           c == '.';
  });
  const bool kind_ok = only(job.kind, 64, [](char c) {
    return absl::ascii_isupper(static_cast<unsigned char>(c)) || c == '_';
  });
  return id_ok && kind_ok && IsUuid(job.case_id);
}

absl::StatusOr<std::vector<ClaimedJob>> JobStore::RecordAndClaim(const std::vector<JobRef>& jobs,
                                                                 int max_tries, absl::Time now,
                                                                 absl::Duration lease) {
  std::vector<std::string> ids, kinds, case_ids;
  for (const JobRef& job : jobs) {
    if (!WellFormed(job)) return absl::InvalidArgumentError("malformed job reference");
    ids.push_back(job.job_id);
    kinds.push_back(job.kind);
    case_ids.push_back(job.case_id);
  }
  std::vector<ClaimedJob> claims;
  if (jobs.empty()) return claims;
  absl::Status status =
      pool_.InAutocommit("claim_jobs", [&](pqxx::nontransaction& tx) -> absl::Status {
        claims.clear();
        const pqxx::result rows = tx.exec_prepared(
            kClaimJobs, absl::StrJoin(ids, ","), absl::StrJoin(kinds, ","),
            absl::StrJoin(case_ids, ","), max_tries, Timestamp(now), Timestamp(now + lease));
        for (const pqxx::row& row : rows) {
          ClaimedJob& c = claims.emplace_back();
          c.job = {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()};
          c.tries = row[3].as<int>();
          c.max_tries = row[4].as<int>();
          c.started_at = now;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return claims;
}

absl::StatusOr<bool> JobStore::MarkDone(const ClaimedJob& claim, absl::Time now,
                                        const std::string& channel, const std::string& detail) {
  bool done = false;
  absl::Status status = pool_.InAutocommit("mark_job_done", [&](pqxx::nontransaction& tx) {
    done = !tx.exec_prepared(kMarkDone, claim.job.job_id, claim.tries, Timestamp(now), channel,
                             detail, Timestamp(claim.started_at))
                .empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return done;
}

absl::StatusOr<bool> JobStore::MarkFailed(const ClaimedJob& claim, absl::Time now,
                                          const std::string& error,
                                          std::optional<absl::Time> retry_at) {
  bool marked = false;
  const std::string next = retry_at.has_value() ? Timestamp(*retry_at) : "";
  absl::Status status = pool_.InAutocommit("mark_job_failed", [&](pqxx::nontransaction& tx) {
    marked = !tx.exec_prepared(kMarkFailed, claim.job.job_id, claim.tries, Timestamp(now),
                               retry_at.has_value() ? "RETRYING" : "DEAD", error,
                               next.empty() ? nullptr : next.c_str(), Timestamp(claim.started_at))
                  .empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return marked;
}

absl::StatusOr<int> JobStore::RequeueDue(
    absl::Time now, absl::Time enqueued_before, int limit,
    const std::function<absl::Status(const std::vector<JobRef>&)>& enqueue) {
  int count = 0;
  absl::Status status = pool_.InTransaction("requeue_jobs", [&](pqxx::work& tx) -> absl::Status {
    count = 0;
    const pqxx::result rows =
        tx.exec_prepared(kSelectRequeue, Timestamp(now), Timestamp(enqueued_before), limit);
    if (rows.empty()) return absl::OkStatus();
    std::vector<JobRef> jobs;
    std::vector<std::string> ids;
    for (const pqxx::row& row : rows) {
      jobs.push_back(
          {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
      ids.push_back(jobs.back().job_id);
    }
    if (absl::Status s = enqueue(jobs); !s.ok()) return s;
    tx.exec_prepared(kMarkEnqueued, absl::StrJoin(ids, ","), Timestamp(now));
    count = static_cast<int>(jobs.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

absl::StatusOr<std::vector<FollowUp>> JobStore::ListByCase(const std::string& case_id) {
  if (!IsUuid(case_id)) return InvalidFields({{"case_id", "Must be a case id (a UUID)."}});
  std::vector<FollowUp> out;
  absl::Status status = pool_.InTransaction("list_follow_ups", [&](pqxx::work& tx) {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(kListByCase, case_id))
      out.push_back(ToFollowUp(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<FollowUp> JobStore::RetryDead(const std::string& job_id, absl::Time now,
                                             const std::string& actor,
                                             const std::string& request_id) {
  FollowUp out;
  absl::Status status = pool_.InTransaction("retry_follow_up", [&](pqxx::work& tx) -> absl::Status {
    const pqxx::result rows = tx.exec_prepared(kRetryDead, job_id, Timestamp(now));
    if (!rows.empty()) {
      out = ToFollowUp(rows[0]);
      tx.exec_params(
          "INSERT INTO followups.audit_log (actor, action, target, request_id) "
          "VALUES ($1, 'follow_up.retried', $2, $3)",
          actor, "follow_up:" + job_id, request_id.empty() ? nullptr : request_id.c_str());
      return absl::OkStatus();
    }
    if (tx.exec_prepared(kJobState, job_id).empty())
      return absl::NotFoundError("no such follow-up");
    return absl::FailedPreconditionError("only a DEAD follow-up can be retried by hand");
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<carebridge::v1::FollowUpStats> JobStore::Stats(int dead_limit) {
  carebridge::v1::FollowUpStats out;
  absl::Status status = pool_.InTransaction("follow_up_stats", [&](pqxx::work& tx) {
    out.Clear();
    // One snapshot for both reads, so the dead list agrees with the DEAD count.
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    std::map<std::string, int64_t> by_state;
    int64_t retried = 0;
    for (const pqxx::row& row : tx.exec_prepared(kStateCounts)) {
      by_state[row[0].as<std::string>()] = row[1].as<int64_t>();
      retried += row[2].as<int64_t>();
    }
    const auto* states = carebridge::v1::FollowUpState_descriptor();
    for (int i = 0; i < states->value_count(); ++i) {
      const auto* value = states->value(i);
      if (value->number() == carebridge::v1::FOLLOW_UP_STATE_UNSPECIFIED) continue;
      auto* count = out.add_states();
      count->set_state(static_cast<carebridge::v1::FollowUpState>(value->number()));
      // Enum names are FOLLOW_UP_<state as stored>.
      auto it = by_state.find(value->name().substr(std::string("FOLLOW_UP_").size()));
      count->set_count(it == by_state.end() ? 0 : it->second);
    }
    for (const pqxx::row& row : tx.exec_prepared(kRecentDead, dead_limit)) {
      *out.add_recent_dead() = ToFollowUp(row);
    }
    out.set_retried(retried);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<JobCounts> JobStore::Counts(absl::Time now) {
  JobCounts counts;
  absl::Status status = pool_.InTransaction("count_jobs", [&](pqxx::work& tx) {
    const pqxx::row row = tx.exec_prepared(kCounts, Timestamp(now))[0];
    counts.pending = row[0].as<long long>();
    counts.running = row[1].as<long long>();
    counts.retrying = row[2].as<long long>();
    counts.oldest_due_age_seconds = row[3].as<double>();
    counts.dead = tx.exec_prepared(kCountDead)[0][0].as<long long>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

}  // namespace carebridge::followups
