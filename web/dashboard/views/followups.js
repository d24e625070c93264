// views/followups.js — the follow-ups of one case (acknowledgement, alerts, SLA check, webhooks).
//
// Contract: mount(section, {caseId}) fills `section` (#followups) with a table from
// GET /v1/cases/{id}/followups: kind, state, tries/maxTries, last error and times (browser zone).
// A DEAD one has a "Retry" button: POST /v1/followups/{followUpId}:retry with {} (the id keeps its
// colons in the path), then the list is read again. caseChanged() re-reads it (a stage change of
// a partner's case adds a webhook). Returns {caseChanged, unmount}.

import { get, post, seg } from "../api.js";
import { h, errorBox, setChildren, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say, sayError } from "../notify.js";

export function mount(section, { caseId }) {
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  setChildren(
    section,
    h("h2", { id: "followups-title" }, "Follow-ups"),
    h("p", { class: "muted small" }, `What the follow-ups worker sent or tried for this case. Times in ${fmt.zoneLabel()}.`),
    body,
  );
  let alive = true;

  async function retry(followUp, button) {
    try {
      await busy(button, post(`/v1/followups/${seg(followUp.followUpId)}:retry`, {}));
      say(`${followUp.kind} queued again.`);
      await load();
    } catch (error) {
      sayError(`Retry failed: ${error.message}`);
    }
  }

  function row(f) {
    const state = fmt.followUpState(f.state);
    let action = null;
    if (state === "DEAD") {
      action = h("button", { type: "button", class: "secondary small-button", "aria-label": `Retry ${f.kind} (${f.followUpId})` }, "Retry");
      action.addEventListener("click", () => retry(f, action));
    }
    return h(
      "tr",
      { class: `followup followup-${state.toLowerCase()}`, dataset: { followUpId: f.followUpId } },
      h("td", {}, f.kind || fmt.DASH, h("br"), h("span", { class: "muted small" }, f.followUpId)),
      h("td", {}, h("span", { class: `state-badge state-${state.toLowerCase()}` }, state)),
      h("td", {}, `${f.tries || 0} / ${f.maxTries || 0}`),
      h("td", { class: "error-text" }, f.lastError || fmt.DASH),
      h("td", {}, fmt.dateTime(f.createdAt)),
      h("td", {}, fmt.dateTime(f.lastAttemptAt)),
      h("td", {}, state === "RETRYING" || state === "PENDING" ? fmt.dateTime(f.nextAttemptAt) : fmt.DASH),
      h("td", {}, fmt.dateTime(f.finishedAt)),
      h("td", {}, action),
    );
  }

  async function load() {
    try {
      const reply = await get(`/v1/cases/${seg(caseId)}/followups`);
      if (!alive) return;
      const list = reply.followUps || [];
      if (!list.length) {
        setChildren(body, h("p", { class: "muted" }, "No follow-ups yet."));
        return;
      }
      setChildren(
        body,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "data-table" },
            h("caption", { class: "sr-only" }, "Follow-ups of this case"),
            h("thead", {}, h("tr", {}, ["Kind", "State", "Tries", "Last error", "Created", "Last try", "Next try", "Finished", "Action"].map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", {}, list.map(row)),
          ),
        ),
      );
    } catch (error) {
      if (alive) setChildren(body, errorBox(error, "the follow-ups"));
    }
  }

  load();
  return {
    caseChanged() {
      load();
    },
    unmount() {
      alive = false;
    },
  };
}
