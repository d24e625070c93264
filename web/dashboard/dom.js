// dom.js — building the page without ever parsing HTML.
//
// Contract:
// - h(tag, props, ...children) makes an element. props: `class` (string), `text` (set as
//   textContent), `on` ({event: handler}), `dataset` ({key: value}), `style` ({prop: value}, set
//   through element.style, which the CSP allows), booleans (true sets the attribute, false/null
//   omits it) and any other attribute as a string. Children: nodes, strings (text nodes), numbers,
//   arrays (flattened), null/undefined/false (skipped). No innerHTML anywhere: every string ends
//   up as text, so hostile input (names, messages) is shown, never run.
// - svg(tag, attrs, ...children) the same in the SVG namespace.
// - field(...) a labelled form control with its error slot; showErrors / clearErrors put an
//   ApiError's field violations next to their fields (matched by data-field) and the rest in the
//   form's error box.
// - errorBox(error) an alert box for a view that could not load.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.append(child);
    else parent.append(document.createTextNode(String(child)));
  }
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = String(value);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") for (const [p, v] of Object.entries(value)) el.style.setProperty(p, v);
    else if (key === "value" && "value" in el) el.value = String(value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
}

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyProps(el, attrs);
  append(el, children);
  return el;
}

// Replaces the children of `el`.
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
// A fresh id for label/for and aria wiring.
export function newId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled control: <div class="field"><label/>[hint]<control/><p class="field-error"/></div>.
// `control` is an input/select/textarea; it gets `id` (or a fresh one) and `data-field` = `name`
// (the API field it feeds, e.g. "price_usd_max" or "license.expires_at").
export function field(label, control, { name, hint, id, className } = {}) {
  control.id = id || control.id || newId("f");
  if (name) control.dataset.field = name;
  const errorId = `${control.id}-error`;
  const described = [];
  let hintEl = null;
  if (hint) {
    hintEl = h("p", { class: "hint", id: `${control.id}-hint` }, hint);
    described.push(hintEl.id);
  }
  described.push(errorId);
  control.setAttribute("aria-describedby", described.join(" "));
  return h(
    "div",
    { class: `field${className ? ` ${className}` : ""}` },
    h("label", { for: control.id }, label),
    hintEl,
    control,
    h("p", { class: "field-error", id: errorId }),
  );
}

// A checkbox with its label after it.
export function checkbox(label, { name, checked, id, value } = {}) {
  const input = h("input", { type: "checkbox", id: id || newId("c"), value });
  input.checked = Boolean(checked);
  if (name) input.dataset.field = name;
  return {
    input,
    el: h("div", { class: "check" }, input, h("label", { for: input.id }, label)),
  };
}

export function select(options, selected) {
  const el = h("select");
  for (const opt of options) {
    const [value, label] = Array.isArray(opt) ? opt : [opt, opt];
    const o = h("option", { value }, label);
    if (String(value) === String(selected ?? "")) o.selected = true;
    el.append(o);
  }
  return el;
}

// The box at the top of a form where errors that belong to no field go.
export function formErrorBox() {
  return h("div", { class: "form-error", role: "alert", hidden: true });
}

const canonical = (name) => String(name).replace(/_/g, "").toLowerCase();

export function clearErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
  const box = form.querySelector(".form-error");
  if (box) {
    box.replaceChildren();
    box.hidden = true;
  }
}

// Shows `error` (an ApiError or any Error) on `form`: each field violation next to the control
// whose data-field matches it (also without a leading "clinic." / "protocol." / "case."
// message prefix), everything else (and the message when no violation found a field) in the
// form's error box. Returns true when at least one field was marked; focuses the first (for a
// hidden anchor input standing for a group of checkboxes, the first control of its fieldset).
export function showErrors(form, error) {
  clearErrors(form);
  const controls = [...form.querySelectorAll("[data-field]")];
  const find = (fieldName) => {
    const parts = String(fieldName).split(".");
    for (let i = 0; i < parts.length; i += 1) {
      const candidate = canonical(parts.slice(i).join("."));
      const hit = controls.find((c) => canonical(c.dataset.field) === candidate);
      if (hit) return hit;
    }
    return null;
  };
  const leftover = [];
  let first = null;
  for (const v of error.violations || []) {
    const control = find(v.field);
    if (!control) {
      leftover.push(`${v.field}: ${v.description}`);
      continue;
    }
    control.setAttribute("aria-invalid", "true");
    const slot = document.getElementById(`${control.id}-error`);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${v.description}` : v.description;
    first = first || control;
  }
  const box = form.querySelector(".form-error");
  if (box && (leftover.length || !first)) {
    box.hidden = false;
    setChildren(
      box,
      h("p", {}, error.message || "Something went wrong."),
      leftover.length ? h("ul", {}, leftover.map((t) => h("li", {}, t))) : null,
    );
  }
  if (first) focusable(first).focus();
  return first !== null;
}

// A hidden input cannot take focus: the first real control of its fieldset stands in for it.
function focusable(control) {
  if (control.type !== "hidden") return control;
  const group = control.closest("fieldset");
  const stand = group && group.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
  return stand || control;
}

// An alert box for a part of a view that could not be loaded.
export function errorBox(error, what) {
  const status = error && error.status ? ` (HTTP ${error.status})` : "";
  return h(
    "div",
    { class: "error-box", role: "alert" },
    h("p", {}, h("strong", {}, what ? `Could not load ${what}${status}.` : `Error${status}.`)),
    h("p", {}, (error && error.message) || "Unknown error."),
  );
}

// A visually hidden element (read by screen readers).
export function srOnly(tag, props, ...children) {
  const el = h(tag, props, ...children);
  el.classList.add("sr-only");
  return el;
}

// Disables `button` while `promise` runs.
export async function busy(button, promise) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await promise;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}
