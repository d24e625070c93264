#include "services/scheduling/slot_engine.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carebridge::scheduling {
namespace {

// How far past its start a query window is followed at most. The service caps windows at 62
// days; this only keeps an unbounded window (infinite `to` and horizon) from running for ever.
constexpr absl::Duration kMaxSpan = absl::Hours(24 * 3660);

bool IsValidRange(const LocalRange& r) {
  return r.start_minute >= 0 && r.start_minute < r.end_minute && r.end_minute <= 24 * 60;
}

// The instant of `minute` after local midnight of `day`. Skipped local times (spring forward)
// map to the switch itself, so a range starting in the gap starts when the clock resumes;
// repeated ones (fall back) to their first occurrence. Both choices keep the mapping monotonic
// in local time, which ComputeSlots relies on to emit days in order.
absl::Time LocalToAbsolute(const absl::TimeZone& zone, absl::CivilDay day, int minute) {
  const absl::TimeZone::TimeInfo info =
      zone.At(absl::CivilSecond(day) + static_cast<int64_t>(minute) * 60);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

// The working ranges of any local day: weekly hours by ISO weekday, then the dated exceptions
// (sorted, so a day's exceptions are found by binary search rather than a scan per day).
class DayRanges {
 public:
  explicit DayRanges(const HostRules& rules) {
    for (const WeeklyHours& w : rules.weekly) {
      if (w.weekday >= 1 && w.weekday <= 7 && IsValidRange(w.range)) {
        weekly_[w.weekday].push_back(w.range);
      }
    }
    exceptions_.reserve(rules.exceptions.size());
    for (const DayException& e : rules.exceptions) exceptions_.push_back(&e);
    std::stable_sort(exceptions_.begin(), exceptions_.end(),
                     [](const DayException* a, const DayException* b) { return a->day < b->day; });
  }

  // Replaces *out with the ranges of `day`, in no particular order.
  void Of(absl::CivilDay day, std::vector<LocalRange>* out) const {
    out->clear();
    auto first =
        std::lower_bound(exceptions_.begin(), exceptions_.end(), day,
                         [](const DayException* e, absl::CivilDay d) { return e->day < d; });
    bool closed = false;
    for (auto it = first; it != exceptions_.end() && (*it)->day == day; ++it) {
      closed = closed || (*it)->closed;
    }
    if (!closed) {
      // absl::Weekday runs monday = 0 .. sunday = 6.
      const int iso = static_cast<int>(absl::GetWeekday(day)) + 1;
      *out = weekly_[iso];
    }
    for (auto it = first; it != exceptions_.end() && (*it)->day == day; ++it) {
      for (const LocalRange& r : (*it)->ranges) {
        if (IsValidRange(r)) out->push_back(r);
      }
    }
  }

 private:
  std::array<std::vector<LocalRange>, 8> weekly_;  // index 1..7 by ISO weekday
  std::vector<const DayException*> exceptions_;
};

// "120" for whole units, "1.5" otherwise: messages show rule values as an admin entered them.
std::string CountOf(absl::Duration d, absl::Duration unit) {
  absl::Duration rem;
  const int64_t whole = absl::IDivDuration(d, unit, &rem);
  if (rem == absl::ZeroDuration()) return absl::StrCat(whole);
  return absl::StrFormat("%.1f", absl::FDivDuration(d, unit));
}

std::string LocalText(absl::Time t, const absl::TimeZone& zone) {
  return absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M%Ez", t, zone), " (", zone.name(), ")");
}

}  // namespace

Interval BlockedRange(const HostRules& rules, Interval booking) {
  return Interval{booking.start - rules.buffer_before, booking.end + rules.buffer_after};
}

std::vector<Interval> ComputeSlots(const HostRules& rules, const std::vector<Interval>& busy,
                                   const SlotQuery& q) {
  std::vector<Interval> out;
  const absl::Duration zero = absl::ZeroDuration();
  if (q.length <= zero || rules.step <= zero || q.limit == 0 || q.to <= q.from) return out;
  if (q.now == absl::InfiniteFuture() || q.now == absl::InfinitePast()) return out;

  // Clip the window to what the notice and horizon allow, so only days that can hold a slot
  // are visited (a 62-day window with a 14-day horizon walks 16 days, not 64).
  const absl::Time earliest = std::max(q.from, q.now + rules.min_notice);  // first start
  const absl::Time start_bound = q.now + rules.horizon;  // every start is before this
  if (earliest >= start_bound || earliest + q.length > q.to) return out;
  const absl::Time last_end = std::min({q.to, start_bound + q.length, earliest + kMaxSpan});
  if (earliest == absl::InfiniteFuture() || last_end == absl::InfiniteFuture()) return out;

  // Busy ranges sorted by start, walked once with a cursor: candidates come in increasing order,
  // so every busy range that starts before a candidate's blocked end has been seen, and the
  // candidate is free exactly when the latest end among those is at or before its blocked start.
  // (The running maximum also copes with overlapping or nested busy ranges.)
  auto by_start = [](const Interval& a, const Interval& b) { return a.start < b.start; };
  const std::vector<Interval>* sorted = &busy;
  std::vector<Interval> sorted_copy;
  if (!std::is_sorted(busy.begin(), busy.end(), by_start)) {
    sorted_copy = busy;
    std::sort(sorted_copy.begin(), sorted_copy.end(), by_start);
    sorted = &sorted_copy;
  }
  size_t cursor = 0;
  absl::Time latest_busy_end = absl::InfinitePast();
  auto is_free = [&](absl::Time s) {
    const absl::Time blocked_start = s - rules.buffer_before;
    const absl::Time blocked_end = s + q.length + rules.buffer_after;
    for (; cursor < sorted->size() && (*sorted)[cursor].start < blocked_end; ++cursor) {
      const Interval& b = (*sorted)[cursor];
      if (b.end > b.start) latest_busy_end = std::max(latest_busy_end, b.end);  // skip empty ones
    }
    return latest_busy_end <= blocked_start;
  };

  // One local day either side of the window's days: a day's ranges can lie on another UTC date
  // (Kiritimati is UTC+14), and a range ending at 24:00 belongs to the day before.
  const DayRanges day_ranges(rules);
  std::vector<LocalRange> ranges;
  std::vector<absl::Time> starts;
  const absl::CivilDay last_day = absl::ToCivilDay(last_end, rules.zone) + 1;
  for (absl::CivilDay day = absl::ToCivilDay(earliest, rules.zone) - 1; day <= last_day; ++day) {
    day_ranges.Of(day, &ranges);
    starts.clear();
    for (const LocalRange& r : ranges) {
      const absl::Time range_start = LocalToAbsolute(rules.zone, day, r.start_minute);
      const absl::Time range_end = LocalToAbsolute(rules.zone, day, r.end_minute);
      if (range_end <= range_start) continue;  // wholly inside a DST gap
      const absl::Time lo = std::max(range_start, earliest);
      const absl::Time end_limit = std::min(range_end, q.to);
      if (lo + q.length > end_limit) continue;
      // The first grid point at or after `lo`; the grid is anchored at the range's real start.
      absl::Duration rem;
      int64_t k = absl::IDivDuration(lo - range_start, rules.step, &rem);
      if (rem > zero) ++k;
      for (absl::Time s = range_start + rules.step * k;
           s + q.length <= end_limit && s < start_bound; s += rules.step) {
        starts.push_back(s);
      }
    }
    // Overlapping ranges of one day may offer the same start twice. Different days never do:
    // a day's slots end by its next midnight, where the next day's begin.
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (absl::Time s : starts) {
      if (!is_free(s)) continue;
      out.push_back(Interval{s, s + q.length});
      if (out.size() >= q.limit) return out;
    }
  }
  return out;
}

absl::Status CheckStartAllowed(const HostRules& rules, absl::Time start, absl::Duration length,
                               absl::Time now) {
  if (length <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("slot length must be positive");
  }
  const absl::Time earliest = now + rules.min_notice;
  if (start < earliest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "start is less than ", CountOf(rules.min_notice, absl::Minutes(1)),
        " minutes notice away; the earliest bookable start is ", LocalText(earliest, rules.zone)));
  }
  const absl::Time bound = now + rules.horizon;
  if (start >= bound) {
    return absl::FailedPreconditionError(absl::StrCat(
        "start is beyond the booking horizon of ", CountOf(rules.horizon, absl::Hours(24)),
        " days; starts must be before ", LocalText(bound, rules.zone)));
  }

  // The same ranges ComputeSlots would visit for this start: its local day and one either side.
  const DayRanges day_ranges(rules);
  std::vector<LocalRange> ranges;
  bool inside_range = false;
  const absl::CivilDay day = absl::ToCivilDay(start, rules.zone);
  for (absl::CivilDay d = day - 1; d <= day + 1; ++d) {
    day_ranges.Of(d, &ranges);
    for (const LocalRange& r : ranges) {
      const absl::Time range_start = LocalToAbsolute(rules.zone, d, r.start_minute);
      const absl::Time range_end = LocalToAbsolute(rules.zone, d, r.end_minute);
      if (start < range_start || start + length > range_end) continue;
      inside_range = true;
      if (rules.step <= absl::ZeroDuration()) continue;
      absl::Duration rem;
      absl::IDivDuration(start - range_start, rules.step, &rem);
      if (rem == absl::ZeroDuration()) return absl::OkStatus();
    }
  }
  if (inside_range) {
    return absl::FailedPreconditionError(absl::StrCat(
        "start ", LocalText(start, rules.zone), " is not on the ",
        CountOf(rules.step, absl::Minutes(1)), "-minute slot grid of the host's working hours"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "start ", LocalText(start, rules.zone), " for ", CountOf(length, absl::Minutes(1)),
      " minutes is outside working hours of the host"));
}

}  // namespace carebridge::scheduling
