// views/inbox.js — the case inbox: newest first, filtered, with SLA clocks.
//
// Contract: mount(root, route) renders the filter form (#inbox-filters) and the table
// (#inbox-table) of GET /v1/cases. Filters live in the URL (#/inbox?stage=&assignee=&condition=
// &country=&q=&createdFrom=&createdTo=&sla=breached); changing one rewrites the URL (no new history
// entry) and update(route) reloads the list without rebuilding the form. "Load more" follows
// nextPageToken. SLA clock: time since createdAt; a NEW case older than the first-contact SLA
// (from GET /v1/caseStats, else 24 h) is red and reads "SLA breached". Keys: "/" focuses
// Search, j/k move the selection, Enter opens the selected case.

import { get } from "../api.js";
import { h, field, select, checkbox, errorBox, setChildren, srOnly } from "../dom.js";
import * as fmt from "../format.js";
import { say } from "../notify.js";
import * as router from "../router.js";
import * as session from "../session.js";
import { STAGES } from "../stages.js";

const PAGE_SIZE = 25;
const FILTER_KEYS = ["stage", "assignee", "condition", "country", "q", "createdFrom", "createdTo", "sla"];

let slaHoursPromise = null;
function slaHours() {
  if (!slaHoursPromise) {
    slaHoursPromise = get("/v1/caseStats", { timeZone: fmt.BROWSER_ZONE, days: 1 })
      .then((s) => Number(s.firstContactSlaHours) || 24)
      .catch(() => {
        slaHoursPromise = null;
        return 24;
      });
  }
  return slaHoursPromise;
}

function paramsOf(route) {
  const out = {};
  for (const key of FILTER_KEYS) out[key] = route.params.get(key) || "";
  return out;
}

// The ListCases query for the URL's filters.
function queryOf(filters, hours) {
  const query = {
    stage: filters.stage,
    assigneeId: filters.assignee,
    condition: filters.condition.trim().toLowerCase(),
    country: filters.country.trim().toUpperCase(),
    q: filters.q.trim().length >= 3 ? filters.q.trim() : "",
    pageSize: PAGE_SIZE,
  };
  const from = fmt.parseYmd(filters.createdFrom);
  if (from) query.createdAfter = from.toISOString();
  const to = fmt.parseYmd(filters.createdTo);
  let before = to ? new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1) : null;
  if (filters.sla === "breached") {
    query.stage = "NEW";
    const limit = new Date(Date.now() - hours * 3600 * 1000);
    if (!before || limit < before) before = limit;
  }
  if (before) query.createdBefore = before.toISOString();
  return query;
}

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
}

