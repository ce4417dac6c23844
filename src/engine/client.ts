// The extension host's side of a preview's data engine: starts the worker, answers its reads with the real
// storage clients (bytes handed over as transferred buffers), mirrors its progress, and turns requests
// into promises. Free of vscode, so the benchmark drives exactly this.
import type { MessagePort, Worker } from "node:worker_threads";
import type { ColumnStats } from "../core/table/stats";
import type { ColumnInfo, Progress } from "../protocol";
import type { PreviewFile } from "../reading/previewFile";
import type { ViewSpec } from "../core/table/tableView";
import { ReadService } from "./readService";
import { firstScreen } from "./firstScreen";
import { engineEnded, FIRST_RANGE_BYTES, isEngineToHost, isResultOf, loaderOptionsOf, revive, type EngineRequests, type EngineStart, type EngineToHost, type HostToEngine, type RequestKind } from "./protocol";

export interface EngineOptions extends Omit<EngineStart, "files" | "viewGeneration" | "format"> {
  /**
   * The worker thread running dist/previewWorker.js (see EngineThreads), this engine's alone; or how to get
   * it, asked once the host's first screen is shown (a thread's boot beside the first read slowed the read
   * 3× on two cores).
   */
  worker: Worker | (() => Worker);
  /** Serves the engine's reads off the host's thread (the files it can: see DownloadThread.serveReads). */
  downloads?: ReadRouter;
}

/** Where an engine's reads can go instead of through the host (DownloadThread). */
export interface ReadRouter {
  serveReads(files: readonly PreviewFile[]): Promise<{ port: MessagePort; served: boolean[] } | undefined>;
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
  private worker: Worker | undefined;
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
  private settleExited!: (code: number) => void;
  /** The host showed its own first screen (see firstScreen.ts); the engine's init then brings nothing new. */
  private shownFirst = false;
  /** The engine thread's id (-1 until the thread is taken). */
  private attachedThreadId = -1;
  /** Messages for the engine before its start was sent (then sent after it). */
  private beforeStart: Array<[HostToEngine, ArrayBuffer[]]> | undefined = [];

  constructor(private readonly files: PreviewFile[], format: "csv" | "jsonl", options: EngineOptions, private readonly events: EngineEvents) {
    this.latest = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0), filesDone: 0,
      filesTotal: files.length, capped: false, cap: options.cap, raggedRows: 0, malformedLines: 0, notices: [] };
    this.done = new Promise((resolve) => (this.settleDone = resolve));
    this.exited = new Promise((resolve) => (this.settleExited = resolve));
    const { worker, downloads, ...limits } = options;
    if (typeof worker !== "function") this.attach(worker);
    this.reads = new ReadService(files, (message, transfer) => this.post(message, transfer));
    // The first range is read at once: the host shows its first screen from it, then the engine's own first
    // read gets the same bytes. The engine starts after that screen: its start-up beside the download
    // slowed the download by half on two cores.
    const aheadBytes = options.firstRangeBytes ?? FIRST_RANGE_BYTES;
    const first = this.reads.readAhead(0, aheadBytes);
    // Once that range is in, the download thread is given the files it can read for the engine: its boot
    // and its probe of the account (a session's first preview) beside the first read slowed that read.
    const routed = Promise.resolve(first).catch(() => undefined).then(() => downloads?.serveReads(files)).catch(() => undefined);
    const start: EngineStart = { ...limits, format, files: files.map(({ container, name, size, label }) => ({ container, name, size, label })), viewGeneration: this.generation.buffer as SharedArrayBuffer };
    void this.showFirstScreen(first, format, limits).finally(async () => {
      const route = await routed;
      if (this.disposed) {
        route?.port.close();
        return;
      }
      if (typeof worker === "function") this.attach(worker());
      if (route) this.worker!.postMessage({ kind: "readPort", port: route.port, served: route.served, ahead: { file: 0, count: aheadBytes } } satisfies HostToEngine, [route.port]);
      this.worker!.postMessage({ kind: "start", start } satisfies HostToEngine);
      // What was asked meanwhile follows the start, in order.
      const waiting = this.beforeStart;
      this.beforeStart = undefined;
      for (const [message, transfer] of waiting ?? []) this.post(message, transfer);
    });
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    // Kept: a thread that has exited says -1.
    this.attachedThreadId = worker.threadId;
    // The preview holds its thread until it closes.
    worker.ref();
    let failure: Error | undefined;
    worker.on("error", (error) => (failure = error));
    worker.on("exit", (code) => {
      this.settleExited(code);
      this.onExit(code, failure);
    });
    worker.on("message", (message: unknown) => {
      if (!isEngineToHost(message)) return;
      this.received(message);
    });
  }

  private async showFirstScreen(first: Promise<Buffer> | undefined, format: "csv" | "jsonl", limits: Omit<EngineStart, "files" | "format" | "viewGeneration">): Promise<void> {
    try {
      const bytes = await first;
      if (!bytes || this.disposed) return;
      const shown = await firstScreen(this.files, format, loaderOptionsOf(limits), bytes);
      if (!shown || this.disposed) return;
      this.shownFirst = true;
      this.columnList = shown.columns;
      this.latest = shown.progress;
      this.events.init(shown.columns, shown.rows, shown.progress);
    } catch {
      // The engine reads the same range and says what went wrong.
    }
  }

  get threadId(): number {
    return this.attachedThreadId;
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
    if (this.worker) await this.worker.terminate();
    // Closed before its thread was asked for: there is none to end.
    else this.settleExited(0);
  }

  private post(message: HostToEngine, transfer: ArrayBuffer[] = []): void {
    if (this.disposed) return;
    if (this.beforeStart) this.beforeStart.push([message, transfer]);
    else this.worker?.postMessage(message, transfer);
  }

  private received(message: EngineToHost): void {
    switch (message.kind) {
      case "ready":
        return;
      case "init":
        this.columnList = message.columns;
        this.latest = message.progress;
        // The same loader over the same bytes: the host's first screen showed these rows already.
        if (!this.shownFirst) this.events.init(message.columns, message.firstRows, message.progress);
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
