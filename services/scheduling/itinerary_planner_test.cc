#include "services/scheduling/itinerary_planner.h"

#include <string>

#include <gtest/gtest.h>

namespace carebridge::scheduling {
namespace {

using absl::CivilDay;

bool Contains(const absl::Status& status, const std::string& text) {
  return std::string(status.message()).find(text) != std::string::npos;
}

ItineraryInput Autologous(CivilDay earliest) {
  ItineraryInput in;
  in.plan = TreatmentPlan::kAutologous;
  in.earliest_departure = earliest;
  in.clinic.weekly_days_off = {7};  // closed Sundays
  return in;
}

ItineraryInput Allogeneic(CivilDay earliest, int stay_days = 12) {
  ItineraryInput in;
  in.plan = TreatmentPlan::kAllogeneic;
  in.earliest_departure = earliest;
  in.stay_days = stay_days;
  in.clinic.weekly_days_off = {7};
  return in;
}

void ExpectTrip(const PlannedTrip& trip, const std::string& purpose, CivilDay arrive,
                CivilDay depart, const std::string& visit_kind, CivilDay visit_day) {
  EXPECT_EQ(trip.purpose, purpose);
  EXPECT_EQ(trip.arrive, arrive);
  EXPECT_EQ(trip.depart, depart);
  ASSERT_EQ(trip.visits.size(), 1u);
  EXPECT_EQ(trip.visits[0].kind, visit_kind);
  EXPECT_EQ(trip.visits[0].day, visit_day);
}

TEST(ClinicCalendarTest, WeekdaysOffAndClosedDates) {
  ClinicCalendar clinic;
  clinic.weekly_days_off = {6, 7};
  clinic.closed_dates = {CivilDay(2027, 4, 5)};
  EXPECT_TRUE(clinic.IsOpen(CivilDay(2027, 4, 2)));   // Friday
  EXPECT_FALSE(clinic.IsOpen(CivilDay(2027, 4, 3)));  // Saturday
  EXPECT_FALSE(clinic.IsOpen(CivilDay(2027, 4, 4)));  // Sunday
  EXPECT_FALSE(clinic.IsOpen(CivilDay(2027, 4, 5)));  // Monday, closed date
  EXPECT_TRUE(clinic.IsOpen(CivilDay(2027, 4, 6)));
}

TEST(ItineraryPlannerTest, AutologousFromThursdayWithSundaysOff) {
  ASSERT_EQ(absl::GetWeekday(CivilDay(2027, 4, 1)), absl::Weekday::thursday);
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(Autologous(CivilDay(2027, 4, 1)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->trips.size(), 2u);
  // Arrive Thursday, harvest Friday, leave Saturday; infusion three weeks later on a Friday.
  ExpectTrip(plan->trips[0], "harvest", CivilDay(2027, 4, 1), CivilDay(2027, 4, 3), "harvest",
             CivilDay(2027, 4, 2));
  ExpectTrip(plan->trips[1], "infusion", CivilDay(2027, 4, 22), CivilDay(2027, 4, 24), "infusion",
             CivilDay(2027, 4, 23));
  EXPECT_EQ(plan->culture_days, 21);
}

TEST(ItineraryPlannerTest, HarvestSkipsTheClinicsSunday) {
  // Leaving Saturday: Sunday is closed, so arrive Sunday and harvest Monday.
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(Autologous(CivilDay(2027, 4, 3)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectTrip(plan->trips[0], "harvest", CivilDay(2027, 4, 4), CivilDay(2027, 4, 6), "harvest",
             CivilDay(2027, 4, 5));
  ExpectTrip(plan->trips[1], "infusion", CivilDay(2027, 4, 25), CivilDay(2027, 4, 27), "infusion",
             CivilDay(2027, 4, 26));
  EXPECT_EQ(plan->culture_days, 21);
}

TEST(ItineraryPlannerTest, ClosedDatesPushTheInfusionToTheNextOpenDay) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  // Friday 23 and Saturday 24 closed, Sunday 25 is a weekly day off: Monday 26.
  in.clinic.closed_dates = {CivilDay(2027, 4, 23), CivilDay(2027, 4, 24)};
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(in);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectTrip(plan->trips[1], "infusion", CivilDay(2027, 4, 25), CivilDay(2027, 4, 27), "infusion",
             CivilDay(2027, 4, 26));
  EXPECT_EQ(plan->culture_days, 24);
}

TEST(ItineraryPlannerTest, InfusionOnTheLastDayOfTheWindow) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  for (CivilDay d(2027, 4, 23); d < CivilDay(2027, 5, 7); ++d) in.clinic.closed_dates.insert(d);
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(in);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->trips[1].visits[0].day, CivilDay(2027, 5, 7));
  EXPECT_EQ(plan->culture_days, 35);
}

TEST(ItineraryPlannerTest, WholeCultureWindowClosedIsRefused) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  for (CivilDay d(2027, 4, 23); d <= CivilDay(2027, 5, 7); ++d) in.clinic.closed_dates.insert(d);
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(in);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(plan.status(), "2027-04-23")) << plan.status();
  EXPECT_TRUE(Contains(plan.status(), "2027-05-07")) << plan.status();
}

