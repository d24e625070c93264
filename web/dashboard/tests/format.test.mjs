// node --test web/dashboard/tests/ — format.js, including the zone arithmetic behind the booking
// picker's window (midnight of a date in the patient's zone; 7 calendar days, DST-safe).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fmt from "../format.js";

const iso = (ms) => new Date(ms).toISOString();
const HOUR = 3600 * 1000;

test("tzOffset: fixed and DST zones", () => {
  assert.equal(fmt.tzOffset(Date.UTC(2027, 2, 14, 12), "Asia/Tokyo"), 9 * HOUR);
  assert.equal(fmt.tzOffset(Date.UTC(2027, 2, 14, 12), "UTC"), 0);
  assert.equal(fmt.tzOffset(Date.UTC(2027, 2, 14, 6, 59), "America/New_York"), -5 * HOUR); // 01:59 EST
  assert.equal(fmt.tzOffset(Date.UTC(2027, 2, 14, 7, 0), "America/New_York"), -4 * HOUR); // 03:00 EDT
  assert.equal(fmt.tzOffset(Date.UTC(2027, 2, 14, 12, 0, 0, 999), "Asia/Kolkata"), 5.5 * HOUR);
  assert.throws(() => fmt.tzOffset(0, "Nowhere/Atlantis"), RangeError);
});

test("zonedMidnightUtc: America/New_York across the 2027-03-14 spring-forward", () => {
  assert.equal(iso(fmt.zonedMidnightUtc("2027-03-13", "America/New_York")), "2027-03-13T05:00:00.000Z");
  assert.equal(iso(fmt.zonedMidnightUtc("2027-03-14", "America/New_York")), "2027-03-14T05:00:00.000Z"); // EST midnight
  assert.equal(iso(fmt.zonedMidnightUtc("2027-03-15", "America/New_York")), "2027-03-15T04:00:00.000Z"); // EDT midnight
  // The switch day has 23 hours; a week containing it 167.
  assert.equal(fmt.zonedMidnightUtc("2027-03-15", "America/New_York") - fmt.zonedMidnightUtc("2027-03-14", "America/New_York"), 23 * HOUR);
  const from = fmt.zonedMidnightUtc("2027-03-10", "America/New_York");
  const to = fmt.zonedMidnightUtc(fmt.addDaysYmd("2027-03-10", 7), "America/New_York");
  assert.equal(to - from, 7 * 24 * HOUR - HOUR);
});

test("zonedMidnightUtc: America/New_York across the 2027-11-07 fall-back", () => {
  assert.equal(iso(fmt.zonedMidnightUtc("2027-11-07", "America/New_York")), "2027-11-07T04:00:00.000Z");
  assert.equal(iso(fmt.zonedMidnightUtc("2027-11-08", "America/New_York")), "2027-11-08T05:00:00.000Z");
  const from = fmt.zonedMidnightUtc("2027-11-05", "America/New_York");
  const to = fmt.zonedMidnightUtc(fmt.addDaysYmd("2027-11-05", 7), "America/New_York");
  assert.equal(to - from, 7 * 24 * HOUR + HOUR);
});

test("zonedMidnightUtc: Asia/Tokyo (no DST) is the previous day 15:00 UTC, 7 days = 168 h", () => {
  assert.equal(iso(fmt.zonedMidnightUtc("2027-03-14", "Asia/Tokyo")), "2027-03-13T15:00:00.000Z");
  assert.equal(iso(fmt.zonedMidnightUtc("2027-01-01", "Asia/Tokyo")), "2026-12-31T15:00:00.000Z");
  const from = fmt.zonedMidnightUtc("2027-03-10", "Asia/Tokyo");
  assert.equal(fmt.zonedMidnightUtc(fmt.addDaysYmd("2027-03-10", 7), "Asia/Tokyo") - from, 7 * 24 * HOUR);
});

test("zonedMidnightUtc: midnight that does not exist starts the day at the switch", () => {
  // Asia/Beirut springs forward at 00:00 on the last Sunday of March: the day begins at 01:00 +03.
  assert.equal(iso(fmt.zonedMidnightUtc("2027-03-28", "Asia/Beirut")), "2027-03-27T22:00:00.000Z");
  // America/Santiago springs forward at 24:00 on the first Saturday of September.
  assert.equal(iso(fmt.zonedMidnightUtc("2027-09-05", "America/Santiago")), "2027-09-05T04:00:00.000Z");
});

