#include "services/scheduling/slot_engine.h"

#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace carebridge::scheduling {

// So failures print times instead of bytes.
void PrintTo(const Interval& i, std::ostream* os) {
  *os << "[" << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", i.start, absl::UTCTimeZone()) << ", "
      << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", i.end, absl::UTCTimeZone()) << ")";
}

namespace {

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

// An instant from RFC 3339 text, e.g. "2027-04-05T00:00:00Z" or "2027-04-05T09:00:00+09:00".
absl::Time At(const std::string& text) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &t, &err)) << text << ": " << err;
  return t;
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::vector<std::string> Starts(const std::vector<Interval>& slots) {
  std::vector<std::string> out;
  for (const Interval& s : slots) out.push_back(Utc(s.start));
  return out;
}

// Mon-Fri 9:00-12:00 and 13:00-17:00 in `zone`, slots on a 30-minute grid.
HostRules OfficeHours(const std::string& zone) {
  HostRules rules;
  rules.zone = Zone(zone);
  for (int day = 1; day <= 5; ++day) {
    rules.weekly.push_back({day, {9 * 60, 12 * 60}});
    rules.weekly.push_back({day, {13 * 60, 17 * 60}});
  }
  rules.step = absl::Minutes(30);
  return rules;
}

SlotQuery Query(const std::string& from, const std::string& to, int minutes,
                const std::string& now = "") {
  SlotQuery q;
  q.from = At(from);
  q.to = At(to);
  q.length = absl::Minutes(minutes);
  q.now = now.empty() ? q.from - absl::Hours(24) : At(now);  // a day ahead unless told
  return q;
}

void ExpectSortedUniqueAndAllowed(const HostRules& rules, const std::vector<Interval>& slots,
                                  const SlotQuery& q) {
  for (size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].end - slots[i].start, q.length);
    EXPECT_GE(slots[i].start, q.from);
    EXPECT_LE(slots[i].end, q.to);
    if (i > 0) {
      EXPECT_LT(slots[i - 1].start, slots[i].start) << i;
    }
    EXPECT_TRUE(CheckStartAllowed(rules, slots[i].start, q.length, q.now).ok())
        << Utc(slots[i].start);
  }
}

TEST(SlotEngineTest, WeekdayOfficeHoursInTokyo) {
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2027, 4, 5)), absl::Weekday::monday);
  const HostRules rules = OfficeHours("Asia/Tokyo");
  // Monday 00:00 to Saturday 00:00 in Tokyo.
  const SlotQuery q = Query("2027-04-05T00:00:00+09:00", "2027-04-10T00:00:00+09:00", 30);
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ASSERT_EQ(slots.size(), 5u * (6 + 8));
  EXPECT_EQ(Utc(slots.front().start), "2027-04-05T00:00:00Z");  // Mon 09:00 JST
  EXPECT_EQ(Utc(slots.front().end), "2027-04-05T00:30:00Z");
  EXPECT_EQ(Utc(slots[5].start), "2027-04-05T02:30:00Z");      // 11:30, the last before lunch
  EXPECT_EQ(Utc(slots[6].start), "2027-04-05T04:00:00Z");      // 13:00
  EXPECT_EQ(Utc(slots.back().start), "2027-04-09T07:30:00Z");  // Fri 16:30 JST
  ExpectSortedUniqueAndAllowed(rules, slots, q);
}

TEST(SlotEngineTest, SlotsLieWhollyInsideTheWindow) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  // 09:15 to 10:45 JST: only 09:30 and 10:00 fit, 10:30 would end after `to`.
  const SlotQuery q = Query("2027-04-05T00:15:00Z", "2027-04-05T01:45:00Z", 30);
  EXPECT_EQ(Starts(ComputeSlots(rules, {}, q)),
            (std::vector<std::string>{"2027-04-05T00:30:00Z", "2027-04-05T01:00:00Z"}));
}

