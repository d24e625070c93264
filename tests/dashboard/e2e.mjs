// Browser end-to-end test of the public contact form (/) and the coordinator dashboard
// (/dashboard/), in Debian's Chromium driven by playwright-core. Plain ESM for node 18 and later.
//
// tests/dashboard/dashboard_e2e_test.cc runs it against a real stack it seeded, then checks in
// PostgreSQL and over gRPC what the browser did. By hand, against `infra/up` (after seeding a
// coordinator who is a scheduling host, and an admin):
//   GATEWAY_URL=http://127.0.0.1:8080 COORDINATOR_EMAIL=... COORDINATOR_PASSWORD=... \
//   ADMIN_EMAIL=... ADMIN_PASSWORD=... HOST_NAME=... node tests/dashboard/e2e.mjs [contact]
// `contact` runs part (a) alone, the public form (it needs only GATEWAY_URL and SCREENSHOT_DIR);
// by default part (b), the dashboard, follows on the case part (a) created.
//
// Environment:
//   GATEWAY_URL            base URL of the gateway
//   COORDINATOR_EMAIL/_PASSWORD   a coordinator who is a scheduling host (HOST_NAME) with free slots
//   ADMIN_EMAIL/_PASSWORD  an admin, for the admin page
//   HOST_NAME              the coordinator's host, as the "Host" select names it
//   PATIENT_NAME, PATIENT_EMAIL, NOTE_TEXT   what the browser types (the driver looks for them);
//                          the name carries markup (<b>) that must stay text on every page
//   PATIENT_COUNTRY        the country of residence typed (JP: the dashboard guesses Asia/Tokyo)
//   PATIENT_ZONE, HOST_ZONE   the patient's zone the dashboard must guess, the host's zone: the
//                          chosen slot's label must show both times, as far apart as the zones
//   DEAD_CASE_ID           a case with a DEAD follow-up (the overview must show it); optional
//   SCREENSHOT_DIR         where the screenshots go (created); also result.json: {reference}
//   CHROMIUM               the browser (default /usr/bin/chromium)
//
// The browser runs in America/New_York: neither the patient's zone nor the host's. The booked
// slot's start is printed as a line CHOSEN_SLOT=<ISO instant> for the driver to compare with the
// stored booking.
//
// Each step is one function. A failing step stops the run with the step's name and what it
// expected, leaves FAILED-<step>.png in SCREENSHOT_DIR, and the process exits 1.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const env = process.env;
const config = {
  gatewayUrl: required("GATEWAY_URL").replace(/\/$/, ""),
  coordinatorEmail: env.COORDINATOR_EMAIL || "",
  coordinatorPassword: env.COORDINATOR_PASSWORD || "",
  adminEmail: env.ADMIN_EMAIL || "",
  adminPassword: env.ADMIN_PASSWORD || "",
  hostName: env.HOST_NAME || "",
  patientName: env.PATIENT_NAME || "Ada <b>E2E</b> Tester",
  patientCountry: env.PATIENT_COUNTRY || "JP",
  patientZone: env.PATIENT_ZONE || "Asia/Tokyo",
  hostZone: env.HOST_ZONE || "Europe/Berlin",
  deadCaseId: env.DEAD_CASE_ID || "",
  patientEmail: env.PATIENT_EMAIL || "ada.e2e.patient@example.org",
  noteText: env.NOTE_TEXT || "Called the family; they prefer a morning intro call.",
  screenshotDir: required("SCREENSHOT_DIR"),
  chromium: env.CHROMIUM || "/usr/bin/chromium",
};

// The message a patient might paste: it must stay text wherever it is shown.
const HOSTILE_MESSAGE =
  'My father had a stroke. <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';
const REFERENCE = /CB-\d{4}-\d{6,}/;
// The browser's own zone: neither the patient's nor the host's.
const BROWSER_ZONE = "America/New_York";
// Generous: the stack runs on a loaded 2-core machine next to other tests.
const TIMEOUT_MS = 30000;

