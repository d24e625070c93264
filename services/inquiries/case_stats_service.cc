#include "services/inquiries/case_stats_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "services/common/errors.h"
#include "services/inquiries/follow_up_plan.h"

namespace carebridge::inquiries {
namespace {

constexpr int kDefaultDays = 30;
constexpr int kMaxDays = 90;

absl::Status BadZone() {
  return InvalidFields({{"time_zone", "Must be an IANA time zone such as Asia/Tokyo or UTC."}});
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadRequestedZone(const std::string& name) {
  // Zone names are path-like ("America/Argentina/Buenos_Aires"); anything else (absolute or
  // relative paths, absl's "Fixed/..." and "localtime" aliases) is refused before a lookup.
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/' ||
      name.find("..") != std::string::npos || name.find("//") != std::string::npos ||
      name.rfind("Fixed/", 0) == 0 || name == "localtime") {
    return BadZone();
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return BadZone();
    }
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return BadZone();
  return zone;
}

absl::StatusOr<carebridge::v1::CaseStats> CaseStatsService::GetCaseStats(
    const carebridge::v1::GetCaseStatsRequest& request) {
  std::vector<FieldViolation> violations;
  const std::string zone_name = request.time_zone().empty() ? "UTC" : request.time_zone();
  absl::StatusOr<absl::TimeZone> zone = LoadRequestedZone(zone_name);
  if (!zone.ok()) {
    for (const FieldViolation& v : FieldViolationsOf(zone.status())) violations.push_back(v);
  }
  const int days = request.days() == 0 ? kDefaultDays : request.days();
  if (days < 1 || days > kMaxDays) violations.push_back({"days", "Must be 1 to 90."});
  if (!violations.empty()) return InvalidFields(violations);

  const absl::Time now = clock_();
  const absl::CivilDay today = absl::ToCivilDay(now, *zone);
  const absl::CivilDay first = today - (days - 1);
  std::vector<absl::Time> day_starts;
  for (int i = 0; i <= days; ++i) day_starts.push_back(absl::FromCivil(first + i, *zone));
  absl::StatusOr<CaseFigures> figures = store_.Compute(day_starts, now - kFirstContactSla);
  if (!figures.ok()) return figures.status();

  carebridge::v1::CaseStats out;
  const auto* stages = carebridge::v1::Stage_descriptor();
  for (int i = 0; i < stages->value_count(); ++i) {
    const auto* value = stages->value(i);
    if (value->number() == carebridge::v1::STAGE_UNSPECIFIED) continue;
    auto* count = out.add_stages();
    count->set_stage(static_cast<carebridge::v1::Stage>(value->number()));
    auto it = figures->by_stage.find(value->name());
    count->set_count(it == figures->by_stage.end() ? 0 : it->second);
  }
  for (int i = 0; i < days; ++i) {
    auto* day = out.add_inquiries_per_day();
    day->set_date(absl::FormatCivilTime(first + i));
    day->set_count(figures->per_day[i]);
  }
  out.set_sla_breached(figures->sla_breached);
  out.set_first_contact_sla_hours(static_cast<int32_t>(absl::ToInt64Hours(kFirstContactSla)));
  *out.mutable_computed_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  return out;
}

}  // namespace carebridge::inquiries
