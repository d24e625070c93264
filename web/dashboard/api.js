// api.js — every call to the gateway's HTTP/JSON API goes through here.
//
// Contract:
// - api(method, path, {query, body, auth}) sends JSON with the session cookie (same origin) and,
//   for every method but GET/HEAD, the header X-CSRF-Token = the `cb_csrf` cookie (API.md,
//   Identity). Resolves with the parsed JSON reply ({} for an empty body).
// - Rejects with ApiError {status, code, message, violations: [{field, description}],
//   retryAfter}: the gateway's error body `{"code","message","details":[BadRequest]}` unpacked;
//   status 0 when the server could not be reached.
// - A 401 calls the handler set with onUnauthorized (the app shows the login form) before
//   rejecting, unless the call passed `auth: false` (the login call itself).
// - Path segments are the caller's: use seg() for ids from data (follow-up ids keep their colons,
//   as the route expects).

export class ApiError extends Error {
  constructor(status, message, { code = 0, violations = [], retryAfter = 0 } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.violations = violations;
    this.retryAfter = retryAfter;
  }
}

let unauthorizedHandler = () => {};

export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return "";
}

// One path segment: percent-encodes what must be, but keeps ':' (ids like "inquiries:42").
export function seg(value) {
  return encodeURIComponent(String(value)).replace(/%3A/gi, ":");
}

function violationsOf(body) {
  const out = [];
  for (const detail of (body && body.details) || []) {
    for (const v of detail.fieldViolations || []) {
      out.push({ field: v.field || "", description: v.description || "" });
    }
  }
  return out;
}

export async function api(method, path, { query, body, auth = true } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
    }
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD") {
    const csrf = cookie("cb_csrf");
    if (csrf) headers["x-csrf-token"] = csrf;
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "Could not reach CareBridge. Check the connection and try again.");
  }
  const text = await response.text();
  let data = {};
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (response.ok) return data || {};
  const error = new ApiError(
    response.status,
    (data && typeof data.message === "string" && data.message) ||
      `The server answered ${response.status} ${response.statusText}`.trim(),
    {
      code: (data && data.code) || 0,
      violations: violationsOf(data),
      retryAfter: Number(response.headers.get("retry-after")) || 0,
    },
  );
  if (response.status === 401 && auth) unauthorizedHandler(error);
  throw error;
}

export const get = (path, query) => api("GET", path, { query });
export const post = (path, body = {}, options = {}) => api("POST", path, { body, ...options });
export const patch = (path, body) => api("PATCH", path, { body });
export const del = (path) => api("DELETE", path);
