// npm run bench:trainingSet — four weeks of a current deployment's collected JSON lines in Azurite (24 hourly
// files a day for model_inputs and model_outputs, batched records of 1-3 rows). Build Training Set as the
// extension runs it (DuckDB over the query cache, hour by hour: cold cache, download, views, the chunks,
// COPY … TO Parquet and CSV) over one week and over all four, each against the preview's full scan of the
// same blobs in the same run; the process's peak extra memory while building and the extension host's
// longest event-loop stall meanwhile (goals: ≤ 1.5× the scan, ≤ 400 MB, ≤ 40 ms for both windows). The
// engine's join (the universal VSIX's, and windows over the query cache's limit) is timed over the week.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite } from "../servers/azurite";
import { watchHost } from "./hostWatch";
import { REPO_ROOT } from "../host/codeServer";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { PreviewEngine } from "../../src/engine/client";
import { runTrainingSet } from "../../src/engine/trainingSetClient";
import type { PreviewFile } from "../../src/reading/previewFile";
import { BlobCache } from "../../src/sql/blobCache";
import { SqlEngine } from "../../src/sql/sqlEngine";
import { QueryService } from "../../src/sql/queryService";
import { DownloadThread } from "../../src/engine/downloadThread";
import { sqlTrainingSet } from "../../src/sql/trainingSetRun";
import type { BlobGateway } from "../../src/core/gateways";
import { downloads as sharedDownloads } from "./benchDownloads";

/**
 * The training set as Build Training Set makes it where DuckDB is here (sqlTrainingSet): a cold query cache
 * (download), the two views, the join hour by hour, COPY … TO the format.
 */
/** BENCH_STAGES prints the host's holds longer than this (BENCH_HELD_MS, 60 unless told). */
const HELD_MS = Number(process.env.BENCH_HELD_MS ?? 60);

