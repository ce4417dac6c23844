// One link of the collection check's chain, as a plain result: its status, what was seen, what to do, and
// the one action that fixes it. Pure data: the panel shows it, `{ show: false }` returns it as JSON.
export type CheckStatus = "ok" | "warning" | "problem" | "unknown";
export type CheckId = "configuration" | "code" | "traffic" | "log" | "storage" | "monitoring";

export type CheckFixKind = "enable" | "showCorrectedCode" | "openStudio" | "previewNewest";

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was seen, one fact per line (the evidence). */
  seen: string[];
  /** What to do, in words, when it is not ok. */
  todo?: string;
  fix?: { kind: CheckFixKind; label: string };
  /** Log lines quoted as found (already redacted). */
  quotes?: string[];
}

export const CHECK_TITLES: Record<CheckId, string> = {
  configuration: "Configuration",
  code: "Deployed scoring code",
  traffic: "Traffic",
  log: "Runtime log",
  storage: "Storage",
  monitoring: "Monitoring readiness",
};

/** The links in the order data flows through them. */
export const CHECK_IDS = Object.keys(CHECK_TITLES) as CheckId[];

const RANK: Record<CheckStatus, number> = { ok: 0, unknown: 1, warning: 2, problem: 3 };

/** The worst status of a chain (a problem outranks a warning, which outranks not knowing). */
export function worstStatus(checks: readonly CheckResult[]): CheckStatus {
  return checks.reduce<CheckStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), "ok");
}

/** A link that could not be read: `unknown`, with the reason, never a guess. */
export function unknownCheck(id: CheckId, reason: string): CheckResult {
  return { id, title: CHECK_TITLES[id], status: "unknown", seen: [reason] };
}

export function result(id: CheckId, status: CheckStatus, seen: string[], todo?: string, fix?: CheckResult["fix"], quotes?: string[]): CheckResult {
  return { id, title: CHECK_TITLES[id], status, seen, ...(todo ? { todo } : {}), ...(fix ? { fix } : {}), ...(quotes?.length ? { quotes } : {}) };
}
