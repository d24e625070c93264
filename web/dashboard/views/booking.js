// views/booking.js — the consultations of one case: book, reschedule, cancel.
//
// Contract: mount(section, {caseRecord, onChanged}) fills `section` (#bookings) with
// - the case's bookings (GET /v1/bookings?caseId=&includeCancelled=true), each with its start in
//   the browser's zone, the patient's zone and the host's zone; live ones have "Reschedule" and
//   "Cancel booking" (which asks "Yes, cancel this booking" / "Keep it"), held ones "Confirm";
//   live means CONFIRMED, or HELD with holdExpiresAt still ahead: an expired hold reads "Hold
//   expired" and has no actions;
// - a picker: "Host" (GET /v1/hosts; options named by the host's name alone), "Consultation type" (the host's types), "Patient time zone"
//   (guessed from the country of residence, else the browser's), "From date" (midnight of that date
//   in the patient's zone, to midnight 7 calendar days later there) and "Show free times" ->
//   GET /v1/hosts/{hostId}/slots; slot buttons in #slots, grouped by the patient's day (the first
//   12 of a day, then "Show all N times"), show the patient's time and the host's; choosing one
//   (aria-pressed) enables "Book" -> POST /v1/bookings (or, while
//   rescheduling, "Reschedule to selected time" -> POST /v1/bookings/{id}:reschedule).
// A 409 (time taken) shows the server's message, which names the next free times, and reloads the
// slots. onChanged() is called after every change (a booked consultation may move the case).

import { get, post, seg } from "../api.js";
import { h, field, checkbox, errorBox, setChildren, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say } from "../notify.js";
import { isLive, groupSlotsByDay } from "../schedule.js";

// A likely zone for a country of residence (only a default: the coordinator can change it).
const COUNTRY_ZONES = {
  JP: "Asia/Tokyo", DE: "Europe/Berlin", GB: "Europe/London", FR: "Europe/Paris", IT: "Europe/Rome",
  ES: "Europe/Madrid", NL: "Europe/Amsterdam", CH: "Europe/Zurich", AT: "Europe/Vienna", PL: "Europe/Warsaw",
  SE: "Europe/Stockholm", NO: "Europe/Oslo", DK: "Europe/Copenhagen", FI: "Europe/Helsinki", IE: "Europe/Dublin",
  PT: "Europe/Lisbon", GR: "Europe/Athens", TR: "Europe/Istanbul", IL: "Asia/Jerusalem", AE: "Asia/Dubai",
  SA: "Asia/Riyadh", IN: "Asia/Kolkata", CN: "Asia/Shanghai", HK: "Asia/Hong_Kong", TW: "Asia/Taipei",
  KR: "Asia/Seoul", SG: "Asia/Singapore", TH: "Asia/Bangkok", VN: "Asia/Ho_Chi_Minh", PH: "Asia/Manila",
  ID: "Asia/Jakarta", MY: "Asia/Kuala_Lumpur", AU: "Australia/Sydney", NZ: "Pacific/Auckland",
  US: "America/New_York", CA: "America/Toronto", MX: "America/Mexico_City", BR: "America/Sao_Paulo",
  AR: "America/Argentina/Buenos_Aires", CL: "America/Santiago", ZA: "Africa/Johannesburg", EG: "Africa/Cairo",
  RU: "Europe/Moscow", UA: "Europe/Kyiv",
};

function isZone(zone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch (e) {
    return false;
  }
}

// Slot buttons shown per day before "Show all N times".
const SLOTS_PER_DAY = 12;

