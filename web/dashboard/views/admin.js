// views/admin.js — the admin pages: accounts, partners, and (through catalog.js) the catalog.
//
// Contract: mount(root, route) for #/admin (users), #/admin/partners, #/admin/clinics[/<id>];
// non-admins get a short "admins only" page (the server refuses them anyway).
// - Users: #users-table from GET /v1/admin/users; "Deactivate" / "Activate" ->
//   POST /v1/admin/users/{userId}:setActive {active}; #create-user-form -> POST /v1/admin/users
//   {email, role, languages, lead, password?}; a generated password is shown once in
//   #initial-password.
// - Partners: #partners-table from GET /v1/admin/partners; "Revoke" (then "Yes, revoke") ->
//   POST /v1/admin/partners/{partnerId}:revoke {}; #create-partner-form -> POST /v1/admin/partners
//   {name, scopes}; the key is shown once in #api-key.
// Field violations are shown next to their fields.

import { get, post, seg } from "../api.js";
import { h, field, select, checkbox, errorBox, setChildren, showErrors, clearErrors, formErrorBox, busy } from "../dom.js";
import * as fmt from "../format.js";
import { say, sayError } from "../notify.js";
import * as session from "../session.js";
import * as catalog from "./catalog.js";

const SCOPES = ["inquiries:write", "cases:read", "catalog:read"];

function secretBox(id, title, secret, note) {
  const input = h("input", { type: "text", readonly: true, value: secret, class: "wide secret" });
  const copy = h("button", { type: "button", class: "secondary" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch (e) {
      input.select();
      document.execCommand("copy");
    }
    say("Copied.");
  });
  const box = h(
    "div",
    { id, class: "secret-box", role: "alert" },
    h("div", { class: "inline-form" }, field(title, input, { id: `${id}-value` }), copy),
    h("p", { class: "warning" }, note),
  );
  return box;
}

function usersPage(area) {
  const tableSlot = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const resultSlot = h("div");
  const email = h("input", { type: "email", autocomplete: "off" });
  const role = select([["coordinator", "Coordinator"], ["admin", "Admin"]], "coordinator");
  const languages = h("input", { type: "text", autocomplete: "off", placeholder: "e.g. en, ja" });
  const lead = checkbox("Lead coordinator (receives SLA escalations)", { name: "lead", id: "new-user-lead" });
  const password = h("input", { type: "password", autocomplete: "new-password" });
  const create = h("button", { type: "submit", class: "primary" }, "Create user");
  const form = h(
    "form",
    { id: "create-user-form", class: "admin-form", novalidate: true },
    formErrorBox(),
    field("Email", email, { name: "email", id: "new-user-email" }),
    field("Role", role, { name: "role", id: "new-user-role" }),
    field("Languages", languages, { name: "languages", id: "new-user-languages", hint: "Primary language tags, separated by commas (used to assign cases)." }),
    lead.el,
    field("Password (optional)", password, { name: "password", id: "new-user-password", hint: "At least 12 characters. Leave empty to generate one, shown once." }),
    create,
  );

  async function load() {
    try {
      const users = await session.users({ refresh: true });
      const me = session.user();
      const rows = users.map((u) => {
        let action = null;
        if (!me || u.userId !== me.userId) {
          action = h("button", { type: "button", class: u.active ? "danger" : "secondary", "aria-label": `${u.active ? "Deactivate" : "Activate"} ${u.email}` }, u.active ? "Deactivate" : "Activate");
          action.addEventListener("click", async () => {
            try {
              await busy(action, post(`/v1/admin/users/${seg(u.userId)}:setActive`, { active: !u.active }));
              say(`${u.email} is now ${u.active ? "inactive" : "active"}.`);
              await load();
            } catch (error) {
              sayError(`Could not change ${u.email}: ${error.message}`);
            }
          });
        }
        return h(
          "tr",
          { class: u.active ? "" : "inactive" },
          h("td", {}, u.email),
          h("td", {}, u.role),
          h("td", {}, (u.languages || []).join(", ") || fmt.DASH),
          h("td", {}, u.lead ? "Lead" : ""),
          h("td", {}, u.active ? "Active" : "Inactive"),
          h("td", {}, fmt.date(u.createdAt)),
          h("td", {}, action || h("span", { class: "muted" }, "You")),
        );
      });
      setChildren(
        tableSlot,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { id: "users-table", class: "data-table" },
            h("caption", {}, `${users.length} accounts`),
            h("thead", {}, h("tr", {}, ["Email", "Role", "Languages", "Lead", "Status", "Created", "Action"].map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", {}, rows),
          ),
        ),
      );
    } catch (error) {
      setChildren(tableSlot, errorBox(error, "the accounts"));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    resultSlot.replaceChildren();
    const body = {
      email: email.value.trim(),
      role: role.value,
      languages: languages.value.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean),
      lead: lead.input.checked,
    };
    if (password.value) body.password = password.value;
    try {
      const reply = await busy(create, post("/v1/admin/users", body));
      const user = reply.user || {};
      password.value = "";
      email.value = "";
      languages.value = "";
      lead.input.checked = false;
      if (reply.initialPassword) {
        resultSlot.replaceChildren(
          secretBox("initial-password", "Initial password", reply.initialPassword, `Account ${user.email} created. This password is shown only once: give it to them through a safe channel now.`),
        );
      } else {
        resultSlot.replaceChildren(h("p", { id: "initial-password", class: "notice", role: "status" }, `Account ${user.email} created with the password you chose.`));
      }
      say(`Account ${user.email} created.`);
      await load();
    } catch (error) {
      showErrors(form, error);
    }
  });

  setChildren(
    area,
    h("h2", {}, "Accounts"),
    tableSlot,
    h("h2", {}, "Create an account"),
    resultSlot,
    form,
  );
  load();
}

