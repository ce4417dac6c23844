// The benches' baseline: the preview's full scan of a window's blobs (every row parsed, statistics over
// every cell), through the data engine exactly as the extension drives it. Returns its milliseconds.
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { REPO_ROOT } from "../host/codeServer";
import { PreviewEngine } from "../../src/engine/client";
import type { PreviewFile } from "../../src/reading/previewFile";
import { downloads } from "./benchDownloads";

const WORKER = join(REPO_ROOT, "out", "previewWorker.js");

export async function fullScan(files: PreviewFile[], format: "csv" | "jsonl"): Promise<number> {
  global.gc?.();
  const t = performance.now();
  const preview = new PreviewEngine(files, format, { worker: new Worker(WORKER), downloads, cap: 500_000, maxColumns: 2000, maxHeldBytes: 1 << 30, parallelRanges: 4, rangeBytes: 4 << 20 },
    { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: (m) => console.error(m) });
  await preview.done;
  if (preview.progress().state !== "done") throw new Error(preview.progress().message);
  const ms = performance.now() - t;
  await preview.dispose();
  return ms;
}