export function mount(section, { caseRecord, onChanged = () => {} }) {
  const caseId = caseRecord.caseId;
  let hosts = [];
  let types = [];
  let bookings = [];
  let slots = [];
  let chosen = null;
  let rescheduling = null; // the booking being moved
  let alive = true;

  const listSlot = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const override = checkbox("Override the notice period (cancel or move a consultation that starts soon)", { id: "override-notice" });

  const hostSelect = h("select");
  const typeSelect = h("select");
  const zoneInput = h("input", { type: "text", list: "zone-list", autocomplete: "off", spellcheck: "false" });
  const zoneList = h("datalist", { id: "zone-list" });
  const fromInput = h("input", { type: "date" });
  const showButton = h("button", { type: "submit", class: "secondary" }, "Show free times");
  const pickerError = h("div");
  const slotsBox = h("div", { id: "slots", class: "slots", "aria-live": "polite" });
  const chosenLine = h("p", { class: "chosen", id: "chosen-slot" }, "No time chosen.");
  const bookButton = h("button", { type: "button", class: "primary", disabled: true }, "Book");
  const stopButton = h("button", { type: "button", class: "secondary", hidden: true }, "Stop rescheduling");
  const modeLine = h("p", { class: "mode-line", hidden: true });

  const guess = COUNTRY_ZONES[(caseRecord.countryOfResidence || "").toUpperCase()];
  zoneInput.value = guess && isZone(guess) ? guess : fmt.BROWSER_ZONE;
  // Today in the patient's zone (the browser's date when the zone is not one).
  const todayFor = (zone) => {
    try {
      return fmt.ymdInZone(Date.now(), zone);
    } catch (e) {
      return fmt.ymd(new Date());
    }
  };
  fromInput.value = todayFor(zoneInput.value);
  let fromEdited = false;
  fromInput.addEventListener("change", () => {
    fromEdited = true;
  });
  if (typeof Intl.supportedValuesOf === "function") {
    for (const z of Intl.supportedValuesOf("timeZone")) zoneList.append(h("option", { value: z }));
  }

  const pickerForm = h(
    "form",
    { class: "picker", novalidate: true },
    h(
      "div",
      { class: "picker-fields" },
      field("Host", hostSelect, { id: "booking-host", name: "host_id", hint: "Coordinators take intro calls; clinic doctors video consultations." }),
      field("Consultation type", typeSelect, { id: "booking-type", name: "type" }),
      field("Patient time zone", zoneInput, {
        id: "booking-zone",
        name: "time_zone",
        hint: guess ? `Guessed from the country of residence (${caseRecord.countryOfResidence}).` : "The browser's zone; change it to the patient's.",
      }),
      field("From date", fromInput, { id: "booking-from", name: "from", hint: "Free times for 7 days from midnight of this date in the patient's time zone." }),
    ),
    zoneList,
    h("div", { class: "button-row" }, showButton),
  );

  setChildren(
    section,
    h("h2", { id: "bookings-title" }, "Consultations"),
    h("p", { class: "muted small" }, `Times in ${fmt.zoneLabel()} unless named.`),
    listSlot,
    override.el,
    h("h3", { id: "book-title" }, "Book a consultation"),
    modeLine,
    pickerForm,
    pickerError,
    slotsBox,
    chosenLine,
    h("div", { class: "button-row" }, bookButton, stopButton),
  );

  const hostOf = (id) => hosts.find((x) => x.hostId === id);
  const typeName = (code) => (types.find((t) => t.code === code) || {}).name || code;
  const patientZone = () => (isZone(zoneInput.value.trim()) ? zoneInput.value.trim() : "");

  // ---- The case's bookings ----
  function bookingTimes(b) {
    const host = hostOf(b.hostId);
    const zone = patientZone();
    const lines = [h("span", {}, `${fmt.dateTime(b.startTime)} (yours)`)];
    if (zone && zone !== fmt.BROWSER_ZONE) lines.push(h("span", {}, `${fmt.dateTime(b.startTime, zone)} patient (${zone})`));
    if (host && host.timeZone) lines.push(h("span", {}, `${fmt.dateTime(b.startTime, host.timeZone)} host (${host.timeZone})`));
    return h("div", { class: "times" }, lines);
  }

  async function act(button, path, body, message) {
    try {
      await busy(button, post(path, body));
      say(message);
      await loadBookings();
      onChanged();
    } catch (error) {
      listSlot.prepend(errorBox(error));
    }
  }

  function bookingRow(b) {
    const host = hostOf(b.hostId);
    const actions = h("div", { class: "button-row" });
    const label = `${typeName(b.type)} on ${fmt.dateTime(b.startTime)}`;
    const live = isLive(b);
    const expiredHold = b.status === "HELD" && !live;
    if (live) {
      if (b.status === "HELD") {
        const confirm = h("button", { type: "button", class: "secondary" }, "Confirm");
        confirm.addEventListener("click", () => act(confirm, `/v1/bookings/${seg(b.bookingId)}:confirm`, {}, `Confirmed: ${label}.`));
        actions.append(confirm);
      }
      const move = h("button", { type: "button", class: "secondary" }, "Reschedule");
      move.addEventListener("click", () => startRescheduling(b));
      const cancel = h("button", { type: "button", class: "danger" }, "Cancel booking");
      cancel.addEventListener("click", () => {
        const yes = h("button", { type: "button", class: "danger" }, "Yes, cancel this booking");
        const keep = h("button", { type: "button", class: "secondary" }, "Keep it");
        yes.addEventListener("click", () =>
          act(yes, `/v1/bookings/${seg(b.bookingId)}:cancel`, { overrideNotice: override.input.checked }, `Cancelled: ${label}.`),
        );
        keep.addEventListener("click", () => renderBookings());
        setChildren(actions, h("span", { class: "confirm-text" }, "Cancel it?"), yes, keep);
        yes.focus();
      });
      actions.append(move, cancel);
    }
    return h(
      "li",
      { class: `booking status-${expiredHold ? "expired" : String(b.status).toLowerCase()}`, dataset: { bookingId: b.bookingId } },
      h("p", {}, h("strong", {}, typeName(b.type)), ` with ${host ? host.name : b.hostId} · `, expiredHold ? h("span", { class: "state-badge status-expired" }, "Hold expired") : h("span", { class: `state-badge status-${String(b.status).toLowerCase()}` }, b.status)),
      bookingTimes(b),
      b.status === "HELD" && b.holdExpiresAt ? h("p", { class: "small" }, `${expiredHold ? "Hold expired at" : "Held until"} ${fmt.time(b.holdExpiresAt)}`) : null,
      b.cancelReason ? h("p", { class: "small" }, `Reason: ${b.cancelReason}`) : null,
      actions,
    );
  }

  function renderBookings() {
    if (!bookings.length) {
      setChildren(listSlot, h("p", { class: "muted" }, "No consultations booked for this case yet."));
      return;
    }
    setChildren(listSlot, h("ul", { class: "booking-list" }, bookings.map(bookingRow)));
  }

  async function loadBookings() {
    try {
      const reply = await get("/v1/bookings", { caseId, includeCancelled: true });
      if (!alive) return;
      bookings = reply.bookings || [];
      renderBookings();
    } catch (error) {
      if (alive) setChildren(listSlot, errorBox(error, "the bookings"));
    }
  }

  // ---- The picker ----
  function fillTypes() {
    const host = hostOf(hostSelect.value);
    const hint = document.getElementById("booking-host-hint");
    if (hint && host) hint.textContent = `${host.kind === "CLINIC_DOCTOR" ? "Clinic doctor" : "Coordinator"}, time zone ${host.timeZone}.`;
    const codes = host ? host.consultationTypes || [] : [];
    const keep = typeSelect.value;
    typeSelect.replaceChildren(...codes.map((code) => h("option", { value: code }, `${typeName(code)} (${(types.find((t) => t.code === code) || {}).durationMinutes || "?"} min)`)));
    if (codes.includes(keep)) typeSelect.value = keep;
  }

  function choose(slot, button) {
    chosen = slot;
    for (const b of slotsBox.querySelectorAll("button[aria-pressed]")) b.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-pressed", "true");
    const host = hostOf(slot.hostId || hostSelect.value);
    const wall = fmt.wallTime(slot.localStart);
    const hostWall = fmt.wallTime(slot.hostLocalStart);
    chosenLine.textContent = `Chosen: ${fmt.calendarDay(wall.date)} ${wall.time} patient time (${patientZone() || "UTC"}), ${fmt.calendarDay(hostWall.date)} ${hostWall.time} host time (${host ? host.timeZone : "?"}); ${fmt.dateTime(slot.startTime)} for you.`;
    bookButton.disabled = false;
  }

  function renderSlots() {
    chosen = null;
    bookButton.disabled = true;
    chosenLine.textContent = "No time chosen.";
    if (!slots.length) {
      setChildren(slotsBox, h("p", {}, "No free times in these 7 days. Try a later date or another host."));
      return;
    }
    const days = groupSlotsByDay(slots);
    const slotButton = (slot) => {
      const wall = fmt.wallTime(slot.localStart);
      const hostWall = fmt.wallTime(slot.hostLocalStart);
      const hostDay = hostWall.date !== wall.date ? `${fmt.calendarDay(hostWall.date)} ` : "";
      const button = h(
        "button",
        { type: "button", class: "slot", "aria-pressed": "false", "aria-label": `${fmt.calendarDay(wall.date)} ${wall.time} (host ${hostDay}${hostWall.time})` },
        h("span", { class: "slot-time" }, wall.time),
        h("span", { class: "slot-host" }, `host ${hostDay}${hostWall.time}`),
      );
      button.addEventListener("click", () => choose(slot, button));
      return button;
    };
    const groups = [];
    for (const [day, list] of days) {
      const listEl = h("div", { class: "slot-list" }, list.slice(0, SLOTS_PER_DAY).map(slotButton));
      let more = null;
      if (list.length > SLOTS_PER_DAY) {
        more = h("button", { type: "button", class: "secondary small-button show-all" }, `Show all ${list.length} times`);
        more.setAttribute("aria-label", `Show all ${list.length} times on ${fmt.calendarDay(day)}`);
        more.addEventListener("click", () => {
          const rest = list.slice(SLOTS_PER_DAY).map(slotButton);
          listEl.append(...rest);
          more.remove();
          rest[0].focus();
        });
      }
      groups.push(
        h(
          "div",
          { class: "slot-day", role: "group", "aria-label": fmt.calendarDay(day) },
          h("h4", {}, `${fmt.calendarDay(day)} `, h("span", { class: "muted small" }, `(${list.length} free)`)),
          listEl,
          more,
        ),
      );
    }
    setChildren(slotsBox, groups);
  }

  async function loadSlots() {
    pickerError.replaceChildren();
    const hostId = hostSelect.value;
    const zone = patientZone();
    if (!hostId || !typeSelect.value) {
      pickerError.replaceChildren(errorBox({ message: "Choose a host and a consultation type." }));
      return;
    }
    if (!zone) {
      pickerError.replaceChildren(errorBox({ message: `"${zoneInput.value}" is not a time zone; use a name such as Europe/Berlin.` }));
      zoneInput.setAttribute("aria-invalid", "true");
      return;
    }
    zoneInput.removeAttribute("aria-invalid");
    // Midnight of "From date" in the patient's zone, to midnight 7 calendar days later there (a
    // DST switch in between makes that 167 or 169 hours, not 7 × 24).
    const day = /^\d{4}-\d{2}-\d{2}$/.test(fromInput.value) ? fromInput.value : fmt.ymdInZone(Date.now(), zone);
    const startMs = fmt.zonedMidnightUtc(day, zone);
    const endMs = fmt.zonedMidnightUtc(fmt.addDaysYmd(day, 7), zone);
    if (startMs === null || endMs === null) {
      pickerError.replaceChildren(errorBox({ message: "Choose a valid date." }));
      return;
    }
    const from = new Date(Math.max(startMs, Date.now()));
    const to = new Date(endMs);
    if (to <= from) {
      pickerError.replaceChildren(errorBox({ message: "Choose a date from today on." }));
      return;
    }
    setChildren(slotsBox, h("p", { class: "muted" }, "Looking for free times…"));
    try {
      const reply = await busy(
        showButton,
        get(`/v1/hosts/${seg(hostId)}/slots`, { type: typeSelect.value, from: from.toISOString(), to: to.toISOString(), timeZone: zone }),
      );
      if (!alive) return;
      slots = reply.slots || [];
      renderSlots();
    } catch (error) {
      if (alive) setChildren(slotsBox, errorBox(error, "the free times"));
    }
  }

  function startRescheduling(b) {
    rescheduling = b;
    hostSelect.value = b.hostId;
    fillTypes();
    typeSelect.value = b.type;
    hostSelect.disabled = true;
    typeSelect.disabled = true;
    modeLine.hidden = false;
    modeLine.textContent = `Rescheduling the ${typeName(b.type)} of ${fmt.dateTime(b.startTime)}: pick a new time.`;
    bookButton.textContent = "Reschedule to selected time";
    stopButton.hidden = false;
    document.getElementById("book-title").scrollIntoView({ block: "start" });
    loadSlots();
    showButton.focus();
  }

  function stopRescheduling() {
    rescheduling = null;
    hostSelect.disabled = false;
    typeSelect.disabled = false;
    modeLine.hidden = true;
    bookButton.textContent = "Book";
    stopButton.hidden = true;
  }

  async function bookChosen() {
    if (!chosen) return;
    pickerError.replaceChildren();
    const slot = chosen;
    try {
      if (rescheduling) {
        await busy(bookButton, post(`/v1/bookings/${seg(rescheduling.bookingId)}:reschedule`, { startTime: slot.startTime, overrideNotice: override.input.checked }));
        say(`Moved to ${fmt.dateTime(slot.startTime)}.`);
        stopRescheduling();
      } else {
        await busy(bookButton, post("/v1/bookings", { hostId: slot.hostId || hostSelect.value, caseId, type: typeSelect.value, startTime: slot.startTime }));
        say(`Booked: ${typeName(typeSelect.value)} on ${fmt.dateTime(slot.startTime)}.`);
      }
      await Promise.all([loadBookings(), loadSlots()]);
      onChanged();
    } catch (error) {
      if (error.status === 409) {
        // The message names the next free times; the list is read again under it.
        await loadSlots();
        say("That time was just taken. The free times are reloaded.");
      } else {
        bookButton.disabled = false;
      }
      pickerError.replaceChildren(errorBox(error));
    }
  }

  hostSelect.addEventListener("change", () => {
    fillTypes();
    slots = [];
    slotsBox.replaceChildren();
  });
  pickerForm.addEventListener("submit", (e) => {
    e.preventDefault();
    loadSlots();
  });
  bookButton.addEventListener("click", bookChosen);
  stopButton.addEventListener("click", stopRescheduling);
  zoneInput.addEventListener("change", () => {
    if (!fromEdited && isZone(zoneInput.value.trim())) fromInput.value = todayFor(zoneInput.value.trim());
    if (bookings.length) renderBookings();
  });

  get("/v1/hosts")
    .then((reply) => {
      if (!alive) return;
      hosts = (reply.hosts || []).filter((x) => x.active !== false);
      types = reply.consultationTypes || [];
      hostSelect.replaceChildren(
        ...hosts.map((x) => h("option", { value: x.hostId }, x.name)),
      );
      fillTypes();
      loadBookings();
    })
    .catch((error) => {
      if (!alive) return;
      pickerForm.replaceWith(errorBox(error, "the hosts"));
      loadBookings();
    });

  return {
    unmount() {
      alive = false;
    },
  };
}
