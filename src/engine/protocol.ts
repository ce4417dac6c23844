// The one typed protocol between the extension host and a preview's data engine (a worker thread). The
// host moves bytes and messages; the worker parses, holds rows, sorts, filters and counts. Requests carry
// ids and get exactly one reply; progress and reads are notifications. Each side validates what it
// receives (the worker's rows come from untrusted data; a bug must not become a crash on the host).
import { MessagePort } from "node:worker_threads";
import type { ColumnStats } from "../core/table/stats";
import type { TextEncoding } from "../core/table/sniff";
import type { ColumnInfo, Progress, StatsScope } from "../protocol";
import type { DriftDefaults, FeatureOptions } from "../core/drift/compare";
import { isDriftMetric } from "../core/drift/metricNames";
import type { CompareResult } from "../core/drift/report";
import type { JoinCounts } from "../core/azureml/trainingJoin";
import type { LabelCounts } from "../core/azureml/trainingColumns";

import type { LoaderOptions } from "../reading/loaderOptions";

export { FIRST_RANGE_BYTES } from "../reading/loaderOptions";

/** A file the engine reads, by index; the host does the reading. */
export interface EngineFile {
  container: string;
  name: string;
  size: number;
  label: string;
}

export interface EngineStart {
  files: EngineFile[];
  format: "csv" | "jsonl";
  cap: number;
  maxColumns: number;
  maxHeldBytes: number;
  parallelRanges: number;
  rangeBytes: number;
  encoding?: TextEncoding;
  skipped?: string[];
  /** The first line is the header, whatever it looks like (a query's answer). */
  headerRow?: boolean;
  firstRangeBytes?: number;
  /** Int32Array over it: [0] is the newest view generation; a sort or filter of an older one gives up. */
  viewGeneration: SharedArrayBuffer;
}

/** What a preview's start asks of its loader (the engine's and the host's first screen read alike). */
export function loaderOptionsOf(start: Omit<EngineStart, "files" | "format" | "viewGeneration">): LoaderOptions {
  return {
    cap: start.cap, maxColumns: start.maxColumns, maxHeldBytes: start.maxHeldBytes, parallelRanges: start.parallelRanges, rangeBytes: start.rangeBytes,
    encoding: start.encoding, skipped: start.skipped, firstRangeBytes: start.firstRangeBytes, headerRow: start.headerRow,
  };
}

/** A drift compare: two windows of files (indexes into `files`), read like a preview's, no rows held. */
export interface CompareStart {
  files: EngineFile[];
  /** Each window's files (indexes into `files`) and format: training data in CSV against collected JSONL is usual. */
  reference: { label: string; files: number[]; format: "csv" | "jsonl" | "parquet" };
  production: { label: string; files: number[]; format: "csv" | "jsonl" | "parquet"; buckets?: string[] };
  /** Only these features (all by default). */
  features?: string[];
  perFeature?: Record<string, FeatureOptions>;
  /** Metric and threshold per type (the modelData.drift settings). */
  defaults?: DriftDefaults;
  maxColumns: number;
  parallelRanges: number;
  rangeBytes: number;
  encoding?: TextEncoding;
}

/** A training set: a service's outputs indexed, its inputs streamed past them, written to a local file. */
export interface TrainingSetStart {
  files: EngineFile[];
  layout: "current" | "legacy";
  inputs: { files: number[]; format: "csv" | "jsonl" };
  outputs: { files: number[]; format: "csv" | "jsonl" };
  how: "inner" | "left";
  /** Labels from a local file: its key column, matched to the set's column `joinOn`. */
  groundTruth?: { file: number; format: "csv" | "parquet"; labelKey: string; joinOn: string };
  output: { path: string; format: "csv" | "parquet" };
  maxColumns: number;
  parallelRanges: number;
  rangeBytes: number;
  encoding?: TextEncoding;
}

export interface TrainingSetProgress {
  stage: "outputs" | "groundTruth" | "inputs" | "writing";
  rows: number;
  bytesLoaded: number;
  bytesTotal: number;
}

