// The itinerary planner: turns a protocol's trip plan and the patient's earliest departure date
// into trips and clinic visit days. Pure logic on dates: no I/O, no clock, no shared state, so
// both functions are safe to call concurrently from any thread.
//
// All dates are clinic-local calendar dates (the clinic doctor's zone); booking times inside a
// visit day are the slot engine's business, not this unit's. A trip's `arrive` and `depart` are
// both days of the trip (a 3-day trip departs two days after it arrives).
//
// Autologous (the patient's own cells, cultured between two trips):
//  * harvest day = the first open clinic day >= earliest_departure + 1, so the patient arrives
//    the day before (arrive = harvest - 1, never before earliest_departure) and departs the day
//    after (depart = harvest + 1): arrival, harvest, recovery and departure.
//  * infusion day = the first open clinic day in [harvest + 7 * culture_weeks_min,
//    harvest + 7 * culture_weeks_max]; the trip is again infusion - 1 .. infusion + 1.
//  * culture_days = infusion - harvest. Trips: "harvest" (visit "harvest"), then "infusion"
//    (visit "infusion").
// Allogeneic (donor cells, one stay of stay_days, arrival and departure days included):
//  * arrive = earliest_departure; treatment day = the first open clinic day >= arrive + 2 (the
//    days before are for tests); the stay keeps >= 7 days of observation after it:
//    depart = max(arrive + stay_days - 1, treatment + 7), at most arrive + 13 (a 14-day stay).
//  * One trip "treatment_stay" with one visit "treatment"; culture_days = 0.
//
// Errors: INVALID_ARGUMENT naming the field for a bad input of the plan in use (culture_weeks_min
// >= 1, culture_weeks_max in [culture_weeks_min, 12] for autologous; stay_days in 10..14 for
// allogeneic; weekly_days_off values in 1..7); FAILED_PRECONDITION when the clinic's days off
// leave no plan: closed every weekday, no open harvest day within 60 days, no open day in the
// culture window (the message names the window's dates), or a treatment day too late to keep 7
// days of observation in a 14-day stay. Every search is bounded, whatever the calendar says.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace carebridge::scheduling {

enum class TreatmentPlan { kAutologous, kAllogeneic };

// Which days the clinic works.
struct ClinicCalendar {
  std::set<int> weekly_days_off;          // ISO weekdays 1..7 (e.g. {7} = closed Sundays)
  std::set<absl::CivilDay> closed_dates;  // dated days off (holidays)

  // Whether the clinic works on `day`: neither its weekday nor the date is a day off.
  bool IsOpen(absl::CivilDay day) const;
};

struct ItineraryInput {
  TreatmentPlan plan;
  absl::CivilDay earliest_departure;
  int culture_weeks_min = 3, culture_weeks_max = 5;  // autologous
  int stay_days = 12;                                // allogeneic, 10..14
  ClinicCalendar clinic;
};

struct PlannedVisit {
  std::string kind;  // "harvest", "infusion", "treatment"
  absl::CivilDay day;
};

struct PlannedTrip {
  std::string purpose;  // "harvest", "infusion", "treatment_stay"
  absl::CivilDay arrive;
  absl::CivilDay depart;
  std::vector<PlannedVisit> visits;
};

struct PlannedItinerary {
  std::vector<PlannedTrip> trips;  // in travel order
  int culture_days = 0;            // autologous: infusion day - harvest day
};

// The plan described above, or the error that explains why none fits.
absl::StatusOr<PlannedItinerary> PlanItinerary(const ItineraryInput& in);

// For linked visits (rescheduling one of a harvest/infusion pair): OK when an infusion on
// `infusion` after a harvest on `harvest` keeps the gap inside [culture_weeks_min * 7,
// culture_weeks_max * 7] days, bounds included; FAILED_PRECONDITION naming the allowed infusion
// dates otherwise; INVALID_ARGUMENT for culture weeks out of range (as PlanItinerary).
absl::Status CheckCultureGap(absl::CivilDay harvest, absl::CivilDay infusion, int culture_weeks_min,
                             int culture_weeks_max);

}  // namespace carebridge::scheduling
