// One compare of bench:drift's scaling (windows of N days each), in a process of its own: the peak memory
// is the compare's alone, not what earlier compares in the same process left in its allocator (measured in
// the bench's own process after its other runs, the 7-day windows showed 34 MB extra instead of ~350).
// Prints { ms, peakMB }.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { ALL_DAYS, CONTAINER, blobName } from "./driftDays";
import { watchHost } from "./hostWatch";
import { REPO_ROOT } from "../host/codeServer";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { runCompare } from "../../src/engine/compareClient";
import type { PreviewFile } from "../../src/reading/previewFile";
import { downloads } from "./benchDownloads";

async function main(): Promise<void> {
  const [connectionString, daysText] = process.argv.slice(2);
  const days = Number(daysText);
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(CONTAINER);
  const gateway = createBlobGatewayFromConnectionString(connectionString);
  const files: PreviewFile[] = [];
  for (const date of ALL_DAYS.slice(0, 2 * days)) {
    const size = (await container.getBlockBlobClient(blobName(date)).getProperties()).contentLength ?? 0;
    files.push({ blobs: gateway, container: CONTAINER, name: blobName(date), size, label: date });
  }
  const watch = watchHost();
  const t = performance.now();
  const result = await runCompare({ worker: new Worker(join(REPO_ROOT, "out", "previewWorker.js")), downloads, reference: { label: "reference", files: files.slice(0, days), format: "csv" },
    production: { label: "production", files: files.slice(days), format: "csv", buckets: ALL_DAYS.slice(days, 2 * days) }, maxColumns: 2000, parallelRanges: 4, rangeBytes: 4 << 20 });
  const ms = performance.now() - t;
  if (result.production.rows === 0 || result.reference.rows === 0) throw new Error("empty windows");
  console.log(JSON.stringify({ ms, peakMB: watch.stop().peakBytes / 1048576 }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
