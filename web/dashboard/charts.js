// charts.js — small SVG charts drawn with DOM APIs (no library, no innerHTML).
//
// Contract: each function returns a <figure id=...> holding an <svg role="img"> whose accessible
// name (aria-label, and a <title>) says what it shows and its largest figures, a visible
// <figcaption>, and a visually hidden <table> with every value (the same data for screen readers
// and for tests). Colours come from CSS classes (style.css: .bar, .bar-muted, .bar-alert ...).
// - barsHorizontal({id, title, rows: [{label, value, className?}], unit}) e.g. the stage funnel.
// - columns({id, title, rows: [{label, short, value}], unit}) e.g. inquiries per day.

import { h, svg, srOnly } from "./dom.js";
import { number } from "./format.js";

function dataTable(title, rows, unit) {
  return srOnly(
    "table",
    {},
    h("caption", {}, title),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Label"), h("th", { scope: "col" }, unit))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.label), h("td", {}, number(r.value))))),
  );
}

function summary(title, rows, unit) {
  const total = rows.reduce((sum, r) => sum + Number(r.value || 0), 0);
  const parts = rows.filter((r) => Number(r.value) > 0).map((r) => `${r.label} ${number(r.value)}`);
  return `${title}: ${number(total)} ${unit.toLowerCase()} in total${parts.length ? `; ${parts.join(", ")}` : ""}.`;
}

export function barsHorizontal({ id, title, rows, unit = "Count" }) {
  const labelWidth = 190;
  const barArea = 360;
  const rowHeight = 30;
  const width = labelWidth + barArea + 70;
  const height = rows.length * rowHeight + 10;
  const max = Math.max(1, ...rows.map((r) => Number(r.value || 0)));
  const label = summary(title, rows, unit);
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart", preserveAspectRatio: "xMinYMin meet" },
    svg("title", {}, label),
  );
  rows.forEach((r, i) => {
    const y = 5 + i * rowHeight;
    const value = Number(r.value || 0);
    const w = value === 0 ? 0 : Math.max(2, (value / max) * barArea);
    chart.append(
      svg("text", { x: labelWidth - 8, y: y + rowHeight / 2 + 5, class: "chart-label", "text-anchor": "end" }, r.label),
      svg("rect", { x: labelWidth, y: y + 4, width: w.toFixed(1), height: rowHeight - 8, rx: 3, class: `bar ${r.className || ""}`.trim() }),
      svg("text", { x: labelWidth + w + 6, y: y + rowHeight / 2 + 5, class: "chart-value" }, number(value)),
    );
  });
  return h(
    "figure",
    { id, class: "chart-figure" },
    h("figcaption", {}, title),
    chart,
    dataTable(title, rows, unit),
  );
}

export function columns({ id, title, rows, unit = "Count" }) {
  const left = 36;
  const bottom = 26;
  const top = 12;
  const plotHeight = 160;
  const colWidth = 18;
  const width = left + rows.length * colWidth + 10;
  const height = top + plotHeight + bottom;
  const max = Math.max(1, ...rows.map((r) => Number(r.value || 0)));
  const label = summary(title, rows, unit);
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "chart", preserveAspectRatio: "xMinYMin meet" },
    svg("title", {}, label),
  );
  // Axis: 0 and the maximum.
  chart.append(
    svg("line", { x1: left, x2: width - 5, y1: top + plotHeight, y2: top + plotHeight, class: "axis" }),
    svg("line", { x1: left, x2: width - 5, y1: top, y2: top, class: "gridline" }),
    svg("text", { x: left - 6, y: top + plotHeight + 4, class: "chart-tick", "text-anchor": "end" }, "0"),
    svg("text", { x: left - 6, y: top + 4, class: "chart-tick", "text-anchor": "end" }, number(max)),
  );
  rows.forEach((r, i) => {
    const value = Number(r.value || 0);
    const barHeight = (value / max) * plotHeight;
    const x = left + i * colWidth + 3;
    chart.append(
      svg(
        "rect",
        { x, y: (top + plotHeight - barHeight).toFixed(1), width: colWidth - 6, height: barHeight.toFixed(1), rx: 2, class: `bar ${r.className || ""}`.trim() },
        svg("title", {}, `${r.label}: ${number(value)}`),
      ),
    );
    if (i % 5 === 0 || i === rows.length - 1) {
      chart.append(svg("text", { x: x + (colWidth - 6) / 2, y: top + plotHeight + 16, class: "chart-tick", "text-anchor": "middle" }, r.short || r.label));
    }
  });
  return h(
    "figure",
    { id, class: "chart-figure" },
    h("figcaption", {}, title),
    chart,
    dataTable(title, rows, unit),
  );
}
