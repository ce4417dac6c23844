// The extension host's side of a preview's data engine: starts the worker, answers its reads with the real
// storage clients (bytes handed over as transferred buffers), mirrors its progress, and turns requests
// into promises. Free of vscode, so the benchmark drives exactly this.
import type { Worker } from "node:worker_threads";
import type { ColumnStats } from "../../core/table/stats";
import type { ColumnInfo, Progress } from "../../protocol";
import type { PreviewFile } from "../loader";
import type { ViewSpec } from "../../core/table/tableView";
import { FIRST_RANGE_BYTES, isEngineToHost, isResultOf, revive, serializeError, transferable, type EngineRequests, type EngineStart, type EngineToHost, type HostToEngine, type RequestKind } from "./protocol";

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
  private readonly reads = new Map<number, AbortController>();
  private readonly streams = new Map<number, { stream?: NodeJS.ReadableStream & { pause(): void; resume(): void; destroy(error?: Error): void }; credits: number; closed: boolean }>();
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
  private firstRead: { bytes: Promise<Buffer>; count: number } | undefined;

  constructor(private readonly files: PreviewFile[], format: "csv" | "jsonl", options: EngineOptions, private readonly events: EngineEvents) {
    this.latest = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0), filesDone: 0,
      filesTotal: files.length, capped: false, cap: options.cap, raggedRows: 0, malformedLines: 0, notices: [] };
    this.done = new Promise((resolve) => (this.settleDone = resolve));
    const { worker, ...limits } = options;
    this.worker = worker;
    // The preview holds its thread until it closes.
    worker.ref();
    this.exited = new Promise((resolve) => this.worker.once("exit", resolve));
    let failure: Error | undefined;
    this.worker.on("error", (error) => (failure = error));
    this.worker.on("exit", (code) => this.onExit(code, failure));
    this.worker.on("message", (message: unknown) => {
      if (!isEngineToHost(message)) return;
      this.received(message);
    });
    // The first range is asked for as the thread starts, not after the worker's request comes back.
    const first = files[0];
    const firstBytes = options.firstRangeBytes ?? FIRST_RANGE_BYTES;
    if (first) {
      this.firstRead = { bytes: first.blobs.readRange(first.container, first.name, 0, firstBytes), count: firstBytes };
      this.firstRead.bytes.catch(() => undefined);
    }
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
    this.stopReads();
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
        void this.read(message.readId, message.file, message.offset, message.count);
        return;
      case "abortRead":
        this.reads.get(message.readId)?.abort();
        this.reads.delete(message.readId);
        return;
      case "openStream":
        void this.openStream(message.streamId, message.file, message.offset);
        return;
      case "credit": {
        const stream = this.streams.get(message.streamId);
        if (!stream) return;
        stream.credits += message.n;
        if (stream.credits > 0) stream.stream?.resume();
        return;
      }
      case "closeStream": {
        const stream = this.streams.get(message.streamId);
        this.streams.delete(message.streamId);
        this.reads.get(message.streamId)?.abort();
        if (stream) stream.closed = true;
        stream?.stream?.destroy();
        return;
      }
    }
  }

  private async read(readId: number, fileIndex: number, offset: number, count: number): Promise<void> {
    const file = this.files[fileIndex];
    const controller = new AbortController();
    this.reads.set(readId, controller);
    try {
      if (!file) throw new Error(`no file ${fileIndex}`);
      const early = fileIndex === 0 && offset === 0 && count === this.firstRead?.count ? this.firstRead.bytes : undefined;
      this.firstRead = undefined;
      const bytes = await (early ?? file.blobs.readRange(file.container, file.name, offset, count, controller.signal));
      if (controller.signal.aborted) return;
      const { view, transfer } = transferable(bytes);
      this.post({ kind: "readDone", readId, bytes: view }, transfer);
    } catch (error) {
      if (!controller.signal.aborted) this.post({ kind: "readFailed", readId, error: serializeError(error) });
    } finally {
      this.reads.delete(readId);
    }
  }

  private async openStream(streamId: number, fileIndex: number, offset: number): Promise<void> {
    const file = this.files[fileIndex];
    const controller = new AbortController();
    this.reads.set(streamId, controller);
    const state: { stream?: NodeJS.ReadableStream & { pause(): void; resume(): void; destroy(error?: Error): void }; credits: number; closed: boolean } = { credits: 0, closed: false };
    // Set before the first await: the worker's credit follows this message and finds it.
    this.streams.set(streamId, state);
    try {
      if (!file) throw new Error(`no file ${fileIndex}`);
      const { stream } = await file.blobs.openStream(file.container, file.name, offset, controller.signal);
      const live = stream as NodeJS.ReadableStream & { pause(): void; resume(): void; destroy(error?: Error): void };
      if (state.closed || this.disposed) {
        live.destroy();
        return;
      }
      state.stream = live;
      live.on("data", (chunk: Buffer) => {
        const { view, transfer } = transferable(chunk);
        this.post({ kind: "streamChunk", streamId, bytes: view }, transfer);
        // The worker takes chunks only as fast as it parses them: without credit, wait.
        if (--state.credits <= 0) live.pause();
      });
      live.on("end", () => {
        this.streams.delete(streamId);
        this.post({ kind: "streamEnd", streamId });
      });
      live.on("error", (error: Error) => {
        this.streams.delete(streamId);
        if (!state.closed) this.post({ kind: "streamFailed", streamId, error: serializeError(error) });
      });
      if (state.credits <= 0) live.pause();
    } catch (error) {
      this.streams.delete(streamId);
      if (!state.closed) this.post({ kind: "streamFailed", streamId, error: serializeError(error) });
    }
  }

  private onExit(code: number, failure: Error | undefined): void {
    this.stopReads();
    if (this.disposed) return;
    this.disposed = true;
    const why = failure?.message ?? `it exited with code ${code}`;
    const outOfMemory = (failure as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory/i.test(why);
    const message = outOfMemory
      ? "The preview's data engine ran out of memory. Lower modelData.preview.maxRows or maxMemoryMB, or preview fewer dates, then Retry."
      : `The preview's data engine stopped (${why}). Retry reads the data again.`;
    this.rejectPending(new Error(message));
    this.latest = { ...this.latest, state: "error", message, notices: [...this.latest.notices, { id: ENGINE_STOPPED, text: message, action: { label: "Retry", kind: "retry" } }] };
    this.events.stopped(message);
    if (!this.finishedLoading) this.settleDone();
  }

  private stopReads(): void {
    for (const controller of this.reads.values()) controller.abort();
    this.reads.clear();
    for (const stream of this.streams.values()) {
      stream.closed = true;
      stream.stream?.destroy();
    }
    this.streams.clear();
  }

  private rejectPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