function required(name) {
  const value = env[name];
  if (!value) {
    console.error(`e2e: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

class StepFailure extends Error {}

// Fails the current step with `message` unless `condition` holds.
function check(condition, message) {
  if (!condition) throw new StepFailure(message);
}

// Waits until `locator` (the first match) is visible; fails the step naming `what`.
async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: "visible", timeout: TIMEOUT_MS });
  } catch {
    throw new StepFailure(`${what} did not appear within ${TIMEOUT_MS / 1000} s`);
  }
  return locator.first();
}

// Waits until the text of `locator` matches `pattern` (a RegExp or a substring); returns it.
async function textMatches(locator, pattern, what) {
  const matches = (text) =>
    pattern instanceof RegExp ? pattern.test(text) : text.includes(pattern);
  const deadline = Date.now() + TIMEOUT_MS;
  let text = "";
  for (;;) {
    text = (await locator.first().textContent({ timeout: TIMEOUT_MS }).catch(() => "")) || "";
    if (matches(text)) return text;
    if (Date.now() > deadline) {
      throw new StepFailure(`${what}: expected ${pattern} within ${TIMEOUT_MS / 1000} s; ` +
                            `the text is ${JSON.stringify(text.trim().slice(0, 300))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(config.screenshotDir, `${name}.png`), fullPage: true });
}

// The policy's directives: {"script-src": ["'self'"], ...} (names lower-cased).
function cspDirectives(policy) {
  const directives = {};
  for (const part of policy.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = values;
  }
  return directives;
}

// The main document `response` (of page.goto) carries a Content-Security-Policy that allows
// scripts from this origin only (script-src 'self', or no script-src under default-src 'self')
// and nothing inline; `extra` are directives it must contain word for word.
function expectStrictCsp(response, what, extra = []) {
  check(response !== null, `${what}: page.goto gave no response`);
  const policy = response.headers()["content-security-policy"] || "";
  check(policy !== "", `${what}: no Content-Security-Policy header on ${response.url()}`);
  check(!/unsafe-inline/i.test(policy), `${what}: the CSP allows 'unsafe-inline': ${policy}`);
  check(!/unsafe-eval/i.test(policy), `${what}: the CSP allows 'unsafe-eval': ${policy}`);
  const directives = cspDirectives(policy);
  const scripts = directives["script-src"] || directives["default-src"] || [];
  check(scripts.length === 1 && scripts[0] === "'self'",
        `${what}: scripts are not limited to script-src 'self' (effective: ` +
        `${JSON.stringify(scripts)}): ${policy}`);
  for (const directive of extra) {
    check(policy.split(";").map((d) => d.trim()).includes(directive),
          `${what}: the CSP lacks "${directive}": ${policy}`);
  }
}

// The patient's name (with its <b>) is shown as text in `container`: no <b> element in it, and
// the literal markup visible.
async function expectNameAsText(page, container, what) {
  await textMatches(page.locator(container), config.patientName, `${what}: the patient's name as text`);
  const elements = await page.locator(`${container} b`).count();
  check(elements === 0, `${what}: the patient's name was inserted as HTML (${elements} <b> in ${container})`);
}

// The browser errors a step must not cause: uncaught exceptions and CSP violations on any page.
function watchPage(page, problems) {
  page.on("pageerror", (error) => problems.push(`uncaught in the page: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP violation: ${message.text()}`);
    }
  });
  page.setDefaultTimeout(TIMEOUT_MS);
}

// ---- Part (a): the public contact form ----------------------------------------------------

// Fills the required fields (and the hostile message) with `email` and sends the form.
async function fillAndSendContactForm(page, name, email) {
  await page.getByLabel(/Full name/).fill(name);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel("Country you live in").fill(config.patientCountry);
  await page.getByLabel(/Anything else we should know/).fill(HOSTILE_MESSAGE);
  await page.getByLabel(/I agree that CareBridge may contact me/).check();
  await page.getByRole("button", { name: "Send inquiry" }).click();
}

