// The report's charts with uPlot (canvas, no eval, styles through the CSSOM so the strict CSP holds):
// overlaid distributions, the two empirical CDFs, and the timeline against its threshold. Colours come
// from the theme; each chart's numbers are also given as a text table.
import uPlot from "uplot";
import type { FeatureChart, FeatureDrift } from "../../src/core/drift/compare";
import { el } from "../dom";
import { formatValue, metricName } from "../../src/core/drift/export";

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const colors = () => ({
  reference: themeColor("--vscode-charts-blue", "#3794ff"),
  production: themeColor("--vscode-charts-orange", "#d18616"),
  threshold: themeColor("--vscode-charts-red", "#f14c4c"),
  axis: themeColor("--vscode-foreground", "#cccccc"),
  grid: themeColor("--vscode-panel-border", "#80808040"),
});

/** A theme colour (#rgb, #rrggbb or rgb()) with some transparency; anything else as it is. */
function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color);
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : color;
}

/**
 * The two axes. The x axis's tick labels are recorded on the plot (`data-x-ticks`, text) as drawn on the
 * canvas; `space` keeps ticks that far apart, so labels never run into each other.
 */
function axes(plot: HTMLElement, xLabel: string, yLabel: string, xValues?: (u: uPlot, splits: number[]) => string[], space = 70): uPlot.Axis[] {
  const c = colors();
  const record = (labels: string[]) => {
    plot.dataset.xTicks = JSON.stringify(labels.filter((l) => l !== ""));
    return labels;
  };
  return [
    { label: xLabel, stroke: c.axis, grid: { stroke: c.grid }, ticks: { stroke: c.grid }, space,
      values: (u, splits) => record(xValues ? xValues(u, splits) : splits.map((v) => formatValue(v))) },
    { label: yLabel, stroke: c.axis, grid: { stroke: c.grid }, ticks: { stroke: c.grid } },
  ];
}

/** At most `room` labels across: every k-th kept, each cut to fit its share of the width. */
function thinned(labels: string[], width: number, perLabel = 80): (index: number) => string {
  const step = Math.max(1, Math.ceil((labels.length * perLabel) / Math.max(1, width)));
  const cut = (text: string) => (text.length > 14 ? `${text.slice(0, 13)}…` : text);
  return (index) => (index % step === 0 ? cut(labels[index] ?? "") : "");
}

function chartBox(title: string, description: string): { box: HTMLElement; plot: HTMLElement } {
  const box = el("figure", "chart");
  const caption = el("figcaption", undefined, title);
  const plot = el("div", "plot");
  plot.setAttribute("role", "img");
  plot.setAttribute("aria-label", description);
  box.append(caption, plot);
  return { box, plot };
}

/** Reference and production shares per bin (numbers) or per category, side by side. */
export function distributionChart(feature: FeatureDrift, width: number): HTMLElement {
  const chart = feature.chart as FeatureChart;
  const c = colors();
  const labels = chart.kind === "numerical" ? chart.reference.map((_, i) => `${formatValue(chart.edges[i])}–${formatValue(chart.edges[i + 1])}`)
    : [...chart.categories, ...(chart.other.categories > 0 ? [`other (${chart.other.categories})`] : [])];
  const ref = chart.kind === "numerical" ? chart.reference : [...chart.reference, ...(chart.other.categories > 0 ? [chart.other.reference] : [])];
  const prod = chart.kind === "numerical" ? chart.production : [...chart.production, ...(chart.other.categories > 0 ? [chart.other.production] : [])];
  const share = (counts: number[]) => {
    const total = counts.reduce((s, v) => s + v, 0) || 1;
    return counts.map((v) => v / total);
  };
  const { box, plot } = chartBox(chart.kind === "numerical" ? "Distribution (share of rows per bin)" : "Categories (share of rows)", `Distribution of ${feature.name}: reference in blue, production in orange; the numbers are in the table below.`);
  // Numbers: bins at their centres on a numeric axis (ticks at round values); categories: one slot each.
  const numeric = chart.kind === "numerical";
  const x = numeric ? chart.reference.map((_, i) => (chart.edges[i] + chart.edges[i + 1]) / 2) : labels.map((_, i) => i);
  const label = thinned(labels, width);
  // Numbers: the two histograms overlaid (translucent bars over the same bins); categories: bars side by side.
  const overlaid = chart.kind === "numerical";
  const barsLeft = overlaid ? uPlot.paths.bars?.({ size: [0.96, 200], align: 0 }) : uPlot.paths.bars?.({ size: [0.4, 60], align: -1 });
  const barsRight = overlaid ? uPlot.paths.bars?.({ size: [0.96, 200], align: 0 }) : uPlot.paths.bars?.({ size: [0.4, 60], align: 1 });
  const translucent = (color: string) => (overlaid ? withAlpha(color, 0.45) : color);
  const low = numeric ? chart.edges[0] : -0.5;
  const high = numeric ? chart.edges[chart.edges.length - 1] : labels.length - 0.5;
  new uPlot({
    width, height: 220, legend: { show: true }, padding: [8, 28, 0, 0],
    scales: { x: { time: false, range: [low, high > low ? high : low + 1] }, y: { range: [0, Math.max(...share(ref), ...share(prod)) * 1.1 || 1] } },
    axes: axes(plot, numeric ? feature.name : "", "share", numeric ? undefined : (_u, splits) => splits.map((s) => (Number.isInteger(s) ? label(s) : "")), numeric ? 70 : 20),
    series: [{ label: numeric ? "bin" : "category", value: (_u, _v, _s, i) => (i === null || i === undefined ? "" : labels[i] ?? "") }, { label: "reference", fill: translucent(c.reference), stroke: c.reference, paths: barsLeft }, { label: "production", fill: translucent(c.production), stroke: c.production, paths: barsRight }],
  }, [x, share(ref), share(prod)], plot);
  box.append(numbersTable(["bin or category", "reference rows", "production rows"], labels.map((label, i) => [label, String(ref[i]), String(prod[i])])));
  return box;
}

