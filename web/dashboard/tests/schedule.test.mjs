// node --test web/dashboard/tests/ — schedule.js: live bookings, slot days, calendar clipping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isLive, groupSlotsByDay, daySegments } from "../schedule.js";

const NOW = Date.UTC(2027, 2, 14, 12);

test("isLive: CONFIRMED, or HELD with its hold still ahead", () => {
  assert.equal(isLive({ status: "CONFIRMED" }, NOW), true);
  assert.equal(isLive({ status: "HELD", holdExpiresAt: "2027-03-14T12:05:00Z" }, NOW), true);
  assert.equal(isLive({ status: "HELD", holdExpiresAt: "2027-03-14T11:55:00Z" }, NOW), false);
  assert.equal(isLive({ status: "HELD", holdExpiresAt: "2027-03-14T12:00:00Z" }, NOW), false);
  assert.equal(isLive({ status: "HELD" }, NOW), false);
  assert.equal(isLive({ status: "CANCELLED" }, NOW), false);
  assert.equal(isLive({ status: "EXPIRED", holdExpiresAt: "2099-01-01T00:00:00Z" }, NOW), false);
});

test("groupSlotsByDay groups by the date of localStart, in order", () => {
  const slots = [
    { localStart: "2027-03-14T23:30:00+09:00" },
    { localStart: "2027-03-15T00:00:00+09:00" },
    { localStart: "2027-03-15T00:30:00+09:00" },
  ];
  const days = groupSlotsByDay(slots);
  assert.deepEqual(days.map(([d, l]) => [d, l.length]), [["2027-03-14", 1], ["2027-03-15", 2]]);
  assert.deepEqual(groupSlotsByDay([]), []);
});

test("daySegments clips bookings to the day, including one begun the day before", () => {
  const day = Date.UTC(2027, 2, 15); // a Monday, 00:00 UTC
  const next = day + 24 * 3600 * 1000;
  const overnight = { startTime: "2027-03-14T23:00:00Z", endTime: "2027-03-15T01:00:00Z" };
  const inside = { startTime: "2027-03-15T09:00:00Z", endTime: "2027-03-15T10:00:00Z" };
  const late = { startTime: "2027-03-15T23:30:00Z", endTime: "2027-03-16T00:30:00Z" };
  const before = { startTime: "2027-03-14T22:00:00Z", endTime: "2027-03-15T00:00:00Z" };
  const segs = daySegments([overnight, inside, late, before], day, next);
  assert.equal(segs.length, 3);
  assert.deepEqual(segs[0], { booking: overnight, startMs: day, endMs: day + 3600 * 1000, clippedBefore: true, clippedAfter: false });
  assert.equal(segs[1].booking, inside);
  assert.equal(segs[1].clippedBefore || segs[1].clippedAfter, false);
  assert.deepEqual(segs[2], { booking: late, startMs: Date.UTC(2027, 2, 15, 23, 30), endMs: next, clippedBefore: false, clippedAfter: true });
  // The next day gets the rest of the late one.
  const tomorrow = daySegments([late], next, next + 24 * 3600 * 1000);
  assert.deepEqual(tomorrow.map((s) => [s.startMs, s.endMs, s.clippedBefore]), [[next, Date.UTC(2027, 2, 16, 0, 30), true]]);
});

test("daySegments: a zero-length booking counts on the day it starts; bad times are skipped", () => {
  const day = Date.UTC(2027, 2, 15);
  const next = day + 24 * 3600 * 1000;
  assert.equal(daySegments([{ startTime: "2027-03-15T00:00:00Z", endTime: "2027-03-15T00:00:00Z" }], day, next).length, 1);
  assert.equal(daySegments([{ startTime: "2027-03-16T00:00:00Z", endTime: "2027-03-16T00:00:00Z" }], day, next).length, 0);
  assert.equal(daySegments([{ startTime: "garbage" }], day, next).length, 0);
});
