// views/overview.js — the desk at a glance, as pictures.
//
// Contract: mount(root) loads GET /v1/caseStats?timeZone=<browser zone>&days=30 and
// GET /v1/followupStats independently (either may fail: its part shows an error box, the rest
// still renders). Shows: #funnel-chart (cases by stage, horizontal bars), #daily-chart (inquiries
// per day, last 30 days), #sla-breached (a big number linking to the inbox of NEW cases past the
// first-contact SLA), #followup-chart (follow-ups by state), the number retried, and #recent-dead
// (the latest dead follow-ups, each linking to its case). Charts: charts.js (role=img with a
// label, plus a hidden data table).

import { get } from "../api.js";
import { barsHorizontal, columns } from "../charts.js";
import { h, errorBox, setChildren } from "../dom.js";
import * as fmt from "../format.js";
import * as router from "../router.js";
import { STAGES } from "../stages.js";

const FOLLOWUP_STATES = ["PENDING", "RUNNING", "RETRYING", "DONE", "DEAD"];

export function mount(root) {
  let alive = true;
  const caseArea = h("div", { class: "overview-cases" }, h("p", { class: "muted" }, "Loading case figures…"));
  const followArea = h("div", { class: "overview-followups" }, h("p", { class: "muted" }, "Loading follow-up figures…"));
  root.replaceChildren(
    h("h1", {}, "Overview"),
    h("p", { class: "muted small" }, `Days are counted in ${fmt.zoneLabel()}.`),
    h("section", { class: "card", "aria-labelledby": "ov-cases" }, h("h2", { id: "ov-cases" }, "Cases"), caseArea),
    h("section", { class: "card", "aria-labelledby": "ov-followups" }, h("h2", { id: "ov-followups" }, "Follow-ups"), followArea),
  );

  get("/v1/caseStats", { timeZone: fmt.BROWSER_ZONE, days: 30 })
    .then((stats) => {
      if (!alive) return;
      const counts = new Map((stats.stages || []).map((s) => [s.stage, Number(s.count || 0)]));
      const funnel = barsHorizontal({
        id: "funnel-chart",
        title: "Cases by stage",
        unit: "Cases",
        rows: STAGES.map((s) => ({
          label: fmt.stageLabel(s),
          value: counts.get(s) || 0,
          className: s === "LOST" || s === "SPAM" ? "bar-muted" : s === "COMPLETED" ? "bar-good" : "",
        })),
      });
      const days = (stats.inquiriesPerDay || []).map((d) => ({
        label: fmt.calendarDay(d.date),
        short: `${Number(d.date.slice(8, 10))}/${Number(d.date.slice(5, 7))}`,
        value: Number(d.count || 0),
      }));
      const daily = columns({ id: "daily-chart", title: `Inquiries per day, last ${days.length} days`, unit: "Inquiries", rows: days });
      const breached = Number(stats.slaBreached || 0);
      const sla = h(
        "div",
        { class: `big-number${breached ? " alert" : ""}` },
        h(
          "a",
          { id: "sla-breached", href: router.href("/inbox", { stage: "NEW", sla: "breached" }) },
          h("span", { class: "figure" }, fmt.number(breached)),
          h("span", { class: "figure-label" }, ` NEW case${breached === 1 ? "" : "s"} past the ${stats.firstContactSlaHours || 24} h first-contact SLA`),
        ),
      );
      setChildren(
        caseArea,
        h("div", { class: "overview-grid" }, sla, funnel),
        daily,
        h("p", { class: "muted small" }, `Computed ${fmt.dateTime(stats.computedAt)}.`),
      );
    })
    .catch((error) => {
      if (alive) setChildren(caseArea, errorBox(error, "the case figures"));
    });

  get("/v1/followupStats")
    .then((stats) => {
      if (!alive) return;
      const counts = new Map((stats.states || []).map((s) => [fmt.followUpState(s.state), Number(s.count || 0)]));
      const chart = barsHorizontal({
        id: "followup-chart",
        title: "Follow-ups by state",
        unit: "Follow-ups",
        rows: FOLLOWUP_STATES.map((s) => ({
          label: s,
          value: counts.get(s) || 0,
          className: s === "DEAD" ? "bar-alert" : s === "DONE" ? "bar-good" : s === "RETRYING" ? "bar-warn" : "",
        })),
      });
      const dead = stats.recentDead || [];
      const list = h(
        "ul",
        { id: "recent-dead", class: "dead-list" },
        dead.map((f) =>
          h(
            "li",
            {},
            h("a", { href: `#/cases/${encodeURIComponent(f.caseId)}` }, `${f.kind} (${f.followUpId})`),
            ` — dead since ${fmt.dateTime(f.finishedAt)} after ${f.tries} tries`,
            f.lastError ? h("span", { class: "error-text" }, `: ${f.lastError}`) : null,
          ),
        ),
      );
      if (!dead.length) list.append(h("li", { class: "muted" }, "No dead follow-ups."));
      setChildren(
        followArea,
        chart,
        h("p", {}, `Retried at least once: ${fmt.number(stats.retried || 0)}.`),
        h("h3", {}, "Recent dead follow-ups"),
        list,
      );
    })
    .catch((error) => {
      if (alive) setChildren(followArea, errorBox(error, "the follow-up figures"));
    });

  return {
    unmount() {
      alive = false;
    },
  };
}