/** The two empirical CDFs (what the KS statistic measures: their largest gap). */
export function ecdfChart(feature: FeatureDrift, width: number): HTMLElement | undefined {
  const chart = feature.chart;
  if (chart?.kind !== "numerical") return undefined;
  const c = colors();
  const xs = [...new Set([...chart.ecdf.reference.map(([v]) => v), ...chart.ecdf.production.map(([v]) => v)])].sort((a, b) => a - b);
  const at = (points: Array<[number, number]>) => xs.map((x) => {
    let y = 0;
    for (const [v, p] of points) if (v <= x) y = p;
    return y;
  });
  const { box, plot } = chartBox("Empirical CDFs", `Cumulative distributions of ${feature.name}: reference in blue, production in orange.`);
  new uPlot({
    width, height: 200, padding: [8, 28, 0, 0], scales: { x: { time: false }, y: { range: [0, 1] } }, axes: axes(plot, feature.name, "share ≤ x"),
    series: [{}, { label: "reference", stroke: c.reference, width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) }, { label: "production", stroke: c.production, width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) }],
  }, [xs, at(chart.ecdf.reference), at(chart.ecdf.production)], plot);
  return box;
}

/** The feature's metric per day (or hour) of the production window, with its threshold. */
export function timelineChart(feature: FeatureDrift, width: number): HTMLElement | undefined {
  const timeline = feature.timeline;
  if (!timeline || timeline.length < 2) return undefined;
  const c = colors();
  const metric = metricName(feature.metric);
  const hourly = timeline[0].bucket.length > 10;
  const { box, plot } = chartBox(`Timeline: ${metric} per ${hourly ? "hour" : "day"}`, `The ${metric} of ${feature.name} per period against the threshold ${feature.threshold}; the numbers are in the table below.`);
  // Days as MM-DD (hours as DD HH:00), thinned to fit: every date is in the table below.
  const buckets = timeline.map((t) => (hourly ? t.bucket.slice(8) : t.bucket.slice(5)));
  const label = thinned(buckets, width, 60);
  new uPlot({
    width, height: 200, padding: [8, 28, 0, 0], scales: { x: { time: false, range: [-0.3, timeline.length - 0.7] } },
    axes: axes(plot, "", metric, (_u, splits) => splits.map((s) => (Number.isInteger(s) ? label(s) : "")), 20),
    series: [{ value: (_u, _v, _s, i) => (i === null || i === undefined ? "" : timeline[i]?.bucket ?? "") }, { label: metric, stroke: c.production, width: 2, points: { show: true } }, { label: "threshold", stroke: c.threshold, dash: [6, 4], width: 1 }],
  }, [timeline.map((_, i) => i), timeline.map((t) => t.value), timeline.map(() => feature.threshold)], plot);
  box.append(numbersTable(["period", metric, "rows"], timeline.map((t) => [t.bucket, formatValue(t.value), String(t.rows)])));
  return box;
}

/** A chart's numbers as a table (collapsed), for screen readers and for anyone who wants the values. */
function numbersTable(header: string[], rows: string[][]): HTMLElement {
  const details = el("details", "chart-numbers");
  details.append(el("summary", undefined, "Numbers"));
  const table = el("table");
  const head = el("tr");
  for (const h of header) head.append(el("th", undefined, h));
  table.append(head);
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) tr.append(el("td", undefined, cell));
    table.append(tr);
  }
  details.append(table);
  return details;
}
