// The drift report: a summary per collection, a row per feature (most drifted first) with its metric
// against the threshold, a small distribution and a sparkline; a feature's detail with its charts and
// every metric. Everything from the data goes in as text.
import type { CollectionDrift, DriftReport } from "../../src/core/drift/report";
import type { FeatureDrift } from "../../src/core/drift/compare";
import { collectionTitle, formatValue, metricName, referenceLabel, verdict } from "../../src/core/drift/export";
import type { DriftWebviewToHost } from "../../src/driftProtocol";
import { el } from "../dom";
import { CATEGORICAL_METRICS, NUMERICAL_METRICS } from "../../src/core/drift/metricNames";
import { distributionChart, ecdfChart, timelineChart } from "./charts";
import { COLUMN_MEANINGS, METRIC_MEANINGS, QUALITY_MEANINGS, qualitySummary, worstRate, worstRateText } from "../../src/core/drift/meanings";

const SVG = "http://www.w3.org/2000/svg";
type SortKey = "margin" | "name" | "value" | "nulls";

export function renderReport(root: HTMLElement, report: DriftReport, post: (message: DriftWebviewToHost) => void): void {
  root.replaceChildren();
  const header = el("header", "report-header");
  header.append(el("h1", undefined, `Drift: ${report.title}`),
    el("p", "windows", `Production ${report.production.from} → ${report.production.to} · reference ${referenceLabel(report)}`));
  const actions = el("div", "actions");
  const driftedOnly = el("input");
  driftedOnly.type = "checkbox";
  driftedOnly.id = "drifted-only";
  const driftedLabel = el("label", undefined, "Drifted only");
  driftedLabel.htmlFor = "drifted-only";
  actions.append(driftedOnly, driftedLabel);
  for (const [format, label] of [["markdown", "Export Markdown"], ["html", "Export HTML"], ["json", "Export JSON"]] as const) {
    const button = el("button", "export", label);
    button.addEventListener("click", () => post({ type: "export", format }));
    actions.append(button);
  }
  if (report.monitorable) {
    const monitor = el("button", "monitor", "Create Azure ML Monitor…");
    monitor.title = "Azure ML watches this deployment every day on serverless Spark, with these features, metrics and thresholds";
    monitor.addEventListener("click", () => post({ type: "createMonitor" }));
    actions.append(monitor);
  }
  header.append(actions);
  root.append(header);
  const sections = report.collections.map((collection, index) => renderCollection(collection, () => driftedOnly.checked, post, index));
  driftedOnly.addEventListener("change", () => sections.forEach((s) => s.refresh()));
  root.append(...sections.map((s) => s.element));
}

function renderCollection(collection: CollectionDrift, driftedOnly: () => boolean, post: (message: DriftWebviewToHost) => void, index: number): { element: HTMLElement; refresh(): void } {
  const { result } = collection;
  const section = el("section", "collection");
  const notebook = el("button", "notebook", "Open in Notebook");
  notebook.title = "Both windows loaded with pandas, and these numbers recomputed with SciPy";
  notebook.addEventListener("click", () => post({ type: "openNotebook", collection: index }));
  const heading = el("div", "collection-heading");
  heading.append(el("h2", undefined, collectionTitle(collection)), notebook);
  section.append(heading);
  const summary = el("p", result.drifted.length > 0 ? "verdict drifted" : "verdict", verdict(collection));
  summary.setAttribute("role", "status");
  const windows = el("p", "windows",
    `Reference: ${result.reference.rows.toLocaleString("en-US")} rows in ${result.reference.files} file(s) · production: ${result.production.rows.toLocaleString("en-US")} rows in ${result.production.files} file(s)`);
  section.append(summary, windows);
  const quality = qualitySummary(collection);
  if (quality) section.append(el("p", "quality", quality));
  for (const notice of result.notices) section.append(el("p", "notice", notice));

  const table = el("table", "features");
  const head = el("tr");
  let sort: { key: SortKey; descending: boolean } = { key: "margin", descending: true };
  const body = el("tbody");
  const detail = el("div", "detail");
  const columns: Array<[string, SortKey | undefined]> = [["Feature", "name"], ["Type", undefined], ["Metric", undefined], ["Value", "value"], ["Threshold", undefined], ["Drift", "margin"], ["Data quality", "nulls"], ["Distribution", undefined], ["Timeline", undefined]];
  for (const [label, key] of columns) {
    const th = el("th");
    th.title = COLUMN_MEANINGS[label] ?? "";
    if (key) {
      const button = el("button", "sort", label);
      button.addEventListener("click", () => {
        sort = { key, descending: sort.key === key ? !sort.descending : key !== "name" };
        refresh();
      });
      th.append(button);
      th.dataset.key = key;
    } else th.textContent = label;
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  table.append(thead, body);

  const refresh = () => {
    const rows = result.features.filter((f) => !driftedOnly() || f.drifted).sort(comparator(sort.key, sort.descending));
    for (const th of head.querySelectorAll("th")) th.setAttribute("aria-sort", th.dataset.key === sort.key ? (sort.descending ? "descending" : "ascending") : "none");
    body.replaceChildren(...rows.map((f) => featureRow(f, () => showDetail(detail, f, post))));
    if (rows.length === 0) {
      const empty = el("tr");
      const cell = el("td", "empty", "No feature drifted.");
      cell.colSpan = columns.length;
      empty.append(cell);
      body.append(empty);
    }
  };
  refresh();
  section.append(table, detail);
  return { element: section, refresh };
}

function comparator(key: SortKey, descending: boolean): (a: FeatureDrift, b: FeatureDrift) => number {
  const sign = descending ? -1 : 1;
  const number = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? -Infinity : v);
  return (a, b) => {
    switch (key) {
      case "name": return sign * a.name.localeCompare(b.name);
      case "value": return sign * (number(a.value) - number(b.value));
      case "nulls": {
        const rise = (f: FeatureDrift) => { const w = worstRate(f.quality); return w.production - w.reference; };
        return sign * (rise(a) - rise(b));
      }
      default: return sign * (number(a.margin) - number(b.margin)) || a.name.localeCompare(b.name);
    }
  };
}

