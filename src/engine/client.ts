// The extension host's side of a preview's data engine: starts the worker, answers its reads with the real
// storage clients (bytes handed over as transferred buffers), mirrors its progress, and turns requests
// into promises. Free of vscode, so the benchmark drives exactly this.
import type { Worker } from "node:worker_threads";
import type { ColumnStats } from "../core/table/stats";
import type { ColumnInfo, Progress } from "../protocol";
import type { PreviewFile } from "../reading/previewFile";
import type { ViewSpec } from "../core/table/tableView";
import { ReadService } from "./readService";
import { engineEnded, FIRST_RANGE_BYTES, isEngineToHost, isResultOf, revive, type EngineRequests, type EngineStart, type EngineToHost, type HostToEngine, type RequestKind } from "./protocol";

export interface EngineOptions extends Omit<EngineStart, "files" | "viewGeneration" | "format"> {
  /** The worker thread running dist/previewWorker.js (see EngineThreads), this engine's alone. */
  worker: Worker;
}

export interface EngineEvents {
  init(columns: ColumnInfo[], firstRows: string[][], progress: Progress): void;
  columnsAdded(from: number, columns: ColumnInfo[]): void;
  progress(progress: Progress): void;
  stats(stats: ColumnStats[]): void;
  /** The worker died (out of memory, a bug): the preview cannot go on without a new one. */
  stopped(message: string): void;
}

interface Pending {
  op: RequestKind;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** The notice (with Retry) shown when the worker died. */
export const ENGINE_STOPPED = "engineStopped";

/** What a sort or filter that a newer one replaced answers. */
export const SUPERSEDED = "superseded" as const;

export class PreviewEngine {
  private readonly worker: Worker;
  private readonly generation = new Int32Array(new SharedArrayBuffer(4));
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly reads: ReadService;
  private columnList: ColumnInfo[] = [];
  private latest: Progress;
  private latestStats: ColumnStats[] = [];
  private broken: { file: number; byte: number } | undefined;
  private disposed = false;
  private finishedLoading = false;
  /** Settles when loading ends (done, cancelled, failed) or the engine stops. */
  readonly done: Promise<void>;
  /** Settles when the worker thread has exited, with its exit code. */
  readonly exited: Promise<number>;
  private settleDone!: () => void;

  constructor(private readonly files: PreviewFile[], format: "csv" | "jsonl", options: EngineOptions, private readonly events: EngineEvents) {
    this.latest = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0), filesDone: 0,
      filesTotal: files.length, capped: false, cap: options.cap, raggedRows: 0, malformedLines: 0, notices: [] };
    this.done = new Promise((resolve) => (this.settleDone = resolve));
    const { worker, ...limits } = options;
    this.worker = worker;
    // The preview holds its thread until it closes.
    worker.ref();
    this.reads = new ReadService(files, (message, transfer) => this.post(message, transfer));
    this.exited = new Promise((resolve) => this.worker.once("exit", resolve));
    let failure: Error | undefined;
    this.worker.on("error", (error) => (failure = error));
    this.worker.on("exit", (code) => this.onExit(code, failure));
    this.worker.on("message", (message: unknown) => {
      if (!isEngineToHost(message)) return;
      this.received(message);
    });
    // The first range is asked for as the thread starts, not after the worker's request comes back.
    this.reads.readAhead(0, options.firstRangeBytes ?? FIRST_RANGE_BYTES);
    this.post({ kind: "start", start: { ...limits, format, files: files.map(({ container, name, size, label }) => ({ container, name, size, label })), viewGeneration: this.generation.buffer as SharedArrayBuffer } });
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  columns(): ColumnInfo[] {
    return this.columnList;
  }

  progress(): Progress {
    return this.latest;
  }

  stats(): ColumnStats[] {
    return this.latestStats;
  }