TEST(SlotEngineTest, LongerSlotsStayOnTheStepGridAndInsideOneRange) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  // 90-minute slots on a 30-minute grid: 9:00, 9:30, 10:00, 10:30 in the morning (10:30-12:00),
  // 13:00 .. 15:30 in the afternoon; none bridges lunch.
  const SlotQuery q = Query("2027-04-05T00:00:00+09:00", "2027-04-06T00:00:00+09:00", 90);
  EXPECT_EQ(ComputeSlots(rules, {}, q).size(), 4u + 6u);
}

TEST(SlotEngineTest, BuffersBlockNeighboursOfABooking) {
  HostRules rules = OfficeHours("Asia/Tokyo");
  rules.buffer_before = absl::Minutes(15);
  rules.buffer_after = absl::Minutes(15);
  const Interval booking{At("2027-04-05T10:00:00+09:00"), At("2027-04-05T10:30:00+09:00")};
  const Interval blocked = BlockedRange(rules, booking);
  EXPECT_EQ(blocked.start, At("2027-04-05T09:45:00+09:00"));
  EXPECT_EQ(blocked.end, At("2027-04-05T10:45:00+09:00"));

  const SlotQuery q = Query("2027-04-05T09:00:00+09:00", "2027-04-05T12:00:00+09:00", 30);
  // 09:30 (blocked 09:15-10:15) and 10:30 (blocked 10:15-11:15) touch the booking's buffers;
  // 09:00 (blocked until 09:45) and 11:00 (blocked from 10:45) only meet its blocked range.
  EXPECT_EQ(Starts(ComputeSlots(rules, {blocked}, q)),
            (std::vector<std::string>{"2027-04-05T00:00:00Z", "2027-04-05T02:00:00Z",
                                      "2027-04-05T02:30:00Z"}));
  // Without buffers the same booking only takes its own slot.
  const HostRules no_buffers = OfficeHours("Asia/Tokyo");
  EXPECT_EQ(ComputeSlots(no_buffers, {BlockedRange(no_buffers, booking)}, q).size(), 5u);
}

TEST(SlotEngineTest, BusyInAnyOrderOverlappingOrEmpty) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  const SlotQuery q = Query("2027-04-05T09:00:00+09:00", "2027-04-05T17:00:00+09:00", 30);
  const std::vector<Interval> busy = {
      {At("2027-04-05T15:00:00+09:00"), At("2027-04-05T16:00:00+09:00")},
      {At("2027-04-05T09:00:00+09:00"), At("2027-04-05T11:00:00+09:00")},  // nests the next one
      {At("2027-04-05T09:30:00+09:00"), At("2027-04-05T10:00:00+09:00")},
      {At("2027-04-05T14:00:00+09:00"), At("2027-04-05T14:00:00+09:00")},  // empty: blocks nothing
  };
  EXPECT_EQ(Starts(ComputeSlots(rules, busy, q)),
            (std::vector<std::string>{"2027-04-05T02:00:00Z", "2027-04-05T02:30:00Z",  // 11, 11:30
                                      "2027-04-05T04:00:00Z", "2027-04-05T04:30:00Z",  // 13, 13:30
                                      "2027-04-05T05:00:00Z", "2027-04-05T05:30:00Z",  // 14, 14:30
                                      "2027-04-05T07:00:00Z", "2027-04-05T07:30:00Z"}));  // 16
}

TEST(SlotEngineTest, MinNoticeAndHorizonCountFromNow) {
  HostRules rules = OfficeHours("Asia/Tokyo");
  rules.min_notice = absl::Hours(2);
  rules.horizon = absl::Hours(24 * 3);
  // Now is Monday 10:10 JST: the first start is 12:10 (so 13:00), the last before Thu 10:10.
  const SlotQuery q = Query("2027-04-05T00:00:00+09:00", "2027-04-10T00:00:00+09:00", 30,
                            "2027-04-05T10:10:00+09:00");
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ASSERT_EQ(slots.size(), 8u + 14u + 14u + 3u);
  EXPECT_EQ(Utc(slots.front().start), "2027-04-05T04:00:00Z");  // Mon 13:00 JST
  EXPECT_EQ(Utc(slots.back().start), "2027-04-08T01:00:00Z");   // Thu 10:00 JST
  ExpectSortedUniqueAndAllowed(rules, slots, q);
}