// The error is next to the email field (its described-by error, the field marked invalid) and
// the summary at the top links to the field.
async function expectEmailError(page) {
  const error = page.locator("#email-error");
  await textMatches(error, /email address/i, "the error next to the email field");
  const email = page.getByLabel(/^Email/);
  check((await email.getAttribute("aria-invalid")) === "true",
        "the email field is not marked aria-invalid=true");
  const describedBy = (await email.getAttribute("aria-describedby")) || "";
  check(describedBy.split(/\s+/).includes("email-error"),
        `the email field's aria-describedby (${describedBy}) does not name #email-error`);
  const summary = await visible(page.locator("#error-summary"), "the error summary");
  await visible(summary.locator('a[href="#email"]'), "the summary's link to the email field");
}

// With JavaScript (web/static/contact.js): the required fields are checked before sending, and
// the server's field errors come back by fetch onto the same page.
async function contactFormRejectsInvalidEmail(page) {
  expectStrictCsp(await page.goto(`${config.gatewayUrl}/`), "the contact form");
  await visible(page.getByRole("heading", { name: "Contact us" }), "the contact form heading");
  await visible(page.locator("#contact-form[data-enhanced]"), "the form enhanced by contact.js");
  await screenshot(page, "contact");
  // Nothing filled in: the browser names the required fields without a round trip.
  await page.getByRole("button", { name: "Send inquiry" }).click();
  await textMatches(page.locator("#full_name-error"), "Please enter the patient's or your full name.",
                    "the client-side error next to the name field");
  await textMatches(page.locator("#contact_consent-error"), /Please agree to be contacted/,
                    "the client-side error next to the consent box");
  await fillAndSendContactForm(page, config.patientName, "not-an-email");
  await expectEmailError(page);
  check(new URL(page.url()).pathname === "/",
        `the errors came by a page load (${page.url()}), not by fetch onto the same page`);
  await textMatches(page.locator("#full_name-error"), /^$/, "the fixed name's error, cleared");
  await screenshot(page, "contact-errors");
}

// The form in Japanese: by ?lang=ja and by Accept-Language, with the required-field errors in
// Japanese and a switch back to English.
async function contactFormInJapanese(context) {
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.setExtraHTTPHeaders({ "Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8" });
    await page.goto(`${config.gatewayUrl}/`);
    check(await page.locator("html").getAttribute("lang") === "ja",
          "Accept-Language ja did not give the Japanese page (html lang)");
    await visible(page.getByRole("heading", { name: "お問い合わせ" }), "the Japanese heading");
    await page.getByRole("button", { name: "送信する" }).click();
    await textMatches(page.locator("#email-error"), "メールアドレスを入力してください。",
                      "the Japanese error next to the email field");
    await visible(page.getByRole("heading", { name: "入力内容をご確認ください" }),
                  "the Japanese error summary heading");
    await visible(page.locator('#error-summary a[href="#email"]').getByText(/メールアドレス/),
                  "the summary's link to the email field, named in Japanese");
    await screenshot(page, "contact-ja");
    await page.getByRole("link", { name: "English" }).click();
    await visible(page.getByRole("heading", { name: "Contact us" }), "the English page after the switch");
    check(new URL(page.url()).searchParams.get("lang") === "en", "the switch did not ask for lang=en");
  } finally {
    await page.close();
  }
}

// Returns the reference the thank-you page shows.
async function contactFormAcceptsFixedEmail(page) {
  await page.getByLabel(/^Email/).fill(config.patientEmail);
  await page.getByRole("button", { name: "Send inquiry" }).click();
  await visible(page.getByRole("heading", { name: /Thank you/ }), "the thank-you heading");
  const text = await textMatches(page.locator(".reference"), REFERENCE,
                                 "the reference on the thank-you page");
  await screenshot(page, "thanks");
  return text.match(REFERENCE)[0];
}

