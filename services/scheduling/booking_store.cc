#include "services/scheduling/booking_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/ids.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;

int64_t Unix(absl::Time t) { return absl::ToUnixSeconds(t); }

void SetTime(int64_t unix_seconds, google::protobuf::Timestamp* out) {
  out->set_seconds(unix_seconds);
}

// The columns of a booking, with holds past their expiry at `$<now_param>` reported as EXPIRED.
std::string BookingColumns(int now_param) {
  return absl::StrCat(
      "b.id::text, b.host_id::text, b.case_id::text, b.type, "
      "extract(epoch FROM b.start_time)::bigint, extract(epoch FROM b.end_time)::bigint, "
      "CASE WHEN b.status = 'HELD' AND b.hold_expires_at <= to_timestamp($",
      now_param,
      "::bigint) THEN 'EXPIRED' ELSE b.status END, "
      "coalesce(extract(epoch FROM b.hold_expires_at)::bigint, 0), "
      "coalesce(b.linked_booking_id::text, ''), coalesce(b.cancel_reason, ''), b.sequence, "
      "b.created_by, extract(epoch FROM b.created_at)::bigint, "
      "extract(epoch FROM b.updated_at)::bigint, coalesce(b.culture_weeks_min, 0), "
      "coalesce(b.culture_weeks_max, 0)");
}

v1::Booking BookingFromRow(const pqxx::row& row) {
  v1::Booking b;
  b.set_booking_id(row[0].as<std::string>());
  b.set_host_id(row[1].as<std::string>());
  b.set_case_id(row[2].as<std::string>());
  b.set_type(row[3].as<std::string>());
  SetTime(row[4].as<int64_t>(), b.mutable_start_time());
  SetTime(row[5].as<int64_t>(), b.mutable_end_time());
  v1::BookingStatus status = v1::BOOKING_STATUS_UNSPECIFIED;
  v1::BookingStatus_Parse(row[6].as<std::string>(), &status);
  b.set_status(status);
  if (const int64_t expires = row[7].as<int64_t>(); expires != 0 && status == v1::HELD) {
    SetTime(expires, b.mutable_hold_expires_at());
  }
  b.set_linked_booking_id(row[8].as<std::string>());
  b.set_cancel_reason(row[9].as<std::string>());
  b.set_sequence(row[10].as<int>());
  b.set_created_by(row[11].as<std::string>());
  SetTime(row[12].as<int64_t>(), b.mutable_created_at());
  SetTime(row[13].as<int64_t>(), b.mutable_updated_at());
  b.set_culture_weeks_min(row[14].as<int>());
  b.set_culture_weeks_max(row[15].as<int>());
  return b;
}

// Marks the holds of `host_id` that expired by `now` and overlap `blocked` as EXPIRED, so the
// exclusion constraint stops counting them.
void ExpireHolds(pqxx::work& tx, const std::string& host_id, Interval blocked, absl::Time now) {
  const pqxx::result expired = tx.exec_params(
      "UPDATE scheduling.bookings SET status = 'EXPIRED', updated_at = to_timestamp($4::bigint) "
      "WHERE host_id = $1::uuid AND status = 'HELD' AND hold_expires_at <= "
      "to_timestamp($4::bigint) "
      "  AND blocked && tstzrange(to_timestamp($2::bigint), to_timestamp($3::bigint), '[)') "
      "RETURNING id::text, extract(epoch FROM start_time)::bigint",
      host_id, Unix(blocked.start), Unix(blocked.end), Unix(now));
  for (const pqxx::row& row : expired) {
    tx.exec_params(
        "INSERT INTO scheduling.booking_events (booking_id, event, actor, start_time, at) "
        "VALUES ($1::uuid, 'EXPIRED', 'system', to_timestamp($2::bigint), "
        "to_timestamp($3::bigint))",
        row[0].as<std::string>(), row[1].as<int64_t>(), Unix(now));
  }
}

