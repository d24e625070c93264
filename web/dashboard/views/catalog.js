// views/catalog.js — admin editing of clinics and their protocols.
//
// Contract: mount(area, {clinicId}) shows, without an id, #clinics-table (GET /v1/admin/clinics,
// archived included, with offerability) and a "New clinic" link; with "new", an empty
// #clinic-form ("Create clinic" -> POST /v1/admin/clinics, body the clinic); with an id, the
// clinic's #clinic-form ("Save clinic" -> PATCH /v1/admin/clinics/{id} with {"clinic": {...},
// "updateMask": <the changed paths>}), "Archive clinic", its #protocols (each with "Edit protocol"
// and "Archive protocol") and #protocol-form ("Add protocol" -> POST
// /v1/admin/clinics/{id}/protocols; "Save protocol" -> PATCH /v1/admin/protocols/{id}).
// Forms are built from field specs whose `path` is the API's field path (e.g. "license.expires_at"),
// so each validation message lands next to its field.

import { get, patch, post, seg } from "../api.js";
import { h, field, select, checkbox, errorBox, setChildren, showErrors, clearErrors, formErrorBox, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say, sayError } from "../notify.js";
import * as router from "../router.js";

const CLINIC_FIELDS = [
  { path: "name", label: "Name" },
  { path: "country", label: "Country", hint: "ISO code, e.g. JP" },
  { path: "city", label: "City" },
  { path: "time_zone", label: "Time zone", hint: "IANA, e.g. Asia/Tokyo" },
  { path: "license.authority", label: "Licence authority", hint: "e.g. MHLW" },
  { path: "license.number", label: "Licence number" },
  { path: "license.verified_at", label: "Licence verified on", type: "date" },
  { path: "license.expires_at", label: "Licence expires on", type: "date" },
  { path: "cpc_accredited", label: "Cells processed in an accredited CPC", type: "checkbox" },
  { path: "languages", label: "Staff languages", type: "list", hint: "Tags separated by commas, e.g. ja, en" },
  { path: "interpreter_support", label: "Medical interpreters available", type: "checkbox" },
  { path: "contact.email", label: "Contact email" },
  { path: "contact.phone", label: "Contact phone", hint: "E.164, e.g. +81312345678" },
  { path: "contact.website", label: "Website", hint: "https://…" },
];

const PROTOCOL_FIELDS = [
  { path: "condition", label: "Condition", hint: "e.g. stroke" },
  { path: "cell_source", label: "Cell source", type: "select", options: [["", "—"], ["AUTOLOGOUS", "Autologous"], ["ALLOGENEIC", "Allogeneic"]] },
  { path: "cell_type", label: "Cell type", type: "select", options: [["", "—"], ["ADSC", "ADSC (adipose-derived)"], ["UMBILICAL_CORD_MSC", "Umbilical-cord MSC"], ["MODIFIED_MSC", "Modified MSC"], ["BONE_MARROW_MSC", "Bone-marrow MSC"]] },
  { path: "route", label: "Route", type: "select", options: [["", "—"], ["INTRAVENOUS", "Intravenous (IV)"], ["INTRATHECAL", "Intrathecal"]] },
  { path: "cell_count_millions", label: "Cells (millions)", type: "number" },
  { path: "price_usd_min", label: "Price from (USD)", type: "number" },
  { path: "price_usd_max", label: "Price to (USD)", type: "number" },
  { path: "culture_weeks_min", label: "Culture weeks (min)", type: "number" },
  { path: "culture_weeks_max", label: "Culture weeks (max)", type: "number" },
  { path: "trip_plan.trips", label: "Trips", type: "number" },
  { path: "trip_plan.days_min", label: "Days per trip (min)", type: "number" },
  { path: "trip_plan.days_max", label: "Days per trip (max)", type: "number" },
  { path: "outcome_measures", label: "Outcome measures", type: "multi", options: [["MRS", "mRS"], ["NIHSS", "NIHSS"]] },
  { path: "side_effects", label: "Side effects", type: "lines", hint: "One per line" },
  { path: "asrm.risk_class", label: "ASRM risk class", type: "select", options: [["", "—"], ["ASRM_CLASS_I", "Class I"], ["ASRM_CLASS_II", "Class II"], ["ASRM_CLASS_III", "Class III"]] },
  { path: "asrm.provision_plan_number", label: "ASRM provision plan number" },
  { path: "asrm.certified_committee", label: "ASRM certified committee" },
];

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const jsonPath = (path) => path.split(".").map(camel);

