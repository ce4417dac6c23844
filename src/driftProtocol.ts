// The typed messages between the extension host and the drift report webview; the host validates what it
// receives with isDriftWebviewToHost. Feature names and categories inside the report are untrusted text.
import type { DriftReport } from "./core/drift/report";
import type { FeatureOptions } from "./core/drift/compare";
import { isDriftMetric } from "./core/drift/metricNames";

export type ExportFormat = "markdown" | "html" | "json";

/** `targetId` (the tree node compared) is kept by the webview with the report, for the panel serializer. */
export type DriftHostToWebview = { type: "report"; report: DriftReport; targetId?: string };

export type DriftWebviewToHost =
  | { type: "ready" }
  | { type: "export"; format: ExportFormat }
  /** Compare again with this feature's type, metric or threshold changed. */
  | { type: "recompute"; feature: string; options: Pick<FeatureOptions, "kind" | "metric" | "threshold"> }
  /** The collection's two windows and the SciPy cells for its numbers, in a notebook. */
  | { type: "openNotebook"; collection: number }
  /** Hand the watching to Azure ML: a monitor pre-filled from this report. */
  | { type: "createMonitor" };


export function isDriftWebviewToHost(value: unknown): value is DriftWebviewToHost {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === "ready" || m.type === "createMonitor") return true;
  if (m.type === "openNotebook") return typeof m.collection === "number" && Number.isInteger(m.collection) && m.collection >= 0 && m.collection < 100;
  if (m.type === "recompute") {
    const o = m.options as Record<string, unknown> | undefined;
    return typeof m.feature === "string" && m.feature.length <= 4096 && typeof o === "object" && o !== null
      && (o.kind === undefined || o.kind === "numerical" || o.kind === "categorical") && (o.metric === undefined || isDriftMetric(o.metric))
      && (o.threshold === undefined || (typeof o.threshold === "number" && Number.isFinite(o.threshold) && o.threshold >= 0));
  }
  return m.type === "export" && (m.format === "markdown" || m.format === "html" || m.format === "json");
}
