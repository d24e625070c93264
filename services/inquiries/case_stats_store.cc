#include "services/inquiries/case_stats_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace carebridge::inquiries {
namespace {

// Fold when a stage has more than this many delta rows on average (9 stages).
constexpr int kFoldAboveRows = 9 * 16;

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

}  // namespace

absl::Status CaseStatsStore::FoldStageCounts() {
  return pool_.InTransaction("fold_stage_counts", [&](pqxx::work& tx) {
    if (!tx.exec("SELECT pg_try_advisory_xact_lock(hashtext('inquiries.case_stage_counts'))")[0][0]
             .as<bool>()) {
      return absl::OkStatus();
    }
    if (tx.exec("SELECT count(*) FROM inquiries.case_stage_counts")[0][0].as<int64_t>() <=
        kFoldAboveRows) {
      return absl::OkStatus();
    }
    // Only rows committed before this statement are folded; rows inserted meanwhile stay as they
    // are, so no count is lost or doubled.
    tx.exec(
        "WITH folded AS (DELETE FROM inquiries.case_stage_counts RETURNING stage, n) "
        "INSERT INTO inquiries.case_stage_counts (stage, n) "
        "SELECT stage, sum(n) FROM folded GROUP BY stage");
    return absl::OkStatus();
  });
}

absl::StatusOr<CaseFigures> CaseStatsStore::Compute(const std::vector<absl::Time>& day_starts,
                                                    absl::Time new_since) {
  if (day_starts.size() < 2) return absl::InvalidArgumentError("no days to count");
  // Folding is housekeeping: the figures are right without it.
  (void)FoldStageCounts();
  std::vector<std::string> bounds;
  for (absl::Time t : day_starts) bounds.push_back(Timestamp(t));
  const std::string bounds_array = absl::StrCat("{", absl::StrJoin(bounds, ","), "}");
  CaseFigures figures;
  absl::Status status = pool_.InTransaction("case_stats", [&](pqxx::work& tx) {
    figures = CaseFigures();
    figures.per_day.assign(day_starts.size() - 1, 0);
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    for (const pqxx::row& row :
         tx.exec("SELECT stage, sum(n)::bigint FROM inquiries.case_stage_counts GROUP BY stage")) {
      figures.by_stage[row[0].as<std::string>()] = row[1].as<int64_t>();
    }
    // width_bucket gives 1 for [bound 1, bound 2), 2 for [bound 2, bound 3), ...
    for (const pqxx::row& row : tx.exec_params(
             "SELECT width_bucket(created_at, $1::timestamptz[]), count(*) FROM inquiries.cases "
             "WHERE created_at >= $2::timestamptz AND created_at < $3::timestamptz GROUP BY 1",
             bounds_array, bounds.front(), bounds.back())) {
      const int64_t bucket = row[0].as<int64_t>();
      if (bucket >= 1 && bucket <= static_cast<int64_t>(figures.per_day.size())) {
        figures.per_day[bucket - 1] = row[1].as<int64_t>();
      }
    }
    const int64_t new_within_sla = tx.exec_params(
                                         "SELECT count(*) FROM inquiries.cases "
                                         "WHERE stage = 'NEW' AND created_at >= $1::timestamptz",
                                         Timestamp(new_since))[0][0]
                                       .as<int64_t>();
    auto it = figures.by_stage.find("NEW");
    const int64_t all_new = it == figures.by_stage.end() ? 0 : it->second;
    figures.sla_breached = std::max<int64_t>(0, all_new - new_within_sla);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return figures;
}

}  // namespace carebridge::inquiries
