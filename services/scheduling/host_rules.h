// Between the API's Host and the slot engine's HostRules: validation of a host as an admin sends
// it, and the conversion of a stored host into the rules slots are computed from. Pure logic,
// thread-safe.
#pragma once

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/scheduling/itinerary_planner.h"
#include "services/scheduling/slot_engine.h"

namespace carebridge::scheduling {

// OK when `host` can be stored: a name, a kind, a loadable IANA time zone, known consultation
// types (`known_types`), hours inside a day with start < end, exceptions with real dates,
// buffers 0..240 minutes, horizon 1..730 days. INVALID_ARGUMENT naming every bad field
// ("host.time_zone", "host.working_hours[2].end_minute", ...) otherwise.
absl::Status ValidateHost(const carebridge::v1::Host& host,
                          const std::set<std::string>& known_types);

// The rules of a stored host. INVALID_ARGUMENT when its time zone cannot be loaded (the tz
// database of this machine lacks it).
absl::StatusOr<HostRules> RulesOf(const carebridge::v1::Host& host);

// The clinic's working days as the itinerary planner sees them: weekdays without working hours
// and dated closed days are days off.
ClinicCalendar CalendarOf(const carebridge::v1::Host& host);

// "YYYY-MM-DD" -> civil day; false when malformed or not a real date.
bool ParseDate(const std::string& text, absl::CivilDay* out);

}  // namespace carebridge::scheduling
