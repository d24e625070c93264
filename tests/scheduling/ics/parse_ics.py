#!/usr/bin/python3
"""Parses an iCalendar feed with the icalendar library (Debian's python3-icalendar) and prints what
a calendar client sees, so the scheduling tests check the service's .ics output against a real
RFC 5545 parser rather than against our own reading of it.

Usage: parse_ics.py <file.ics>
Output (stdout, one line of JSON):
  {"calname": <X-WR-CALNAME, unescaped, or null>,
   "events": [{"uid", "summary", "status", "start", "end", "sequence"}, ...]}
with events in file order, "start"/"end" as ISO 8601 UTC ("2026-03-02T14:00:00Z"), "summary",
"status" and "sequence" null when absent.
Exit 0 on success; 1 (message on stderr) when the file is not UTF-8, does not parse, is not exactly
one VCALENDAR, a VEVENT lacks UID, DTSTAMP, DTSTART or DTEND, or one of those times is not a UTC
date-time (the feed only ever writes UTC); 2 on a usage error.
"""
import datetime
import json
import sys

import icalendar


def fail(message):
    sys.stderr.write(f"parse_ics: {message}\n")
    sys.exit(1)


def utc_date_time(event, uid, name):
    prop = event.get(name)
    if prop is None:
        fail(f"VEVENT {uid} has no {name}")
    value = prop.dt
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        fail(f"VEVENT {uid} {name} is not a UTC date-time")
    if value.utcoffset() != datetime.timedelta(0) or "TZID" in prop.params:
        fail(f"VEVENT {uid} {name} is not in UTC")
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value):
    return None if value is None else str(value)


def main(argv):
    if len(argv) != 1:
        sys.stderr.write("usage: parse_ics.py <file.ics>\n")
        sys.exit(2)
    try:
        with open(argv[0], "rb") as f:
            raw = f.read()
        raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {argv[0]} as UTF-8: {e}")
    if not raw.strip():
        fail("the file is empty")
    try:
        calendars = icalendar.Calendar.from_ical(raw, multiple=True)
    except ValueError as e:
        fail(f"does not parse: {e}")
    if len(calendars) != 1 or calendars[0].name != "VCALENDAR":
        fail("not exactly one VCALENDAR")
    calendar = calendars[0]
    events = []
    for event in calendar.walk("VEVENT"):
        uid = event.get("UID")
        if uid is None:
            fail("a VEVENT has no UID")
        uid = str(uid)
        utc_date_time(event, uid, "DTSTAMP")
        sequence = event.get("SEQUENCE")
        events.append({
            "uid": uid,
            "summary": text(event.get("SUMMARY")),
            "status": text(event.get("STATUS")),
            "start": utc_date_time(event, uid, "DTSTART"),
            "end": utc_date_time(event, uid, "DTEND"),
            "sequence": None if sequence is None else int(sequence),
        })
    print(json.dumps({"calname": text(calendar.get("X-WR-CALNAME")), "events": events},
                     ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
