// The extension host's side of a drift compare: one engine thread reads both windows (the host answers
// its reads), gathers every value and answers with the result. The thread ends with the compare.
import type { Worker } from "node:worker_threads";
import type { PreviewFile } from "../loader";
import type { CompareResult } from "../../core/drift/report";
import { cancelledError } from "../../core/errors";
import { ReadService } from "./readService";
import { engineEnded, isEngineToHost, revive, type CompareStart, type HostToEngine, type WindowProgress } from "./protocol";

export interface CompareWindow {
  label: string;
  files: PreviewFile[];
  format: "csv" | "jsonl" | "parquet";
  /** Per file, the day or hour it holds (the production window's timeline). */
  buckets?: string[];
}

/** CompareStart's settings as they are, its windows with the files themselves (the host reads them). */
export interface CompareRun extends Omit<CompareStart, "files" | "reference" | "production"> {
  worker: Worker;
  reference: CompareWindow;
  production: CompareWindow;
  signal?: AbortSignal;
  onProgress?(progress: WindowProgress): void;
}

export async function runCompare(run: CompareRun): Promise<CompareResult> {
  const { worker } = run;
  const files = [...run.reference.files, ...run.production.files];
  const post = (message: HostToEngine, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
  const reads = new ReadService(files, post);
  worker.ref();
  try {
    return await new Promise<CompareResult>((resolve, reject) => {
      let failure: Error | undefined;
      const onAbort = () => post({ kind: "cancelCompare" });
      run.signal?.addEventListener("abort", onAbort, { once: true });
      if (run.signal?.aborted) onAbort();
      worker.on("error", (error) => (failure = error));
      worker.on("exit", (code) => {
        const { outOfMemory, why } = engineEnded(failure, code);
        reject(new Error(outOfMemory
          ? "The compare's data engine ran out of memory: compare shorter windows or fewer features."
          : `The compare's data engine stopped (${why}).`));
      });
      worker.on("message", (message: unknown) => {
        if (!isEngineToHost(message)) return;
        switch (message.kind) {
          case "read": case "abortRead": case "openStream": case "credit": case "closeStream":
            reads.received(message);
            return;
          case "compareProgress":
            run.onProgress?.(message.progress);
            return;
          case "compared":
            resolve(message.result);
            return;
          case "compareFailed":
            reject(message.cancelled ? cancelledError() : revive(message.error));
            return;
        }
      });
      const window = (w: CompareWindow, offset: number) => ({ label: w.label, format: w.format, files: w.files.map((_, i) => offset + i), buckets: w.buckets });
      post({ kind: "startCompare", compare: {
        files: files.map(({ container, name, size, label }) => ({ container, name, size, label })),
        reference: window(run.reference, 0), production: window(run.production, run.reference.files.length),
        features: run.features, perFeature: run.perFeature, defaults: run.defaults, maxColumns: run.maxColumns, parallelRanges: run.parallelRanges, rangeBytes: run.rangeBytes, encoding: run.encoding,
      } });
    });
  } finally {
    reads.stopAll();
    await worker.terminate();
  }
}
