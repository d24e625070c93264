// router.js — the view lives in the URL hash, so any view can be bookmarked and shared.
//
// Contract:
// - current() parses location.hash "#/cases/abc?x=1" into {path: "/cases/abc", parts: ["cases",
//   "abc"], params: URLSearchParams}; an empty hash (or one that is not a route, e.g. "#main") is
//   "/inbox".
// - href(path, params) builds "#/path?k=v" (empty values dropped, keys in the given order).
// - go(path, params, {replace}) navigates (replace: no new history entry, for filter changes).
// - listen(fn) calls fn(current()) on every hash change to a route ("#/..." or an empty hash);
//   other hashes (in-page anchors such as the skip link's "#main") are not routes and are ignored.
// - isRoute(hash) tells which hashes are routes.
// - remember(key, hash) / recall(key, fallback): the last URL of a view (e.g. the filtered inbox,
//   for the case page's way back).

export function current() {
  const raw = isRoute(window.location.hash) ? window.location.hash.replace(/^#/, "") : "";
  const q = raw.indexOf("?");
  let path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  if (!path || path === "/") path = "/inbox";
  if (!path.startsWith("/")) path = `/${path}`;
  const parts = path.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch (e) {
      return p;
    }
  });
  return { path, parts, params };
}

export function href(path, params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "" && v !== false) search.set(k, String(v));
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}

export function go(path, params, { replace = false } = {}) {
  const target = href(path, params);
  if (target === window.location.hash) {
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    return;
  }
  if (replace) {
    history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = target;
  }
}

export function isRoute(hash) {
  return hash === "" || hash === "#" || hash.startsWith("#/");
}

export function listen(fn) {
  window.addEventListener("hashchange", () => {
    if (isRoute(window.location.hash)) fn(current());
  });
}

const remembered = new Map();

export function remember(key, hash) {
  remembered.set(key, hash);
}

export function recall(key, fallback) {
  return remembered.get(key) || fallback;
}
