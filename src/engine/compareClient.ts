// The extension host's side of a drift compare: one engine thread reads both windows (the host answers
// its reads), gathers every value and answers with the result.
import type { Worker } from "node:worker_threads";
import type { PreviewFile } from "../reading/previewFile";
import type { CompareResult } from "../core/drift/report";
import { engineFiles, runEngineJob } from "./jobClient";
import type { ReadRouter } from "./client";
import type { CompareStart, WindowProgress } from "./protocol";

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
  /** Serves the job's reads off the host's thread (EngineThreads.downloads). */
  downloads?: ReadRouter;
  reference: CompareWindow;
  production: CompareWindow;
  signal?: AbortSignal;
  onProgress?(progress: WindowProgress): void;
}

export async function runCompare(run: CompareRun): Promise<CompareResult> {
  const files = [...run.reference.files, ...run.production.files];
  const window = (w: CompareWindow, offset: number) => ({ label: w.label, format: w.format, files: w.files.map((_, i) => offset + i), buckets: w.buckets });
  return runEngineJob<CompareResult>({
    worker: run.worker, files, downloads: run.downloads, signal: run.signal, what: "compare", outOfMemoryAdvice: "compare shorter windows or fewer features.",
    start: { kind: "startCompare", compare: {
      files: engineFiles(files),
      reference: window(run.reference, 0), production: window(run.production, run.reference.files.length),
      features: run.features, perFeature: run.perFeature, defaults: run.defaults, maxColumns: run.maxColumns, parallelRanges: run.parallelRanges, rangeBytes: run.rangeBytes, encoding: run.encoding,
    } },
    cancel: { kind: "cancelCompare" },
    received: (message) => {
      if (message.kind === "compareProgress") run.onProgress?.(message.progress);
      if (message.kind === "compared") return { result: message.result };
      if (message.kind === "compareFailed") return { failed: message.error, cancelled: message.cancelled };
      return undefined;
    },
  });
}