export interface TrainingSetSummary {
  path: string;
  format: "csv" | "parquet";
  rows: number;
  columns: string[];
  bytes: number;
  counts: JoinCounts;
  labels?: LabelCounts;
}

export interface WindowProgress {
  window: "reference" | "production";
  rowsLoaded: number;
  bytesLoaded: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface ViewRequest {
  sort?: { column: number; direction: "asc" | "desc" };
  filters: Record<number, string>;
  global?: string;
  generation: number;
}

/** Each request and what its reply holds. */
export interface EngineRequests {
  rows: { args: { start: number; count: number; full: boolean }; result: { rows: string[][]; visibleRows: number } };
  setView: { args: ViewRequest; result: { visibleRows: number; ms: number } };
  columnStats: { args: { column: number; scope: StatsScope }; result: { stats: ColumnStats; rows: number } | null };
  copy: { args: { start: number; end: number; columns: number[]; format: "tsv" | "csv"; header: boolean }; result: { text: string; lines: number } };
  exportCsv: { args: { path: string; escapeFormulas: boolean }; result: { rows: number } };
  /** Stops loading; answers with the rows parsed when the cancel arrived (rows after it are not parsed). */
  cancelLoad: { args: Record<string, never>; result: { rowsLoaded: number } };
}

export type RequestKind = keyof EngineRequests;
export type SerializedError = { message: string; name?: string; code?: string; statusCode?: number };

export type HostToEngine =
  | { kind: "start"; start: EngineStart }
  | { kind: "startCompare"; compare: CompareStart }
  | { kind: "cancelCompare" }
  | { kind: "startTrainingSet"; trainingSet: TrainingSetStart }
  | { kind: "cancelTrainingSet" }
  | { [K in RequestKind]: { kind: "request"; id: number; op: K; args: EngineRequests[K]["args"] } }[RequestKind]
  | { kind: "readDone"; readId: number; bytes: Uint8Array }
  | { kind: "readFailed"; readId: number; error: SerializedError }
  | { kind: "streamChunk"; streamId: number; bytes: Uint8Array }
  | { kind: "streamEnd"; streamId: number }
  | { kind: "streamFailed"; streamId: number; error: SerializedError }
  /**
   * Where the files marked `served` are read: the download thread, answering on `port` (the same read
   * messages as the host's). The host's read ahead of a first range (`ahead`) is still asked of the host.
   */
  | { kind: "readPort"; port: MessagePort; served: boolean[]; ahead?: { file: number; count: number } };

export type EngineToHost =
  | { kind: "ready" }
  | { kind: "init"; columns: ColumnInfo[]; firstRows: string[][]; progress: Progress }
  | { kind: "columnsAdded"; from: number; columns: ColumnInfo[] }
  | { kind: "progress"; progress: Progress; brokenAt?: { file: number; byte: number } }
  | { kind: "stats"; stats: ColumnStats[] }
  | { kind: "finished"; progress: Progress }
  | { kind: "compareProgress"; progress: WindowProgress }
  | { kind: "compared"; result: CompareResult }
  | { kind: "compareFailed"; error: SerializedError; cancelled: boolean }
  | { kind: "trainingSetProgress"; progress: TrainingSetProgress }
  | { kind: "trainingSetBuilt"; summary: TrainingSetSummary }
  | { kind: "trainingSetFailed"; error: SerializedError; cancelled: boolean }
  | { kind: "reply"; id: number; result: unknown }
  | { kind: "refused"; id: number; error: SerializedError; superseded: boolean }
  | { kind: "read"; readId: number; file: number; offset: number; count: number }
  | { kind: "abortRead"; readId: number }
  | { kind: "openStream"; streamId: number; file: number; offset: number }
  /** The worker takes `n` more chunks of the stream (flow control: the host sends only what was asked for). */
  | { kind: "credit"; streamId: number; n: number }
  | { kind: "closeStream"; streamId: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
const isText = (v: unknown, max = 1 << 20): v is string => typeof v === "string" && v.length <= max;
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isError = (v: unknown): v is SerializedError => isObject(v) && isText(v.message);

function isFile(v: unknown): v is EngineFile {
  return isObject(v) && isText(v.container, 1024) && isText(v.name, 4096) && isCount(v.size) && isText(v.label, 4096);
}

function isStart(v: unknown): v is EngineStart {
  if (!isObject(v)) return false;
  return Array.isArray(v.files) && v.files.every(isFile) && (v.format === "csv" || v.format === "jsonl") && isCount(v.cap) && isCount(v.maxColumns, 1e6) && isCount(v.maxHeldBytes)
    && isCount(v.parallelRanges, 64) && isCount(v.rangeBytes) && (v.encoding === undefined || ["utf8", "utf16le", "utf16be", "latin1"].includes(v.encoding as string))
    && (v.skipped === undefined || (Array.isArray(v.skipped) && v.skipped.every((s) => isText(s, 4096)))) && (v.firstRangeBytes === undefined || isCount(v.firstRangeBytes))
    && (v.headerRow === undefined || typeof v.headerRow === "boolean")
    && v.viewGeneration instanceof SharedArrayBuffer && v.viewGeneration.byteLength >= 4;
}

function isFeatureOptions(v: unknown): boolean {
  return isObject(v) && (v.kind === undefined || v.kind === "numerical" || v.kind === "categorical") && (v.metric === undefined || isDriftMetric(v.metric))
    && (v.threshold === undefined || (typeof v.threshold === "number" && Number.isFinite(v.threshold))) && (v.kindReason === undefined || isText(v.kindReason, 500));
}

function isWindow(v: unknown, files: number): boolean {
  return isObject(v) && isText(v.label, 1000) && Array.isArray(v.files) && v.files.every((i) => isCount(i, files - 1)) && (v.format === "csv" || v.format === "jsonl" || v.format === "parquet");
}

function isCompareStart(v: unknown): v is CompareStart {
  if (!isObject(v) || !Array.isArray(v.files) || !v.files.every(isFile)) return false;
  return isWindow(v.reference, v.files.length) && isWindow(v.production, v.files.length)
    && (v.features === undefined || (Array.isArray(v.features) && v.features.every((f) => isText(f, 4096))))
    && (v.perFeature === undefined || (isObject(v.perFeature) && Object.values(v.perFeature).every(isFeatureOptions)))
    && (v.defaults === undefined || (isObject(v.defaults) && isFeatureOptions(v.defaults.numerical) && isFeatureOptions(v.defaults.categorical)))
    && (!isObject(v.production) || v.production.buckets === undefined || (Array.isArray(v.production.buckets) && v.production.buckets.length === (v.production.files as unknown[]).length && v.production.buckets.every((b) => isText(b, 100))))
    && isCount(v.maxColumns, 1e6) && isCount(v.parallelRanges, 64) && isCount(v.rangeBytes) && (v.encoding === undefined || ["utf8", "utf16le", "utf16be", "latin1"].includes(v.encoding as string));
}

function isTrainingSetStart(v: unknown): v is TrainingSetStart {
  if (!isObject(v) || !Array.isArray(v.files) || !v.files.every(isFile)) return false;
  const count = v.files.length;
  const side = (w: unknown) => isObject(w) && Array.isArray(w.files) && w.files.every((i) => isCount(i, count - 1)) && (w.format === "csv" || w.format === "jsonl");
  const truth = v.groundTruth;
  const output = v.output;
  return (v.layout === "current" || v.layout === "legacy") && side(v.inputs) && side(v.outputs) && (v.how === "inner" || v.how === "left")
    && (truth === undefined || (isObject(truth) && isCount(truth.file, count - 1) && (truth.format === "csv" || truth.format === "parquet") && isText(truth.labelKey, 4096) && isText(truth.joinOn, 4096)))
    && isObject(output) && isText(output.path, 4096) && (output.format === "csv" || output.format === "parquet")
    && isCount(v.maxColumns, 1e6) && isCount(v.parallelRanges, 64) && isCount(v.rangeBytes) && (v.encoding === undefined || ["utf8", "utf16le", "utf16be", "latin1"].includes(v.encoding as string));
}

function isFilters(v: unknown): v is Record<number, string> {
  return isObject(v) && Object.entries(v).every(([k, text]) => /^\d{1,6}$/.test(k) && isText(text, 1000));
}

function isRequestArgs(op: unknown, a: unknown): boolean {
  if (!isObject(a)) return false;
  switch (op) {
    case "rows":
      return isCount(a.start) && isCount(a.count, 1e7) && typeof a.full === "boolean";
    case "setView": {
      const sort = a.sort;
      return (sort === undefined || (isObject(sort) && isCount(sort.column, 1e6) && (sort.direction === "asc" || sort.direction === "desc")))
        && isFilters(a.filters) && (a.global === undefined || isText(a.global, 1000)) && isCount(a.generation);
    }
    case "columnStats":
      return isCount(a.column, 1e6) && (a.scope === "all" || a.scope === "view");
    case "copy":
      return isCount(a.start) && isCount(a.end) && Array.isArray(a.columns) && a.columns.length <= 1e6 && a.columns.every((c) => isCount(c, 1e6)) && (a.format === "tsv" || a.format === "csv") && typeof a.header === "boolean";
    case "exportCsv":
      return isText(a.path, 4096) && typeof a.escapeFormulas === "boolean";
    case "cancelLoad":
      return Object.keys(a).length === 0;
    default:
      return false;
  }
}

/** Validates what the worker receives from the host. */
export function isHostToEngine(value: unknown): value is HostToEngine {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case "start":
      return isStart(value.start);
    case "startCompare":
      return isCompareStart(value.compare);
    case "cancelCompare":
      return true;
    case "startTrainingSet":
      return isTrainingSetStart(value.trainingSet);
    case "cancelTrainingSet":
      return true;
    case "request":
      return isCount(value.id) && isRequestArgs(value.op, value.args);
    case "readDone":
      return isCount(value.readId) && isBytes(value.bytes);
    case "readFailed":
      return isCount(value.readId) && isError(value.error);
    case "streamChunk":
      return isCount(value.streamId) && isBytes(value.bytes);
    case "streamEnd":
      return isCount(value.streamId);
    case "streamFailed":
      return isCount(value.streamId) && isError(value.error);
    case "readPort":
      return value.port instanceof MessagePort && Array.isArray(value.served) && value.served.every((s) => typeof s === "boolean")
        && (value.ahead === undefined || (isObject(value.ahead) && isCount(value.ahead.file) && isCount(value.ahead.count)));
    default:
      return false;
  }
}

const isRows = (v: unknown): v is string[][] => Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((cell) => typeof cell === "string"));
const isColumns = (v: unknown): v is ColumnInfo[] => Array.isArray(v) && v.every((c) => isObject(c) && typeof c.name === "string" && typeof c.system === "boolean" && typeof c.link === "boolean");

