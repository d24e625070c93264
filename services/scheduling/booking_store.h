// The SQL of bookings, their history and the reminder outbox (scheduling schema, migrations/).
//
// The store is where "two live bookings of one host never overlap" holds: each booking carries
// its blocked range (start minus buffer before, end plus buffer after), and the exclusion
// constraint bookings_never_overlap refuses any overlap among HELD and CONFIRMED rows, whatever
// the concurrency. A taken time comes back as ALREADY_EXISTS. Holds past their expiry count as
// EXPIRED everywhere and are marked so before a new booking is tried over them.
//
// Every change writes a booking_events row, and the reminders of a confirmed booking (its
// outbox rows) are written, moved and cancelled in the same transaction as the change.
// Every statement is parameterized. Database failures: UNAVAILABLE / INTERNAL with generic
// messages (see PgPool). Thread-safe (state lives in PostgreSQL).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/common/pg_pool.h"
#include "services/scheduling/slot_engine.h"

namespace carebridge::scheduling {

// A booking to write.
struct NewBooking {
  std::string host_id;
  std::string case_id;
  std::string type;
  Interval time;     // [start, end)
  Interval blocked;  // BlockedRange(host rules, time)
  bool hold = false;
  absl::Time hold_expires_at;  // when hold
  std::string actor;           // "user:<id>", "patient", "system"
  // When set: refused (FAILED_PRECONDITION) if the case already has a live booking of this type,
  // checked under a per-case lock in the inserting transaction (patients book one call).
  bool one_live_per_case = false;
  // Linked visits: the pair must keep this gap (weeks); 0 for an unlinked booking.
  int culture_weeks_min = 0;
  int culture_weeks_max = 0;
};

// What a reminder job needs (GetBookingReminder).
struct ReminderRecord {
  carebridge::v1::Booking booking;
  bool cancelled = false;  // the outbox row was cancelled (booking cancelled or moved)
  absl::Duration lead;
  absl::Time booking_start;  // the start the reminder was written for
};

class BookingStore {
 public:
  // `reminder_leads`: how long before a confirmed booking's start its reminders are due.
  // `stage_types`: the consultation types whose confirmation moves the case to
  // CONSULTATION_BOOKED (comma-separated codes, e.g. "video_consultation").
  BookingStore(PgPool& pool, std::vector<absl::Duration> reminder_leads, std::string stage_types)
      : pool_(pool),
        reminder_leads_(std::move(reminder_leads)),
        stage_types_(std::move(stage_types)) {}

  // The blocked ranges of the live bookings (CONFIRMED, or HELD and unexpired at `now`) of each
  // of `host_ids` overlapping [from, to), sorted by start.
  absl::StatusOr<std::map<std::string, std::vector<Interval>>> LiveBlocked(
      const std::vector<std::string>& host_ids, absl::Time from, absl::Time to, absl::Time now);

  // Writes the bookings in one transaction (two for a linked pair, which then point at each
  // other) and returns the first. ALREADY_EXISTS when any of them overlaps a live booking.
  absl::StatusOr<carebridge::v1::Booking> Create(const std::vector<NewBooking>& bookings,
                                                 absl::Time now);

  // One booking (with its history when `with_history`). NOT_FOUND for an unknown id.
  absl::StatusOr<carebridge::v1::Booking> Get(const std::string& booking_id, bool with_history,
                                              absl::Time now);

  // Bookings of a host and/or a case overlapping [from, to), by start.
  absl::StatusOr<std::vector<carebridge::v1::Booking>> List(const std::string& host_id,
                                                            const std::string& case_id,
                                                            absl::Time from, absl::Time to,
                                                            bool include_cancelled, absl::Time now);

  // HELD -> CONFIRMED (and its reminders), with the linked visit of a held pair.
  // FAILED_PRECONDITION when it is not HELD or the hold has expired at `now`; NOT_FOUND for an
  // unknown id.
  absl::StatusOr<carebridge::v1::Booking> Confirm(const std::string& booking_id,
                                                  const std::string& actor, absl::Time now);

  // Cancels the booking and its linked visit (unless that one has already begun), with their
  // unsent reminders and any pending case stage move. FAILED_PRECONDITION
  // when it is no longer live.
  absl::StatusOr<carebridge::v1::Booking> Cancel(const std::string& booking_id,
                                                 const std::string& actor,
                                                 const std::string& reason, absl::Time now);

  // Moves a live booking (same id) to `time` / `blocked`, bumping its sequence, and moves its
  // reminders. ALREADY_EXISTS when the new time overlaps another live booking (nothing changes);
  // FAILED_PRECONDITION when it is no longer live.
  // `check_link(old start, partner start)` runs inside the transaction, with both rows of a linked
  // pair locked; its error is returned as is (and nothing changes).
  using LinkCheck = std::function<absl::Status(absl::Time old_start, absl::Time partner_start)>;
  absl::StatusOr<carebridge::v1::Booking> Reschedule(const std::string& booking_id, Interval time,
                                                     Interval blocked, const std::string& actor,
                                                     absl::Time now,
                                                     const LinkCheck& check_link = nullptr);

  // The reminder of outbox row `outbox_id`. NOT_FOUND for an unknown row.
  absl::StatusOr<ReminderRecord> Reminder(int64_t outbox_id, absl::Time now);

  // Marks outbox rows as received by the worker. Returns how many were newly marked.
  absl::StatusOr<int> ConfirmOutbox(const std::vector<int64_t>& outbox_ids, absl::Time now);

  // Confirmed bookings whose case has yet to be moved to CONSULTATION_BOOKED: {booking id, case
  // id}, oldest change first, at most `limit`.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PendingStageMoves(int limit);

  // The case of `booking_id` has been moved.
  absl::Status ClearStagePending(const std::string& booking_id);

  // The bookings of a host for its calendar feed: every status but EXPIRED, starting after
  // `since`, by start.
  absl::StatusOr<std::vector<carebridge::v1::Booking>> FeedBookings(const std::string& host_id,
                                                                    absl::Time since,
                                                                    absl::Time now);

 private:
  PgPool& pool_;
  const std::vector<absl::Duration> reminder_leads_;
  const std::string stage_types_;
};

}  // namespace carebridge::scheduling
