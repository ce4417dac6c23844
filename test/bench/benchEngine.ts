// The preview engine as bench:preview drives it: one data.csv, the default row cap, the engine thread's
// bundle from out/. Shared by the bench and its cold first-rows child (firstRowsCold.ts).
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { REPO_ROOT } from "../host/codeServer";
import type { PreviewFile } from "../../src/reading/previewFile";
import { PreviewEngine } from "../../src/engine/client";
import { downloads } from "./benchDownloads";

/** Rows held, as modelData.preview.maxRows' default. */
export const CAP = 500_000;
export const WORKER = join(REPO_ROOT, "out", "previewWorker.js");

export function engine(file: PreviewFile, worker: Worker | (() => Worker), options: { parallelRanges: number; rangeBytes?: number }, init: () => void = () => undefined): PreviewEngine {
  return new PreviewEngine([file], "csv", { worker, downloads, cap: CAP, maxColumns: 2000, maxHeldBytes: 1 << 30, parallelRanges: options.parallelRanges, rangeBytes: options.rangeBytes ?? 4 << 20 },
    { init, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: (m) => console.error(m) });
}