function isProgress(v: unknown): v is Progress {
  return isObject(v) && ["loading", "done", "cancelled", "error"].includes(v.state as string) && isCount(v.rowsLoaded) && isCount(v.visibleRows) && isCount(v.bytesLoaded)
    && isCount(v.bytesTotal) && isCount(v.filesDone) && isCount(v.filesTotal) && typeof v.capped === "boolean" && isCount(v.cap) && isCount(v.raggedRows) && isCount(v.malformedLines)
    && Array.isArray(v.notices) && v.notices.every((n) => isObject(n) && isText(n.id, 1000) && isText(n.text, 100_000)) && (v.message === undefined || isText(v.message, 100_000));
}

/** Validates what the host receives from the worker. Replies' results are checked by the request that awaits them. */
export function isEngineToHost(value: unknown): value is EngineToHost {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case "ready":
      return true;
    case "init":
      return isColumns(value.columns) && isRows(value.firstRows) && isProgress(value.progress);
    case "columnsAdded":
      return isCount(value.from) && isColumns(value.columns);
    case "progress":
      return isProgress(value.progress) && (value.brokenAt === undefined || (isObject(value.brokenAt) && isCount(value.brokenAt.file) && isCount(value.brokenAt.byte)));
    case "stats":
      return Array.isArray(value.stats) && value.stats.every(isObject);
    case "finished":
      return isProgress(value.progress);
    case "compareProgress": {
      const p = value.progress;
      return isObject(p) && (p.window === "reference" || p.window === "production") && isCount(p.rowsLoaded) && isCount(p.bytesLoaded) && isCount(p.bytesTotal) && isCount(p.filesDone) && isCount(p.filesTotal);
    }
    case "compared": {
      const r = value.result;
      return isObject(r) && Array.isArray(r.features) && r.features.every((f) => isObject(f) && typeof f.name === "string") && Array.isArray(r.drifted) && Array.isArray(r.notices)
        && isObject(r.reference) && isObject(r.production);
    }
    case "compareFailed":
    case "trainingSetFailed":
      return isError(value.error) && typeof value.cancelled === "boolean";
    case "trainingSetProgress": {
      const p = value.progress;
      return isObject(p) && ["outputs", "groundTruth", "inputs", "writing"].includes(p.stage as string) && isCount(p.rows) && isCount(p.bytesLoaded) && isCount(p.bytesTotal);
    }
    case "trainingSetBuilt": {
      const r = value.summary;
      return isObject(r) && isText(r.path, 4096) && isCount(r.rows) && isCount(r.bytes) && Array.isArray(r.columns) && r.columns.every((c) => isText(c)) && isObject(r.counts);
    }
    case "reply":
      return isCount(value.id) && "result" in value;
    case "refused":
      return isCount(value.id) && isError(value.error) && typeof value.superseded === "boolean";
    case "read":
      return isCount(value.readId) && isCount(value.file) && isCount(value.offset) && isCount(value.count);
    case "abortRead":
      return isCount(value.readId);
    case "openStream":
      return isCount(value.streamId) && isCount(value.file) && isCount(value.offset);
    case "credit":
      return isCount(value.streamId) && isCount(value.n, 1 << 16);
    case "closeStream":
      return isCount(value.streamId);
    default:
      return false;
  }
}