function getAt(obj, path) {
  let v = obj;
  for (const key of jsonPath(path)) v = v == null ? undefined : v[key];
  return v;
}

function setAt(obj, path, value) {
  const keys = jsonPath(path);
  let o = obj;
  for (const key of keys.slice(0, -1)) o = o[key] || (o[key] = {});
  o[keys[keys.length - 1]] = value;
}

// A form built from `specs`, filled from `record`. read() gives {value, changed: [paths]}.
function specForm(specs, record, idPrefix) {
  const controls = [];
  const nodes = [];
  for (const spec of specs) {
    const id = `${idPrefix}-${spec.path.replace(/[._]/g, "-")}`;
    const current = getAt(record, spec.path);
    if (spec.type === "checkbox") {
      const box = checkbox(spec.label, { name: spec.path, id, checked: Boolean(current) });
      nodes.push(h("div", { class: "field" }, box.el, h("p", { class: "field-error", id: `${id}-error` })));
      controls.push({ spec, read: () => box.input.checked, initial: Boolean(current) });
    } else if (spec.type === "multi") {
      const boxes = spec.options.map(([value, label]) => checkbox(label, { id: `${id}-${value}`, value, checked: (current || []).includes(value) }));
      const anchor = h("input", { type: "hidden", id });
      anchor.dataset.field = spec.path;
      nodes.push(h("fieldset", { class: "choice field", "aria-describedby": `${id}-error` }, h("legend", {}, spec.label), boxes.map((b) => b.el), anchor, h("p", { class: "field-error", id: `${id}-error` })));
      const read = () => boxes.filter((b) => b.input.checked).map((b) => b.input.value);
      controls.push({ spec, read, initial: JSON.stringify(current || []), compare: (v) => JSON.stringify(v) });
    } else {
      let control;
      let read;
      let initial;
      if (spec.type === "select") {
        // The gateway prints unset enums as "<ENUM>_UNSPECIFIED"; the select's "—" is "", so both
        // must start as "" or every save would put the field in the update mask.
        const normalized = /_UNSPECIFIED$/.test(current || "") ? "" : current || "";
        control = select(spec.options, normalized);
        read = () => control.value;
        initial = normalized;
      } else if (spec.type === "lines") {
        control = h("textarea", { rows: "3" });
        control.value = (current || []).join("\n");
        read = () => control.value.split("\n").map((x) => x.trim()).filter(Boolean);
        initial = JSON.stringify(current || []);
      } else if (spec.type === "list") {
        control = h("input", { type: "text", autocomplete: "off" });
        control.value = (current || []).join(", ");
        read = () => control.value.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
        initial = JSON.stringify(current || []);
      } else if (spec.type === "date") {
        control = h("input", { type: "date" });
        control.value = current ? String(current).slice(0, 10) : "";
        read = () => (control.value ? `${control.value}T00:00:00Z` : null);
        initial = current ? `${String(current).slice(0, 10)}T00:00:00Z` : null;
      } else if (spec.type === "number") {
        control = h("input", { type: "number", inputmode: "numeric", step: "1", min: "0" });
        control.value = current === undefined || current === null ? "" : String(current);
        read = () => (control.value === "" ? 0 : Number(control.value));
        initial = current === undefined || current === null ? 0 : Number(current);
      } else {
        control = h("input", { type: "text", autocomplete: "off" });
        control.value = current || "";
        read = () => control.value.trim();
        initial = current || "";
      }
      nodes.push(field(spec.label, control, { name: spec.path, id, hint: spec.hint }));
      const compare = ["lines", "list"].includes(spec.type) ? (v) => JSON.stringify(v) : (v) => v;
      controls.push({ spec, read, initial, compare });
    }
  }
  return {
    nodes,
    read() {
      const value = {};
      const changed = [];
      for (const c of controls) {
        const v = c.read();
        if (v !== null && v !== "" && !(Array.isArray(v) && !v.length)) setAt(value, c.spec.path, v);
        const cmp = c.compare ? c.compare(v) : v;
        if (cmp !== c.initial) changed.push(c.spec.path);
      }
      return { value, changed };
    },
  };
}

