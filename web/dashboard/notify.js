// notify.js — status messages for everyone, including screen-reader users.
//
// Contract: say(text) puts `text` in the page's #status region (role=status, aria-live=polite);
// sayError(text) does the same marked as an error. A message stays until the next one or until
// clear(); a new identical message is re-announced.

function region() {
  return document.getElementById("status");
}

let timer = 0;

function show(text, kind) {
  const el = region();
  if (!el) return;
  window.clearTimeout(timer);
  el.textContent = "";
  el.className = `status ${kind}`;
  // A tick later, so an identical message is announced again.
  timer = window.setTimeout(() => {
    el.textContent = text;
  }, 30);
}

export function say(text) {
  show(text, "info");
}

export function sayError(text) {
  show(text, "error");
}

export function clear() {
  window.clearTimeout(timer);
  const el = region();
  if (el) {
    el.textContent = "";
    el.className = "status";
  }
}
