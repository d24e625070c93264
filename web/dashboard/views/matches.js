// views/matches.js — clinic protocols ranked for one case by the Catalog service.
//
// Contract: mount(section, {caseId}) fills `section` (#matches) from GET /v1/cases/{id}/matches
// (MatchCaseResponse): an ordered list, best first, each with clinic and place, protocol (cell
// source and type, route, cell count), price range, cost estimate (trips, days away, culture
// weeks), score, and the reasons it fits and falls short. caseChanged() reads it again (the
// preferences may have changed). Returns {caseChanged, unmount}.

import { get, seg } from "../api.js";
import { h, errorBox, setChildren } from "../dom.js";
import * as fmt from "../format.js";

const ROUTES = { INTRAVENOUS: "intravenous (IV drip)", INTRATHECAL: "intrathecal" };
const CELL_TYPES = {
  ADSC: "adipose-derived stem cells",
  UMBILICAL_CORD_MSC: "umbilical-cord MSCs",
  MODIFIED_MSC: "modified MSCs",
  BONE_MARROW_MSC: "bone-marrow MSCs",
};

function estimateText(e) {
  if (!e) return fmt.DASH;
  const parts = [`${fmt.usdRange(e.treatmentUsdMin, e.treatmentUsdMax)} treatment`];
  if (e.trips) parts.push(`${e.trips} trip${e.trips === 1 ? "" : "s"}`);
  if (e.daysAwayMin || e.daysAwayMax) parts.push(`${e.daysAwayMin}–${e.daysAwayMax} days away`);
  if (e.cultureWeeksMin || e.cultureWeeksMax) parts.push(`${e.cultureWeeksMin}–${e.cultureWeeksMax} weeks of culture between trips`);
  return parts.join(", ");
}

function item(m, rank) {
  const p = m.protocol || {};
  const protocolText = [
    p.cellSource ? fmt.cellSource(p.cellSource) : null,
    CELL_TYPES[p.cellType] || null,
    ROUTES[p.route] || null,
    p.cellCountMillions ? `${fmt.number(p.cellCountMillions)} million cells` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return h(
    "li",
    { class: "match" },
    h(
      "h3",
      {},
      `${rank}. ${m.clinicName || m.clinicId}`,
      h("span", { class: "muted" }, ` — ${[m.city, m.country].filter(Boolean).join(", ")}`),
    ),
    h("p", { class: "match-score" }, `Score ${m.score || 0}`, m.shortfallCount ? `, ${m.shortfallCount} shortfall${m.shortfallCount === 1 ? "" : "s"}` : ", no shortfalls"),
    h("p", {}, protocolText || fmt.DASH),
    h("p", {}, h("strong", {}, "Estimate: "), estimateText(m.estimate)),
    (m.reasons || []).length ? h("ul", { class: "reasons", "aria-label": "Why it fits" }, m.reasons.map((r) => h("li", {}, r))) : null,
    (m.shortfalls || []).length ? h("ul", { class: "shortfalls", "aria-label": "Where it falls short" }, m.shortfalls.map((r) => h("li", {}, r))) : null,
  );
}

export function mount(section, { caseId }) {
  const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  setChildren(section, h("h2", { id: "matches-title" }, "Matching protocols"), body);
  let alive = true;

  async function load() {
    try {
      const reply = await get(`/v1/cases/${seg(caseId)}/matches`);
      if (!alive) return;
      const list = reply.matches || [];
      setChildren(
        body,
        h("p", { class: "muted small" }, `${list.length} of ${reply.candidates || 0} offered protocols for this condition, best first.`),
        list.length ? h("ol", { class: "matches" }, list.map((m, i) => item(m, i + 1))) : h("p", {}, "No offered protocol matches this case's condition."),
      );
    } catch (error) {
      if (alive) setChildren(body, errorBox(error, "the matches"));
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
