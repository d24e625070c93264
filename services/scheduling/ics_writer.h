// RFC 5545 iCalendar feed of one host's bookings: pure text rendering, no I/O, no clock (the
// caller passes `now`), thread-safe, deterministic (the same input gives the same bytes).
//
// Contract of RenderCalendar's output:
//  - Every line, the last included, ends with CRLF.
//  - Content lines are folded so that no line exceeds 75 octets excluding its CRLF; a
//    continuation line starts with exactly one space (which counts toward its 75). A fold never
//    falls inside a UTF-8 sequence nor inside a backslash escape, so every physical line is
//    valid UTF-8 on its own. Unfolding (deleting each CRLF followed by one space) restores the
//    content line.
//  - TEXT values (UID, SUMMARY, DESCRIPTION, PRODID, X-WR-CALNAME) are escaped: backslash ->
//    \\, semicolon -> \;, comma -> \,, newline (LF, CRLF or a lone CR) -> \n. Other control
//    characters (C0 except HTAB, and DEL), which RFC 5545 does not allow in TEXT, are dropped;
//    bytes that are not valid UTF-8 become U+FFFD. Input is otherwise kept byte for byte.
//  - Times are UTC date-times "YYYYMMDDTHHMMSSZ", truncated to the second (floor). Times before
//    0001-01-01T00:00:00Z or after 9999-12-31T23:59:59Z (absl::InfinitePast/Future included)
//    are clamped to those bounds so the value stays well-formed.
//  - Layout: BEGIN:VCALENDAR, VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD:PUBLISH,
//    X-WR-CALNAME (only when `name` is not empty), then one VEVENT per event in the given order
//    (UID, DTSTAMP = `now`, DTSTART, DTEND, SUMMARY, DESCRIPTION only when not empty, STATUS,
//    SEQUENCE, LAST-MODIFIED), then END:VCALENDAR.
//  - STATUS is CANCELLED when `cancelled` (it wins over `tentative`), else TENTATIVE when
//    `tentative`, else CONFIRMED. A negative sequence is written as 0 (SEQUENCE is >= 0).
//  - Values are written as given otherwise: the caller keeps UIDs unique and end >= start.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace carebridge::scheduling {

struct CalendarEvent {
  std::string uid;           // e.g. "<booking id>@carebridge.local" -- stable per booking
  absl::Time start;          // UTC
  absl::Time end;            // UTC
  std::string summary;       // e.g. "Intro call -- CB-2026-000042"; any UTF-8
  std::string description;   // optional: omitted when empty
  bool cancelled = false;    // STATUS:CANCELLED
  bool tentative = false;    // a HELD booking: STATUS:TENTATIVE (unless cancelled)
  int sequence = 0;          // SEQUENCE (bumps on changes)
  absl::Time last_modified;  // LAST-MODIFIED
};

struct CalendarInfo {
  std::string product_id = "-//CareBridge//Scheduling//EN";  // PRODID
  std::string name;                                          // X-WR-CALNAME; omitted when empty
};

// The whole VCALENDAR text (see the contract above); `now` is every VEVENT's DTSTAMP.
std::string RenderCalendar(const CalendarInfo& info, const std::vector<CalendarEvent>& events,
                           absl::Time now);

}  // namespace carebridge::scheduling
