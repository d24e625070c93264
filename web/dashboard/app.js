// app.js — the dashboard's entry point: session, navigation and which view is shown.
//
// Contract: on load asks who is logged in; shows the login form when nobody is (and again on any
// 401 from the API, keeping the URL so the same view opens after logging in); otherwise shows the
// header (nav "Main": Inbox, Calendar, Overview, Admin for admins; "Log out") and the view of the
// URL hash (router.js). Views are modules with mount(root, route) -> {update?(route): boolean,
// unmount()}: a hash change within the same view calls update (e.g. inbox filters) and remounts
// only when it returns false.

import { onUnauthorized } from "./api.js";
import { h, errorBox } from "./dom.js";
import { clear, say, sayError } from "./notify.js";
import * as router from "./router.js";
import * as session from "./session.js";
import * as loginView from "./views/login.js";
import * as inboxView from "./views/inbox.js";
import * as caseView from "./views/case.js";
import * as calendarView from "./views/calendar.js";
import * as overviewView from "./views/overview.js";
import * as adminView from "./views/admin.js";

const main = document.getElementById("main");
const topbar = document.getElementById("topbar");

let active = null; // {key, instance}
let loggedIn = false;

function viewFor(route) {
  const [first] = route.parts;
  switch (first) {
    case "inbox":
      return { key: "inbox", module: inboxView };
    case "cases":
      return route.parts[1] ? { key: `case:${route.parts[1]}`, module: caseView } : { key: "inbox", module: inboxView };
    case "calendar":
      return { key: "calendar", module: calendarView };
    case "overview":
      return { key: "overview", module: overviewView };
    case "admin":
      return { key: "admin", module: adminView };
    default:
      return { key: "missing", module: null };
  }
}

function unmountActive() {
  if (active && active.instance && active.instance.unmount) active.instance.unmount();
  active = null;
}

function markNav(route) {
  for (const link of document.querySelectorAll("#main-nav a[data-nav]")) {
    const here = link.dataset.nav === route.parts[0] || (link.dataset.nav === "inbox" && route.parts[0] === "cases");
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function show(route, { focus = true } = {}) {
  if (!loggedIn) return;
  markNav(route);
  const view = viewFor(route);
  if (active && active.key === view.key && active.instance.update && active.instance.update(route)) return;
  unmountActive();
  main.replaceChildren();
  // A new view: the last view's message no longer applies (errors stay until the next message).
  if (!document.getElementById("status").classList.contains("error")) clear();
  if (!view.module) {
    main.append(h("h1", { tabindex: "-1" }, "Page not found"), h("p", {}, h("a", { href: "#/inbox" }, "Go to the inbox")));
    active = { key: view.key, instance: {} };
  } else {
    try {
      active = { key: view.key, instance: view.module.mount(main, route) || {} };
    } catch (error) {
      main.append(errorBox(error, "this view"));
      active = { key: view.key, instance: {} };
    }
  }
  if (focus) {
    const heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: false });
    }
  }
}

function showLogin() {
  loggedIn = false;
  session.forget();
  unmountActive();
  topbar.hidden = true;
  active = { key: "login", instance: loginView.mount(main, { onLoggedIn: startApp }) };
}

function startApp(user) {
  loggedIn = true;
  topbar.hidden = false;
  document.getElementById("current-user").textContent = `${user.email} (${user.role})`;
  for (const el of document.querySelectorAll("[data-admin-only]")) el.hidden = user.role !== "admin";
  active = null;
  clear();
  show(router.current(), { focus: false });
  // Assignee emails for the views; a failure shows ids instead.
  session.users().catch(() => {});
}

async function logout(event) {
  const button = event.currentTarget;
  button.disabled = true;
  // session.logout() sends its DELETE with auth: false, so a 401 (the session had already ended)
  // does not run the unauthorized handler: the login form is mounted once, below.
  try {
    await session.logout();
    say("You are logged out.");
  } catch (error) {
    if (error.status === 401) say("You are logged out.");
    else sayError(`Logout failed: ${error.message}`);
  } finally {
    button.disabled = false;
    showLogin();
  }
}

// The skip link ("#main") moves focus to the content without touching the route in the hash.
function skipToMain(event) {
  event.preventDefault();
  if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
  main.focus();
  main.scrollIntoView({ block: "start" });
}

async function boot() {
  onUnauthorized(() => {
    if (!loggedIn) return;
    sayError("Your session has ended. Please log in again.");
    showLogin();
  });
  router.listen((route) => show(route));
  document.getElementById("logout-button").addEventListener("click", logout);
  const skip = document.querySelector("a.skip-link");
  if (skip) skip.addEventListener("click", skipToMain);
  try {
    const user = await session.load();
    if (user) startApp(user);
    else showLogin();
  } catch (error) {
    main.replaceChildren(h("h1", {}, "CareBridge dashboard"), errorBox(error, "your session"));
  }
}

boot();
