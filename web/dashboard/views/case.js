// views/case.js — one case: the inquiry, its stage, assignee, notes and timeline; and, through
// their own modules, its follow-ups, matching protocols and consultations.
//
// Contract: mount(root, route) for #/cases/<caseId> loads GET /v1/cases/{id} and its timeline.
// Stage buttons offer only the moves stages.js allows ("Move to <STAGE>"; LOST with "Reason
// lost"); a move or reassignment is PATCH /v1/cases/{id} with {"case": {...}, "updateMask":
// "..."}; notes are POST /v1/cases/{id}/notes. After every change the case and the timeline are
// read again. All case text (name, message ...) is set as text, never parsed as HTML.

import { get, patch, post, seg } from "../api.js";
import { h, field, select, errorBox, setChildren, showErrors, formErrorBox, clearErrors, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say } from "../notify.js";
import * as router from "../router.js";
import * as session from "../session.js";
import { allowedMoves, lostFromTimeline } from "../stages.js";
import * as followups from "./followups.js";
import * as matches from "./matches.js";
import * as booking from "./booking.js";

function detailList(pairs) {
  return h(
    "dl",
    { class: "details" },
    pairs.map(([term, value]) => h("div", { class: "detail" }, h("dt", {}, term), h("dd", {}, value))),
  );
}

function travelWindow(c) {
  if (!c.travelWindowStart && !c.travelWindowEnd) return fmt.DASH;
  return `${c.travelWindowStart || "?"} to ${c.travelWindowEnd || "?"}`;
}

