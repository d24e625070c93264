// The patient's self-booking page (/book?token=...): lists the intro-call times free in the next
// 14 days through GET /v1/hosts/-/slots with the booking link token, and books one through
// POST /v1/bookings. All text is set with textContent; no HTML is built from data.
"use strict";

(function () {
  const token = new URLSearchParams(window.location.search).get("token") || "";
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const status = document.getElementById("status");
  const days = document.getElementById("days");

  function say(text) {
    status.textContent = text;
  }

  function errorText(body, fallback) {
    return body && typeof body.message === "string" ? body.message : fallback;
  }

  function dayLabel(iso) {
    return new Date(iso).toLocaleDateString(undefined, {
      weekday: "long", day: "numeric", month: "long", timeZone: zone,
    });
  }

  function timeLabel(iso) {
    return new Date(iso).toLocaleTimeString(undefined, {
      hour: "2-digit", minute: "2-digit", timeZone: zone,
    });
  }

  async function book(slot, button) {
    button.disabled = true;
    say("Booking…");
    // credentials "omit": the link token is the only credential here, even in a browser that
    // also holds a coordinator's session cookie.
    let response;
    try {
      response = await fetch("/v1/bookings", {
        method: "POST",
        credentials: "omit",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          hostId: slot.hostId, type: "intro_call", startTime: slot.startTime, bookingToken: token,
        }),
      });
    } catch (e) {
      button.disabled = false;
      say("We could not reach CareBridge. Please check your connection and try again.");
      return;
    }
    const body = await response.json().catch(() => null);
    if (response.ok) {
      document.getElementById("picker").hidden = true;
      document.getElementById("booked").hidden = false;
      document.getElementById("booked-time").textContent =
        dayLabel(slot.startTime) + ", " + timeLabel(slot.startTime);
      say("");
      return;
    }
    if (response.status === 409) {
      await load();
      say("That time was just taken. Please pick another one.");
      return;
    }
    button.disabled = false;
    say(errorText(body, "Something went wrong. Please try again in a moment."));
  }

  function render(slots) {
    days.replaceChildren();
    if (slots.length === 0) {
      say("There are no free times in the next two weeks. Reply to our email and we will find one.");
      return;
    }
    let list = null;
    let current = "";
    for (const slot of slots) {
      const label = dayLabel(slot.startTime);
      if (label !== current) {
        current = label;
        const heading = document.createElement("h3");
        heading.textContent = label;
        list = document.createElement("div");
        list.className = "slot-list";
        days.append(heading, list);
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = "slot";
      button.textContent = timeLabel(slot.startTime);
      button.addEventListener("click", () => book(slot, button));
      list.append(button);
    }
    say("");
  }

  async function load() {
    if (!token) {
      say("This link is incomplete. Please open the link from our email again.");
      return;
    }
    document.getElementById("zone").textContent = zone;
    say("Looking for free times…");
    const from = new Date(Date.now() + 5 * 60 * 1000);
    const to = new Date(from.getTime() + 14 * 24 * 3600 * 1000);
    const query = new URLSearchParams({
      type: "intro_call", from: from.toISOString(), to: to.toISOString(), timeZone: zone,
      bookingToken: token, limit: "2000",
    });
    let response;
    try {
      response = await fetch("/v1/hosts/-/slots?" + query.toString(), { credentials: "omit" });
    } catch (e) {
      say("We could not reach CareBridge. Please check your connection and try again.");
      return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      say(errorText(body, "We could not load the free times. Please try again later."));
      return;
    }
    // One button per start time: several coordinators may be free at once.
    const seen = new Set();
    render((body.slots || []).filter((s) => !seen.has(s.startTime) && seen.add(s.startTime)));
  }

  document.addEventListener("DOMContentLoaded", load);
})();