void AddEvent(pqxx::work& tx, const std::string& booking_id, std::string_view event,
              const std::string& actor, absl::Time start, std::optional<absl::Time> previous,
              absl::Time now) {
  tx.exec_params(
      "INSERT INTO scheduling.booking_events "
      "  (booking_id, event, actor, start_time, previous_start_time, at) "
      "VALUES ($1::uuid, $2, $3, to_timestamp($4::bigint), "
      "  CASE WHEN $5::bigint = 0 THEN NULL ELSE to_timestamp($5::bigint) END, "
      "  to_timestamp($6::bigint))",
      booking_id, std::string(event), actor, Unix(start), previous ? Unix(*previous) : 0,
      Unix(now));
}

void CancelReminders(pqxx::work& tx, const std::string& booking_id, absl::Time now) {
  // Marked sent and received too, so the relay never picks a cancelled row up.
  tx.exec_params(
      "UPDATE scheduling.outbox SET cancelled_at = to_timestamp($2::bigint), "
      "  sent_at = coalesce(sent_at, to_timestamp($2::bigint)), "
      "  received_at = coalesce(received_at, to_timestamp($2::bigint)) "
      "WHERE booking_id = $1::uuid AND cancelled_at IS NULL",
      booking_id, Unix(now));
}

void ScheduleReminders(pqxx::work& tx, const std::vector<absl::Duration>& leads,
                       const std::string& booking_id, const std::string& case_id, absl::Time start,
                       absl::Time now) {
  for (absl::Duration lead : leads) {
    const absl::Time due = start - lead;
    if (due <= now) continue;  // booked too late for this one
    tx.exec_params(
        "INSERT INTO scheduling.outbox "
        "  (case_id, booking_id, kind, due_at, lead, booking_start, created_at) "
        "VALUES ($1::uuid, $2::uuid, 'CONSULTATION_REMINDER', to_timestamp($3::bigint), "
        "  make_interval(secs => $4::bigint), to_timestamp($6::bigint), to_timestamp($5::bigint))",
        case_id, booking_id, Unix(due), absl::ToInt64Seconds(lead), Unix(now), Unix(start));
  }
}

// The live row of a booking, locked: its status and times. nullopt for an unknown id.
struct LockedBooking {
  std::string status;  // with expired holds as EXPIRED
  std::string host_id;
  std::string case_id;
  absl::Time start;
};
std::optional<LockedBooking> Lock(pqxx::work& tx, const std::string& booking_id, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      "SELECT CASE WHEN status = 'HELD' AND hold_expires_at <= to_timestamp($2::bigint) "
      "  THEN 'EXPIRED' ELSE status END, host_id::text, case_id::text, "
      "  extract(epoch FROM start_time)::bigint "
      "FROM scheduling.bookings WHERE id = $1::uuid FOR UPDATE",
      booking_id, Unix(now));
  if (rows.empty()) return std::nullopt;
  return LockedBooking{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                       rows[0][2].as<std::string>(),
                       absl::FromUnixSeconds(rows[0][3].as<int64_t>())};
}

bool IsLive(const std::string& status) { return status == "HELD" || status == "CONFIRMED"; }

absl::Status NoLongerLive(const std::string& status) {
  return absl::FailedPreconditionError(
      absl::StrCat("the booking is ", status, " and can no longer be changed"));
}

}  // namespace

