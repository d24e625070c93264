#include "services/scheduling/itinerary_planner.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"

namespace carebridge::scheduling {
namespace {

// How far ahead a harvest day is looked for. Any real calendar opens within a couple of weeks;
// the bound only guarantees an answer for one that never does (e.g. a year of closed dates).
constexpr int kHarvestSearchDays = 60;
constexpr int kMaxCultureWeeks = 12;
constexpr int kMinStayDays = 10;
constexpr int kMaxStayDays = 14;
constexpr int kTestDays = 2;         // allogeneic: arrival and tests before the treatment day
constexpr int kObservationDays = 7;  // allogeneic: days kept at the clinic after treatment

std::string Date(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// The first open day in [first, last], if any; at most last - first + 1 days are looked at.
std::optional<absl::CivilDay> FirstOpen(const ClinicCalendar& clinic, absl::CivilDay first,
                                        absl::CivilDay last) {
  for (absl::CivilDay day = first; day <= last; ++day) {
    if (clinic.IsOpen(day)) return day;
  }
  return std::nullopt;
}

absl::Status ValidateCultureWeeks(int min_weeks, int max_weeks) {
  if (min_weeks < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("culture_weeks_min must be at least 1, got ", min_weeks));
  }
  if (max_weeks < min_weeks) {
    return absl::InvalidArgumentError(absl::StrCat("culture_weeks_max (", max_weeks,
                                                   ") must not be less than culture_weeks_min (",
                                                   min_weeks, ")"));
  }
  if (max_weeks > kMaxCultureWeeks) {
    return absl::InvalidArgumentError(
        absl::StrCat("culture_weeks_max must be at most ", kMaxCultureWeeks, ", got ", max_weeks));
  }
  return absl::OkStatus();
}

absl::Status ValidateCalendar(const ClinicCalendar& clinic) {
  for (int weekday : clinic.weekly_days_off) {
    if (weekday < 1 || weekday > 7) {
      return absl::InvalidArgumentError(absl::StrCat(
          "weekly_days_off must hold ISO weekdays 1 (Monday) to 7 (Sunday), got ", weekday));
    }
  }
  if (clinic.weekly_days_off.size() == 7) {
    return absl::FailedPreconditionError("the clinic is closed on every weekday");
  }
  return absl::OkStatus();
}

PlannedTrip ThreeDayTrip(const std::string& purpose, absl::CivilDay visit_day) {
  return PlannedTrip{purpose, visit_day - 1, visit_day + 1, {PlannedVisit{purpose, visit_day}}};
}

absl::StatusOr<PlannedItinerary> PlanAutologous(const ItineraryInput& in) {
  if (absl::Status s = ValidateCultureWeeks(in.culture_weeks_min, in.culture_weeks_max); !s.ok()) {
    return s;
  }
  // The patient may leave on earliest_departure at the soonest and needs that day to arrive.
  const absl::CivilDay search_from = in.earliest_departure + 1;
  const std::optional<absl::CivilDay> harvest =
      FirstOpen(in.clinic, search_from, search_from + (kHarvestSearchDays - 1));
  if (!harvest) {
    return absl::FailedPreconditionError(
        absl::StrCat("the clinic has no open day for the harvest between ", Date(search_from),
                     " and ", Date(search_from + (kHarvestSearchDays - 1))));
  }
  // Within the culture window the first open day wins: cells are ready from the minimum on and
  // a shorter wait is a shorter treatment. A harvest day is not moved to rescue the window:
  // the patient would rather learn that the clinic's holidays block that window.
  const absl::CivilDay window_first = *harvest + 7 * in.culture_weeks_min;
  const absl::CivilDay window_last = *harvest + 7 * in.culture_weeks_max;
  const std::optional<absl::CivilDay> infusion = FirstOpen(in.clinic, window_first, window_last);
  if (!infusion) {
    return absl::FailedPreconditionError(
        absl::StrCat("the clinic has no open day for the infusion between ", Date(window_first),
                     " and ", Date(window_last), " (", in.culture_weeks_min, " to ",
                     in.culture_weeks_max, " weeks after the harvest on ", Date(*harvest), ")"));
  }
  PlannedItinerary plan;
  plan.trips.push_back(ThreeDayTrip("harvest", *harvest));
  plan.trips.push_back(ThreeDayTrip("infusion", *infusion));
  plan.culture_days = static_cast<int>(*infusion - *harvest);
  return plan;
}

absl::StatusOr<PlannedItinerary> PlanAllogeneic(const ItineraryInput& in) {
  if (in.stay_days < kMinStayDays || in.stay_days > kMaxStayDays) {
    return absl::InvalidArgumentError(absl::StrCat("stay_days must be ", kMinStayDays, " to ",
                                                   kMaxStayDays, ", got ", in.stay_days));
  }
  const absl::CivilDay arrive = in.earliest_departure;
  const absl::CivilDay last_depart = arrive + (kMaxStayDays - 1);
  // A treatment later than this cannot keep its observation week inside the longest stay, so
  // the search stops there.
  const absl::CivilDay first_treatment = arrive + kTestDays;
  const absl::CivilDay last_treatment = last_depart - kObservationDays;
  const std::optional<absl::CivilDay> treatment =
      FirstOpen(in.clinic, first_treatment, last_treatment);
  if (!treatment) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the clinic has no open day for the treatment between ", Date(first_treatment), " and ",
        Date(last_treatment), ", which a stay of at most ", kMaxStayDays, " days from ",
        Date(arrive), " needs to keep ", kObservationDays, " days of observation"));
  }
  const absl::CivilDay depart =
      std::max(arrive + (in.stay_days - 1), *treatment + kObservationDays);
  PlannedItinerary plan;
  plan.trips.push_back(
      PlannedTrip{"treatment_stay", arrive, depart, {PlannedVisit{"treatment", *treatment}}});
  return plan;
}

}  // namespace

bool ClinicCalendar::IsOpen(absl::CivilDay day) const {
  // absl::Weekday runs monday = 0 .. sunday = 6.
  const int iso_weekday = static_cast<int>(absl::GetWeekday(day)) + 1;
  return !weekly_days_off.contains(iso_weekday) && !closed_dates.contains(day);
}

absl::StatusOr<PlannedItinerary> PlanItinerary(const ItineraryInput& in) {
  if (absl::Status s = ValidateCalendar(in.clinic); !s.ok()) return s;
  switch (in.plan) {
    case TreatmentPlan::kAutologous:
      return PlanAutologous(in);
    case TreatmentPlan::kAllogeneic:
      return PlanAllogeneic(in);
  }
  return absl::InvalidArgumentError("unknown treatment plan");
}

absl::Status CheckCultureGap(absl::CivilDay harvest, absl::CivilDay infusion, int culture_weeks_min,
                             int culture_weeks_max) {
  if (absl::Status s = ValidateCultureWeeks(culture_weeks_min, culture_weeks_max); !s.ok()) {
    return s;
  }
  const absl::CivilDay first = harvest + 7 * culture_weeks_min;
  const absl::CivilDay last = harvest + 7 * culture_weeks_max;
  if (infusion >= first && infusion <= last) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "an infusion on ", Date(infusion), " is ", infusion - harvest, " days after the harvest on ",
      Date(harvest), "; the cells need ", culture_weeks_min, " to ", culture_weeks_max,
      " weeks, so the infusion must fall between ", Date(first), " and ", Date(last)));
}

}  // namespace carebridge::scheduling