/** Checks a reply's result before a caller relies on it. */
export function isResultOf<K extends RequestKind>(op: K, result: unknown): result is EngineRequests[K]["result"] {
  switch (op) {
    case "rows":
      return isObject(result) && isRows(result.rows) && isCount(result.visibleRows);
    case "setView":
      return isObject(result) && isCount(result.visibleRows) && typeof result.ms === "number";
    case "columnStats":
      return result === null || (isObject(result) && isObject(result.stats) && isCount(result.rows));
    case "copy":
      return isObject(result) && typeof result.text === "string" && isCount(result.lines);
    case "exportCsv":
      return isObject(result) && isCount(result.rows);
    case "cancelLoad":
      return isObject(result) && isCount(result.rowsLoaded);
    default:
      return false;
  }
}

export function serializeError(error: unknown): SerializedError {
  const e = error as { message?: unknown; name?: unknown; code?: unknown; statusCode?: unknown };
  return {
    message: typeof e?.message === "string" ? e.message : String(error),
    name: typeof e?.name === "string" ? e.name : undefined,
    code: typeof e?.code === "string" ? e.code : undefined,
    statusCode: typeof e?.statusCode === "number" ? e.statusCode : undefined,
  };
}

/** Why an engine thread ended, from its 'error' (if any) and exit code; `outOfMemory` when V8 ran out of heap. */
export function engineEnded(failure: Error | undefined, code: number): { outOfMemory: boolean; why: string } {
  const why = failure?.message ?? `it exited with code ${code}`;
  return { outOfMemory: (failure as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory/i.test(why), why };
}

/** An Error again, with the fields our messages and retries look at. */
export function revive(error: SerializedError): Error {
  return Object.assign(new Error(error.message), { name: error.name ?? "Error", code: error.code, statusCode: error.statusCode });
}

/** The bytes of a Buffer as something postMessage can transfer without copying (a copy when it shares its memory). */
export function transferable(bytes: Uint8Array): { view: Uint8Array; transfer: ArrayBuffer[] } {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  // Node's small Buffers share a pool: transferring that would detach every other Buffer in it.
  if (whole && bytes.byteLength >= 4096) return { view: new Uint8Array(bytes.buffer), transfer: [bytes.buffer as ArrayBuffer] };
  const copy = new Uint8Array(bytes);
  return { view: copy, transfer: [copy.buffer] };
}