// Without JavaScript the same form works by plain posts: the server re-renders it with the
// errors, then shows its thank-you page. (A page of its own with script execution turned off:
// the persistent context cannot open a second context with javaScriptEnabled: false.)
async function contactFormWorksWithoutJavaScript(context) {
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(TIMEOUT_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
    await page.goto(`${config.gatewayUrl}/`);
    check(await page.locator("#contact-form[data-enhanced]").count() === 0,
          "contact.js ran although scripts are off");
    await fillAndSendContactForm(page, `${config.patientName} NoScript`, "still-not-an-email");
    await expectEmailError(page);
    check(await page.getByLabel(/Full name/).inputValue() === `${config.patientName} NoScript`,
          "the re-rendered form lost the name typed");
    await page.getByLabel(/^Email/).fill(`noscript.${config.patientEmail}`);
    // The re-rendered form keeps the consent box as it was posted (checked).
    await page.getByRole("button", { name: "Send inquiry" }).click();
    await textMatches(page.locator(".reference"), REFERENCE, "the no-JavaScript thank-you page");
  } finally {
    await page.close();
  }
}

// ---- Part (b): the dashboard ---------------------------------------------------------------

async function dashboardLogin(page, email, password) {
  expectStrictCsp(await page.goto(`${config.gatewayUrl}/dashboard/`), "the dashboard",
                  ["default-src 'none'", "script-src 'self'"]);
  const form = await visible(page.locator("#login-form"), "the login form");
  await screenshot(page, "login");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Log in" }).click();
  await visible(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }),
                "the main navigation after logging in");
}

async function inboxFindsCase(page, reference) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  const filters = await visible(page.locator("#inbox-filters"), "the inbox filters");
  await filters.getByLabel("Search").fill(reference);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  const table = page.locator("#inbox-table");
  await textMatches(table, reference, "the inbox table searched by reference");
  await expectNameAsText(page, "#inbox-table", "the inbox");
  await expectNameAsText(page, "#main", "the inbox");
  await screenshot(page, "inbox");
  await table.getByRole("link", { name: reference }).click();
  await textMatches(page.getByRole("heading", { level: 1 }), reference, "the case page heading");
  await textMatches(page.getByRole("heading", { level: 1 }), config.patientName,
                    "the patient's name (as text) in the case page heading");
  await expectNameAsText(page, "#main", "the case page");
}

async function caseShowsHostileMessageAsText(page) {
  await textMatches(page.locator("#case-details"), "<script>window.__pwned=1</script>",
                    "the patient's message shown as text on the case page");
  const pwned = await page.evaluate(() => window.__pwned);
  check(pwned === undefined, `the patient's message ran as script (window.__pwned=${pwned})`);
  const injected = await page.locator('#case-details img[src="x"], #case-details script').count();
  check(injected === 0, "the patient's message was inserted as HTML elements");
}

async function caseMovesToContacted(page) {
  const stage = page.locator("#stage");
  await textMatches(stage, "(NEW)", "the stage of the new case");
  await stage.getByRole("button", { name: "Move to CONTACTED" }).click();
  await textMatches(stage, "(CONTACTED)", "the stage after moving to CONTACTED");
  await textMatches(page.locator("#timeline"), /NEW\s*→\s*CONTACTED/,
                    "the stage change on the timeline");
}

async function caseNoteOnTimeline(page) {
  await page.getByLabel("Note", { exact: true }).fill(config.noteText);
  await page.getByRole("button", { name: "Add note" }).click();
  await textMatches(page.locator("#timeline"), config.noteText, "the note on the timeline");
}

// `instant` (a Date) in `zone` as the dashboard names slots: {day: "Sun 14 Mar", time: "09:30"}.
function wallClock(instant, zone) {
  const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric",
                                         month: "short", hour: "2-digit", minute: "2-digit",
                                         hourCycle: "h23" })
          .formatToParts(instant).map((part) => [part.type, part.value]));
  return { day: `${parts.weekday} ${parts.day} ${parts.month}`, time: `${parts.hour}:${parts.minute}` };
}

