// views/calendar.js — the logged-in user's week of consultations, and their calendar feed link.
//
// Contract: mount(root, route) for #/calendar?week=YYYY-MM-DD (any day of the week; default this
// week). The user's host is the one in GET /v1/hosts whose userId is theirs; without one, #not-host
// says so. The week (Monday to Sunday, browser zone, named) is a grid (#calendar) of hours with one
// region per day; bookings come from GET /v1/bookings?hostId=&from=&to=, show the patient's name
// (GET /v1/cases/{id}, cached) and link to their case. A booking is drawn on every day it
// covers, clipped to that day (one that began before Monday 00:00 shows from the top of Monday;
// one past midnight continues on the next day); "N bookings this week" counts the bookings drawn.
// "Previous week" / "This week" / "Next week" change the URL. "Create feed link" calls
// POST /v1/hosts/{hostId}/calendarToken:rotate (replacing the old link, as the page warns) and
// shows <origin>/v1/hosts/{hostId}/calendar.ics?token=... in the read-only "Calendar feed URL"
// with a "Copy" button.

import { get, post, seg } from "../api.js";
import { h, field, errorBox, setChildren, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say, sayError } from "../notify.js";
import * as router from "../router.js";
import * as session from "../session.js";
import { daySegments } from "../schedule.js";

const DAY_MS = 24 * 3600 * 1000;

function mondayOf(d) {
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const offset = (day.getDay() + 6) % 7; // Monday = 0
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() - offset);
}

function addDays(d, n) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

function hoursOf(d) {
  return d.getHours() + d.getMinutes() / 60;
}

// Patient names by case id, for the whole session of the page.
const caseNames = new Map();

async function namesFor(bookings) {
  const missing = [...new Set(bookings.map((b) => b.caseId))].filter((id) => id && !caseNames.has(id)).slice(0, 50);
  await Promise.all(
    missing.map((id) =>
      get(`/v1/cases/${seg(id)}`)
        .then((c) => caseNames.set(id, c.fullName || c.reference || id))
        .catch(() => caseNames.set(id, "")),
    ),
  );
}

