// The one typed message protocol between the extension host and the preview webview. Both sides import
// it; the host validates every message it receives with isWebviewToHost.
import type { ColumnStats } from "./core/table/stats";

export interface ColumnInfo {
  name: string;
  /** One of the collector's $aml_* columns (grouped and hidden by default). */
  system: boolean;
  /** Cells are URLs of payloads stored elsewhere. */
  link: boolean;
}

export type LoadState = "loading" | "done" | "cancelled" | "error";

/** What the user can do about a notice, handled by the host. */
export type NoticeAction = "reopenLatin1" | "showRawAround" | "retry";

/** Something about the data the user must know (never silent): the text is plain text, shown as text. */
export interface Notice {
  id: string;
  text: string;
  action?: { label: string; kind: NoticeAction };
}

export interface Progress {
  state: LoadState;
  rowsLoaded: number;
  visibleRows: number;
  bytesLoaded: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  capped: boolean;
  cap: number;
  raggedRows: number;
  malformedLines: number;
  notices: Notice[];
  message?: string;
}

/** What a preview needs to be opened again after a reload: the tree node it showed and its dates. */
export interface PreviewRestoreState {
  nodeId: string;
  from?: string;
  to?: string;
  title: string;
}

export type HostToWebview =
  /** `restore` is kept by the webview (its state) for the panel serializer. */
  /** `comparable: false`: what is shown is not a node's collected data (a query's answer): no Compare with…. */
  | { type: "init"; title: string; columns: ColumnInfo[]; firstRows: string[][]; progress: Progress; restore?: PreviewRestoreState; comparable?: boolean }
  /** Columns added since the last message (only ever appended): index `from` onwards. */
  | { type: "columnsAdded"; from: number; columns: ColumnInfo[] }
  | { type: "progress"; progress: Progress }
  | { type: "stats"; stats: ColumnStats[] }
  | { type: "rows"; requestId: number; start: number; rows: string[][]; visibleRows: number }
  /** One column's statistics over all rows or over the rows the filters keep. */
  | { type: "columnStats"; column: number; scope: StatsScope; rows: number; stats: ColumnStats };

export type StatsScope = "all" | "view";

export interface SortMessage {
  column: number;
  direction: "asc" | "desc";
}

export type WebviewToHost =
  | { type: "ready" }
  | { type: "getRows"; requestId: number; start: number; count: number }
  | { type: "setView"; sort?: SortMessage; filters: Record<string, string>; global: string }
  | { type: "cancel" }
  | { type: "copy"; start: number; end: number; columns: number[]; format: "tsv" | "csv"; header: boolean }
  | { type: "export" }
  | { type: "saveRaw" }
  | { type: "openRaw" }
  | { type: "compareWith" }
  | { type: "openLink"; url: string }
  | { type: "noticeAction"; id: string }
  | { type: "columnStats"; column: number; scope: StatsScope };

const isInt = (v: unknown, max = 1e9): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
const isString = (v: unknown, max = 10_000): v is string => typeof v === "string" && v.length <= max;

/** Validates a message from the webview (which renders untrusted data); anything else is dropped. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case "ready": case "cancel": case "export": case "saveRaw": case "openRaw": case "compareWith":
      return true;
    case "getRows":
      return isInt(m.requestId) && isInt(m.start) && isInt(m.count, 10_000);
    case "setView": {
      const sort = m.sort as Record<string, unknown> | undefined;
      const filters = m.filters as Record<string, unknown> | undefined;
      return (sort === undefined || (isInt(sort.column, 100_000) && (sort.direction === "asc" || sort.direction === "desc")))
        && typeof filters === "object" && filters !== null && !Array.isArray(filters)
        && Object.entries(filters).every(([k, v]) => /^\d{1,6}$/.test(k) && isString(v, 1000)) && isString(m.global, 1000);
    }
    case "copy":
      return isInt(m.start) && isInt(m.end) && Array.isArray(m.columns) && m.columns.length <= 100_000 && m.columns.every((c) => isInt(c, 100_000)) && (m.format === "tsv" || m.format === "csv") && typeof m.header === "boolean";
    case "openLink":
      return isString(m.url, 4096);
    case "noticeAction":
      return isString(m.id, 200);
    case "columnStats":
      return isInt(m.column, 100_000) && (m.scope === "all" || m.scope === "view");
    default:
      return false;
  }
}