// The offset of `zone` from UTC at `instant`, in minutes (Asia/Tokyo: 540).
function offsetMinutes(instant, zone) {
  const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "numeric",
                                         day: "numeric", hour: "numeric", minute: "numeric",
                                         second: "numeric", hourCycle: "h23" })
          .formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

const minutesOf = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// Books the first free intro call of the coordinator's own host. The patient's zone is guessed
// from the country of residence; the slot's name shows the patient's time and the host's, which
// must be the booked instant in those zones, as far apart as the zones are at that instant.
// Prints CHOSEN_SLOT=<ISO instant> (what was booked) for the driver.
async function caseBooksConsultation(page) {
  const bookings = page.locator("#bookings");
  await bookings.getByLabel("Host", { exact: true }).selectOption({ label: config.hostName });
  const zone = bookings.getByLabel("Patient time zone");
  const guessed = await zone.inputValue();
  check(guessed === config.patientZone,
        `the patient time zone is "${guessed}", not ${config.patientZone} (guessed from ` +
        `the country of residence ${config.patientCountry})`);
  await bookings.getByRole("button", { name: "Show free times" }).click();
  // Slot buttons only (their names end "(host HH:MM)"; not a day's "Show all N times"), the
  // second enabled one: the host takes bookings with no notice, so the first may start within the
  // second it takes to click Book, and then be refused as past.
  const slots = page.locator("#slots").getByRole("button", { name: /\(host [^)]*\d{2}:\d{2}\)$/ });
  await visible(slots, "a free slot in #slots");
  let slot = null;
  for (let i = 0, enabled = 0; i < (await slots.count()); ++i) {
    if ((await slots.nth(i).isEnabled()) && ++enabled === 2) {
      slot = slots.nth(i);
      break;
    }
  }
  check(slot !== null, "fewer than two slot buttons in #slots are enabled");
  const label = ((await slot.getAttribute("aria-label")) || (await slot.textContent()) || "").trim();
  // Months are 3 letters in en-GB, except "Sept".
  const named = /^(\w{3} \d{1,2} \w{3,4}) (\d{2}:\d{2}) \(host (?:(\w{3} \d{1,2} \w{3,4}) )?(\d{2}:\d{2})\)$/
      .exec(label);
  check(named !== null, `the slot's name "${label}" is not "<Ddd D Mmm> <HH:MM> (host [<day> ]<HH:MM>)"`);
  const [, patientDay, patientTime, hostDayNamed, hostTime] = named;
  await slot.click();
  check((await slot.getAttribute("aria-pressed")) === "true", `the chosen slot "${label}" is not aria-pressed`);
  const chosen = await textMatches(page.locator("#chosen-slot"), config.patientZone,
                                   "the chosen slot line naming the patient's zone");
  check(chosen.includes(config.hostZone), `#chosen-slot does not name the host's zone: ${chosen}`);
  const booked = page.waitForRequest((request) =>
      request.method() === "POST" && new URL(request.url()).pathname === "/v1/bookings");
  await bookings.getByRole("button", { name: "Book", exact: true }).click();
  const request = await booked;
  const startTime = (request.postDataJSON() || {}).startTime || "";
  const start = new Date(startTime);
  check(!Number.isNaN(start.getTime()), `the booking request has no startTime: ${request.postData()}`);
  await visible(bookings.getByRole("button", { name: "Cancel booking" }),
                "the new booking (with its Cancel booking button) in #bookings");

  // The name shows the booked instant in the patient's zone and in the host's.
  const inPatientZone = wallClock(start, config.patientZone);
  const inHostZone = wallClock(start, config.hostZone);
  check(patientDay === inPatientZone.day && patientTime === inPatientZone.time,
        `the slot "${label}" names ${patientDay} ${patientTime} for the patient; the booked ` +
        `${start.toISOString()} is ${inPatientZone.day} ${inPatientZone.time} in ${config.patientZone}`);
  const hostDay = hostDayNamed || patientDay;
  check(hostDay === inHostZone.day && hostTime === inHostZone.time,
        `the slot "${label}" names ${hostDay} ${hostTime} for the host; the booked ` +
        `${start.toISOString()} is ${inHostZone.day} ${inHostZone.time} in ${config.hostZone}`);
  // And the two times are as far apart as the zones at that instant (Tokyo-Berlin: 8 h, 7 h in
  // Berlin's summer). The host's day, when named, is another day: here the day before.
  const apart = offsetMinutes(start, config.patientZone) - offsetMinutes(start, config.hostZone);
  check(apart !== 0, `${config.patientZone} and ${config.hostZone} are not apart at ${start.toISOString()}`);
  const shown = minutesOf(patientTime) - minutesOf(hostTime) + (hostDayNamed ? 1440 : 0);
  check(shown === apart,
        `the slot "${label}" shows the patient's and the host's times ${shown} min apart; ` +
        `${config.patientZone} is ${apart} min ahead of ${config.hostZone} then`);
  await screenshot(page, "case");
  console.log(`CHOSEN_SLOT=${start.toISOString()}`);
  return label;
}

