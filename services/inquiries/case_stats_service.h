// The dashboard's case figures (Inquiries.GetCaseStats): validates the request, works out the
// requested days in the requested IANA zone (absl / the system zone database, so the database
// never parses a zone name and a bad one is INVALID_ARGUMENT on "time_zone"), and assembles the
// reply from CaseStatsStore: every stage in enum order (zeros included), one entry per day ending
// today in the zone (zeros included), and the NEW cases older than the first-contact SLA
// (kFirstContactSla, the delay of the SLA_CHECK follow-up). No gRPC here. Thread-safe.
#pragma once

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/inquiries/case_stats_store.h"

namespace carebridge::inquiries {

class CaseStatsService {
 public:
  CaseStatsService(CaseStatsStore& store, std::function<absl::Time()> clock)
      : store_(store), clock_(std::move(clock)) {}

  // Errors: INVALID_ARGUMENT naming "time_zone" (unknown zone) or "days" (outside 1..90);
  // UNAVAILABLE when the database cannot be reached.
  absl::StatusOr<carebridge::v1::CaseStats> GetCaseStats(
      const carebridge::v1::GetCaseStatsRequest& request);

 private:
  CaseStatsStore& store_;
  std::function<absl::Time()> clock_;
};

// The zone named `name` (an IANA name such as "Asia/Tokyo", or "UTC"). INVALID_ARGUMENT (field
// "time_zone") for a name that is malformed or not in the zone database.
absl::StatusOr<absl::TimeZone> LoadRequestedZone(const std::string& name);

}  // namespace carebridge::inquiries
