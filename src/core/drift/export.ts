// A drift report as Markdown and as JSON, and the words both exports and the report webview share (HTML:
// exportHtml.ts). Feature names and categories come from collected data: escaped for each format, never markup.
import type { DriftReport, CollectionDrift } from "./report";
import { qualitySummary, worstRateText } from "./meanings";

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

export const percent = (rate: number) => `${(100 * rate).toFixed(rate > 0 && rate < 0.001 ? 3 : 1)}%`;

export function referenceLabel(report: DriftReport): string {
  return "file" in report.reference ? report.reference.file : `${report.reference.from} → ${report.reference.to}`;
}

/** A report's tab: what was compared and both windows, so two reports on one collection are told apart. */
export function reportTabTitle(report: DriftReport): string {
  const range = (r: { from: string; to: string }) => (r.from === r.to ? r.from : `${r.from}…${r.to}`);
  const reference = "file" in report.reference ? (report.reference.file.split(/[\\/]/).pop() ?? report.reference.file) : range(report.reference);
  return `Drift: ${report.title} · ${range(report.production)} vs ${reference}`;
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
    const quality = qualitySummary(collection);
    lines.push(`## ${md(collectionTitle(collection))}`, "", md(verdict(collection)), "", ...(quality ? [md(quality), ""] : []),
      `Reference: ${result.reference.rows} rows in ${result.reference.files} file(s). Production: ${result.production.rows} rows in ${result.production.files} file(s).`, "",
      "| Feature | Type | Metric | Value | Threshold | Drifted | Data quality (reference → production) |", "|---|---|---|---:|---:|---|---|");
    for (const f of result.features) {
      lines.push(`| ${md(f.name)} | ${f.kind} | ${metricName(f.metric)} | ${formatValue(f.value)} | ${formatValue(f.threshold)} | ${f.drifted ? "**yes**" : f.problem ? md(f.problem) : "no"} | ${md(worstRateText(f))} |`);
    }
    if (result.notices.length > 0) lines.push("", ...result.notices.map((n) => `- ${md(n)}`));
    lines.push("");
  }
  return lines.join("\n");
}

export function toJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2);
}
