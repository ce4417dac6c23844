// The typed messages between the extension host and the collection check's webview; the host validates
// what it receives with isCheckWebviewToHost. Evidence and quoted log lines are untrusted text.
import { CHECK_IDS, type CheckId, type CheckResult, type CheckStatus } from "./core/collectionCheck/checkResult";

export interface CheckView {
  title: string;
  subtitle: string;
  checkedAt: string;
  worst: CheckStatus;
  checks: CheckResult[];
}

export type CheckHostToWebview = { type: "report"; view: CheckView } | { type: "busy"; text: string };

export type CheckWebviewToHost =
  | { type: "ready" }
  /** Run the fix of one check (its `fix.kind`). */
  | { type: "fix"; check: CheckId }
  | { type: "rerun" };


export function isCheckWebviewToHost(value: unknown): value is CheckWebviewToHost {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === "ready" || m.type === "rerun") return true;
  return m.type === "fix" && typeof m.check === "string" && CHECK_IDS.includes(m.check as CheckId);
}

export function isCheckHostToWebview(value: unknown): value is CheckHostToWebview {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === "busy") return typeof m.text === "string";
  const view = m.view as Record<string, unknown> | undefined;
  return m.type === "report" && typeof view === "object" && view !== null && Array.isArray(view.checks) && typeof view.title === "string";
}