const maskOf = (paths) => paths.map((p) => jsonPath(p).join(".")).join(",");

function offerability(record) {
  if (record.archived) return h("span", { class: "state-badge state-dead" }, "Archived");
  if (record.offerable) return h("span", { class: "state-badge state-done" }, "Offered");
  return h("span", {}, h("span", { class: "state-badge state-retrying" }, "Not offered"), (record.notOfferableReasons || []).length ? ` (${record.notOfferableReasons.join("; ")})` : "");
}

async function listPage(area) {
  setChildren(area, h("h2", {}, "Clinics"), h("p", {}, h("a", { href: "#/admin/clinics/new", class: "button-link" }, "New clinic")), h("p", { class: "muted" }, "Loading…"));
  try {
    const clinics = [];
    let token = "";
    do {
      const reply = await get("/v1/admin/clinics", { pageSize: 100, includeArchived: true, pageToken: token });
      clinics.push(...(reply.clinics || []));
      token = reply.nextPageToken || "";
    } while (token && clinics.length < 1000);
    area.lastElementChild.replaceWith(
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { id: "clinics-table", class: "data-table" },
          h("caption", {}, `${clinics.length} clinics`),
          h("thead", {}, h("tr", {}, ["Name", "Place", "Licence", "Protocols", "Status"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            {},
            clinics.map((c) =>
              h(
                "tr",
                {},
                h("td", {}, h("a", { href: `#/admin/clinics/${encodeURIComponent(c.clinicId)}` }, c.name || c.clinicId)),
                h("td", {}, [c.city, c.country].filter(Boolean).join(", ")),
                h("td", {}, c.license ? `${c.license.authority || ""} ${c.license.number || ""}, expires ${fmt.date(c.license.expiresAt)}` : fmt.DASH),
                h("td", {}, String((c.protocols || []).length)),
                h("td", {}, offerability(c)),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    area.lastElementChild.replaceWith(errorBox(error, "the clinics"));
  }
}

function clinicForm(clinic, onSaved) {
  const isNew = !clinic.clinicId;
  const spec = specForm(CLINIC_FIELDS, clinic, "clinic");
  const save = h("button", { type: "submit", class: "primary" }, isNew ? "Create clinic" : "Save clinic");
  const form = h("form", { id: "clinic-form", class: "admin-form grid-form", novalidate: true }, formErrorBox(), spec.nodes, h("div", { class: "button-row full" }, save));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const { value, changed } = spec.read();
    try {
      if (isNew) {
        const created = await busy(save, post("/v1/admin/clinics", value));
        say(`Clinic ${created.name} created.`);
        router.go(`/admin/clinics/${created.clinicId}`);
      } else {
        if (!changed.length) {
          say("Nothing changed.");
          return;
        }
        value.clinicId = clinic.clinicId;
        await busy(save, patch(`/v1/admin/clinics/${seg(clinic.clinicId)}`, { clinic: value, updateMask: maskOf(changed) }));
        say(`Saved: ${changed.join(", ")}.`);
        onSaved();
      }
    } catch (error) {
      showErrors(form, error);
    }
  });
  return form;
}

function protocolForm(clinicId, protocol, onSaved, onCancel) {
  const isNew = !protocol.protocolId;
  const spec = specForm(PROTOCOL_FIELDS, protocol, "protocol");
  const save = h("button", { type: "submit", class: "primary" }, isNew ? "Add protocol" : "Save protocol");
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel editing");
  cancel.addEventListener("click", onCancel);
  const form = h(
    "form",
    { id: "protocol-form", class: "admin-form grid-form", novalidate: true, "aria-label": isNew ? "New protocol" : "Edit protocol" },
    formErrorBox(),
    spec.nodes,
    h("div", { class: "button-row full" }, save, isNew ? null : cancel),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const { value, changed } = spec.read();
    try {
      if (isNew) {
        value.clinicId = clinicId;
        await busy(save, post(`/v1/admin/clinics/${seg(clinicId)}/protocols`, value));
        say("Protocol added.");
      } else {
        if (!changed.length) {
          say("Nothing changed.");
          return;
        }
        value.protocolId = protocol.protocolId;
        await busy(save, patch(`/v1/admin/protocols/${seg(protocol.protocolId)}`, { protocol: value, updateMask: maskOf(changed) }));
        say(`Protocol saved: ${changed.join(", ")}.`);
      }
      onSaved();
    } catch (error) {
      showErrors(form, error);
    }
  });
  return form;
}

function protocolSummary(p) {
  return [
    p.condition,
    fmt.cellSource(p.cellSource),
    p.cellType,
    p.route,
    p.cellCountMillions ? `${p.cellCountMillions} M cells` : null,
    fmt.usdRange(p.priceUsdMin, p.priceUsdMax),
  ]
    .filter(Boolean)
    .join(" · ");
}

async function clinicPage(area, clinicId) {
  setChildren(area, h("p", {}, h("a", { href: "#/admin/clinics" }, "← All clinics")), h("p", { class: "muted" }, "Loading…"));
  if (clinicId === "new") {
    setChildren(area, h("p", {}, h("a", { href: "#/admin/clinics" }, "← All clinics")), h("h2", {}, "New clinic"), clinicForm({}, () => {}));
    return;
  }
  let clinic;
  try {
    clinic = await get(`/v1/admin/clinics/${seg(clinicId)}`);
  } catch (error) {
    area.lastElementChild.replaceWith(errorBox(error, "the clinic"));
    return;
  }
  const reload = () => clinicPage(area, clinicId);
  const archive = h("button", { type: "button", class: "danger" }, "Archive clinic");
  archive.addEventListener("click", async () => {
    try {
      await busy(archive, post(`/v1/admin/clinics/${seg(clinicId)}:archive`, {}));
      say(`${clinic.name} archived.`);
      reload();
    } catch (error) {
      sayError(`Could not archive: ${error.message}`);
    }
  });
  const editorSlot = h("div", { id: "protocol-editor" });
  const showEditor = (p) => {
    setChildren(editorSlot, h("h3", {}, p.protocolId ? "Edit protocol" : "Add a protocol"), protocolForm(clinicId, p, reload, () => showEditor({})));
  };
  const protocols = h(
    "ul",
    { id: "protocols", class: "protocol-list" },
    (clinic.protocols || []).map((p) => {
      const edit = h("button", { type: "button", class: "secondary" }, "Edit protocol");
      edit.addEventListener("click", () => {
        showEditor(p);
        editorSlot.querySelector("input, select, textarea").focus();
      });
      const arch = h("button", { type: "button", class: "danger" }, "Archive protocol");
      arch.addEventListener("click", async () => {
        try {
          await busy(arch, post(`/v1/admin/protocols/${seg(p.protocolId)}:archive`, {}));
          say("Protocol archived.");
          reload();
        } catch (error) {
          sayError(`Could not archive: ${error.message}`);
        }
      });
      return h("li", { class: "protocol" }, h("p", {}, protocolSummary(p), " ", offerability(p)), h("div", { class: "button-row" }, edit, p.archived ? null : arch));
    }),
  );
  if (!(clinic.protocols || []).length) protocols.append(h("li", { class: "muted" }, "No protocols yet."));
  setChildren(
    area,
    h("p", {}, h("a", { href: "#/admin/clinics" }, "← All clinics")),
    h("h2", {}, clinic.name || "Clinic"),
    h("p", {}, offerability(clinic), ` Updated ${fmt.dateTime(clinic.updatedAt)}.`),
    clinicForm(clinic, reload),
    clinic.archived ? null : h("div", { class: "button-row" }, archive),
    h("h2", {}, "Protocols"),
    protocols,
    editorSlot,
  );
  showEditor({ condition: "stroke" });
}

export function mount(area, { clinicId }) {
  if (clinicId) clinicPage(area, clinicId);
  else listPage(area);
  return {};
}
