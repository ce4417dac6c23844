// A preview's column statistics counted on a thread of their own (statsWorker.js): the engine thread only
// splits the rows, counts their cells and copies their bytes into a batch; the statistics thread does the
// parsing and counting, on the second core. The thread starts with the first full batch: a preview whose
// statistics are asked for before (a small file, a slow link) counts them here, as does one without the
// thread's script (LocalStatistics).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resourceLimits, Worker } from "node:worker_threads";
import { countCells } from "../core/table/bytes";
import type { ByteRowLayout } from "../core/table/rowStore";
import type { ColumnStats } from "../core/table/stats";
import { LocalStatistics, type LoaderStatistics } from "../reading/loaderStatistics";
import { engineEnded, revive } from "./protocol";
import { BatchCounter } from "./statsCounting";
import { isFromStats, type StatsStep, type ToStats } from "./statsProtocol";

/** A batch goes when its bytes or rows reach these (or when asked for what was counted). */
const BATCH_BYTES = 1 << 20;
const BATCH_ROWS = 1 << 15;
const BATCH_TEXT_ROWS = 4096;
/** Batches on their way or being counted before the reading waits: the memory the handover may hold. */
const IN_FLIGHT = 3;
/** Bytes between two rows of one chunk that are still copied with them (line endings, blank lines). */
const RUN_GAP = 16;

/** Statistics on their own thread when its script is there, else on this one. */
export function startStatistics(script = join(__dirname, "statsWorker.js"), batchBytes = BATCH_BYTES): LoaderStatistics {
  return existsSync(script) ? new ThreadStatistics(script, batchBytes) : new LocalStatistics();
}

export class ThreadStatistics implements LoaderStatistics {
  /** The statistics thread, once a full batch started it. */
  private worker: Worker | undefined;
  /** Counting here instead, from the first question asked before a thread started. */
  private local: BatchCounter | undefined;
  private failure: Error | undefined;
  private final: ColumnStats[] | undefined;
  private finished = false;
  private readonly asked = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private inFlight = 0;
  private readonly pool: Array<{ bytes: Uint8Array; bounds: Int32Array }> = [];
  private waiting: Array<() => void> = [];

  // The batch being filled.
  private steps: StatsStep[] = [];
  private bytes: Uint8Array;
  private bounds: Int32Array;
  private used = 0;
  private rows = 0;
  private rowsInStep = 0;
  private textRows = 0;
  /** Rows of one chunk are copied as one run, when the next row is not beside them. */
  private runSource: Uint8Array | undefined;
  private runStart = 0;
  private runEnd = 0;
  // What the thread was told.
  private namesSent = 0;
  private readonly layoutIds = new Map<ByteRowLayout, number>();
  private layout: ByteRowLayout | undefined;
  private mappedSent = -1;

  constructor(private readonly script: string, private readonly batchBytes: number) {
    ({ bytes: this.bytes, bounds: this.bounds } = this.takeBuffers());
  }

  private startThread(): Worker {
    // This thread's own memory limits, if it has any, hold for the statistics thread too.
    const worker = new Worker(this.script, { resourceLimits, stdout: false, stderr: false });
    let error: Error | undefined;
    worker.on("error", (e) => (error = e));
    worker.on("exit", (code) => {
      if (this.finished) return;
      const { outOfMemory, why } = engineEnded(error, code);
      this.fail(new Error(outOfMemory ? "The preview ran out of memory while counting its statistics: preview fewer files, or set a lower row cap." : `The preview's statistics thread stopped (${why}).`));
    });
    worker.on("message", (message: unknown) => {
      if (!isFromStats(message)) return;
      switch (message.kind) {
        case "counted":
          this.inFlight -= 1;
          this.pool.push({ bytes: message.bytes, bounds: message.bounds });
          if (this.inFlight < IN_FLIGHT) for (const go of this.waiting.splice(0)) go();
          return;
        case "snapshot":
          return this.answer(message.id, message.stats);
        case "replacements":
          return this.answer(message.id, message.count);
        case "failed":
          return this.fail(revive(message.error));
      }
    });
    return worker;
  }

