// The contact form (/), enhanced: the page works without this script (plain posts; the gateway
// re-renders the form with its errors or shows the thank-you page). With it:
// - the required fields are checked before sending, with the messages the page carries in
//   data-required-message (in the page's language; the same words the server uses);
// - the form is sent with fetch as the same urlencoded post (same fields, same idempotency key),
//   asking for JSON: field errors are shown next to their fields and listed in the summary, as
//   the server's page would; success shows the page's thank-you template with the reference;
// - anything else (rate limit, outage, network error) falls back to the normal post, so the
//   gateway's own pages take over.
// All text is set with textContent; no HTML is built from data.
"use strict";

(function () {
  const form = document.getElementById("contact-form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  const summary = document.getElementById("error-summary");
  const summaryList = summary.querySelector("ul");
  const status = document.getElementById("contact-status");
  form.dataset.enhanced = "true";
  let sending = false;

  // The language switch keeps the page's query (e.g. utm_source) apart from lang.
  const switchLink = document.querySelector(".lang-switch a[hreflang]");
  if (switchLink) {
    const query = new URLSearchParams(window.location.search);
    query.set("lang", switchLink.hreflang);
    switchLink.href = "/?" + query.toString();
  }

  // What names a field in the summary: its label's own text (before any child element, as the
  // server does), or its group's legend.
  function fieldName(control) {
    const legend = document.getElementById(control.name + "-legend");
    const label = legend || form.querySelector('label[for="' + control.id + '"]');
    if (!label) return control.name;
    const first = label.firstChild;
    return (first && first.nodeType === Node.TEXT_NODE ? first.textContent : label.textContent)
        .trim();
  }

  function clearErrors() {
    for (const error of form.querySelectorAll(".field-error")) error.textContent = "";
    for (const control of form.querySelectorAll('[aria-invalid="true"]')) {
      control.setAttribute("aria-invalid", "false");
    }
    summaryList.textContent = "";
    summary.hidden = true;
  }

  // errors: [{name, message}]; a name that is no field of the form is listed, linking the form.
  function showErrors(errors) {
    clearErrors();
    for (const { name, message } of errors) {
      const control = form.elements.namedItem(name);
      const field = control && (control.id ? control : document.getElementById(name));
      const item = document.createElement("li");
      const link = document.createElement("a");
      if (field) {
        const error = document.getElementById(name + "-error");
        if (error) error.textContent = (error.textContent + " " + message).trim();
        if (field.hasAttribute("aria-invalid")) field.setAttribute("aria-invalid", "true");
        link.href = "#" + field.id;
        link.textContent = fieldName(field) + ": " + message;
      } else {
        link.href = "#contact-form";
        link.textContent = name + ": " + message;
      }
      item.appendChild(link);
      summaryList.appendChild(item);
    }
    summary.hidden = false;
    summary.focus();
  }

  function missingRequired() {
    const errors = [];
    for (const control of form.querySelectorAll("[data-required-message]")) {
      const empty = control.type === "checkbox" ? !control.checked : control.value.trim() === "";
      if (empty) errors.push({ name: control.name, message: control.dataset.requiredMessage });
    }
    return errors;
  }

  // The field violations of an error reply ({code, message, details: [{fieldViolations}]}),
  // named as the form names them ("inquiry.email" -> "email").
  function violationsOf(body) {
    const errors = [];
    for (const detail of (body && body.details) || []) {
      for (const violation of detail.fieldViolations || []) {
        errors.push({
          name: String(violation.field || "").replace(/^inquiry\./, ""),
          message: String(violation.description || ""),
        });
      }
    }
    return errors;
  }

  function showThanks(reference) {
    const template = document.getElementById("contact-thanks");
    const page = document.getElementById("contact-page");
    const thanks = template.content.cloneNode(true);
    thanks.querySelector("[data-reference]").textContent = reference;
    page.replaceWith(thanks);
    document.title = document.querySelector("main h1").textContent + " – CareBridge";
    document.querySelector("main h1").focus();
  }

  function fallBackToPost() {
    sending = true;
    form.submit();  // the normal post: no submit event, so this handler does not run again
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    const missing = missingRequired();
    if (missing.length > 0) {
      showErrors(missing);
      return;
    }
    sending = true;
    status.textContent = status.dataset.sending || "";
    let response;
    let body = null;
    try {
      // No cookies: a coordinator's session has nothing to do with a public inquiry.
      response = await fetch(form.action, {
        method: "POST",
        credentials: "omit",
        headers: {
          "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        },
        body: new URLSearchParams(new FormData(form)).toString(),
      });
      body = await response.json().catch(() => null);
    } catch (error) {
      fallBackToPost();
      return;
    }
    sending = false;
    status.textContent = "";
    if (response.ok && body && typeof body.reference === "string") {
      showThanks(body.reference);
      return;
    }
    const violations = response.status === 400 ? violationsOf(body) : [];
    if (violations.length > 0) {
      showErrors(violations);
      return;
    }
    fallBackToPost();
  });
})();
