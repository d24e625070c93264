// format.js — turning API values into text people read. Pure functions, no DOM.
//
// Contract: times are shown in the browser's zone (BROWSER_ZONE, named by zoneLabel()) unless a
// zone is passed; timestamps are RFC 3339 strings as the API sends them; missing values give "—".
// Domain labels (stages, mRS, cell sources, time since stroke) follow PRODUCT.md.

export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
export const DASH = "—";

export function zoneLabel(zone = BROWSER_ZONE) {
  try {
    const part = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "short" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part && part.value !== zone ? `${zone} (${part.value})` : zone;
  } catch (e) {
    return zone;
  }
}

function valid(iso) {
  if (!iso) return null;
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function dateTime(iso, zone = BROWSER_ZONE) {
  const d = valid(iso);
  if (!d) return DASH;
  return d.toLocaleString("en-GB", {
    timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit",
  });
}

export function date(iso, zone = BROWSER_ZONE) {
  const d = valid(iso);
  if (!d) return DASH;
  return d.toLocaleDateString("en-GB", { timeZone: zone, day: "numeric", month: "short", year: "numeric" });
}

export function time(iso, zone = BROWSER_ZONE) {
  const d = valid(iso);
  if (!d) return DASH;
  return d.toLocaleTimeString("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit" });
}

export function dayLabel(iso, zone = BROWSER_ZONE) {
  const d = valid(iso);
  if (!d) return DASH;
  return d.toLocaleDateString("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short" });
}

// "2027-03-14T09:00:00-04:00" -> {date: "2027-03-14", time: "09:00"}: the wall time the string
// states, whatever the browser's zone.
export function wallTime(rfc3339) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(rfc3339 || "");
  return m ? { date: m[1], time: m[2] } : { date: "", time: "" };
}