TEST(ItineraryPlannerTest, CustomCultureWeeks) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  in.culture_weeks_min = 4;
  in.culture_weeks_max = 4;
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(in);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->trips[1].visits[0].day, CivilDay(2027, 4, 30));
  EXPECT_EQ(plan->culture_days, 28);
}

TEST(ItineraryPlannerTest, CultureWeeksAreValidatedByName) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  in.culture_weeks_min = 0;
  absl::Status status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status, "culture_weeks_min")) << status;

  in.culture_weeks_min = 5;
  in.culture_weeks_max = 4;
  status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status, "culture_weeks_max")) << status;

  in.culture_weeks_min = 3;
  in.culture_weeks_max = 13;
  status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status, "culture_weeks_max")) << status;

  in.culture_weeks_max = 12;
  EXPECT_TRUE(PlanItinerary(in).ok());
}

TEST(ItineraryPlannerTest, ClinicClosedEveryWeekdayIsRefusedNotLooped) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  in.clinic.weekly_days_off = {1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(PlanItinerary(in).status().code(), absl::StatusCode::kFailedPrecondition);
  in.plan = TreatmentPlan::kAllogeneic;
  EXPECT_EQ(PlanItinerary(in).status().code(), absl::StatusCode::kFailedPrecondition);

  in.clinic.weekly_days_off = {0};
  const absl::Status status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status, "weekly_days_off")) << status;
}

TEST(ItineraryPlannerTest, NoHarvestDayWithinTheSearchBound) {
  ItineraryInput in = Autologous(CivilDay(2027, 4, 1));
  for (CivilDay d(2027, 4, 1); d < CivilDay(2028, 4, 1); ++d) in.clinic.closed_dates.insert(d);
  const absl::Status status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(status, "harvest")) << status;
}

TEST(ItineraryPlannerTest, AllogeneicTwelveDayStay) {
  const absl::StatusOr<PlannedItinerary> plan = PlanItinerary(Allogeneic(CivilDay(2027, 4, 1)));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->trips.size(), 1u);
  // Arrive Thursday, tests Thursday and Friday, treatment Saturday, leave on the 12th day.
  ExpectTrip(plan->trips[0], "treatment_stay", CivilDay(2027, 4, 1), CivilDay(2027, 4, 12),
             "treatment", CivilDay(2027, 4, 3));
  EXPECT_EQ(plan->culture_days, 0);
}

TEST(ItineraryPlannerTest, AllogeneicStayGrowsToKeepAWeekOfObservation) {
  // Ten days asked; treatment is pushed to Tuesday 6 by closed Saturday and Monday (and Sunday),
  // so the stay ends a week later on the 13th: 13 days.
  ItineraryInput in = Allogeneic(CivilDay(2027, 4, 1), 10);
  in.clinic.closed_dates = {CivilDay(2027, 4, 3), CivilDay(2027, 4, 5)};
  absl::StatusOr<PlannedItinerary> plan = PlanItinerary(in);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectTrip(plan->trips[0], "treatment_stay", CivilDay(2027, 4, 1), CivilDay(2027, 4, 13),
             "treatment", CivilDay(2027, 4, 6));

  // Treatment on the 7th day still fits a 14-day stay...
  in.clinic.closed_dates.insert(CivilDay(2027, 4, 6));
  plan = PlanItinerary(in);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectTrip(plan->trips[0], "treatment_stay", CivilDay(2027, 4, 1), CivilDay(2027, 4, 14),
             "treatment", CivilDay(2027, 4, 7));

  // ...on the 8th it does not.
  in.clinic.closed_dates.insert(CivilDay(2027, 4, 7));
  const absl::Status status = PlanItinerary(in).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(status, "observation")) << status;
}

TEST(ItineraryPlannerTest, StayDaysOutsideTenToFourteenIsInvalid) {
  for (int stay_days : {9, 15, 0}) {
    const absl::Status status = PlanItinerary(Allogeneic(CivilDay(2027, 4, 1), stay_days)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << stay_days;
    EXPECT_TRUE(Contains(status, "stay_days")) << status;
  }
  for (int stay_days : {10, 14}) {
    const absl::StatusOr<PlannedItinerary> plan =
        PlanItinerary(Allogeneic(CivilDay(2027, 4, 1), stay_days));
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(plan->trips[0].depart, CivilDay(2027, 4, 1) + (stay_days - 1));
  }
}

TEST(CultureGapTest, BoundsIncluded) {
  const CivilDay harvest(2027, 4, 2);
  EXPECT_TRUE(CheckCultureGap(harvest, CivilDay(2027, 4, 23), 3, 5).ok());   // 21 days
  EXPECT_TRUE(CheckCultureGap(harvest, CivilDay(2027, 5, 7), 3, 5).ok());    // 35 days
  for (CivilDay infusion : {CivilDay(2027, 4, 22), CivilDay(2027, 5, 8)}) {  // 20 and 36 days
    const absl::Status status = CheckCultureGap(harvest, infusion, 3, 5);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << infusion;
    EXPECT_TRUE(Contains(status, "between 2027-04-23 and 2027-05-07")) << status;
  }
  EXPECT_EQ(CheckCultureGap(harvest, CivilDay(2027, 3, 1), 3, 5).code(),
            absl::StatusCode::kFailedPrecondition);  // before the harvest
  EXPECT_EQ(CheckCultureGap(harvest, CivilDay(2027, 4, 23), 0, 5).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carebridge::scheduling