export function mount(root, route) {
  const caseId = route.parts[1];
  const base = `/v1/cases/${seg(caseId)}`;
  let current = null;
  let events = [];
  const children = [];

  const title = h("h1", {}, "Case");
  const subtitle = h("p", { class: "case-meta" });
  const errorSlot = h("div");
  const details = h("section", { id: "case-details", class: "card", "aria-labelledby": "details-title" });
  const stageSection = h("section", { id: "stage", class: "card", "aria-labelledby": "stage-title" });
  const assignSection = h("section", { id: "assignment", class: "card", "aria-labelledby": "assign-title" });
  const noteSection = h("section", { id: "notes", class: "card", "aria-labelledby": "note-title" });
  const timelineList = h("ol", { class: "timeline" });
  const timelineSection = h(
    "section",
    { id: "timeline", class: "card", "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "Timeline"),
    timelineList,
  );
  const bookingsSection = h("section", { id: "bookings", class: "card", "aria-labelledby": "bookings-title" });
  const matchesSection = h("section", { id: "matches", class: "card", "aria-labelledby": "matches-title" });
  const followupsSection = h("section", { id: "followups", class: "card", "aria-labelledby": "followups-title" });

  root.replaceChildren(
    h("p", { class: "breadcrumb" }, h("a", { href: router.recall("inbox", "#/inbox") }, "← Inbox")),
    title,
    subtitle,
    errorSlot,
    h(
      "nav",
      { class: "on-page", "aria-label": "On this page" },
      h("a", { href: "#timeline", "data-skip": "timeline" }, "Timeline"),
      h("a", { href: "#bookings", "data-skip": "bookings" }, "Consultations"),
      h("a", { href: "#matches", "data-skip": "matches" }, "Matches"),
      h("a", { href: "#followups", "data-skip": "followups" }, "Follow-ups"),
    ),
    h("div", { class: "case-grid" }, details, h("div", { class: "case-actions" }, stageSection, assignSection, noteSection)),
    timelineSection,
    bookingsSection,
    matchesSection,
    followupsSection,
  );
  // In-page links must not change the route hash.
  for (const link of root.querySelectorAll("a[data-skip]")) {
    link.addEventListener("click", (e) => {
      e.preventDefault();
      const target = document.getElementById(link.dataset.skip);
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus();
        target.scrollIntoView({ block: "start" });
      }
    });
  }

  function renderHeader(c) {
    title.textContent = `${c.reference || "Case"} – ${c.fullName || "(no name)"}`;
    document.title = `${c.reference || "Case"} – CareBridge`;
    const assignee = c.assigneeId ? `Assigned to ${session.userEmail(c.assigneeId) || c.assigneeId}.` : "Unassigned.";
    setChildren(
      subtitle,
      h("span", { class: `stage-badge stage-${(c.stage || "").toLowerCase()}` }, fmt.stageLabel(c.stage)),
      ` ${assignee} Created ${fmt.dateTime(c.createdAt)}, updated ${fmt.dateTime(c.updatedAt)} (${fmt.zoneLabel()}).`,
    );
  }

  function renderDetails(c) {
    const message = h("p", { class: "message" }, c.message || fmt.DASH);
    setChildren(
      details,
      h("h2", { id: "details-title" }, "Inquiry"),
      detailList([
        ["Email", fmt.text(c.email)],
        ["Phone", fmt.text(c.phone)],
        ["Country of residence", fmt.text(c.countryOfResidence)],
        ["Preferred language", fmt.text(c.preferredLanguage)],
        ["Patient's age", fmt.text(c.patientAge)],
        ["Condition", fmt.text(c.condition)],
        ["Stroke type", fmt.strokeType(c.strokeType)],
        ["Time since stroke", fmt.sinceStroke(c.monthsSinceEvent)],
        ["mRS score", fmt.mrs(c.mrsScore)],
        ["Destination", fmt.text(c.destinationCountry)],
        ["Cell source preference", fmt.cellSource(c.cellSource)],
        ["Budget ceiling", fmt.usd(c.budgetUsdMax)],
        ["Travel window", travelWindow(c)],
        ["Needs interpreter", fmt.yesNo(c.needsInterpreter)],
        ["Lost reason", fmt.text(c.lostReason)],
        ["Partner", c.partnerId ? `${c.partnerId}${c.partnerReference ? ` (their ref. ${c.partnerReference})` : ""}` : "Website"],
        ["Came from", [c.sourcePage, c.utmSource, c.utmMedium, c.utmCampaign].filter(Boolean).join(" · ") || fmt.DASH],
      ]),
      h("h3", {}, "Message"),
      message,
    );
  }

  async function update(changes, mask, button, form) {
    if (form) clearErrors(form);
    try {
      const updated = await busy(button, patch(base, { case: changes, updateMask: mask }));
      say(`Saved: ${mask.split(",")[0] === "stage" ? `stage is now ${fmt.stageLabel(updated.stage)}` : "case updated"}.`);
      await reload();
      if (form) {
        // The form was rebuilt: the same button when it is still offered (e.g. "Assign"), else
        // (a stage move removes its own button) the stage section's heading, never the body.
        const again = document.getElementById(button.id);
        const fallback = button.id.startsWith("move-") ? document.getElementById("stage-title") : null;
        const target = again && !again.disabled ? again : fallback || again;
        if (target) {
          if (target === fallback) target.setAttribute("tabindex", "-1");
          target.focus();
        }
      }
    } catch (error) {
      if (form) showErrors(form, error);
      else errorSlot.replaceChildren(errorBox(error));
    }
  }

  function renderStage(c) {
    const moves = allowedMoves(c.stage, lostFromTimeline(events));
    const form = h("form", { class: "stage-form", novalidate: true }, formErrorBox());
    const buttons = h("div", { class: "button-row" });
    for (const stage of moves.filter((s) => s !== "LOST")) {
      const button = h("button", { type: "button", id: `move-${stage.toLowerCase()}`, class: stage === "SPAM" ? "danger" : "secondary" }, `Move to ${stage}`);
      button.addEventListener("click", () => update({ stage }, "stage", button, form));
      buttons.append(button);
    }
    form.append(buttons);
    if (moves.includes("LOST")) {
      const reason = h("input", { type: "text", maxlength: "1000", autocomplete: "off" });
      const lostButton = h("button", { type: "submit", id: "move-lost", class: "secondary" }, "Move to LOST");
      form.append(h("div", { class: "inline-form" }, field("Reason lost", reason, { name: "lost_reason", id: "lost-reason" }), lostButton));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        update({ stage: "LOST", lostReason: reason.value.trim() }, "stage,lostReason", lostButton, form);
      });
    } else {
      form.addEventListener("submit", (e) => e.preventDefault());
    }
    setChildren(
      stageSection,
      h("h2", { id: "stage-title", tabindex: "-1" }, "Stage"),
      h("p", {}, "Now: ", h("strong", {}, fmt.stageLabel(c.stage)), ` (${c.stage})`),
      moves.length ? form : h("p", { class: "muted" }, "This is a final stage: no moves."),
    );
  }

  async function renderAssignment(c) {
    const form = h("form", { class: "inline-form", novalidate: true });
    const assignee = select([["", "Unassigned"]], c.assigneeId || "");
    const button = h("button", { type: "submit", id: "assign-button", class: "secondary" }, "Assign");
    form.append(formErrorBox(), field("Assignee", assignee, { name: "assignee_id", id: "case-assignee" }), button);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (assignee.value === (c.assigneeId || "")) {
        say("The assignee is unchanged.");
        return;
      }
      update({ assigneeId: assignee.value }, "assigneeId", button, form);
    });
    setChildren(assignSection, h("h2", { id: "assign-title" }, "Assignment"), form);
    try {
      const users = await session.users();
      const options = users.filter((u) => (u.active && u.role === "coordinator") || u.userId === c.assigneeId);
      for (const u of options) {
        assignee.append(h("option", { value: u.userId }, `${u.email}${u.languages && u.languages.length ? ` (${u.languages.join(", ")})` : ""}${u.active ? "" : " – inactive"}`));
      }
      assignee.value = c.assigneeId || "";
    } catch (error) {
      assignSection.append(errorBox(error, "the coordinators"));
    }
  }

  function renderNoteForm() {
    const text = h("textarea", { rows: "4", maxlength: "5000" });
    const button = h("button", { type: "submit", id: "add-note", class: "primary" }, "Add note");
    const form = h("form", { novalidate: true }, formErrorBox(), field("Note", text, { name: "text", id: "note-text" }), button);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      try {
        await busy(button, post(`${base}/notes`, { text: text.value }));
        text.value = "";
        say("Note added.");
        await loadTimeline();
      } catch (error) {
        showErrors(form, error);
      }
    });
    setChildren(noteSection, h("h2", { id: "note-title" }, "Add a note"), form);
  }

  function eventItem(event) {
    const who = fmt.actor(event.actor, session.userEmail);
    const changes = (event.changes || []).map((ch) =>
      h("li", {}, h("code", {}, ch.field), ": ", fmt.text(ch.field === "assignee_id" ? session.userEmail(ch.oldValue) || ch.oldValue : ch.oldValue), " → ", fmt.text(ch.field === "assignee_id" ? session.userEmail(ch.newValue) || ch.newValue : ch.newValue)),
    );
    return h(
      "li",
      { class: `event event-${String(event.kind || "").toLowerCase()}` },
      h("p", { class: "event-head" }, h("strong", {}, event.kind || "EVENT"), " · ", h("time", { datetime: event.occurredAt }, fmt.dateTime(event.occurredAt)), " · ", who),
      event.note ? h("p", { class: "note" }, event.note) : null,
      changes.length ? h("ul", { class: "changes" }, changes) : null,
    );
  }

  function renderTimeline() {
    timelineList.replaceChildren(...events.map(eventItem));
    if (!events.length) timelineList.append(h("li", { class: "muted" }, "No events."));
  }

  async function loadTimeline() {
    try {
      const reply = await get(`${base}/timeline`);
      events = reply.events || [];
      renderTimeline();
    } catch (error) {
      timelineList.replaceChildren(h("li", {}, errorBox(error, "the timeline")));
    }
    if (current) renderStage(current);
  }

  async function reload() {
    const [c] = await Promise.all([get(base), loadTimeline()]);
    current = c;
    renderHeader(c);
    renderDetails(c);
    renderStage(c);
    renderAssignment(c);
    children.forEach((child) => child.caseChanged && child.caseChanged(c));
  }

  renderNoteForm();
  reload()
    .then(() => {
      children.push(followups.mount(followupsSection, { caseId }));
      children.push(matches.mount(matchesSection, { caseId }));
      children.push(booking.mount(bookingsSection, { caseRecord: current, onChanged: () => reload().catch(() => {}) }));
    })
    .catch((error) => {
      title.textContent = error.status === 404 ? "Case not found" : "Case";
      errorSlot.replaceChildren(errorBox(error, "the case"));
      for (const s of [details, stageSection, assignSection, noteSection, timelineSection, bookingsSection, matchesSection, followupsSection]) s.hidden = true;
    });
  // Users load late on a fresh page: show emails once they are known.
  session
    .users()
    .then(() => {
      if (!current) return;
      renderHeader(current);
      renderTimeline();
    })
    .catch(() => {});

  return {
    unmount() {
      for (const child of children) if (child.unmount) child.unmount();
    },
  };
}