export function mount(root, route) {
  let host = null;
  let types = [];
  let alive = true;
  let seq = 0;

  const heading = h("h1", {}, "My calendar");
  const errorSlot = h("div");
  const weekTitle = h("h2", { id: "week-title" });
  const prev = h("button", { type: "button", class: "secondary" }, "Previous week");
  const today = h("button", { type: "button", class: "secondary" }, "This week");
  const next = h("button", { type: "button", class: "secondary" }, "Next week");
  const grid = h("div", { id: "calendar", class: "week-grid", "aria-labelledby": "week-title" });
  const weekInfo = h("p", { class: "muted small" });
  const feedSection = h("section", { id: "calendar-feed", class: "card", "aria-labelledby": "feed-title" });
  const weekSection = h(
    "section",
    { class: "card", "aria-labelledby": "week-title" },
    h("div", { class: "week-head" }, weekTitle, h("div", { class: "button-row" }, prev, today, next)),
    weekInfo,
    h("div", { class: "week-scroll" }, grid),
  );
  root.replaceChildren(heading, errorSlot, weekSection, feedSection);
  weekSection.hidden = true;
  feedSection.hidden = true;

  let monday = mondayOf(fmt.parseYmd(route.params.get("week") || "") || new Date());
  const goWeek = (d) => router.go("/calendar", { week: fmt.ymd(d) });
  prev.addEventListener("click", () => goWeek(addDays(monday, -7)));
  next.addEventListener("click", () => goWeek(addDays(monday, 7)));
  today.addEventListener("click", () => goWeek(mondayOf(new Date())));

  const typeName = (code) => (types.find((t) => t.code === code) || {}).name || code;

  function renderWeek(bookings) {
    const days = [...Array(7)].map((_, i) => addDays(monday, i));
    const sunday = days[6];
    weekTitle.textContent = `Week of ${fmt.date(monday)} – ${fmt.date(sunday)}`;
    // Each day's part of each booking, clipped to the day (browser zone).
    const perDay = days.map((day) => daySegments(bookings, day.getTime(), addDays(day, 1).getTime()));
    // Where a part ends, in hours of its day (24 when it runs to the next midnight).
    const endHours = (seg, day) => (seg.endMs >= addDays(day, 1).getTime() ? 24 : hoursOf(new Date(seg.endMs)));
    // Hours shown: 07:00–20:00, widened to fit every drawn part.
    let first = 7;
    let last = 20;
    perDay.forEach((segs, i) => {
      for (const seg of segs) {
        first = Math.min(first, Math.floor(hoursOf(new Date(seg.startMs))));
        last = Math.max(last, Math.ceil(endHours(seg, days[i])));
      }
    });
    const span = last - first;
    grid.style.setProperty("--hours", String(span));
    const hourColumn = h(
      "div",
      { class: "hour-column", "aria-hidden": "true" },
      h("div", { class: "day-head" }, ""),
      h("div", { class: "hour-labels" }, [...Array(span)].map((_, i) => h("div", { class: "hour-label" }, `${String(first + i).padStart(2, "0")}:00`))),
    );
    const todayKey = new Date().toDateString();
    const drawn = new Set();
    const columns = days.map((day, i) => {
      const dayName = day.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
      const mine = perDay[i];
      const list = h("ol", { class: "day-bookings" });
      for (const seg of mine) {
        const b = seg.booking;
        drawn.add(b);
        const startH = hoursOf(new Date(seg.startMs));
        const top = ((startH - first) / span) * 100;
        const height = Math.max(((endHours(seg, day) - startH) / span) * 100, 2.5);
        const since = seg.clippedBefore ? ` (since ${fmt.dayLabel(b.startTime)})` : "";
        const until = seg.clippedAfter ? `${fmt.dayLabel(b.endTime)} ${fmt.time(b.endTime)}` : fmt.time(b.endTime);
        const item = h(
          "li",
          { class: `cal-booking status-${String(b.status).toLowerCase()}${seg.clippedBefore ? " continued" : ""}${seg.clippedAfter ? " continues" : ""}` },
          h(
            "a",
            { href: `#/cases/${encodeURIComponent(b.caseId)}` },
            h("span", { class: "cal-line" }, h("span", { class: "cal-time" }, `${fmt.time(b.startTime)}${since}`), " ", h("span", { class: "cal-name" }, caseNames.get(b.caseId) || "Case")),
            h("span", { class: "cal-line cal-type" }, `${typeName(b.type)} until ${until}${b.status === "HELD" ? " (held)" : ""}`),
          ),
        );
        item.style.top = `${top.toFixed(2)}%`;
        item.style.height = `${height.toFixed(2)}%`;
        list.append(item);
      }
      return h(
        "section",
        { class: `day-column${day.toDateString() === todayKey ? " today" : ""}`, "aria-label": `${dayName}: ${mine.length} booking${mine.length === 1 ? "" : "s"}` },
        h("h3", { class: "day-head" }, day.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" })),
        h("div", { class: "day-body" }, list),
      );
    });
    setChildren(grid, hourColumn, columns);
    weekInfo.textContent = `${drawn.size} booking${drawn.size === 1 ? "" : "s"} this week for ${host.name}. Times in ${fmt.zoneLabel()}; your host zone is ${host.timeZone}.`;
  }

  async function loadWeek() {
    const mySeq = ++seq;
    const from = monday;
    const to = addDays(monday, 7);
    try {
      const reply = await get("/v1/bookings", { hostId: host.hostId, from: from.toISOString(), to: to.toISOString() });
      if (!alive || mySeq !== seq) return;
      await namesFor(reply.bookings || []);
      if (!alive || mySeq !== seq) return;
      renderWeek(reply.bookings || []);
    } catch (error) {
      if (alive) setChildren(grid, errorBox(error, "the bookings"));
    }
  }

  function renderFeed() {
    const urlInput = h("input", { type: "text", readonly: true, class: "wide", placeholder: "No link created in this session" });
    const copy = h("button", { type: "button", class: "secondary", disabled: true }, "Copy");
    const create = h("button", { type: "button", class: "primary" }, "Create feed link");
    create.addEventListener("click", async () => {
      try {
        const token = await busy(create, post(`/v1/hosts/${seg(host.hostId)}/calendarToken:rotate`, {}));
        const path = token.feedPath || `/v1/hosts/${encodeURIComponent(host.hostId)}/calendar.ics?token=${encodeURIComponent(token.token)}`;
        urlInput.value = `${window.location.origin}${path}`;
        copy.disabled = false;
        say("A new calendar feed link was created; the old one no longer works.");
        urlInput.focus();
        urlInput.select();
      } catch (error) {
        sayError(`Could not create the link: ${error.message}`);
      }
    });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(urlInput.value);
      } catch (e) {
        urlInput.select();
        document.execCommand("copy");
      }
      say("Feed link copied.");
    });
    setChildren(
      feedSection,
      h("h2", { id: "feed-title" }, "Calendar feed (iCalendar)"),
      h("p", {}, "Subscribe to your bookings from Google Calendar, Outlook or Apple Calendar with a private link."),
      h("p", { class: "warning" }, "Creating a link replaces the previous one: calendars subscribed to the old link stop updating. The link is shown only once; keep it private."),
      h("div", { class: "button-row" }, create),
      h("div", { class: "inline-form" }, field("Calendar feed URL", urlInput, { id: "feed-url" }), copy),
    );
  }

  Promise.all([get("/v1/hosts")])
    .then(([reply]) => {
      if (!alive) return;
      const me = session.user();
      types = reply.consultationTypes || [];
      host = (reply.hosts || []).find((x) => me && x.userId === me.userId) || null;
      if (!host) {
        errorSlot.replaceChildren(
          h(
            "div",
            { id: "not-host", class: "notice", role: "status" },
            h("p", {}, h("strong", {}, "You are not a host, so you have no calendar here.")),
            h("p", {}, "Hosts are coordinators and clinic doctors who take consultations. An admin can make your account a host with working hours; your bookings will then show here."),
          ),
        );
        return;
      }
      heading.textContent = `My calendar – ${host.name}`;
      weekSection.hidden = false;
      feedSection.hidden = false;
      renderFeed();
      loadWeek();
    })
    .catch((error) => {
      if (alive) errorSlot.replaceChildren(errorBox(error, "your calendar"));
    });

  return {
    update(nextRoute) {
      if (nextRoute.parts[0] !== "calendar" || !host) return false;
      monday = mondayOf(fmt.parseYmd(nextRoute.params.get("week") || "") || new Date());
      loadWeek();
      return true;
    },
    unmount() {
      alive = false;
    },
  };
}