  /** The file and byte a "Show Raw Text There" notice points at. */
  get brokenPlace(): { file: PreviewFile; byte: number } | undefined {
    const file = this.broken ? this.files[this.broken.file] : undefined;
    return file && this.broken ? { file, byte: this.broken.byte } : undefined;
  }

  request<K extends RequestKind>(op: K, args: EngineRequests[K]["args"]): Promise<EngineRequests[K]["result"]> {
    if (this.disposed) return Promise.reject(new Error("The preview was closed."));
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { op, resolve: resolve as (result: unknown) => void, reject });
      this.post({ kind: "request", id, op, args } as HostToEngine);
    });
  }

  /** A sort/filter; one that arrives while another runs supersedes it (the older answers SUPERSEDED). */
  async setView(spec: ViewSpec): Promise<EngineRequests["setView"]["result"] | typeof SUPERSEDED> {
    const generation = Atomics.add(this.generation, 0, 1) + 1;
    try {
      const result = await this.request("setView", { ...spec, generation });
      this.latest = { ...this.latest, visibleRows: result.visibleRows };
      return result;
    } catch (error) {
      if ((error as { superseded?: boolean }).superseded) return SUPERSEDED;
      throw error;
    }
  }

  /** Stops loading; resolves with the rows parsed when the cancel reached the engine. */
  async cancelLoad(): Promise<number> {
    return (await this.request("cancelLoad", {})).rowsLoaded;
  }

  /** Ends the worker and everything it was reading. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.reads.stopAll();
    if (this.latest.state === "loading") this.latest = { ...this.latest, state: "cancelled" };
    this.rejectPending(new Error("The preview was closed."));
    this.settleDone();
    await this.worker.terminate();
  }

  private post(message: HostToEngine, transfer: ArrayBuffer[] = []): void {
    if (!this.disposed) this.worker.postMessage(message, transfer);
  }

  private received(message: EngineToHost): void {
    switch (message.kind) {
      case "ready":
        return;
      case "init":
        this.columnList = message.columns;
        this.latest = message.progress;
        this.events.init(message.columns, message.firstRows, message.progress);
        return;
      case "columnsAdded":
        this.columnList = [...this.columnList.slice(0, message.from), ...message.columns];
        this.events.columnsAdded(message.from, message.columns);
        return;
      case "progress":
        this.latest = message.progress;
        this.broken = message.brokenAt;
        this.events.progress(message.progress);
        return;
      case "stats":
        this.latestStats = message.stats;
        this.events.stats(message.stats);
        return;
      case "finished":
        this.latest = message.progress;
        this.finishedLoading = true;
        this.events.progress(message.progress);
        this.settleDone();
        return;
      case "reply":
      case "refused": {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.kind === "refused") pending.reject(Object.assign(revive(message.error), { superseded: message.superseded }));
        else if (!isResultOf(pending.op, message.result)) pending.reject(new Error(`The preview engine answered ${pending.op} with something unexpected.`));
        else pending.resolve(message.result);
        return;
      }
      case "read":
      case "abortRead":
      case "openStream":
      case "credit":
      case "closeStream":
        this.reads.received(message);
        return;
    }
  }

  private onExit(code: number, failure: Error | undefined): void {
    this.reads.stopAll();
    if (this.disposed) return;
    this.disposed = true;
    const { outOfMemory, why } = engineEnded(failure, code);
    const message = outOfMemory
      ? "The preview's data engine ran out of memory. Lower modelData.preview.maxRows or maxMemoryMB, or preview fewer dates, then Retry."
      : `The preview's data engine stopped (${why}). Retry reads the data again.`;
    this.rejectPending(new Error(message));
    this.latest = { ...this.latest, state: "error", message, notices: [...this.latest.notices, { id: ENGINE_STOPPED, text: message, action: { label: "Retry", kind: "retry" } }] };
    this.events.stopped(message);
    if (!this.finishedLoading) this.settleDone();
  }

  private rejectPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
