// The SQL of the dashboard's case figures (Inquiries.GetCaseStats) over the `inquiries` schema
// only. Costs stay flat as cases grow: stage counts come from inquiries.case_stage_counts (delta
// rows kept by triggers, migration 0004, folded here now and then), the days are one range of the
// cases_created_at index, and SLA breaches are the NEW count minus the NEW cases still inside the
// SLA (a range of cases_by_stage). Every statement is parameterized; the reads share one
// REPEATABLE READ snapshot, so the figures agree with each other. Errors as PgPool reports them.
// Thread-safe (state lives in PostgreSQL).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/pg_pool.h"

namespace carebridge::inquiries {

struct CaseFigures {
  std::map<std::string, int64_t> by_stage;  // stage name -> cases; stages without cases absent
  std::vector<int64_t> per_day;             // one per day of the query, oldest first
  int64_t sla_breached = 0;                 // NEW cases created before `new_since`
};

class CaseStatsStore {
 public:
  explicit CaseStatsStore(PgPool& pool) : pool_(pool) {}

  // `day_starts` holds the first instant of each day followed by the end of the last day (so N
  // days take N + 1 ascending instants; at least 2). A case counts on the day whose
  // [start, next start) holds its created_at.
  absl::StatusOr<CaseFigures> Compute(const std::vector<absl::Time>& day_starts,
                                      absl::Time new_since);

 private:
  // Folds the delta rows of case_stage_counts into one row per stage when there are many (skipped
  // while another process folds).
  absl::Status FoldStageCounts();

  PgPool& pool_;
};

}  // namespace carebridge::inquiries
