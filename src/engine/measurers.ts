// Where a compare's measuring half runs (core/drift/measure.ts): on a thread of its own (measureWorker.js),
// so that sorting, the days' timeline points and the metrics use the second core while this thread parses;
// or on this thread between the parser's slices when no thread can be started. Steps run in the order
// given; once one fails, every later step fails with the same error.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resourceLimits, Worker } from "node:worker_threads";
import { CompareMeasure, type DayParcel, type ProductionEnd, type WindowParcel } from "../core/drift/measure";
import type { CompareOptions, CompareResult } from "../core/drift/report";
import { isFromMeasure, transferOf, type MeasureData, type ToMeasure } from "./measureProtocol";
import { engineEnded, revive } from "./protocol";

export interface Measurer {
  /** Hands the reference over (its arrays move); its failure shows in the steps after it. */
  reference(parcel: WindowParcel): void;
  /** Settles once the day is folded in (the reading waits on it to bound what is held). */
  day(parcel: DayParcel): Promise<void>;
  result(production: WindowParcel | ProductionEnd): Promise<CompareResult>;
  /** Ends it; steps still waiting fail with `reason` (a cancel's error). */
  close(reason?: Error): void;
}

/** The measuring thread beside this one; this thread's own when it cannot start (`turn` yields to the reading between columns). */
export function startMeasurer(options: CompareOptions, turn: () => Promise<void>, script = join(__dirname, "measureWorker.js")): Measurer {
  return existsSync(script) ? new ThreadMeasurer(script, options) : new LocalMeasurer(options, turn);
}

export class LocalMeasurer implements Measurer {
  private readonly measure: CompareMeasure;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  constructor(options: CompareOptions, turn: () => Promise<void>) {
    this.measure = new CompareMeasure(options, turn);
  }

  reference(parcel: WindowParcel): void {
    this.step(() => this.measure.setReference(parcel)).catch(() => undefined);
  }

  day(parcel: DayParcel): Promise<void> {
    return this.step(() => this.measure.addDay(parcel));
  }

  result(production: WindowParcel | ProductionEnd): Promise<CompareResult> {
    return this.step(() => this.measure.result(production));
  }

  close(reason?: Error): void {
    // Steps waiting here fail at their next turn (a cancel); a close after the result changes nothing.
    if (reason && this.failure === undefined) this.failure = reason;
  }

  private step<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        return await work();
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export class ThreadMeasurer implements Measurer {
  private readonly worker: Worker;
  /** Days sent and not folded yet, in order. */
  private readonly days: Array<{ resolve(): void; reject(error: Error): void }> = [];
  private answer: { resolve(result: CompareResult): void; reject(error: Error): void } | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(script: string, options: CompareOptions) {
    // This thread's own memory limits, if it has any, hold for the measuring thread too.
    this.worker = new Worker(script, { workerData: { options } satisfies MeasureData, resourceLimits, stdout: false, stderr: false });
    let error: Error | undefined;
    this.worker.on("error", (e) => (error = e));
    this.worker.on("exit", (code) => {
      const { outOfMemory, why } = engineEnded(error, code);
      this.fail(new Error(outOfMemory ? "The compare ran out of memory while measuring: compare shorter windows or fewer features." : `The compare's measuring thread stopped (${why}).`));
    });
    this.worker.on("message", (message: unknown) => {
      if (!isFromMeasure(message)) return;
      if (message.kind === "dayFolded") this.days.shift()?.resolve();
      else if (message.kind === "measured") this.answer?.resolve(message.result);
      else this.fail(revive(message.error));
    });
  }

  reference(parcel: WindowParcel): void {
    this.post({ kind: "reference", parcel }, transferOf(parcel.windows));
  }

  day(parcel: DayParcel): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.days.push({ resolve, reject });
      this.post({ kind: "day", parcel }, transferOf(parcel.windows));
    });
  }

  result(production: WindowParcel | ProductionEnd): Promise<CompareResult> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.answer = { resolve, reject };
      this.post({ kind: "result", production }, "windows" in production ? transferOf(production.windows) : []);
    });
  }

  close(reason: Error = new Error("The compare's measuring thread was closed.")): void {
    if (this.closed) return;
    this.closed = true;
    this.fail(reason);
    void this.worker.terminate();
  }

  private post(message: ToMeasure, transfer: ArrayBuffer[]): void {
    if (!this.failure) this.worker.postMessage(message, transfer);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const day of this.days.splice(0)) day.reject(error);
    this.answer?.reject(error);
  }
}