/** Whether a feature's data quality got worse from reference to production (its cell is marked). */
function worse(feature: FeatureDrift): boolean {
  const w = worstRate(feature.quality);
  return w.production > w.reference;
}

function featureRow(feature: FeatureDrift, open: () => void): HTMLElement {
  const tr = el("tr", feature.drifted ? "feature drifted" : "feature");
  tr.tabIndex = 0;
  tr.setAttribute("aria-label", `${feature.name}: ${feature.drifted ? "drifted" : "no drift"}, ${metricName(feature.metric)} ${formatValue(feature.value)} against ${formatValue(feature.threshold)}`);
  const cells = [
    el("td", "name", feature.name),
    el("td", "kind", feature.kind),
    el("td", "metric", metricName(feature.metric)),
    el("td", "n", `${feature.approximate ? "≈ " : ""}${formatValue(feature.value)}`),
    el("td", "n", formatValue(feature.threshold)),
    el("td", undefined),
    el("td", worse(feature) ? "dq worse" : "dq", worstRateText(feature)),
    el("td", "mini"),
    el("td", "mini"),
  ];
  // Hovers say what the numbers mean and why the type is what it is (title is text: names stay text).
  cells[1].title = feature.kindReason ?? "";
  cells[2].title = METRIC_MEANINGS[feature.metric] ?? "";
  cells[6].title = QUALITY_MEANINGS[worstRate(feature.quality).rate];
  if (feature.drifted) cells[5].append(el("span", "badge", "drifted"));
  else cells[5].textContent = feature.problem ? "no value" : "no";
  if (feature.problem) cells[5].title = feature.problem;
  cells[7].append(miniBars(feature));
  cells[8].append(sparkline(feature));
  tr.append(...cells);
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open();
    }
  });
  return tr;
}

function svg(width: number, height: number, label: string): SVGSVGElement {
  const node = document.createElementNS(SVG, "svg");
  node.setAttribute("width", String(width));
  node.setAttribute("height", String(height));
  node.setAttribute("role", "img");
  node.setAttribute("aria-label", label);
  return node;
}

function miniBars(feature: FeatureDrift): SVGSVGElement {
  const chart = feature.chart;
  const node = svg(90, 22, `${feature.name}: reference and production distributions`);
  if (!chart) return node;
  const shares = (counts: number[]) => {
    const total = counts.reduce((s, v) => s + v, 0) || 1;
    return counts.map((v) => v / total);
  };
  const ref = shares(chart.reference);
  const prod = shares(chart.production);
  const top = Math.max(...ref, ...prod, 1e-9);
  const step = 90 / Math.max(1, ref.length);
  ref.forEach((r, i) => {
    for (const [share, offset, cls] of [[r, 0, "ref"], [prod[i], 0.5, "prod"]] as const) {
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", (i * step + offset * step).toFixed(1));
      rect.setAttribute("width", (step * 0.45).toFixed(1));
      rect.setAttribute("y", (22 - (share / top) * 22).toFixed(1));
      rect.setAttribute("height", ((share / top) * 22).toFixed(1));
      rect.setAttribute("class", cls);
      node.append(rect);
    }
  });
  return node;
}

