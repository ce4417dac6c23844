// A drift report as Markdown, as one self-contained HTML file (no scripts, no outside resources; charts
// as inline SVG built from numbers) and as JSON. Feature names and categories come from collected data:
// escaped for each format, never markup.
import type { DriftReport, CollectionDrift } from "./report";
import type { FeatureDrift } from "./compare";
import { escapeHtml } from "../html";

const METRIC_NAMES: Record<string, string> = {
  normalizedWasserstein: "normalized Wasserstein distance", jensenShannon: "Jensen-Shannon distance", psi: "PSI",
  ksStatistic: "KS statistic", ksPValue: "KS p-value", chiSquaredPValue: "chi-squared p-value",
};

export function metricName(metric: string): string {
  return METRIC_NAMES[metric] ?? metric;
}

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 0.0001 || abs >= 1e6) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

const percent = (rate: number) => `${(100 * rate).toFixed(rate > 0 && rate < 0.001 ? 3 : 1)}%`;

export function referenceLabel(report: DriftReport): string {
  return "file" in report.reference ? report.reference.file : `${report.reference.from} → ${report.reference.to}`;
}

export function collectionTitle(collection: CollectionDrift): string {
  return collection.role === "outputs" ? `${collection.name} (prediction drift)` : collection.name;
}

/** One line: "3 of 20 features drifted: a, b, c". */
export function verdict(collection: CollectionDrift): string {
  const { features, drifted } = collection.result;
  return drifted.length === 0 ? `No drift in ${features.length} feature(s).` : `${drifted.length} of ${features.length} features drifted: ${drifted.join(", ")}.`;
}

/** Feature text for a Markdown table cell: no markup, no pipes, no line breaks. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!<>|~]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ");
}

export function toMarkdown(report: DriftReport): string {
  const lines = [`# Drift report: ${md(report.title)}`, "", `Production: ${report.production.from} → ${report.production.to}. Reference: ${md(referenceLabel(report))}.`, ""];
  for (const collection of report.collections) {
    const { result } = collection;
    lines.push(`## ${md(collectionTitle(collection))}`, "", md(verdict(collection)), "",
      `Reference: ${result.reference.rows} rows in ${result.reference.files} file(s). Production: ${result.production.rows} rows in ${result.production.files} file(s).`, "",
      "| Feature | Type | Metric | Value | Threshold | Drifted | Null rate (reference → production) |", "|---|---|---|---:|---:|---|---|");
    for (const f of result.features) {
      lines.push(`| ${md(f.name)} | ${f.kind} | ${metricName(f.metric)} | ${formatValue(f.value)} | ${formatValue(f.threshold)} | ${f.drifted ? "**yes**" : f.problem ? md(f.problem) : "no"} | ${percent(f.quality.reference.nullRate)} → ${percent(f.quality.production.nullRate)} |`);
    }
    if (result.notices.length > 0) lines.push("", ...result.notices.map((n) => `- ${md(n)}`));
    lines.push("");
  }
  return lines.join("\n");
}

export function toJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2);
}

const html = escapeHtml;

/** Two windows' distributions as bars (reference and production side by side per bin or category). */
function svgBars(feature: FeatureDrift): string {
  const chart = feature.chart;
  if (!chart) return "";
  const ref = chart.reference;
  const prod = chart.production;
  const refTotal = ref.reduce((s, v) => s + v, 0) || 1;
  const prodTotal = prod.reduce((s, v) => s + v, 0) || 1;
  const shares = ref.map((v, i) => [v / refTotal, prod[i] / prodTotal]);
  const top = Math.max(...shares.flat(), 1e-9);
  const width = 160;
  const height = 36;
  const step = width / Math.max(1, shares.length);
  const bars = shares.map(([r, p], i) => {
    const x = i * step;
    return `<rect x="${(x + step * 0.1).toFixed(1)}" y="${(height - (r / top) * height).toFixed(1)}" width="${(step * 0.4).toFixed(1)}" height="${((r / top) * height).toFixed(1)}" fill="#3794ff"/>`
      + `<rect x="${(x + step * 0.5).toFixed(1)}" y="${(height - (p / top) * height).toFixed(1)}" width="${(step * 0.4).toFixed(1)}" height="${((p / top) * height).toFixed(1)}" fill="#f48771"/>`;
  }).join("");
  return `<svg width="${width}" height="${height}" role="img" aria-label="reference (blue) and production (orange) distribution">${bars}</svg>`;
}

export function toHtml(report: DriftReport): string {
  const sections = report.collections.map((collection) => {
    const { result } = collection;
    const rows = result.features.map((f) => `<tr${f.drifted ? ' class="drifted"' : ""}><td>${html(f.name)}</td><td>${f.kind}</td><td>${html(metricName(f.metric))}</td><td class="n">${formatValue(f.value)}</td><td class="n">${formatValue(f.threshold)}</td>`
      + `<td>${f.drifted ? "<strong>drifted</strong>" : f.problem ? html(f.problem) : "no"}</td><td>${percent(f.quality.reference.nullRate)} → ${percent(f.quality.production.nullRate)}</td><td>${svgBars(f)}</td></tr>`).join("\n");
    const notices = result.notices.length ? `<ul>${result.notices.map((n) => `<li>${html(n)}</li>`).join("")}</ul>` : "";
    return `<section><h2>${html(collectionTitle(collection))}</h2><p>${html(verdict(collection))}</p>
<p>Reference: ${result.reference.rows.toLocaleString("en-US")} rows in ${result.reference.files} file(s). Production: ${result.production.rows.toLocaleString("en-US")} rows in ${result.production.files} file(s).</p>
<table><thead><tr><th>Feature</th><th>Type</th><th>Metric</th><th>Value</th><th>Threshold</th><th>Drift</th><th>Null rate</th><th>Reference (blue) vs production (orange)</th></tr></thead>
<tbody>${rows}</tbody></table>${notices}</section>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Drift report: ${html(report.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.drifted td:first-child{font-weight:600;color:#b00020}</style>
</head><body><h1>Drift report: ${html(report.title)}</h1>
<p>Production: ${html(report.production.from)} → ${html(report.production.to)}. Reference: ${html(referenceLabel(report))}.</p>
${sections}
</body></html>
`;
}
