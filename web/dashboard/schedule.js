// schedule.js — pure rules about bookings and slots (no DOM, importable by node --test).
//
// Contract:
// - isLive(booking, now) — a booking can still be confirmed, moved or cancelled: CONFIRMED, or
//   HELD with holdExpiresAt (RFC 3339) after `now` (ms). An expired or undated hold is not live.
// - groupSlotsByDay(slots) — [[YYYY-MM-DD, [slot...]], ...] by the date of each slot's localStart
//   (the patient's wall time), in the order the slots come.
// - daySegments(bookings, dayStartMs, dayEndMs) — the part of each booking inside one day of the
//   calendar: [{booking, startMs, endMs, clippedBefore, clippedAfter}] for every booking
//   overlapping [dayStartMs, dayEndMs) (a zero-length one counts when it starts inside), clipped
//   to the day; a booking spanning midnight has a segment on each day it covers.

export function isLive(b, now = Date.now()) {
  if (!b) return false;
  if (b.status === "CONFIRMED") return true;
  if (b.status !== "HELD") return false;
  const until = new Date(b.holdExpiresAt || "").getTime();
  return Number.isFinite(until) && until > now;
}

export function groupSlotsByDay(slots) {
  const days = new Map();
  for (const slot of slots || []) {
    const m = /^(\d{4}-\d{2}-\d{2})T/.exec(slot.localStart || "");
    const day = m ? m[1] : "";
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(slot);
  }
  return [...days];
}

export function daySegments(bookings, dayStartMs, dayEndMs) {
  const out = [];
  for (const booking of bookings || []) {
    const start = new Date(booking.startTime).getTime();
    let end = new Date(booking.endTime).getTime();
    if (!Number.isFinite(start)) continue;
    if (!Number.isFinite(end) || end < start) end = start;
    const overlaps = end > start ? start < dayEndMs && end > dayStartMs : start >= dayStartMs && start < dayEndMs;
    if (!overlaps) continue;
    out.push({
      booking,
      startMs: Math.max(start, dayStartMs),
      endMs: Math.min(end, dayEndMs),
      clippedBefore: start < dayStartMs,
      clippedAfter: end > dayEndMs,
    });
  }
  return out;
}