  /** Whether the statistics are counted on their own thread (once a full batch started it). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  setColumns(names: readonly string[]): void {
    if (names.length <= this.namesSent) return;
    this.push({ step: "columns", added: names.slice(this.namesSent) });
    this.namesSent = names.length;
  }

  add(row: readonly string[]): void {
    const last = this.steps[this.steps.length - 1];
    if (this.rowsInStep === 0 && last?.step === "text") last.rows.push(row as string[]);
    else this.push({ step: "text", rows: [row as string[]] });
    if (++this.textRows >= BATCH_TEXT_ROWS) this.send();
  }

  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): number {
    if (layout !== this.layout || layout.mapping.length !== this.mappedSent) this.useLayout(layout);
    const length = rowEnd - rowStart;
    if (bytes !== this.runSource || rowStart < this.runEnd || rowStart > this.runEnd + RUN_GAP) this.startRun(bytes, rowStart);
    if (this.used + (rowEnd - this.runStart) > this.bytes.length || this.rows === BATCH_ROWS) {
      this.send();
      if (length > this.bytes.length) this.bytes = new Uint8Array(length);
      this.startRun(bytes, rowStart);
    }
    const at = this.used + (rowStart - this.runStart);
    this.bounds[2 * this.rows] = at;
    this.bounds[2 * this.rows + 1] = at + length;
    this.rows += 1;
    this.rowsInStep += 1;
    this.runEnd = rowEnd;
    return countCells(bytes, rowStart, rowEnd);
  }

  addOverflowCell(column: number, text: string): void {
    this.push({ step: "overflow", column, text });
  }

  async caughtUp(): Promise<void> {
    // The chunk the rows lie in may be reused once the reading goes on: its rows are copied now.
    this.closeRun();
    if (this.failure) throw this.failure;
    while (this.inFlight >= IN_FLIGHT) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.failure) throw this.failure;
    }
  }

  async takeReplacements(): Promise<number> {
    if (this.final) return 0;
    const counter = this.counter();
    return counter instanceof Worker ? (this.ask(counter, "replacements") as Promise<number>) : counter.stats.takeReplacements();
  }

  async snapshot(): Promise<ColumnStats[]> {
    if (this.final) return this.final;
    const counter = this.counter();
    return counter instanceof Worker ? (this.ask(counter, "snapshot") as Promise<ColumnStats[]>) : counter.stats.snapshot();
  }

  async finish(): Promise<void> {
    if (this.finished) return;
    try {
      this.final = await this.snapshot();
    } finally {
      this.finished = true;
      void this.worker?.terminate();
    }
  }

  /** Where the rows handed over are counted: the thread, or without one yet, here from now on (the batch so far at once). */
  private counter(): Worker | BatchCounter {
    if (this.worker) return this.worker;
    this.local ??= new BatchCounter();
    this.send();
    return this.local;
  }

  private ask(worker: Worker, kind: "snapshot" | "replacements"): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    this.send();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.asked.set(id, { resolve, reject });
      worker.postMessage({ kind, id } satisfies ToStats);
    });
  }

  private answer(id: number, value: unknown): void {
    this.asked.get(id)?.resolve(value);
    this.asked.delete(id);
  }

  /** A step that keeps its place between rows: the byte rows before it become a step of their own. */
  private push(step: StatsStep): void {
    this.closeRun();
    this.endBytesStep();
    this.steps.push(step);
  }

  private endBytesStep(): void {
    if (this.rowsInStep === 0) return;
    this.steps.push({ step: "bytes", rows: this.rowsInStep });
    this.rowsInStep = 0;
  }

  private useLayout(layout: ByteRowLayout): void {
    let id = this.layoutIds.get(layout);
    if (id === undefined) this.layoutIds.set(layout, (id = this.layoutIds.size + 1));
    this.push({ step: "layout", id, mapping: [...layout.mapping], source: layout.source && { ...layout.source } });
    this.layout = layout;
    this.mappedSent = layout.mapping.length;
  }

  private startRun(bytes: Uint8Array, start: number): void {
    this.closeRun();
    this.runSource = bytes;
    this.runStart = start;
    this.runEnd = start;
  }

  /** Copies the run's bytes into the batch, where its rows' bounds already point. */
  private closeRun(): void {
    if (!this.runSource) return;
    this.bytes.set(this.runSource.subarray(this.runStart, this.runEnd), this.used);
    this.used += this.runEnd - this.runStart;
    this.runSource = undefined;
  }

  /** Sends the batch (if it holds anything) and starts the next one in pooled buffers. */
  private send(): void {
    this.closeRun();
    this.endBytesStep();
    if (this.steps.length === 0) return;
    const steps = this.steps;
    this.steps = [];
    this.used = 0;
    this.rows = 0;
    this.textRows = 0;
    // After a failure nothing more is counted (the reading stops at its next caughtUp()).
    if (this.failure) return;
    // Counted here: the buffers stay for the next batch.
    if (this.local) return this.local.count(steps, this.bytes, this.bounds);
    this.worker ??= this.startThread();
    const message: ToStats = { kind: "batch", steps, bytes: this.bytes, bounds: this.bounds };
    this.worker.postMessage(message, [this.bytes.buffer as ArrayBuffer, this.bounds.buffer as ArrayBuffer]);
    this.inFlight += 1;
    ({ bytes: this.bytes, bounds: this.bounds } = this.takeBuffers());
  }

  private takeBuffers(): { bytes: Uint8Array; bounds: Int32Array } {
    return this.pool.pop() ?? { bytes: new Uint8Array(this.batchBytes), bounds: new Int32Array(2 * BATCH_ROWS) };
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const { reject } of this.asked.values()) reject(error);
    this.asked.clear();
    for (const go of this.waiting.splice(0)) go();
  }
}
