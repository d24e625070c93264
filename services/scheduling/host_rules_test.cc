#include "services/scheduling/host_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;
using ::testing::UnorderedElementsAre;

v1::Host ValidHost() {
  v1::Host host;
  host.set_name("Dr. Tanaka");
  host.set_kind(v1::CLINIC_DOCTOR);
  host.set_time_zone("Asia/Tokyo");
  host.add_consultation_types("video_consultation");
  auto* hours = host.add_working_hours();
  hours->set_weekday(1);
  hours->set_start_minute(540);
  hours->set_end_minute(1020);
  host.set_horizon_days(60);
  return host;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(status)) out.push_back(v.field);
  return out;
}

TEST(HostRulesTest, AcceptsAValidHost) {
  EXPECT_TRUE(ValidateHost(ValidHost(), {"video_consultation"}).ok());
}

TEST(HostRulesTest, NamesEveryBadField) {
  v1::Host host = ValidHost();
  host.set_time_zone("Mars/Olympus");
  host.set_consultation_types(0, "massage");
  host.mutable_working_hours(0)->set_weekday(8);
  host.mutable_working_hours(0)->set_end_minute(500);
  host.add_exceptions()->set_date("2027-02-30");
  host.set_buffer_after_minutes(-5);
  host.set_horizon_days(0);
  EXPECT_THAT(Fields(ValidateHost(host, {"video_consultation"})),
              UnorderedElementsAre("host.time_zone", "host.consultation_types[0]",
                                   "host.working_hours[0].weekday",
                                   "host.working_hours[0].end_minute", "host.exceptions[0].date",
                                   "host.buffer_after_minutes", "host.horizon_days"));
}

TEST(HostRulesTest, RulesCarryZoneHoursExceptionsAndBuffers) {
  v1::Host host = ValidHost();
  host.set_buffer_before_minutes(5);
  host.set_min_notice_minutes(1440);
  auto* off = host.add_exceptions();
  off->set_date("2027-05-03");
  off->set_closed(true);
  absl::StatusOr<HostRules> rules = RulesOf(host);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->zone.name(), "Asia/Tokyo");
  ASSERT_EQ(rules->weekly.size(), 1u);
  EXPECT_EQ(rules->weekly[0].range.start_minute, 540);
  ASSERT_EQ(rules->exceptions.size(), 1u);
  EXPECT_EQ(rules->exceptions[0].day, absl::CivilDay(2027, 5, 3));
  EXPECT_TRUE(rules->exceptions[0].closed);
  EXPECT_EQ(rules->buffer_before, absl::Minutes(5));
  EXPECT_EQ(rules->min_notice, absl::Hours(24));
  EXPECT_EQ(rules->horizon, absl::Hours(24 * 60));
}

TEST(HostRulesTest, TheClinicCalendarClosesDaysWithoutHoursAndDatedDaysOff) {
  v1::Host host = ValidHost();  // Mondays only
  auto* off = host.add_exceptions();
  off->set_date("2027-05-03");
  off->set_closed(true);
  const ClinicCalendar calendar = CalendarOf(host);
  EXPECT_TRUE(calendar.IsOpen(absl::CivilDay(2027, 5, 10)));   // a Monday
  EXPECT_FALSE(calendar.IsOpen(absl::CivilDay(2027, 5, 3)));   // a Monday, but closed
  EXPECT_FALSE(calendar.IsOpen(absl::CivilDay(2027, 5, 11)));  // a Tuesday
}

TEST(HostRulesTest, ParsesRealDatesOnly) {
  absl::CivilDay day;
  EXPECT_TRUE(ParseDate("2028-02-29", &day));
  EXPECT_EQ(day, absl::CivilDay(2028, 2, 29));
  EXPECT_FALSE(ParseDate("2027-02-29", &day));
  EXPECT_FALSE(ParseDate("2027-2-1", &day));
  EXPECT_FALSE(ParseDate("20270201xx", &day));
}

}  // namespace
}  // namespace carebridge::scheduling
