#include "services/scheduling/host_rules.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/ids.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;

void CheckRange(const v1::WorkingHours& range, const std::string& field, bool check_weekday,
                std::vector<FieldViolation>* out) {
  if (check_weekday && (range.weekday() < 1 || range.weekday() > 7)) {
    out->push_back({field + ".weekday", "must be 1 (Monday) to 7 (Sunday)"});
  }
  if (range.start_minute() < 0 || range.start_minute() >= 1440) {
    out->push_back({field + ".start_minute", "must be 0 to 1439 (minutes after midnight)"});
  }
  if (range.end_minute() <= range.start_minute() || range.end_minute() > 1440) {
    out->push_back({field + ".end_minute", "must be after start_minute and at most 1440"});
  }
}

}  // namespace

bool ParseDate(const std::string& text, absl::CivilDay* out) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  y = std::stoi(text.substr(0, 4));
  m = std::stoi(text.substr(5, 2));
  d = std::stoi(text.substr(8, 2));
  const absl::CivilDay day(y, m, d);
  // CivilDay normalizes 2027-02-30 to March: a real date survives the round trip.
  if (day.year() != y || day.month() != m || day.day() != d) return false;
  *out = day;
  return true;
}

absl::Status ValidateHost(const v1::Host& host, const std::set<std::string>& known_types) {
  std::vector<FieldViolation> bad;
  if (host.name().empty() || host.name().size() > 200) {
    bad.push_back({"host.name", "is required (at most 200 characters)"});
  }
  if (host.kind() != v1::COORDINATOR && host.kind() != v1::CLINIC_DOCTOR) {
    bad.push_back({"host.kind", "must be COORDINATOR or CLINIC_DOCTOR"});
  }
  absl::TimeZone zone;
  if (host.time_zone().empty() || !absl::LoadTimeZone(host.time_zone(), &zone)) {
    bad.push_back({"host.time_zone", "must be an IANA time zone such as Asia/Tokyo"});
  }
  if (host.consultation_types().empty()) {
    bad.push_back({"host.consultation_types", "name at least one consultation type"});
  }
  for (int i = 0; i < host.consultation_types_size(); ++i) {
    if (known_types.count(host.consultation_types(i)) == 0) {
      bad.push_back({absl::StrCat("host.consultation_types[", i, "]"), "is not a known type"});
    }
  }
  for (int i = 0; i < host.working_hours_size(); ++i) {
    CheckRange(host.working_hours(i), absl::StrCat("host.working_hours[", i, "]"), true, &bad);
  }
  for (int i = 0; i < host.exceptions_size(); ++i) {
    const v1::DateException& e = host.exceptions(i);
    const std::string field = absl::StrCat("host.exceptions[", i, "]");
    absl::CivilDay day;
    if (!ParseDate(e.date(), &day)) bad.push_back({field + ".date", "must be a date YYYY-MM-DD"});
    for (int j = 0; j < e.ranges_size(); ++j) {
      CheckRange(e.ranges(j), absl::StrCat(field, ".ranges[", j, "]"), false, &bad);
    }
  }
  const auto minutes = [&](int value, const char* field, int max) {
    if (value < 0 || value > max) bad.push_back({field, absl::StrCat("must be 0 to ", max)});
  };
  minutes(host.buffer_before_minutes(), "host.buffer_before_minutes", 240);
  minutes(host.buffer_after_minutes(), "host.buffer_after_minutes", 240);
  minutes(host.min_notice_minutes(), "host.min_notice_minutes", 60 * 24 * 60);
  if (!host.user_id().empty() && !IsUuid(host.user_id())) {
    bad.push_back({"host.user_id", "must be a user id"});
  }
  if (!host.clinic_id().empty() && !IsUuid(host.clinic_id())) {
    bad.push_back({"host.clinic_id", "must be a clinic id"});
  }
  if (host.horizon_days() < 1 || host.horizon_days() > 730) {
    bad.push_back({"host.horizon_days", "must be 1 to 730"});
  }
  if (bad.empty()) return absl::OkStatus();
  return InvalidFields(bad);
}

absl::StatusOr<HostRules> RulesOf(const v1::Host& host) {
  HostRules rules;
  if (!absl::LoadTimeZone(host.time_zone(), &rules.zone)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone of host ", host.host_id()));
  }
  for (const v1::WorkingHours& h : host.working_hours()) {
    rules.weekly.push_back({h.weekday(), {h.start_minute(), h.end_minute()}});
  }
  for (const v1::DateException& e : host.exceptions()) {
    DayException exception;
    if (!ParseDate(e.date(), &exception.day)) continue;
    exception.closed = e.closed();
    for (const v1::WorkingHours& r : e.ranges()) {
      exception.ranges.push_back({r.start_minute(), r.end_minute()});
    }
    rules.exceptions.push_back(std::move(exception));
  }
  rules.buffer_before = absl::Minutes(host.buffer_before_minutes());
  rules.buffer_after = absl::Minutes(host.buffer_after_minutes());
  rules.min_notice = absl::Minutes(host.min_notice_minutes());
  rules.horizon = absl::Hours(24) * host.horizon_days();
  return rules;
}

ClinicCalendar CalendarOf(const v1::Host& host) {
  ClinicCalendar calendar;
  for (int weekday = 1; weekday <= 7; ++weekday) calendar.weekly_days_off.insert(weekday);
  for (const v1::WorkingHours& h : host.working_hours())
    calendar.weekly_days_off.erase(h.weekday());
  for (const v1::DateException& e : host.exceptions()) {
    absl::CivilDay day;
    if (e.closed() && e.ranges().empty() && ParseDate(e.date(), &day)) {
      calendar.closed_dates.insert(day);
    }
  }
  return calendar;
}

}  // namespace carebridge::scheduling
