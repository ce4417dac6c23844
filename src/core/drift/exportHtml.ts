// A drift report as one self-contained HTML file: no scripts, no outside resources, charts as inline SVG
// built from numbers, and a CSP that allows only its own style sheet. Names and categories are escaped.
import { createHash } from "node:crypto";
import type { DriftReport } from "./report";
import type { FeatureDrift } from "./compare";
import { escapeHtml } from "../html";
import { collectionTitle, formatValue, metricName, referenceLabel, verdict } from "./export";
import { qualitySummary, worstRateText } from "./meanings";

const html = escapeHtml;

/** The file's only style; the CSP allows exactly it (by hash), not inline styles in general. */
const STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.drifted td:first-child{font-weight:600;color:#b00020}";
export const STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

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
      + `<td>${f.drifted ? "<strong>drifted</strong>" : f.problem ? html(f.problem) : "no"}</td><td>${html(worstRateText(f))}</td><td>${svgBars(f)}</td></tr>`).join("\n");
    const quality = qualitySummary(collection);
    const notices = result.notices.length ? `<ul>${result.notices.map((n) => `<li>${html(n)}</li>`).join("")}</ul>` : "";
    return `<section><h2>${html(collectionTitle(collection))}</h2><p>${html(verdict(collection))}</p>${quality ? `<p>${html(quality)}</p>` : ""}
<p>Reference: ${result.reference.rows.toLocaleString("en-US")} rows in ${result.reference.files} file(s). Production: ${result.production.rows.toLocaleString("en-US")} rows in ${result.production.files} file(s).</p>
<table><thead><tr><th>Feature</th><th>Type</th><th>Metric</th><th>Value</th><th>Threshold</th><th>Drift</th><th>Data quality</th><th>Reference (blue) vs production (orange)</th></tr></thead>
<tbody>${rows}</tbody></table>${notices}</section>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${STYLE_HASH}'; img-src data:">
<title>Drift report: ${html(report.title)}</title>
<style>${STYLE}</style>
</head><body><h1>Drift report: ${html(report.title)}</h1>
<p>Production: ${html(report.production.from)} → ${html(report.production.to)}. Reference: ${html(referenceLabel(report))}.</p>
${sections}
</body></html>
`;
}