absl::StatusOr<std::map<std::string, std::vector<Interval>>> BookingStore::LiveBlocked(
    const std::vector<std::string>& host_ids, absl::Time from, absl::Time to, absl::Time now) {
  std::map<std::string, std::vector<Interval>> out;
  for (const std::string& id : host_ids) {
    if (IsUuid(id)) out[id];
  }
  if (out.empty()) return out;
  std::vector<std::string> ids;
  for (const auto& [id, unused] : out) ids.push_back(id);
  absl::Status status = pool_.InTransaction("live_blocked", [&](pqxx::work& tx) {
    for (auto& [id, ranges] : out) ranges.clear();
    const pqxx::result rows = tx.exec_params(
        "SELECT host_id::text, extract(epoch FROM lower(blocked))::bigint, "
        "  extract(epoch FROM upper(blocked))::bigint "
        "FROM scheduling.bookings "
        "WHERE host_id = ANY (string_to_array($1, ',')::uuid[]) "
        "  AND blocked && tstzrange(to_timestamp($2::bigint), to_timestamp($3::bigint), '[)') "
        "  AND (status = 'CONFIRMED' OR (status = 'HELD' AND "
        "       hold_expires_at > to_timestamp($4::bigint))) "
        "ORDER BY lower(blocked)",
        absl::StrJoin(ids, ","), Unix(from), Unix(to), Unix(now));
    for (const pqxx::row& row : rows) {
      out[row[0].as<std::string>()].push_back(
          Interval{absl::FromUnixSeconds(row[1].as<int64_t>()),
                   absl::FromUnixSeconds(row[2].as<int64_t>())});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Booking> BookingStore::Create(const std::vector<NewBooking>& bookings,
                                                 absl::Time now) {
  std::string first_id;
  absl::Status status = pool_.InTransaction("create_booking", [&](pqxx::work& tx) {
    std::vector<std::string> ids;
    for (const NewBooking& nb : bookings) {
      if (nb.one_live_per_case) {
        // Serializes the bookings of one case (until commit), so two at once cannot both pass.
        tx.exec_params(
            "SELECT pg_advisory_xact_lock(hashtextextended('scheduling.case:' || $1, 0))",
            nb.case_id);
        const pqxx::result live = tx.exec_params(
            "SELECT id::text FROM scheduling.bookings WHERE case_id = $1::uuid AND type = $2 "
            "  AND end_time > to_timestamp($3::bigint) AND (status = 'CONFIRMED' OR "
            "  (status = 'HELD' AND hold_expires_at > to_timestamp($3::bigint))) LIMIT 1",
            nb.case_id, nb.type, Unix(now));
        if (!live.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("you already have a call booked (", live[0][0].as<std::string>(),
                           "); move or cancel it instead of booking another"));
        }
      }
      ExpireHolds(tx, nb.host_id, nb.blocked, now);
      // ON CONFLICT DO NOTHING covers the exclusion constraint: a taken time inserts nothing
      // (after waiting for a competing insert to commit or roll back) instead of raising.
      const pqxx::result inserted = tx.exec_params(
          "INSERT INTO scheduling.bookings (host_id, case_id, type, start_time, end_time, "
          "  blocked, status, hold_expires_at, culture_weeks_min, culture_weeks_max, created_by, "
          "  created_at, updated_at, case_stage_pending) "
          "VALUES ($1::uuid, $2::uuid, $3, to_timestamp($4::bigint), to_timestamp($5::bigint), "
          "  tstzrange(to_timestamp($6::bigint), to_timestamp($7::bigint), '[)'), $8, "
          "  CASE WHEN $8 = 'HELD' THEN to_timestamp($9::bigint) END, nullif($10, 0), "
          "  nullif($11, 0), $12, to_timestamp($13::bigint), to_timestamp($13::bigint), "
          "  $8 = 'CONFIRMED' AND $3 = ANY (string_to_array($14, ','))) "
          "ON CONFLICT DO NOTHING RETURNING id::text",
          nb.host_id, nb.case_id, nb.type, Unix(nb.time.start), Unix(nb.time.end),
          Unix(nb.blocked.start), Unix(nb.blocked.end), nb.hold ? "HELD" : "CONFIRMED",
          Unix(nb.hold_expires_at), nb.culture_weeks_min, nb.culture_weeks_max, nb.actor, Unix(now),
          stage_types_);
      if (inserted.empty()) return absl::AlreadyExistsError("that time is no longer free");
      const std::string id = inserted[0][0].as<std::string>();
      AddEvent(tx, id, nb.hold ? "HELD" : "CONFIRMED", nb.actor, nb.time.start, std::nullopt, now);
      if (!nb.hold) ScheduleReminders(tx, reminder_leads_, id, nb.case_id, nb.time.start, now);
      ids.push_back(id);
    }
    if (ids.size() == 2) {
      tx.exec_params(
          "UPDATE scheduling.bookings SET linked_booking_id = CASE id WHEN $1::uuid THEN "
          "$2::uuid ELSE $1::uuid END WHERE id IN ($1::uuid, $2::uuid)",
          ids[0], ids[1]);
    }
    first_id = ids.empty() ? "" : ids[0];
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Get(first_id, false, now);
}

absl::StatusOr<v1::Booking> BookingStore::Get(const std::string& booking_id, bool with_history,
                                              absl::Time now) {
  if (!IsUuid(booking_id)) return absl::NotFoundError("no such booking");
  std::optional<v1::Booking> booking;
  absl::Status status = pool_.InTransaction("get_booking", [&](pqxx::work& tx) {
    booking.reset();
    const pqxx::result rows =
        tx.exec_params(absl::StrCat("SELECT ", BookingColumns(2),
                                    " FROM scheduling.bookings b WHERE b.id = $1::uuid"),
                       booking_id, Unix(now));
    if (rows.empty()) return absl::OkStatus();
    booking = BookingFromRow(rows[0]);
    if (!with_history) return absl::OkStatus();
    for (const pqxx::row& row :
         tx.exec_params("SELECT event, actor, extract(epoch FROM start_time)::bigint, "
                        "  coalesce(extract(epoch FROM previous_start_time)::bigint, 0), "
                        "  extract(epoch FROM at)::bigint "
                        "FROM scheduling.booking_events WHERE booking_id = $1::uuid ORDER BY id",
                        booking_id)) {
      v1::BookingEvent* event = booking->add_history();
      event->set_event(row[0].as<std::string>());
      event->set_actor(row[1].as<std::string>());
      SetTime(row[2].as<int64_t>(), event->mutable_start_time());
      if (const int64_t previous = row[3].as<int64_t>(); previous != 0) {
        SetTime(previous, event->mutable_previous_start_time());
      }
      SetTime(row[4].as<int64_t>(), event->mutable_at());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!booking) return absl::NotFoundError("no such booking");
  return *booking;
}

absl::StatusOr<std::vector<v1::Booking>> BookingStore::List(const std::string& host_id,
                                                            const std::string& case_id,
                                                            absl::Time from, absl::Time to,
                                                            bool include_cancelled,
                                                            absl::Time now) {
  std::vector<v1::Booking> out;
  if ((!host_id.empty() && !IsUuid(host_id)) || (!case_id.empty() && !IsUuid(case_id))) {
    return out;
  }
  absl::Status status = pool_.InTransaction("list_bookings", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", BookingColumns(5),
                     " FROM scheduling.bookings b "
                     "WHERE ($1 = '' OR b.host_id = nullif($1, '')::uuid) "
                     "  AND ($2 = '' OR b.case_id = nullif($2, '')::uuid) "
                     "  AND b.start_time < to_timestamp($4::bigint) "
                     "  AND b.end_time > to_timestamp($3::bigint) "
                     "  AND ($6 OR b.status = 'CONFIRMED' OR "
                     "       (b.status = 'HELD' AND b.hold_expires_at > to_timestamp($5::bigint))) "
                     "ORDER BY b.start_time, b.id LIMIT 2000"),
        host_id, case_id, Unix(from), Unix(to), Unix(now), include_cancelled);
    for (const pqxx::row& row : rows) out.push_back(BookingFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Booking> BookingStore::Confirm(const std::string& booking_id,
                                                  const std::string& actor, absl::Time now) {
  if (!IsUuid(booking_id)) return absl::NotFoundError("no such booking");
  absl::Status status = pool_.InTransaction("confirm_booking", [&](pqxx::work& tx) {
    const std::optional<LockedBooking> locked = Lock(tx, booking_id, now);
    if (!locked) return absl::NotFoundError("no such booking");
    if (locked->status != "HELD") {
      return absl::FailedPreconditionError(
          absl::StrCat("only a HELD booking can be confirmed; this one is ", locked->status));
    }
    // The linked visit of a held pair is confirmed with it: one visit alone is no plan.
    const pqxx::result confirmed = tx.exec_params(
        "UPDATE scheduling.bookings SET status = 'CONFIRMED', hold_expires_at = NULL, "
        "  case_stage_pending = type = ANY (string_to_array($3, ',')), "
        "  sequence = sequence + 1, updated_at = to_timestamp($2::bigint) "
        "WHERE id = $1::uuid OR (linked_booking_id = $1::uuid AND status = 'HELD' "
        "  AND hold_expires_at > to_timestamp($2::bigint)) "
        "RETURNING id::text, extract(epoch FROM start_time)::bigint",
        booking_id, Unix(now), stage_types_);
    for (const pqxx::row& row : confirmed) {
      const std::string id = row[0].as<std::string>();
      const absl::Time start = absl::FromUnixSeconds(row[1].as<int64_t>());
      AddEvent(tx, id, "CONFIRMED", actor, start, std::nullopt, now);
      ScheduleReminders(tx, reminder_leads_, id, locked->case_id, start, now);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Get(booking_id, false, now);
}

absl::StatusOr<v1::Booking> BookingStore::Cancel(const std::string& booking_id,
                                                 const std::string& actor,
                                                 const std::string& reason, absl::Time now) {
  if (!IsUuid(booking_id)) return absl::NotFoundError("no such booking");
  absl::Status status = pool_.InTransaction("cancel_booking", [&](pqxx::work& tx) {
    const std::optional<LockedBooking> locked = Lock(tx, booking_id, now);
    if (!locked) return absl::NotFoundError("no such booking");
    if (!IsLive(locked->status)) return NoLongerLive(locked->status);
    // The booking and its linked visit: cancelling one visit of a pair releases both.
    const pqxx::result cancelled = tx.exec_params(
        "UPDATE scheduling.bookings SET status = 'CANCELLED', cancel_reason = nullif($2, ''), "
        "  case_stage_pending = false, sequence = sequence + 1, "
        "  updated_at = to_timestamp($3::bigint) "
        "WHERE (id = $1::uuid OR (linked_booking_id = $1::uuid "
        "                         AND start_time > to_timestamp($3::bigint))) "
        "  AND (status = 'CONFIRMED' OR (status = 'HELD' AND "
        "       hold_expires_at > to_timestamp($3::bigint))) "
        "RETURNING id::text, extract(epoch FROM start_time)::bigint",
        booking_id, reason, Unix(now));
    for (const pqxx::row& row : cancelled) {
      const std::string id = row[0].as<std::string>();
      AddEvent(tx, id, "CANCELLED", actor, absl::FromUnixSeconds(row[1].as<int64_t>()),
               std::nullopt, now);
      CancelReminders(tx, id, now);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Get(booking_id, false, now);
}

absl::StatusOr<v1::Booking> BookingStore::Reschedule(const std::string& booking_id, Interval time,
                                                     Interval blocked, const std::string& actor,
                                                     absl::Time now, const LinkCheck& check_link) {
  if (!IsUuid(booking_id)) return absl::NotFoundError("no such booking");
  absl::Status status = pool_.InTransaction("reschedule_booking", [&](pqxx::work& tx) {
    // Both rows of a linked pair are locked (in id order, so two moves of one pair cannot
    // deadlock), and the gap is checked against the partner's start as it is now.
    const pqxx::result pair = tx.exec_params(
        "SELECT id::text, extract(epoch FROM start_time)::bigint FROM scheduling.bookings "
        "WHERE id = $1::uuid OR id = (SELECT linked_booking_id FROM scheduling.bookings "
        "                             WHERE id = $1::uuid) "
        "ORDER BY id FOR UPDATE",
        booking_id);
    const std::optional<LockedBooking> locked = Lock(tx, booking_id, now);
    if (!locked) return absl::NotFoundError("no such booking");
    if (!IsLive(locked->status)) return NoLongerLive(locked->status);
    for (const pqxx::row& row : pair) {
      if (row[0].as<std::string>() == booking_id || !check_link) continue;
      if (absl::Status s = check_link(locked->start, absl::FromUnixSeconds(row[1].as<int64_t>()));
          !s.ok()) {
        return s;
      }
    }
    ExpireHolds(tx, locked->host_id, blocked, now);
    // An overlap with another live booking raises the exclusion constraint (ALREADY_EXISTS from
    // the pool) and rolls everything back: the booking keeps its old time.
    tx.exec_params(
        "UPDATE scheduling.bookings SET start_time = to_timestamp($2::bigint), "
        "  end_time = to_timestamp($3::bigint), "
        "  blocked = tstzrange(to_timestamp($4::bigint), to_timestamp($5::bigint), '[)'), "
        "  sequence = sequence + 1, updated_at = to_timestamp($6::bigint) WHERE id = $1::uuid",
        booking_id, Unix(time.start), Unix(time.end), Unix(blocked.start), Unix(blocked.end),
        Unix(now));
    AddEvent(tx, booking_id, "RESCHEDULED", actor, time.start, locked->start, now);
    if (locked->status == "CONFIRMED") {
      CancelReminders(tx, booking_id, now);
      ScheduleReminders(tx, reminder_leads_, booking_id, locked->case_id, time.start, now);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Get(booking_id, false, now);
}

absl::StatusOr<ReminderRecord> BookingStore::Reminder(int64_t outbox_id, absl::Time now) {
  std::optional<ReminderRecord> record;
  absl::Status status = pool_.InTransaction("booking_reminder", [&](pqxx::work& tx) {
    record.reset();
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", BookingColumns(2),
                     ", o.cancelled_at IS NOT NULL, extract(epoch FROM o.lead)::bigint, "
                     "extract(epoch FROM o.booking_start)::bigint "
                     "FROM scheduling.outbox o JOIN scheduling.bookings b ON b.id = o.booking_id "
                     "WHERE o.id = $1"),
        outbox_id, Unix(now));
    if (rows.empty()) return absl::OkStatus();
    ReminderRecord r;
    r.booking = BookingFromRow(rows[0]);
    r.cancelled = rows[0][16].as<bool>();
    r.lead = absl::Seconds(rows[0][17].as<int64_t>());
    r.booking_start = absl::FromUnixSeconds(rows[0][18].as<int64_t>());
    record = std::move(r);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!record) return absl::NotFoundError("no such reminder");
  return *record;
}

absl::StatusOr<int> BookingStore::ConfirmOutbox(const std::vector<int64_t>& outbox_ids,
                                                absl::Time now) {
  int confirmed = 0;
  if (outbox_ids.empty()) return 0;
  absl::Status status = pool_.InTransaction("confirm_outbox", [&](pqxx::work& tx) {
    confirmed = static_cast<int>(
        tx.exec_params("UPDATE scheduling.outbox SET received_at = to_timestamp($2::bigint) "
                       "WHERE id = ANY (string_to_array($1, ',')::bigint[]) "
                       "  AND received_at IS NULL",
                       absl::StrJoin(outbox_ids, ","), Unix(now))
            .affected_rows());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return confirmed;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> BookingStore::PendingStageMoves(
    int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  absl::Status status = pool_.InTransaction("pending_stage_moves", [&](pqxx::work& tx) {
    out.clear();
    for (const pqxx::row& row :
         tx.exec_params("SELECT id::text, case_id::text FROM scheduling.bookings "
                        "WHERE case_stage_pending AND status = 'CONFIRMED' "
                        "ORDER BY updated_at LIMIT $1",
                        limit)) {
      out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status BookingStore::ClearStagePending(const std::string& booking_id) {
  if (!IsUuid(booking_id)) return absl::OkStatus();
  return pool_.InTransaction("clear_stage_pending", [&](pqxx::work& tx) {
    tx.exec_params("UPDATE scheduling.bookings SET case_stage_pending = false WHERE id = $1::uuid",
                   booking_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Booking>> BookingStore::FeedBookings(const std::string& host_id,
                                                                    absl::Time since,
                                                                    absl::Time now) {
  std::vector<v1::Booking> out;
  if (!IsUuid(host_id)) return out;
  absl::Status status = pool_.InTransaction("feed_bookings", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", BookingColumns(3),
                     " FROM scheduling.bookings b WHERE b.host_id = $1::uuid "
                     "  AND b.end_time > to_timestamp($2::bigint) AND b.status <> 'EXPIRED' "
                     "ORDER BY b.start_time, b.id LIMIT 5000"),
        host_id, Unix(since), Unix(now));
    for (const pqxx::row& row : rows) {
      v1::Booking b = BookingFromRow(row);
      if (b.status() != v1::EXPIRED) out.push_back(std::move(b));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace carebridge::scheduling
