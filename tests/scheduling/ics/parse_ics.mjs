// Parses an iCalendar feed with Mozilla's ical.js (the parser Thunderbird uses) and prints what a
// calendar client sees, so the scheduling tests can check the service's .ics output against a real
// parser rather than against our own reading of RFC 5545.
//
// How it is run: ical.js is not vendored. The test harness copies this directory (package.json,
// package-lock.json, parse_ics.mjs) to a directory under the build dir, runs `npm ci` there, and
// runs the copy: `node <build>/tests/scheduling/ics/parse_ics.mjs <file.ics>`. The bare import
// below is resolved from this script's own directory (Node's ES module resolution ignores both
// the working directory and NODE_PATH), so the script must sit next to that node_modules/.
//
// Usage: node parse_ics.mjs <file.ics>
// Output (stdout, one line of JSON):
//   {"calname": <X-WR-CALNAME, unescaped, or null>,
//    "events": [{"uid", "summary", "status", "start", "end", "sequence"}, ...]}
// with events in file order, "start"/"end" as ISO 8601 UTC ("2026-03-02T14:00:00Z"), "summary",
// "status" and "sequence" null when absent.
// Exit 0 on success; 1 (message on stderr) when the file is not UTF-8, does not parse, is not
// exactly one VCALENDAR, a VEVENT lacks UID, DTSTAMP, DTSTART or DTEND, or one of those times is
// not a valid UTC date-time (the feed only ever writes UTC); 2 on a usage error.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function fail(message) {
  process.stderr.write(`parse_ics: ${message}\n`);
  process.exit(1);
}

// X-WR-CALNAME is TEXT in practice (Apple's extension) but ical.js types unknown X- properties
// as "unknown" and leaves their escapes (\, \; \\ \n) in the value: declare it before parsing.
ICAL.design.icalendar.property["x-wr-calname"] = { defaultType: "text" };

const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// The ISO 8601 UTC form of `name`'s value on `vevent`; fails unless it is a real UTC date-time.
// ical.js accepts malformed values ("DTSTART:2026xx" parses to "2026-xx-T::"), floating times
// and dates without complaint, hence the checks on the jCal string.
function utcDateTime(vevent, uid, name) {
  const prop = vevent.getFirstProperty(name);
  if (!prop) fail(`VEVENT ${uid} has no ${name.toUpperCase()}`);
  const [, params, type, value] = prop.toJSON();
  const where = `VEVENT ${uid} ${name.toUpperCase()} ${JSON.stringify(value)}`;
  if (type !== "date-time" || "tzid" in params || typeof value !== "string") {
    fail(`${where} is not a UTC date-time (type ${type}, params ${JSON.stringify(params)})`);
  }
  if (!UTC_DATE_TIME.test(value)) fail(`${where} is not a UTC date-time`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.toISOString().replace(".000Z", "Z") !== value) {
    fail(`${where} is not a valid date-time`);
  }
  return value;
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write("usage: node parse_ics.mjs <file.ics>\n");
    process.exit(2);
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(argv[0]));
  } catch (e) {
    fail(`cannot read ${argv[0]} as UTF-8: ${e.message}`);
  }

  let jcal;
  try {
    jcal = ICAL.parse(text);
  } catch (e) {
    fail(`${argv[0]} does not parse: ${e.message}`);
  }
  // ICAL.parse returns [] for an empty file and an array of components for several.
  if (!Array.isArray(jcal) || typeof jcal[0] !== "string") {
    fail(`${argv[0]} is not exactly one component (${jcal.length} top-level components)`);
  }
  const vcalendar = new ICAL.Component(jcal);
  if (vcalendar.name !== "vcalendar") fail(`top-level component is ${vcalendar.name}`);

  const events = vcalendar.getAllSubcomponents("vevent").map((vevent, index) => {
    const event = new ICAL.Event(vevent);
    const uid = event.uid;
    if (typeof uid !== "string" || uid === "") fail(`VEVENT #${index + 1} has no UID`);
    utcDateTime(vevent, uid, "dtstamp");
    return {
      uid,
      summary: event.summary ?? null,
      status: vevent.getFirstPropertyValue("status") ?? null,
      start: utcDateTime(vevent, uid, "dtstart"),
      end: utcDateTime(vevent, uid, "dtend"),
      sequence: event.sequence ?? null,
    };
  });

  process.stdout.write(
    JSON.stringify({ calname: vcalendar.getFirstPropertyValue("x-wr-calname") ?? null, events }) +
      "\n",
  );
}

main(process.argv.slice(2));