function partnersPage(area) {
  const tableSlot = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const resultSlot = h("div");
  const name = h("input", { type: "text", autocomplete: "off", maxlength: "200" });
  const scopeBoxes = SCOPES.map((s) => checkbox(s, { value: s, id: `scope-${s.replace(":", "-")}` }));
  const create = h("button", { type: "submit", class: "primary" }, "Create partner");
  // The scopes' violations go to the fieldset's error line (through a hidden anchor input, which
  // showErrors maps the "scopes" field to); the fieldset is described by that line, and an error
  // there focuses the first checkbox (dom.js showErrors: a hidden anchor focuses its fieldset's
  // first control).
  const scopesAnchor = h("input", { type: "hidden", id: "partner-scopes" });
  scopesAnchor.dataset.field = "scopes";
  const scopesGroup = h(
    "fieldset",
    { class: "choice", "aria-describedby": "partner-scopes-error" },
    h("legend", {}, "Scopes"),
    scopeBoxes.map((b) => b.el),
    scopesAnchor,
    h("p", { class: "field-error", id: "partner-scopes-error" }),
  );
  const form = h(
    "form",
    { id: "create-partner-form", class: "admin-form", novalidate: true },
    formErrorBox(),
    field("Name", name, { name: "name", id: "partner-name" }),
    scopesGroup,
    create,
  );

  async function load() {
    try {
      const reply = await get("/v1/admin/partners");
      const partners = reply.partners || [];
      const rows = partners.map((p) => {
        const cell = h("td");
        if (!p.revoked) {
          const revoke = h("button", { type: "button", class: "danger", "aria-label": `Revoke ${p.name}` }, "Revoke");
          revoke.addEventListener("click", () => {
            const yes = h("button", { type: "button", class: "danger" }, "Yes, revoke");
            const keep = h("button", { type: "button", class: "secondary" }, "Keep");
            yes.addEventListener("click", async () => {
              try {
                await busy(yes, post(`/v1/admin/partners/${seg(p.partnerId)}:revoke`, {}));
                say(`${p.name}'s key is revoked.`);
                await load();
              } catch (error) {
                sayError(`Could not revoke ${p.name}: ${error.message}`);
              }
            });
            keep.addEventListener("click", () => setChildren(cell, revoke));
            setChildren(cell, h("span", {}, "Revoke the key? "), yes, keep);
            yes.focus();
          });
          cell.append(revoke);
        }
        return h(
          "tr",
          { class: p.revoked ? "inactive" : "" },
          h("td", {}, p.name),
          h("td", {}, (p.scopes || []).join(", ") || fmt.DASH),
          h("td", {}, p.hasWebhook ? "Yes" : "No"),
          h("td", {}, p.revoked ? "Revoked" : "Active"),
          h("td", {}, fmt.date(p.createdAt)),
          cell,
        );
      });
      setChildren(
        tableSlot,
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { id: "partners-table", class: "data-table" },
            h("caption", {}, `${partners.length} partners`),
            h("thead", {}, h("tr", {}, ["Name", "Scopes", "Webhook", "Status", "Created", "Action"].map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", {}, rows),
          ),
        ),
      );
    } catch (error) {
      setChildren(tableSlot, errorBox(error, "the partners"));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    resultSlot.replaceChildren();
    const body = { name: name.value.trim(), scopes: scopeBoxes.filter((b) => b.input.checked).map((b) => b.input.value) };
    try {
      const reply = await busy(create, post("/v1/admin/partners", body));
      const partner = reply.partner || {};
      name.value = "";
      for (const b of scopeBoxes) b.input.checked = false;
      resultSlot.replaceChildren(
        secretBox("api-key", "API key", reply.apiKey || "", `Partner ${partner.name} created. This key is shown only once: hand it over through a safe channel now. They send it as "authorization: Bearer <key>".`),
      );
      say(`Partner ${partner.name} created.`);
      await load();
    } catch (error) {
      showErrors(form, error);
    }
  });

  setChildren(area, h("h2", {}, "Partners"), tableSlot, h("h2", {}, "Create a partner"), resultSlot, form);
  load();
}

export function mount(root, route) {
  if (!session.isAdmin()) {
    root.replaceChildren(h("h1", {}, "Admin"), h("p", { class: "notice", role: "status" }, "These pages are for admins only."));
    return {};
  }
  const area = h("div", { class: "admin-area" });
  const links = [
    ["users", "#/admin", "Users"],
    ["partners", "#/admin/partners", "Partners"],
    ["clinics", "#/admin/clinics", "Clinics"],
  ];
  const subnav = h("nav", { class: "subnav", "aria-label": "Admin sections" }, h("ul", {}, links.map(([key, href, text]) => h("li", {}, h("a", { href, dataset: { section: key } }, text)))));
  root.replaceChildren(h("h1", {}, "Admin"), subnav, area);
  let child = null;

  function show(r) {
    const section = r.parts[1] || "users";
    for (const a of subnav.querySelectorAll("a")) {
      if (a.dataset.section === section) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    if (child && child.unmount) child.unmount();
    child = null;
    if (section === "partners") partnersPage(area);
    else if (section === "clinics") child = catalog.mount(area, { clinicId: r.parts[2] || "" });
    else usersPage(area);
  }
  show(route);
  return {
    update(r) {
      if (r.parts[0] !== "admin") return false;
      show(r);
      return true;
    },
    unmount() {
      if (child && child.unmount) child.unmount();
    },
  };
}