export function mount(root, route) {
  let filters = paramsOf(route);
  router.remember("inbox", router.href("/inbox", filters));
  let hours = 24;
  let nextToken = "";
  let cases = [];
  let selected = -1;
  let loadSeq = 0;

  // ---- Filter form ----
  const stage = select([["", "Any stage"], ...STAGES.map((s) => [s, fmt.stageLabel(s)])], filters.stage);
  const assignee = select([["", "Anyone"], ["none", "Unassigned"]], filters.assignee);
  const condition = h("input", { type: "text", maxlength: "60", autocomplete: "off", placeholder: "e.g. stroke" });
  const country = h("input", { type: "text", maxlength: "2", autocomplete: "off", placeholder: "e.g. DE", class: "short" });
  const q = h("input", { type: "search", maxlength: "100", autocomplete: "off" });
  const createdFrom = h("input", { type: "date" });
  const createdTo = h("input", { type: "date" });
  const sla = checkbox("SLA breached only", { id: "filter-sla" });
  const applyButton = h("button", { type: "submit", class: "primary" }, "Apply filters");
  const resetLink = h("a", { href: "#/inbox", class: "reset" }, "Clear filters");
  const form = h(
    "form",
    { id: "inbox-filters", class: "filters", role: "search", "aria-label": "Filter cases" },
    field("Search", q, { id: "filter-q", hint: "Name, email or reference; at least 3 characters. Press / to jump here." }),
    field("Stage", stage, { id: "filter-stage" }),
    field("Assignee", assignee, { id: "filter-assignee" }),
    field("Condition", condition, { id: "filter-condition" }),
    field("Country", country, { id: "filter-country", hint: "Of residence, 2 letters" }),
    field("Created from", createdFrom, { id: "filter-from" }),
    field("Created to", createdTo, { id: "filter-to" }),
    h("div", { class: "filter-actions" }, sla.el, applyButton, resetLink),
  );

  function fillForm() {
    stage.value = filters.stage;
    condition.value = filters.condition;
    country.value = filters.country;
    q.value = filters.q;
    createdFrom.value = filters.createdFrom;
    createdTo.value = filters.createdTo;
    sla.input.checked = filters.sla === "breached";
    if ([...assignee.options].some((o) => o.value === filters.assignee)) assignee.value = filters.assignee;
  }

  function readForm() {
    return {
      stage: sla.input.checked ? "NEW" : stage.value,
      assignee: assignee.value,
      condition: condition.value.trim(),
      country: country.value.trim().toUpperCase(),
      q: q.value.trim(),
      createdFrom: createdFrom.value,
      createdTo: createdTo.value,
      sla: sla.input.checked ? "breached" : "",
    };
  }

  function pushFilters() {
    router.go("/inbox", readForm(), { replace: true });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    pushFilters();
  });
  for (const control of [stage, assignee, createdFrom, createdTo, sla.input]) control.addEventListener("change", pushFilters);

  // ---- Table ----
  const tbody = h("tbody");
  const table = h(
    "table",
    { id: "inbox-table", class: "data-table inbox" },
    h("caption", {}, "Cases, newest first. ", srOnly("span", {}, "Use j and k to move, Enter to open.")),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Reference", "Name", "Stage", "Assignee", "Condition", "Country", "Language", "SLA clock"].map((t) => h("th", { scope: "col" }, t)),
      ),
    ),
    tbody,
  );
  const summaryLine = h("p", { class: "muted", id: "inbox-summary" });
  const errorSlot = h("div");
  const moreButton = h("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const zoneNote = h("p", { class: "muted small" }, `Times in ${fmt.zoneLabel()}.`);

  root.replaceChildren(
    h("h1", {}, "Inbox"),
    form,
    errorSlot,
    summaryLine,
    h("div", { class: "table-wrap" }, table),
    moreButton,
    zoneNote,
  );
  fillForm();

  function clockCell(c) {
    const created = new Date(c.createdAt);
    const age = Date.now() - created.getTime();
    const breached = c.stage === "NEW" && age > hours * 3600 * 1000;
    const cell = h("td", { class: breached ? "sla breached" : "sla" });
    const ageText = Number.isNaN(age) ? fmt.DASH : fmt.duration(age);
    setChildren(
      cell,
      breached ? h("strong", {}, "SLA breached") : null,
      breached ? " · " : null,
      h("span", { title: `Created ${fmt.dateTime(c.createdAt)}` }, ageText),
    );
    return cell;
  }

  function rowOf(c, index) {
    const link = h("a", { href: `#/cases/${encodeURIComponent(c.caseId)}`, class: "case-link" }, c.reference || c.caseId);
    const email = session.userEmail(c.assigneeId);
    const row = h(
      "tr",
      { dataset: { index: String(index), caseId: c.caseId } },
      h("td", {}, link),
      h("td", {}, fmt.text(c.fullName)),
      h("td", {}, h("span", { class: `stage-badge stage-${(c.stage || "").toLowerCase()}` }, fmt.stageLabel(c.stage))),
      h("td", {}, c.assigneeId ? email || c.assigneeId : h("span", { class: "muted" }, "Unassigned")),
      h("td", {}, fmt.text(c.condition)),
      h("td", {}, fmt.text(c.countryOfResidence)),
      h("td", {}, fmt.text(c.preferredLanguage)),
      clockCell(c),
    );
    row.addEventListener("click", (e) => {
      if (e.target instanceof Element && e.target.closest("a")) return;
      router.go(`/cases/${c.caseId}`);
    });
    return row;
  }

  function renderRows() {
    tbody.replaceChildren(...cases.map(rowOf));
    if (!cases.length) {
      tbody.append(h("tr", {}, h("td", { colspan: "8", class: "empty" }, "No cases match these filters.")));
    }
    select_(Math.min(selected, cases.length - 1), false);
    moreButton.hidden = !nextToken;
    summaryLine.textContent = `${cases.length} case${cases.length === 1 ? "" : "s"} shown${nextToken ? " (more available)" : ""}.`;
  }

  function select_(index, focus = true) {
    selected = index;
    for (const row of tbody.querySelectorAll("tr")) row.classList.toggle("selected", Number(row.dataset.index) === index);
    if (index < 0 || !focus) return;
    const row = tbody.querySelector(`tr[data-index="${index}"]`);
    if (row) {
      const link = row.querySelector("a");
      if (link) link.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  async function load(append = false) {
    const seq = ++loadSeq;
    errorSlot.replaceChildren();
    if (!append) {
      nextToken = "";
      summaryLine.textContent = "Loading…";
    }
    moreButton.disabled = true;
    try {
      const query = queryOf(filters, hours);
      if (append) query.pageToken = nextToken;
      const reply = await get("/v1/cases", query);
      if (seq !== loadSeq) return;
      const page = reply.cases || [];
      cases = append ? cases.concat(page) : page;
      nextToken = reply.nextPageToken || "";
      if (!append) selected = -1;
      renderRows();
      if (append) say(`${page.length} more cases loaded.`);
    } catch (error) {
      if (seq !== loadSeq) return;
      summaryLine.textContent = "";
      errorSlot.replaceChildren(errorBox(error, "the cases"));
    } finally {
      moreButton.disabled = false;
    }
  }

  moreButton.addEventListener("click", () => load(true));

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "/" && !isTyping(e.target)) {
      e.preventDefault();
      q.focus();
      q.select();
      return;
    }
    if (isTyping(e.target)) return;
    if (e.key === "j" || e.key === "k") {
      if (!cases.length) return;
      e.preventDefault();
      const next = e.key === "j" ? Math.min(cases.length - 1, selected + 1) : Math.max(0, selected - 1);
      select_(next);
    } else if (e.key === "Enter" && selected >= 0 && !(e.target instanceof HTMLAnchorElement) && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      router.go(`/cases/${cases[selected].caseId}`);
    }
  }
  document.addEventListener("keydown", onKey);

  // Assignee names (and the select's options) once the accounts are known.
  session
    .users()
    .then((users) => {
      for (const u of users.filter((x) => x.active)) assignee.append(h("option", { value: u.userId }, u.email));
      if ([...assignee.options].some((o) => o.value === filters.assignee)) assignee.value = filters.assignee;
      if (cases.length) renderRows();
    })
    .catch(() => {});

  // Clocks tick.
  const ticker = window.setInterval(() => {
    for (const row of tbody.querySelectorAll("tr[data-index]")) {
      const c = cases[Number(row.dataset.index)];
      if (c) row.lastElementChild.replaceWith(clockCell(c));
    }
  }, 30000);

  load();
  slaHours().then((value) => {
    const changed = value !== hours;
    hours = value;
    zoneNote.textContent = `Times in ${fmt.zoneLabel()}. First-contact SLA: ${hours} h.`;
    if (changed && filters.sla === "breached") load();
    else if (changed && cases.length) renderRows();
  });

  return {
    update(next) {
      if (next.parts[0] !== "inbox") return false;
      filters = paramsOf(next);
      router.remember("inbox", router.href("/inbox", filters));
      fillForm();
      load();
      return true;
    },
    unmount() {
      document.removeEventListener("keydown", onKey);
      window.clearInterval(ticker);
      loadSeq += 1;
    },
  };
}