async function calendarShowsBooking(page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calendar" }).click();
  const calendar = await visible(page.locator("#calendar"), "the calendar");
  // The first free slot may lie in the next week (the booking shows the patient's name).
  const booking = calendar.getByText(config.patientName, { exact: true });
  const shown = await booking.first().waitFor({ timeout: 10000 }).then(() => true, () => false);
  if (!shown) await page.getByRole("button", { name: "Next week" }).click();
  await visible(booking, "the booking (the patient's name) on the calendar");
  await expectNameAsText(page, "#calendar", "the calendar");
  await expectNameAsText(page, "#main", "the calendar page");
  await screenshot(page, "calendar");
}

// On a tablet (820x1180, portrait) the inbox and the case page fit the width: no horizontal
// scrolling of the page.
async function tabletPagesFit(page, reference) {
  const fits = async (what) => {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    check(scrollWidth <= innerWidth,
          `${what} at 820x1180 scrolls sideways: the page is ${scrollWidth} px wide in a ` +
          `${innerWidth} px window`);
  };
  await page.setViewportSize({ width: 820, height: 1180 });
  try {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
    await textMatches(page.locator("#inbox-table"), config.patientName, "the inbox table on a tablet");
    await fits("the inbox");
    await screenshot(page, "inbox-tablet");
    await page.locator("#inbox-table").getByRole("link", { name: reference }).click();
    await visible(page.locator("#bookings").getByRole("button", { name: "Cancel booking" }),
                  "the case page's booking on a tablet");
    await textMatches(page.locator("#timeline"), config.noteText, "the case page's timeline on a tablet");
    await fits("the case page");
    await screenshot(page, "case-tablet");
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

async function overviewChartsRender(page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  // Every chart draws its bars; the case charts have data: the cases this run made.
  for (const [id, size] of [["funnel-chart", "width"], ["daily-chart", "height"],
                            ["followup-chart", ""]]) {
    const chart = await visible(page.locator(`#${id}`), `#${id}`);
    await visible(chart.locator("svg[role=img]"), `the SVG of #${id}`);
    const bars = chart.locator("svg rect.bar");
    check(await bars.count() > 0, `#${id} has no bars (no rect.bar in its SVG)`);
    if (size) {
      const sizes = await bars.evaluateAll((rects, attribute) =>
          rects.map((rect) => Number(rect.getAttribute(attribute))), size);
      check(sizes.some((value) => value > 0), `#${id} shows no data: every bar's ${size} is 0`);
    }
  }
  if (config.deadCaseId) {
    // The driver made one DEAD follow-up: its row in the chart's table counts it, its bar (the
    // rect after the "DEAD" label) has a length, and #recent-dead links to its case.
    const chart = page.locator("#followup-chart");
    const row = chart.locator("table tr").filter({ has: page.locator("th", { hasText: /^DEAD$/ }) });
    check(await row.count() === 1, "#followup-chart's table has no DEAD row");
    const dead = Number(((await row.locator("td").first().textContent()) || "").replace(/\D/g, ""));
    check(dead >= 1, `#followup-chart's table counts ${dead} DEAD follow-ups, not at least 1`);
    const width = await chart.locator("svg").evaluate((svg) => {
      const label = [...svg.querySelectorAll("text")].find((text) => text.textContent === "DEAD");
      const bar = label && label.nextElementSibling;
      return bar && bar.matches("rect.bar") ? Number(bar.getAttribute("width")) : -1;
    });
    check(width > 0, `the DEAD bar of #followup-chart has no length (width ${width})`);
    await visible(page.locator(`#recent-dead a[href="#/cases/${encodeURIComponent(config.deadCaseId)}"]`),
                  "the link to the case with the DEAD follow-up in #recent-dead");
  }
  await screenshot(page, "overview");
}

async function adminPageShows(page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await dashboardLogin(page, config.adminEmail, config.adminPassword);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await textMatches(page.locator("#users-table"), config.coordinatorEmail,
                    "the users table listing the coordinator");
  await screenshot(page, "admin");
}

// ---- Running -------------------------------------------------------------------------------

async function main() {
  const groups = process.argv.slice(2);
  const wants = (group) => groups.length === 0 || groups.includes(group);
  fs.mkdirSync(config.screenshotDir, { recursive: true });
  // A fresh profile each run; Chromium must not reach the network on its own (closed here).
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "carebridge-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium,
    headless: true,
    viewport: { width: 1280, height: 900 },
    timezoneId: BROWSER_ZONE,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  context.on("page", (opened) => watchPage(opened, problems));
  for (const opened of context.pages()) watchPage(opened, problems);
  const page = context.pages()[0] || (await context.newPage());
  let current = "";
  const step = async (name, fn) => {
    current = name;
    const started = Date.now();
    const result = await fn();
    check(problems.length === 0, problems.join("; "));
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
    return result;
  };
  try {
    let reference = "";
    if (wants("contact")) {
      await step("contactFormRejectsInvalidEmail", () => contactFormRejectsInvalidEmail(page));
      reference = await step("contactFormAcceptsFixedEmail", () => contactFormAcceptsFixedEmail(page));
      await step("contactFormInJapanese", () => contactFormInJapanese(context));
      await step("contactFormWorksWithoutJavaScript",
                 () => contactFormWorksWithoutJavaScript(context));
      fs.writeFileSync(path.join(config.screenshotDir, "result.json"),
                       JSON.stringify({ reference }) + "\n");
    }
    if (wants("dashboard")) {
      check(reference !== "", "the dashboard steps need the case the contact steps create: run both");
      await step("dashboardLogin",
                 () => dashboardLogin(page, config.coordinatorEmail, config.coordinatorPassword));
      const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      check(zone === BROWSER_ZONE, `the browser runs in ${zone}, not ${BROWSER_ZONE}`);
      await step("inboxFindsCase", () => inboxFindsCase(page, reference));
      await step("caseShowsHostileMessageAsText", () => caseShowsHostileMessageAsText(page));
      await step("caseMovesToContacted", () => caseMovesToContacted(page));
      await step("caseNoteOnTimeline", () => caseNoteOnTimeline(page));
      await step("caseBooksConsultation", () => caseBooksConsultation(page));
      await step("calendarShowsBooking", () => calendarShowsBooking(page));
      await step("tabletPagesFit", () => tabletPagesFit(page, reference));
      await step("overviewChartsRender", () => overviewChartsRender(page));
      await step("adminPageShows", () => adminPageShows(page));
    }
    console.log("e2e: every step passed");
  } catch (error) {
    const what = error instanceof StepFailure ? error.message : error.stack || String(error);
    console.error(`FAIL ${current}: ${what}`);
    console.error(`     at ${page.url()}`);
    await screenshot(page, `FAILED-${current}`).catch(() => {});
    process.exitCode = 1;
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

await main();