// "2027-03-14" -> "Sun 14 Mar" (a calendar date, no zone shift).
export function calendarDay(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
  if (!m) return ymd || DASH;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toLocaleDateString("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
}

// A duration in ms as "45 min", "5 h 10 min", "3 d 4 h".
export function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function usd(value) {
  if (value === undefined || value === null || value === "") return DASH;
  return usdFormat.format(Number(value));
}

export function usdRange(min, max) {
  if (min === undefined && max === undefined) return DASH;
  return `${usd(min || 0)} – ${usd(max || 0)}`;
}

export function number(value) {
  return new Intl.NumberFormat("en-US").format(Number(value || 0));
}

export const STAGE_LABELS = {
  NEW: "New",
  CONTACTED: "Contacted",
  QUALIFIED: "Qualified",
  CONSULTATION_BOOKED: "Consultation booked",
  QUOTE_SENT: "Quote sent",
  TREATMENT_SCHEDULED: "Treatment scheduled",
  COMPLETED: "Completed",
  LOST: "Lost",
  SPAM: "Spam",
};

export function stageLabel(stage) {
  return STAGE_LABELS[stage] || stage || DASH;
}

// Modified Rankin Scale.
export const MRS_MEANINGS = [
  "no symptoms",
  "no significant disability; carries out all usual activities",
  "slight disability; looks after own affairs without help",
  "moderate disability; needs some help but walks unassisted",
  "moderately severe disability; cannot walk or attend to bodily needs without help",
  "severe disability; bedridden, needs constant care",
  "dead",
];

export function mrs(score) {
  if (score === undefined || score === null) return DASH;
  return `${score} – ${MRS_MEANINGS[score] || "unknown"}`;
}

// Months since the stroke, with its phase: acute (< 1 month), subacute (1–6), chronic (≥ 6).
export function sinceStroke(months) {
  if (months === undefined || months === null) return DASH;
  const phase = months < 1 ? "acute" : months < 6 ? "subacute" : "chronic";
  const unit = months === 1 ? "month" : "months";
  return `${months} ${unit} (${phase})`;
}

export const CELL_SOURCE_LABELS = {
  AUTOLOGOUS: "Autologous (patient's own fat-derived cells)",
  ALLOGENEIC: "Allogeneic (donor umbilical-cord cells)",
  NO_PREFERENCE: "No preference",
};

export function cellSource(value) {
  return CELL_SOURCE_LABELS[value] || DASH;
}

export function strokeType(value) {
  return { ISCHAEMIC: "Ischaemic", HAEMORRHAGIC: "Haemorrhagic", STROKE_TYPE_UNKNOWN: "Unknown" }[value] || DASH;
}

export function yesNo(value) {
  return value ? "Yes" : "No";
}

export function text(value) {
  return value === undefined || value === null || value === "" ? DASH : String(value);
}

// "FOLLOW_UP_DEAD" -> "DEAD".
export function followUpState(state) {
  return String(state || "").replace(/^FOLLOW_UP_/, "") || DASH;
}

// A "user:<id>" actor as the user's email when known.
export function actor(value, userEmail) {
  if (!value) return DASH;
  const m = /^user:(.+)$/.exec(value);
  if (m) return userEmail(m[1]) || value;
  return value;
}

// YYYY-MM-DD of a Date in the browser's zone.
export function ymd(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// Local midnight of "YYYY-MM-DD" (browser zone) as a Date, or null.
export function parseYmd(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  if (!m) return null;
  const d = new Date(+m[1], +m[2] - 1, +m[3]);
  return Number.isNaN(d.getTime()) ? null : d;
}

// ---- Calendar dates in a named zone (DST-safe; Intl only, no DOM) ----

const zoneFormats = new Map();

function partsFormat(timeZone) {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    zoneFormats.set(timeZone, f);
  }
  return f;
}

// The wall clock of `ms` (UTC milliseconds) in `timeZone` as {y, m (1-12), d, hh, mm, ss}.
function wallParts(ms, timeZone) {
  const out = {};
  for (const p of partsFormat(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return { y: out.year, m: out.month, d: out.day, hh: out.hour % 24, mm: out.minute, ss: out.second };
}

// The zone's offset from UTC at the instant `ms`, in milliseconds (Tokyo: +9 h; New York in
// winter: -5 h). Throws a RangeError for an unknown zone.
export function tzOffset(ms, timeZone) {
  const w = wallParts(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm, w.ss);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

function ymdParts(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

// The UTC milliseconds at which the calendar day "YYYY-MM-DD" begins in `timeZone`: its local
// midnight, found from the zone's offset (guess = that midnight read as UTC; result = guess -
// offset(guess); then checked with the offset at the result, since a DST switch between the two
// changes it). Where midnight happens twice (a fall-back at 01:00) the earlier; where it does
// not exist (a spring-forward at 00:00) the first instant of the day. null for a bad date or zone.
export function zonedMidnightUtc(dateStr, timeZone) {
  const p = ymdParts(dateStr);
  if (!p) return null;
  const guess = Date.UTC(p.y, p.m - 1, p.d);
  try {
    const first = tzOffset(guess, timeZone);
    const offsets = [first, tzOffset(guess - first, timeZone)];
    const candidates = [...new Set(offsets)].map((o) => guess - o);
    const consistent = candidates.filter((c) => guess - tzOffset(c, timeZone) === c);
    if (consistent.length) return Math.min(...consistent);
    // A gap at midnight: the day starts at the switch, the later candidate.
    return Math.max(...candidates);
  } catch (e) {
    return null;
  }
}

// "YYYY-MM-DD" plus `days` calendar days ("2027-03-10", 7 -> "2027-03-17"), or "" for a bad date.
export function addDaysYmd(dateStr, days) {
  const p = ymdParts(dateStr);
  if (!p) return "";
  return new Date(Date.UTC(p.y, p.m - 1, p.d + days)).toISOString().slice(0, 10);
}

// The calendar date ("YYYY-MM-DD") of the instant `ms` (or a Date) in `timeZone`.
export function ymdInZone(ms, timeZone) {
  const w = wallParts(ms instanceof Date ? ms.getTime() : ms, timeZone);
  const pad = (n, l = 2) => String(n).padStart(l, "0");
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
}