TEST(SlotEngineTest, ExceptionsCloseAddAndReplaceDays) {
  HostRules rules = OfficeHours("Asia/Tokyo");
  rules.exceptions.push_back({absl::CivilDay(2027, 4, 7), true, {}});  // Wed closed
  rules.exceptions.push_back({absl::CivilDay(2027, 4, 10), false, {{10 * 60, 12 * 60}}});  // Sat
  rules.exceptions.push_back({absl::CivilDay(2027, 4, 8), true, {{14 * 60, 15 * 60}}});    // Thu

  auto day = [&](const std::string& date) {
    return ComputeSlots(rules, {}, Query(date + "T00:00:00+09:00", date + "T23:59:00+09:00", 30));
  };
  EXPECT_TRUE(day("2027-04-07").empty());
  EXPECT_EQ(Starts(day("2027-04-10")),
            (std::vector<std::string>{"2027-04-10T01:00:00Z", "2027-04-10T01:30:00Z",
                                      "2027-04-10T02:00:00Z", "2027-04-10T02:30:00Z"}));
  EXPECT_EQ(Starts(day("2027-04-08")),
            (std::vector<std::string>{"2027-04-08T05:00:00Z", "2027-04-08T05:30:00Z"}));
  EXPECT_EQ(day("2027-04-06").size(), 14u);  // untouched Tuesday
  EXPECT_TRUE(day("2027-04-11").empty());    // Sunday without exception

  // Extra hours that overlap the weekly ones add the new starts once, not twice.
  rules.exceptions.push_back({absl::CivilDay(2027, 4, 6), false, {{11 * 60, 14 * 60}}});
  EXPECT_EQ(day("2027-04-06").size(), 14u + 2u);  // 12:00 and 12:30 added

  EXPECT_EQ(CheckStartAllowed(rules, At("2027-04-07T10:00:00+09:00"), absl::Minutes(30),
                              At("2027-04-01T00:00:00Z"))
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckStartAllowed(rules, At("2027-04-10T11:30:00+09:00"), absl::Minutes(30),
                                At("2027-04-01T00:00:00Z"))
                  .ok());
}

TEST(SlotEngineTest, NewYorkHoursFollowTheSpringSwitch) {
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(2027, 3, 12)), absl::Weekday::friday);
  HostRules rules = OfficeHours("America/New_York");
  rules.weekly.clear();
  for (int day = 1; day <= 5; ++day) rules.weekly.push_back({day, {9 * 60, 17 * 60}});
  rules.step = absl::Minutes(60);
  const SlotQuery q = Query("2027-03-12T00:00:00Z", "2027-03-16T00:00:00Z", 60);
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ASSERT_EQ(slots.size(), 16u);
  EXPECT_EQ(Utc(slots[0].start), "2027-03-12T14:00:00Z");  // 09:00 EST
  EXPECT_EQ(Utc(slots[7].start), "2027-03-12T21:00:00Z");  // 16:00 EST
  EXPECT_EQ(Utc(slots[8].start), "2027-03-15T13:00:00Z");  // 09:00 EDT
  EXPECT_EQ(Utc(slots[15].start), "2027-03-15T20:00:00Z");
  ExpectSortedUniqueAndAllowed(rules, slots, q);
}

TEST(SlotEngineTest, NewYorkHoursFollowTheAutumnSwitch) {
  HostRules rules = OfficeHours("America/New_York");
  rules.weekly.clear();
  for (int day = 1; day <= 5; ++day) rules.weekly.push_back({day, {9 * 60, 17 * 60}});
  rules.step = absl::Minutes(60);
  const SlotQuery q = Query("2027-11-05T00:00:00Z", "2027-11-09T00:00:00Z", 60);
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ASSERT_EQ(slots.size(), 16u);
  EXPECT_EQ(Utc(slots[0].start), "2027-11-05T13:00:00Z");  // Fri 09:00 EDT
  EXPECT_EQ(Utc(slots[8].start), "2027-11-08T14:00:00Z");  // Mon 09:00 EST
  ExpectSortedUniqueAndAllowed(rules, slots, q);
}

