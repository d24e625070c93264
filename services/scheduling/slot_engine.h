// Free slots of one host, computed from the host's working rules minus its live bookings. Pure
// logic: no I/O, no clock (the caller passes `now`), no shared state, so every function here is
// safe to call concurrently from any thread.
//
// Contract:
//  * Working hours are local to the host's zone. A local day's working ranges are its weekly
//    hours, unless a dated exception closes the day; the exception's ranges are added to what is
//    left (so closed + ranges replaces the day's hours). Ranges are used as given, not merged: a
//    slot lies wholly inside ONE range, so 9:00-12:00 plus 12:00-17:00 offers no 11:45-12:15.
//  * Local times become instants with TimeZone::At: a time skipped by a DST switch maps to the
//    instant of the switch, a repeated one to its first occurrence. Slot starts are the range's
//    absolute start plus k * step in REAL time, so across a switch inside a range slots stay
//    `step` apart and a range shortened by spring-forward simply holds fewer slots.
//  * A slot [s, s + length) is offered when it lies in [from, to), s >= now + min_notice,
//    s < now + horizon, and its blocked range [s - buffer_before, s + length + buffer_after)
//    overlaps no busy range. Busy ranges are the STORED blocked ranges of live bookings (see
//    BlockedRange), which is what the database exclusion constraint compares too.
//  * Malformed input never fails and never loops: a range with end <= start or outside
//    [0, 1440] minutes, an ISO weekday outside 1..7, a non-positive length or step, an infinite
//    `now`, or to <= from all just contribute nothing. Validating rules is UpsertHost's job.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace carebridge::scheduling {

// A half-open span of absolute time: [start, end).
struct Interval {
  absl::Time start;
  absl::Time end;
};

inline bool operator==(const Interval& a, const Interval& b) {
  return a.start == b.start && a.end == b.end;
}

// Minutes after local midnight, [start_minute, end_minute); end_minute 1440 is the next midnight.
struct LocalRange {
  int start_minute;
  int end_minute;
};

// One working range on an ISO weekday (1 = Monday .. 7 = Sunday); a day may have several.
struct WeeklyHours {
  int weekday;
  LocalRange range;
};

// A dated change to the weekly hours, on a day of the host's zone. `closed` removes that day's
// weekly hours; `ranges` are added that day (both together replace them). Several exceptions for
// the same day combine the same way.
struct DayException {
  absl::CivilDay day;
  bool closed = false;
  std::vector<LocalRange> ranges;
};

struct HostRules {
  absl::TimeZone zone;
  std::vector<WeeklyHours> weekly;
  std::vector<DayException> exceptions;
  absl::Duration buffer_before = absl::ZeroDuration();  // kept free before each booking
  absl::Duration buffer_after = absl::ZeroDuration();   // kept free after each booking
  absl::Duration min_notice = absl::ZeroDuration();     // earliest start is now + min_notice
  absl::Duration horizon = absl::Hours(24 * 60);        // starts are before now + horizon
  absl::Duration step = absl::Minutes(15);              // slot starts are range start + k*step
};

struct SlotQuery {
  absl::Time from;  // slots lie wholly inside [from, to)
  absl::Time to;
  absl::Duration length;  // of each slot (the consultation type's duration)
  absl::Time now;
  size_t limit = 2000;  // at most this many slots, the oldest ones
};

// The free slots of a host, oldest first, sorted by start with no duplicates, at most q.limit.
// `busy` holds the blocked ranges of the host's live bookings, in any order (sorted by start is
// cheapest: an unsorted list is copied and sorted). Runs in O(days * ranges + slots + busy).
std::vector<Interval> ComputeSlots(const HostRules& rules, const std::vector<Interval>& busy,
                                   const SlotQuery& q);

// The blocked range of a booking [start, end) under `rules`: [start - buffer_before,
// end + buffer_after). What the store saves with each booking and the exclusion constraint checks,
// so buffers in force when a booking was made keep applying to it after the rules change.
Interval BlockedRange(const HostRules& rules, Interval booking);

// Whether `start` (for a slot of `length`) is bookable under the rules alone, ignoring bookings:
// the same test ComputeSlots applies to each candidate. OK when start >= now + min_notice,
// start < now + horizon, and [start, start + length) lies wholly in one working range of its
// local day (after exceptions) with start on that range's step grid. Otherwise
// FAILED_PRECONDITION, the first failing rule in this order, with a message that names it:
// "... less than N minutes notice ...", "... beyond the booking horizon of N days ...",
// "... outside working hours ...", or "... not on the N-minute slot grid ...".
// INVALID_ARGUMENT when length is not positive.
absl::Status CheckStartAllowed(const HostRules& rules, absl::Time start, absl::Duration length,
                               absl::Time now);

}  // namespace carebridge::scheduling
