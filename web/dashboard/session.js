// session.js — who is logged in, and the team's accounts (assignees are shown by email).
//
// Contract:
// - load() asks GET /v1/sessions/current; resolves with the user or null (401: not logged in).
// - login(email, password) POST /v1/sessions (the gateway sets the cb_session / cb_csrf cookies);
//   rejects with the ApiError (shown on the login form, never redirected).
// - logout() DELETE /v1/sessions/current (auth: false: a 401 there means already logged out and
//   must not trigger the app's "session has ended" handler); forgets everything cached, even when
//   the call fails.
// - user() the current user or null; isAdmin().
// - users({refresh}) every account (GET /v1/admin/users, cached for the session);
//   userEmail(id) from that cache (or "").

import { api, get, ApiError } from "./api.js";

let me = null;
let usersCache = null;
let usersPromise = null;

export function user() {
  return me;
}

export function isAdmin() {
  return Boolean(me && me.role === "admin");
}

export async function load() {
  try {
    me = await api("GET", "/v1/sessions/current", { auth: false });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      me = null;
      return null;
    }
    throw e;
  }
  return me;
}

export async function login(email, password) {
  const session = await api("POST", "/v1/sessions", { body: { email, password }, auth: false });
  me = session.user || null;
  usersCache = null;
  usersPromise = null;
  return me;
}

export function forget() {
  me = null;
  usersCache = null;
  usersPromise = null;
}

export async function logout() {
  try {
    await api("DELETE", "/v1/sessions/current", { auth: false });
  } finally {
    forget();
  }
}

export async function users({ refresh = false } = {}) {
  if (usersCache && !refresh) return usersCache;
  if (!usersPromise || refresh) {
    usersPromise = get("/v1/admin/users")
      .then((reply) => {
        usersCache = reply.users || [];
        return usersCache;
      })
      .finally(() => {
        usersPromise = null;
      });
  }
  return usersPromise;
}

export function userEmail(id) {
  if (!id) return "";
  const found = (usersCache || []).find((u) => u.userId === id);
  return found ? found.email : "";
}