TEST(SlotEngineTest, TokyoHostKeepsUtcTimesAcrossThePatientsSwitch) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  // A New York patient's two weeks, midnight to midnight local, across 2027-03-14.
  const SlotQuery q = Query("2027-03-08T00:00:00-05:00", "2027-03-20T00:00:00-04:00", 30);
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ExpectSortedUniqueAndAllowed(rules, slots, q);
  auto utc_times_on = [&](const std::string& utc_date) {
    std::vector<std::string> times;
    for (const Interval& s : slots) {
      const std::string text = Utc(s.start);
      if (text.substr(0, 10) == utc_date) times.push_back(text.substr(11));
    }
    return times;
  };
  const std::vector<std::string> before = utc_times_on("2027-03-09");
  ASSERT_EQ(before.size(), 14u);
  EXPECT_EQ(before.front(), "00:00:00Z");
  EXPECT_EQ(before.back(), "07:30:00Z");
  EXPECT_EQ(utc_times_on("2027-03-16"), before);
  EXPECT_EQ(utc_times_on("2027-03-19"), before);
}

TEST(SlotEngineTest, RangeAcrossTheSpringGapHoldsOnlyRealHours) {
  HostRules rules = OfficeHours("America/New_York");
  // Sunday 2027-03-14: 01:00 EST to 04:00 EDT is two real hours.
  rules.exceptions.push_back({absl::CivilDay(2027, 3, 14), false, {{1 * 60, 4 * 60}}});
  const SlotQuery q = Query("2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z", 30);
  EXPECT_EQ(Starts(ComputeSlots(rules, {}, q)),
            (std::vector<std::string>{"2027-03-14T06:00:00Z", "2027-03-14T06:30:00Z",
                                      "2027-03-14T07:00:00Z", "2027-03-14T07:30:00Z"}));
}

TEST(SlotEngineTest, RangeStartingInTheGapStartsWhenTheClockResumes) {
  HostRules rules = OfficeHours("America/New_York");
  rules.step = absl::Minutes(20);
  // 02:30 does not exist that night: the range starts at 03:00 EDT (07:00Z) and the grid with it.
  rules.exceptions.push_back({absl::CivilDay(2027, 3, 14), false, {{150, 4 * 60}}});
  // A range wholly inside the gap offers nothing.
  rules.exceptions.push_back({absl::CivilDay(2027, 3, 14), false, {{125, 170}}});
  const SlotQuery q = Query("2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z", 20);
  EXPECT_EQ(Starts(ComputeSlots(rules, {}, q)),
            (std::vector<std::string>{"2027-03-14T07:00:00Z", "2027-03-14T07:20:00Z",
                                      "2027-03-14T07:40:00Z"}));
}

TEST(SlotEngineTest, RangeAcrossTheAutumnRepeatStaysOnARealTimeGrid) {
  HostRules rules = OfficeHours("America/New_York");
  // Sunday 2027-11-07: 01:00 (first, EDT = 05:00Z) to 03:00 EST (08:00Z) is three real hours;
  // slots continue every 30 real minutes through the repeated hour.
  rules.exceptions.push_back({absl::CivilDay(2027, 11, 7), false, {{1 * 60, 3 * 60}}});
  const SlotQuery q = Query("2027-11-07T00:00:00Z", "2027-11-08T00:00:00Z", 30);
  EXPECT_EQ(Starts(ComputeSlots(rules, {}, q)),
            (std::vector<std::string>{"2027-11-07T05:00:00Z", "2027-11-07T05:30:00Z",
                                      "2027-11-07T06:00:00Z", "2027-11-07T06:30:00Z",
                                      "2027-11-07T07:00:00Z", "2027-11-07T07:30:00Z"}));
}

