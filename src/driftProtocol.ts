// The typed messages between the extension host and the drift report webview; the host validates what it
// receives with isDriftWebviewToHost. Feature names and categories inside the report are untrusted text.
import type { DriftReport } from "./core/drift/report";

export type ExportFormat = "markdown" | "html" | "json";

export type DriftHostToWebview = { type: "report"; report: DriftReport };

export type DriftWebviewToHost =
  | { type: "ready" }
  | { type: "export"; format: ExportFormat };

export function isDriftWebviewToHost(value: unknown): value is DriftWebviewToHost {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === "ready") return true;
  return m.type === "export" && (m.format === "markdown" || m.format === "html" || m.format === "json");
}