test("zonedMidnightUtc: the result reads as 00:00 (or the day's first instant) in the zone", () => {
  for (const zone of ["UTC", "Europe/Berlin", "Australia/Sydney", "Pacific/Chatham", "Asia/Kolkata", "America/Los_Angeles"]) {
    for (const day of ["2027-01-15", "2027-03-28", "2027-04-04", "2027-10-03", "2027-10-31"]) {
      const ms = fmt.zonedMidnightUtc(day, zone);
      assert.equal(fmt.ymdInZone(ms, zone), day, `${day} ${zone}`);
      assert.equal(fmt.ymdInZone(ms - 1, zone), fmt.addDaysYmd(day, -1), `${day} ${zone} (the instant before)`);
    }
  }
});

test("zonedMidnightUtc: bad dates and zones give null", () => {
  assert.equal(fmt.zonedMidnightUtc("2027-02-30", "UTC"), null);
  assert.equal(fmt.zonedMidnightUtc("14/03/2027", "UTC"), null);
  assert.equal(fmt.zonedMidnightUtc("", "UTC"), null);
  assert.equal(fmt.zonedMidnightUtc("2027-03-14", "Nowhere/Atlantis"), null);
});

test("addDaysYmd and ymdInZone", () => {
  assert.equal(fmt.addDaysYmd("2027-03-10", 7), "2027-03-17");
  assert.equal(fmt.addDaysYmd("2027-12-28", 7), "2028-01-04");
  assert.equal(fmt.addDaysYmd("2028-02-28", 1), "2028-02-29");
  assert.equal(fmt.addDaysYmd("2027-03-01", -1), "2027-02-28");
  assert.equal(fmt.addDaysYmd("nope", 1), "");
  const instant = Date.UTC(2027, 2, 14, 16, 0);
  assert.equal(fmt.ymdInZone(instant, "Asia/Tokyo"), "2027-03-15");
  assert.equal(fmt.ymdInZone(new Date(instant), "America/New_York"), "2027-03-14");
});

test("wallTime and calendarDay keep the stated wall time, whatever the zone", () => {
  assert.deepEqual(fmt.wallTime("2027-03-14T09:00:00-04:00"), { date: "2027-03-14", time: "09:00" });
  assert.deepEqual(fmt.wallTime(""), { date: "", time: "" });
  // ICU versions differ on the comma after the weekday (node 18's system ICU writes one).
  assert.match(fmt.calendarDay("2027-03-14"), /^Sun,? 14 Mar$/);
  assert.equal(fmt.calendarDay(""), fmt.DASH);
});

test("time and dateTime in a named zone", () => {
  assert.equal(fmt.time("2027-03-14T00:30:00Z", "Asia/Tokyo"), "09:30");
  assert.equal(fmt.time("not a date"), fmt.DASH);
  assert.match(fmt.dayLabel("2027-03-14T20:00:00Z", "Asia/Tokyo"), /^Mon,? 15 Mar$/);
  assert.equal(fmt.date(undefined), fmt.DASH);
});

test("small labels", () => {
  assert.equal(fmt.duration(45 * 60000), "45 min");
  assert.equal(fmt.duration(5 * HOUR + 10 * 60000), "5 h 10 min");
  assert.equal(fmt.duration(76 * HOUR), "3 d 4 h");
  assert.equal(fmt.duration(-5), "0 min");
  assert.equal(fmt.usd(12000), "$12,000");
  assert.equal(fmt.usd(""), fmt.DASH);
  assert.equal(fmt.usdRange(1000, 2000), "$1,000 – $2,000");
  assert.equal(fmt.stageLabel("CONSULTATION_BOOKED"), "Consultation booked");
  assert.equal(fmt.stageLabel("ODD"), "ODD");
  assert.equal(fmt.mrs(0), "0 – no symptoms");
  assert.equal(fmt.mrs(null), fmt.DASH);
  assert.equal(fmt.sinceStroke(0), "0 months (acute)");
  assert.equal(fmt.sinceStroke(1), "1 month (subacute)");
  assert.equal(fmt.sinceStroke(6), "6 months (chronic)");
  assert.equal(fmt.followUpState("FOLLOW_UP_DEAD"), "DEAD");
  assert.equal(fmt.actor("user:u1", (id) => (id === "u1" ? "a@b.c" : "")), "a@b.c");
  assert.equal(fmt.actor("system", () => ""), "system");
  assert.equal(fmt.text(0), "0");
  assert.equal(fmt.text(""), fmt.DASH);
});