TEST(SlotEngineTest, KiritimatiNightShiftAcrossLocalMidnight) {
  HostRules rules;
  rules.zone = Zone("Pacific/Kiritimati");  // UTC+14 all year
  for (int day = 1; day <= 7; ++day) {
    rules.weekly.push_back({day, {20 * 60, 24 * 60}});  // to the next local midnight
    rules.weekly.push_back({day, {0, 4 * 60}});
  }
  rules.step = absl::Minutes(30);
  // 08:00Z-12:00Z is 22:00 on 2027-04-05 to 02:00 on 2027-04-06 local; the UTC date of the
  // local evening is the same, of the morning too, but the local days differ.
  const SlotQuery q = Query("2027-04-05T08:00:00Z", "2027-04-05T12:00:00Z", 30);
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  EXPECT_EQ(Starts(slots),
            (std::vector<std::string>{"2027-04-05T08:00:00Z", "2027-04-05T08:30:00Z",
                                      "2027-04-05T09:00:00Z", "2027-04-05T09:30:00Z",
                                      "2027-04-05T10:00:00Z", "2027-04-05T10:30:00Z",
                                      "2027-04-05T11:00:00Z", "2027-04-05T11:30:00Z"}));
  ExpectSortedUniqueAndAllowed(rules, slots, q);
  // No slot bridges midnight: 23:30-00:30 lies in neither range.
  EXPECT_EQ(CheckStartAllowed(rules, At("2027-04-05T09:30:00Z"), absl::Minutes(60),
                              At("2027-04-01T00:00:00Z"))
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(SlotEngineTest, AucklandDayIsTheUtcDayBefore) {
  HostRules rules = OfficeHours("Pacific/Auckland");  // NZST, UTC+12, in June
  // 2027-06-07 (Mon) 09:00-12:00 NZST is 2027-06-06 21:00Z-24:00Z: a UTC window on 06-06 only.
  const SlotQuery q = Query("2027-06-06T22:00:00Z", "2027-06-07T00:00:00Z", 30);
  EXPECT_EQ(Starts(ComputeSlots(rules, {}, q)),
            (std::vector<std::string>{"2027-06-06T22:00:00Z", "2027-06-06T22:30:00Z",
                                      "2027-06-06T23:00:00Z", "2027-06-06T23:30:00Z"}));
}

TEST(SlotEngineTest, LimitKeepsTheOldest) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  SlotQuery q = Query("2027-04-05T00:00:00+09:00", "2027-04-10T00:00:00+09:00", 30);
  q.limit = 16;
  const std::vector<Interval> slots = ComputeSlots(rules, {}, q);
  ASSERT_EQ(slots.size(), 16u);
  EXPECT_EQ(Utc(slots.front().start), "2027-04-05T00:00:00Z");
  EXPECT_EQ(Utc(slots.back().start), "2027-04-06T00:30:00Z");  // Tue 09:30, the 16th
  q.limit = 0;
  EXPECT_TRUE(ComputeSlots(rules, {}, q).empty());
}

TEST(SlotEngineTest, EmptyOrInvertedWindowAndBadLengthYieldNothing) {
  const HostRules rules = OfficeHours("Asia/Tokyo");
  EXPECT_TRUE(
      ComputeSlots(rules, {}, Query("2027-04-06T00:00:00Z", "2027-04-05T00:00:00Z", 30)).empty());
  EXPECT_TRUE(
      ComputeSlots(rules, {}, Query("2027-04-05T00:00:00Z", "2027-04-05T00:00:00Z", 30)).empty());
  EXPECT_TRUE(
      ComputeSlots(rules, {}, Query("2027-04-05T00:00:00Z", "2027-04-06T00:00:00Z", 0)).empty());
  HostRules bad = rules;
  bad.step = absl::ZeroDuration();
  EXPECT_TRUE(
      ComputeSlots(bad, {}, Query("2027-04-05T00:00:00Z", "2027-04-06T00:00:00Z", 30)).empty());
  bad = rules;
  bad.weekly = {{0, {9 * 60, 10 * 60}},
                {8, {9 * 60, 10 * 60}},
                {1, {600, 540}},
                {1, {-60, 60}},
                {1, {1400, 1500}}};
  EXPECT_TRUE(
      ComputeSlots(bad, {}, Query("2027-04-05T00:00:00Z", "2027-04-12T00:00:00Z", 30)).empty());
}

TEST(SlotEngineTest, UnboundedWindowAndHorizonStillEnd) {
  HostRules rules = OfficeHours("Asia/Tokyo");
  rules.horizon = absl::InfiniteDuration();
  SlotQuery q = Query("2027-04-05T00:00:00Z", "2027-04-05T00:00:00Z", 30);
  q.to = absl::InfiniteFuture();
  q.limit = 3;
  EXPECT_EQ(ComputeSlots(rules, {}, q).size(), 3u);
}

TEST(SlotEngineTest, CheckStartAllowedNamesTheRule) {
  HostRules rules = OfficeHours("America/New_York");
  rules.min_notice = absl::Minutes(120);
  rules.horizon = absl::Hours(24 * 30);
  const absl::Time now = At("2027-03-12T08:00:00-05:00");  // Friday
  const absl::Duration len = absl::Minutes(30);

  EXPECT_TRUE(CheckStartAllowed(rules, At("2027-03-12T10:00:00-05:00"), len, now).ok());
  EXPECT_TRUE(CheckStartAllowed(rules, At("2027-03-15T16:30:00-04:00"), len, now).ok());

  const absl::Status notice = CheckStartAllowed(rules, At("2027-03-12T09:30:00-05:00"), len, now);
  EXPECT_EQ(notice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(notice.message().find("less than 120 minutes notice"), absl::string_view::npos)
      << notice;

  const absl::Status horizon =
      CheckStartAllowed(rules, At("2027-04-12T10:00:00-04:00"), len, now);  // Mon, 31 days on
  EXPECT_EQ(horizon.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(horizon.message().find("beyond the booking horizon of 30 days"),
            absl::string_view::npos)
      << horizon;

  // Saturday, before opening, over lunch, and running past closing.
  for (const char* start : {"2027-03-13T10:00:00-05:00", "2027-03-15T08:30:00-04:00",
                            "2027-03-15T11:45:00-04:00", "2027-03-15T16:45:00-04:00"}) {
    const absl::Status hours = CheckStartAllowed(rules, At(start), len, now);
    EXPECT_EQ(hours.code(), absl::StatusCode::kFailedPrecondition) << start;
    EXPECT_NE(hours.message().find("outside working hours"), absl::string_view::npos) << hours;
  }

  const absl::Status grid = CheckStartAllowed(rules, At("2027-03-15T10:10:00-04:00"), len, now);
  EXPECT_EQ(grid.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(grid.message().find("30-minute slot grid"), absl::string_view::npos) << grid;

  EXPECT_EQ(
      CheckStartAllowed(rules, At("2027-03-15T10:00:00-04:00"), absl::ZeroDuration(), now).code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(SlotEngineTest, FiftyHostsOverSixtyDaysWithBookings) {
  HostRules rules = OfficeHours("Europe/Istanbul");
  rules.weekly.clear();
  for (int day = 1; day <= 7; ++day) rules.weekly.push_back({day, {8 * 60, 18 * 60}});
  rules.step = absl::Minutes(15);
  rules.buffer_after = absl::Minutes(15);
  rules.horizon = absl::Hours(24 * 90);
  SlotQuery q = Query("2027-04-01T00:00:00Z", "2027-05-31T00:00:00Z", 15, "2027-03-31T00:00:00Z");
  q.limit = 100000;
  // A 30-minute booking every other hour of each working day, stored with its buffer.
  std::vector<Interval> busy;
  for (absl::CivilDay d(2027, 4, 1); d < absl::CivilDay(2027, 5, 31); ++d) {
    for (int hour = 8; hour < 18; hour += 2) {
      const absl::Time start =
          absl::FromCivil(absl::CivilHour(d.year(), d.month(), d.day(), hour), rules.zone);
      busy.push_back(BlockedRange(rules, {start, start + absl::Minutes(30)}));
    }
  }
  size_t total = 0;
  for (int host = 0; host < 50; ++host) total += ComputeSlots(rules, busy, q).size();
  // Per day (60 local days in the window): 40 quarter-hour starts; each booking takes its two
  // slots, the one in its buffer and the one before it (whose own buffer would run into it),
  // except the 08:00 one, which has no slot before it: 40 - 4 - 4 - 4 - 4 - 3 = 21.
  EXPECT_EQ(total, 50u * 60u * 21u);
}

}  // namespace
}  // namespace carebridge::scheduling