function sparkline(feature: FeatureDrift): SVGSVGElement {
  const timeline = feature.timeline ?? [];
  const node = svg(90, 22, timeline.length > 1 ? `${feature.name}: ${metricName(feature.metric)} per period, ${timeline.map((t) => formatValue(t.value)).join(", ")}` : "no timeline");
  const values = timeline.map((t) => t.value).filter((v): v is number => v !== null);
  if (values.length < 2) return node;
  const top = Math.max(...values, feature.threshold) || 1;
  const y = (v: number) => (22 - (v / top) * 20 - 1).toFixed(1);
  const x = (i: number) => ((i / (timeline.length - 1)) * 88 + 1).toFixed(1);
  const threshold = document.createElementNS(SVG, "line");
  threshold.setAttribute("x1", "0");
  threshold.setAttribute("x2", "90");
  threshold.setAttribute("y1", y(feature.threshold));
  threshold.setAttribute("y2", y(feature.threshold));
  threshold.setAttribute("class", "threshold");
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", timeline.map((t, i) => (t.value === null ? "" : `${x(i)},${y(t.value)}`)).filter(Boolean).join(" "));
  line.setAttribute("class", "spark");
  node.append(threshold, line);
  return node;
}

const METRICS_OF = { numerical: NUMERICAL_METRICS, categorical: CATEGORICAL_METRICS };

/** Compare again with this feature as another type, or with another metric or threshold. */
function changeForm(feature: FeatureDrift, post: (message: DriftWebviewToHost) => void): HTMLElement {
  const form = el("form", "change");
  const kind = el("select");
  kind.setAttribute("aria-label", "Type");
  for (const k of ["numerical", "categorical"] as const) kind.append(Object.assign(el("option", undefined, k), { value: k, selected: k === feature.kind }));
  const metric = el("select");
  metric.setAttribute("aria-label", "Metric");
  const fillMetrics = () => {
    metric.replaceChildren(...METRICS_OF[kind.value as "numerical" | "categorical"].map((m) => Object.assign(el("option", undefined, metricName(m)), { value: m, selected: m === feature.metric })));
  };
  fillMetrics();
  kind.addEventListener("change", fillMetrics);
  const threshold = el("input");
  threshold.type = "number";
  threshold.step = "any";
  threshold.min = "0";
  threshold.value = String(feature.threshold);
  threshold.setAttribute("aria-label", "Threshold");
  const button = el("button", undefined, "Compare again");
  button.type = "submit";
  form.append(el("span", undefined, "As "), kind, el("span", undefined, " by "), metric, el("span", undefined, " drifting past "), threshold, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(threshold.value);
    post({ type: "recompute", feature: feature.name, options: { kind: kind.value as "numerical" | "categorical", metric: metric.value as FeatureDrift["metric"], threshold: Number.isFinite(value) && value >= 0 ? value : undefined } });
  });
  return form;
}

function showDetail(detail: HTMLElement, feature: FeatureDrift, post: (message: DriftWebviewToHost) => void): void {
  detail.replaceChildren();
  const title = el("h3", undefined, feature.name);
  title.tabIndex = -1;
  detail.append(title, el("p", undefined, `${feature.kind} · ${feature.values.reference.toLocaleString("en-US")} reference values, ${feature.values.production.toLocaleString("en-US")} production values${feature.chiSquaredTest ? ` · chi-squared: ${feature.chiSquaredTest} test` : ""}`));
  if (feature.kindReason) detail.append(el("p", "kind-reason", `Type: ${feature.kindReason}.`));
  if (feature.problem) detail.append(el("p", "notice", feature.problem));
  detail.append(changeForm(feature, post));
  const metrics = el("table", "metrics");
  for (const [name, value] of Object.entries(feature.metrics)) {
    const tr = el("tr", name === feature.metric ? "chosen" : undefined);
    const th = el("th", undefined, metricName(name));
    th.title = METRIC_MEANINGS[name] ?? "";
    tr.append(th, el("td", "n", formatValue(value)));
    metrics.append(tr);
  }
  const q = feature.quality;
  for (const [label, rate] of [["null rate", "nullRate"], ["type error rate", "typeErrorRate"], ["out-of-bounds rate", "outOfBoundsRate"]] as const) {
    const tr = el("tr");
    const th = el("th", undefined, label);
    th.title = QUALITY_MEANINGS[rate];
    tr.append(th, el("td", "n", `${(100 * q.reference[rate]).toFixed(2)}% → ${(100 * q.production[rate]).toFixed(2)}%`));
    metrics.append(tr);
  }
  detail.append(metrics);
  const width = Math.max(320, Math.min(760, detail.clientWidth - 20 || 640));
  if (feature.chart) detail.append(distributionChart(feature, width));
  const cdf = ecdfChart(feature, width);
  if (cdf) detail.append(cdf);
  const timeline = timelineChart(feature, width);
  if (timeline) detail.append(timeline);
  title.focus();
}
