// views/login.js — the login form.
//
// Contract: mount(root, {onLoggedIn}) renders a form (#login-form) with "Email" and "Password" and
// the button "Log in"; on success it calls onLoggedIn(user). Field violations go next to their
// fields, other errors (wrong password, locked account with its wait) in #login-error.

import { h, field, showErrors, formErrorBox } from "../dom.js";
import { login } from "../session.js";

export function mount(root, { onLoggedIn }) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const button = h("button", { type: "submit", class: "primary" }, "Log in");
  const box = formErrorBox();
  box.id = "login-error";
  const form = h(
    "form",
    { id: "login-form", class: "login-form", novalidate: true },
    box,
    field("Email", email, { name: "email" }),
    field("Password", password, { name: "password" }),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const user = await login(email.value.trim(), password.value);
      password.value = "";
      onLoggedIn(user);
    } catch (error) {
      if (error.status === 429 && error.retryAfter) {
        error.message = `${error.message} Try again in about ${Math.ceil(error.retryAfter / 60)} min.`;
      }
      showErrors(form, error);
      if (!error.violations.length) password.focus();
    } finally {
      button.disabled = false;
    }
  });
  root.replaceChildren(
    h(
      "section",
      { class: "login-card", "aria-labelledby": "login-title" },
      h("h1", { id: "login-title", tabindex: "-1" }, "Log in to CareBridge"),
      h("p", { class: "muted" }, "For coordinators and admins."),
      form,
    ),
  );
  email.focus();
  return { unmount() {} };
}