async function duckdbTrainingSet(gateway: BlobGateway, inputs: PreviewFile[], outputs: PreviewFile[], path: string, format: "parquet" | "csv"): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "bench-training-sql-"));
  const started = performance.now();
  let stage = "starting";
  let last = performance.now();
  const stalls = process.env.BENCH_STAGES ? setInterval(() => {
    const now = performance.now();
    if (now - last > HELD_MS) console.log(`    the host's thread was held ${(now - last - 10).toFixed(0)} ms during "${stage}"`);
    last = now;
  }, 10) : undefined;
  const engine = new SqlEngine({ bundleDir: join(REPO_ROOT, "out"), root, threads: 2, memoryLimit: `${process.env.BENCH_DUCKDB_MB ?? 400}MB` });
  const downloads = new DownloadThread(join(REPO_ROOT, "out", "downloadWorker.js"), () => 30_000);
  try {
    // As the extension does it: the window's bytes are fetched on the download thread.
    const service = new QueryService(engine, new BlobCache({ root, limitBytes: () => 4e9, parallelRanges: 4, rangeBytes: 8 << 20, fetcher: downloads }));
    const where = { blobs: gateway, container: CONTAINER, auth: { kind: "emulator" as const, connectionString: "" } };
    const collection = (name: string, files: PreviewFile[]) => ({ name, view: name, others: [],
      blobs: files.map((f) => ({ blob: { name: f.name, size: f.size }, where, source: f.name, date: f.name.split("/").slice(4, 7).join("-"), hour: f.name.split("/")[7] })) });
    const summary = await sqlTrainingSet(service, {
      window: { nodeId: "bench", title: "bench", layout: "current", from: DAYS[0], to: DAYS[DAYS.length - 1], collections: [collection("model_inputs", inputs), collection("model_outputs", outputs)], first: "model_inputs" },
      inputs: "model_inputs", outputs: "model_outputs", layout: "current", how: "inner", output: { path, format }, signal: new AbortController().signal,
      // BENCH_STAGES=1: when each step starts.
      onProgress: (m) => {
        stage = m;
        if (process.env.BENCH_STAGES && !/\d%/.test(m)) console.log(`    ${m} at ${(performance.now() - started).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
      },
    });
    // Not the product's work: removed after the build is timed, off this thread (a synchronous unlink of the
    // four weeks' file held the host 40 ms inside the measured window, more than the build itself did).
    cleanups.push(rm(path, { force: true }));
    return summary.rows;
  } finally {
    clearInterval(stalls);
    engine.dispose();
    downloads.dispose();
    // The cache stays on disk in the product: removed after the build is timed, on another thread.
    cleanups.push(rm(root, { recursive: true, force: true }));
  }
}

const cleanups: Array<Promise<void>> = [];

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DAYS = Array.from({ length: 28 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
const RECORDS_PER_HOUR = 3000;
const CONTAINER = "azureml-blobstore";
const WORKER = join(REPO_ROOT, "out", "previewWorker.js");
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const blobName = (collection: string, date: string, hour: number) => `modelDataCollector/bench-ep/blue/${collection}/${date.replace(/-/g, "/")}/${String(hour).padStart(2, "0")}/blue-1.jsonl`;

/** One hour of both collections, paired by correlation id (one output record in 50 has no input). */
function hour(day: number, h: number): { inputs: Buffer; outputs: Buffer } {
  let state = 1 + day * 24 + h;
  const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (let r = 0; r < RECORDS_PER_HOUR; r++) {
    const correlationid = `${day}-${h}-${r}-${Math.floor(uniform() * 1e9).toString(16)}`;
    const rows = 1 + Math.floor(uniform() * 3);
    const time = `${DAYS[day]}T${String(h).padStart(2, "0")}:${String(r % 60).padStart(2, "0")}:00Z`;
    const data = Array.from({ length: rows }, () => Object.fromEntries([
      ...Array.from({ length: 10 }, (_, i) => [`feature_${i + 1}`, Math.round(uniform() * 100_000) / 100]),
      ["segment", ["alpha", "beta", "gamma"][Math.floor(uniform() * 3)]],
      ["country", ["CH", "DE", "FR", "IT"][Math.floor(uniform() * 4)]],
    ]));
    const record = { specversion: "1.0", id: `${correlationid}-i`, source: "/bench", type: "azureml.inference.model_inputs", datacontenttype: "application/json", time, correlationid, data };
    if (r % 50 !== 0) inputs.push(JSON.stringify(record));
    outputs.push(JSON.stringify({ ...record, id: `${correlationid}-o`, type: "azureml.inference.model_outputs", data: data.map(() => ({ approved: uniform() < 0.6, score: Math.round(uniform() * 1e4) / 1e4 })) }));
  }
  return { inputs: Buffer.from(inputs.join("\n") + "\n"), outputs: Buffer.from(outputs.join("\n") + "\n") };
}

/** The preview's full scan of both collections (parse + statistics): what a build is measured against. */
async function scan(inputs: PreviewFile[], outputs: PreviewFile[]): Promise<number> {
  const t = performance.now();
  for (const files of [outputs, inputs]) {
    const preview = new PreviewEngine(files, "jsonl", { worker: new Worker(WORKER), downloads: sharedDownloads, cap: 0, maxColumns: 2000, maxHeldBytes: 0, parallelRanges: 4, rangeBytes: 4 << 20 },
      { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: (m) => console.error(m) });
    await preview.done;
    if (preview.progress().state !== "done") throw new Error(preview.progress().message);
    await preview.dispose();
  }
  return performance.now() - t;
}

/** One build, timed, with the process's peak extra memory and the host's longest stall meanwhile. */
async function watched<T>(build: () => Promise<T>): Promise<{ ms: number; peakMB: number; stallMs: number; result: T }> {
  global.gc?.();
  const watch = watchHost();
  const t = performance.now();
  const result = await build();
  const ms = performance.now() - t;
  const seen = watch.stop();
  await Promise.all(cleanups.splice(0));
  return { ms, peakMB: seen.peakBytes / 1048576, stallMs: seen.stallMs, result };
}

async function main(): Promise<void> {
  const location = join(REPO_ROOT, ".cache", "bench-azurite", "training-28d");
  mkdirSync(location, { recursive: true });
  const azurite = await startAzurite({ location });
  const out = mkdtempSync(join(tmpdir(), "bench-training-"));
  try {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
    if (!existsSync(join(location, "seeded"))) {
      console.log(`[bench] writing ${DAYS.length} days × 24 hours of model_inputs and model_outputs into Azurite once…`);
      await container.createIfNotExists();
      for (const [d] of DAYS.entries()) {
        for (let h = 0; h < 24; h++) {
          const { inputs, outputs } = hour(d, h);
          await container.getBlockBlobClient(blobName("model_inputs", DAYS[d], h)).uploadData(inputs);
          await container.getBlockBlobClient(blobName("model_outputs", DAYS[d], h)).uploadData(outputs);
        }
      }
      writeFileSync(join(location, "seeded"), "");
    }
    const gateway = createBlobGatewayFromConnectionString(azurite.connectionString);
    const filesOf = async (collection: string, days: number) => {
      const files: PreviewFile[] = [];
      for (const date of DAYS.slice(0, days)) for (let h = 0; h < 24; h++) {
        const name = blobName(collection, date, h);
        files.push({ blobs: gateway, container: CONTAINER, name, size: (await container.getBlockBlobClient(name).getProperties()).contentLength ?? 0, label: name });
      }
      return files;
    };
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    const result: Record<string, number> = {};
    let weekScanMs = 0;
    // BENCH_DAYS=28: one window only (while working on it).
    for (const days of process.env.BENCH_DAYS ? [Number(process.env.BENCH_DAYS)] : [7, 28]) {
      const inputs = await filesOf("model_inputs", days);
      const outputs = await filesOf("model_outputs", days);
      const total = [...inputs, ...outputs].reduce((s, f) => s + f.size, 0);
      const week = days === 7;
      console.log(`[bench] ${days} days × 24 hours × 2 collections, ${(total / 1048576).toFixed(0)} MB, ${RUNS} alternating runs, medians`);
      const scans: number[] = [];
      const builds: Record<string, Array<Awaited<ReturnType<typeof watched>>>> = { parquet: [], csv: [] };
      let rows = 0;
      for (let run = 0; run < RUNS; run++) {
        scans.push(await scan(inputs, outputs));
        for (const format of week ? ["parquet", "csv"] as const : ["parquet"] as const) {
          const path = join(out, `training.${format}`);
          const build = await watched(() => duckdbTrainingSet(gateway, inputs, outputs, path, format));
          builds[format].push(build);
          rows = build.result;
        }
      }
      const scanMs = median(scans);
      const of = (kind: string, pick: (b: Awaited<ReturnType<typeof watched>>) => number) => median(builds[kind].map(pick));
      const ratio = (kind: string) => of(kind, (b) => b.ms) / scanMs;
      const suffix = week ? "" : "_4w";
      console.log(`  the preview's full scan of both collections: ${scanMs.toFixed(0)} ms`);
      console.log(`  Build Training Set (DuckDB, hour by hour), Parquet: ${of("parquet", (b) => b.ms).toFixed(0)} ms → ${ratio("parquet").toFixed(2)}× the scan (goal ≤ 1.5×), ${rows.toLocaleString("en-US")} rows; peak ${of("parquet", (b) => b.peakMB).toFixed(0)} MB (goal ≤ 400); host stall ${of("parquet", (b) => b.stallMs).toFixed(0)} ms (goal ≤ 40)`);
      result[`parquetVsScan${suffix}`] = round(ratio("parquet"));
      result[`peakMB${week ? "_1w" : "_4w"}`] = round(of("parquet", (b) => b.peakMB), 0);
      result[`hostStallMs${suffix}`] = round(of("parquet", (b) => b.stallMs), 0);
      if (week) {
        console.log(`  CSV: ${of("csv", (b) => b.ms).toFixed(0)} ms → ${ratio("csv").toFixed(2)}×, peak ${of("csv", (b) => b.peakMB).toFixed(0)} MB`);
        result.csvVsScan = round(ratio("csv"));
        weekScanMs = scanMs;
      }
    }
    // The engine's join (the universal VSIX's; windows over the query cache's limit) holds the outputs of the
    // whole window: over the week only, and last, so that what it leaves in the process does not count in
    // the DuckDB builds' memory.
    if (!process.env.BENCH_SKIP_ENGINE && weekScanMs > 0) {
      const inputs = await filesOf("model_inputs", 7);
      const outputs = await filesOf("model_outputs", 7);
      const engine: Record<"parquet" | "csv", Array<Awaited<ReturnType<typeof watched>>>> = { parquet: [], csv: [] };
      let summary = "";
      for (let run = 0; run < RUNS; run++) {
        for (const format of ["parquet", "csv"] as const) {
          const path = join(out, `training-engine.${format}`);
          const build = await watched(() => runTrainingSet({ worker: new Worker(WORKER), downloads: sharedDownloads, layout: "current", how: "inner", inputs: { files: inputs, format: "jsonl" }, outputs: { files: outputs, format: "jsonl" },
            output: { path, format }, maxColumns: 2000, parallelRanges: 4, rangeBytes: 4 << 20 }));
          engine[format].push(build);
          if (format === "parquet") summary = `${build.result.rows.toLocaleString("en-US")} rows × ${build.result.columns.length} columns; ${build.result.counts.outputsWithoutInput.toLocaleString("en-US")} outputs without an input; Parquet ${(statSync(path).size / 1048576).toFixed(0)} MB`;
          rmSync(path, { force: true });
        }
      }
      const of = (format: "parquet" | "csv", pick: (b: Awaited<ReturnType<typeof watched>>) => number) => median(engine[format].map(pick));
      console.log(`the engine's join over the week: Parquet ${(of("parquet", (b) => b.ms) / weekScanMs).toFixed(2)}×, CSV ${(of("csv", (b) => b.ms) / weekScanMs).toFixed(2)}× the week's scan, peak ${of("parquet", (b) => b.peakMB).toFixed(0)} MB; ${summary}`);
      result.engineParquetVsScan = round(of("parquet", (b) => b.ms) / weekScanMs);
      result.engineCsvVsScan = round(of("csv", (b) => b.ms) / weekScanMs);
      result.enginePeakMB = round(of("parquet", (b) => b.peakMB), 0);
    }
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    await azurite.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
