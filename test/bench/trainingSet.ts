// npm run bench:trainingSet — a week of a current deployment's collected JSON lines in Azurite (24 hourly
// files a day for model_inputs and model_outputs, batched records of 1-3 rows): building the training set
// (inputs ⋈ outputs on {correlationid}_{index}, written as Parquet and as CSV) against the preview's full
// scan of the same blobs in the same run, the process's peak extra memory while building, and the extension
// host's longest event-loop stall meanwhile (goal ≤ 50 ms).
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
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
import { sqlTrainingSet } from "../../src/sql/trainingSetRun";
import type { BlobGateway } from "../../src/core/gateways";

/**
 * The training set as Build Training Set makes it where DuckDB is here (sqlTrainingSet): a cold query cache
 * (download), the two views, one join, COPY … TO Parquet.
 */
async function duckdbTrainingSet(gateway: BlobGateway, inputs: PreviewFile[], outputs: PreviewFile[], path: string): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "bench-training-sql-"));
  const engine = new SqlEngine({ bundleDir: join(REPO_ROOT, "out"), root, threads: 2, memoryLimit: `${process.env.BENCH_DUCKDB_MB ?? 400}MB` });
  try {
    const service = new QueryService(engine, new BlobCache({ root, limitBytes: () => 4e9, parallelRanges: 4, rangeBytes: 8 << 20 }));
    const where = { blobs: gateway, container: CONTAINER, auth: { kind: "emulator" as const, connectionString: "" } };
    const collection = (name: string, files: PreviewFile[]) => ({ name, view: name, others: [],
      blobs: files.map((f) => ({ blob: { name: f.name, size: f.size }, where, source: f.name, date: f.name.split("/").slice(4, 7).join("-"), hour: f.name.split("/")[7] })) });
    const summary = await sqlTrainingSet(service, {
      window: { nodeId: "bench", title: "bench", layout: "current", from: DAYS[0], to: DAYS[DAYS.length - 1], collections: [collection("model_inputs", inputs), collection("model_outputs", outputs)], first: "model_inputs" },
      inputs: "model_inputs", outputs: "model_outputs", layout: "current", how: "inner", output: { path, format: "parquet" }, signal: new AbortController().signal, onProgress: () => undefined,
    });
    rmSync(path, { force: true });
    return summary.rows;
  } finally {
    engine.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DAYS = Array.from({ length: 7 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
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

async function main(): Promise<void> {
  const location = join(REPO_ROOT, ".cache", "bench-azurite", "training-7d");
  mkdirSync(location, { recursive: true });
  const azurite = await startAzurite({ location });
  const out = mkdtempSync(join(tmpdir(), "bench-training-"));
  try {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
    if (!existsSync(join(location, "seeded"))) {
      console.log("[bench] writing 7 days × 24 hours of model_inputs and model_outputs into Azurite once…");
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
    const filesOf = async (collection: string) => {
      const files: PreviewFile[] = [];
      for (const date of DAYS) for (let h = 0; h < 24; h++) {
        const name = blobName(collection, date, h);
        files.push({ blobs: gateway, container: CONTAINER, name, size: (await container.getBlockBlobClient(name).getProperties()).contentLength ?? 0, label: name });
      }
      return files;
    };
    const inputs = await filesOf("model_inputs");
    const outputs = await filesOf("model_outputs");
    const total = [...inputs, ...outputs].reduce((s, f) => s + f.size, 0);
    console.log(`[bench] ${DAYS.length} days × 24 hours × 2 collections, ${(total / 1048576).toFixed(0)} MB, ${RUNS} alternating runs, medians\n`);
    const scans: number[] = [];
    const builds: Record<"parquet" | "csv" | "duckdb", number[]> = { parquet: [], csv: [], duckdb: [] };
    const duckdbPeaks: number[] = [];
    let duckdbRows = 0;
    const peaks: number[] = [];
    const stalls: number[] = [];
    let summary = "";
    for (let run = 0; run < RUNS; run++) {
      global.gc?.();
      let t = performance.now();
      for (const files of [outputs, inputs]) {
        const preview = new PreviewEngine(files, "jsonl", { worker: new Worker(WORKER), cap: 0, maxColumns: 2000, maxHeldBytes: 0, parallelRanges: 4, rangeBytes: 4 << 20 },
          { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: (m) => console.error(m) });
        await preview.done;
        if (preview.progress().state !== "done") throw new Error(preview.progress().message);
        await preview.dispose();
      }
      scans.push(performance.now() - t);
      for (const format of ["parquet", "csv"] as const) {
        const watch = watchHost();
        t = performance.now();
        const path = join(out, `training.${format}`);
        let stage = "";
        const result = await runTrainingSet({ worker: new Worker(WORKER), layout: "current", how: "inner", inputs: { files: inputs, format: "jsonl" }, outputs: { files: outputs, format: "jsonl" },
          output: { path, format }, maxColumns: 2000, parallelRanges: 4, rangeBytes: 4 << 20,
          onProgress: (p) => {
            if (p.stage !== stage) {
              if (process.env.BENCH_STAGES) console.log(`  ${format} ${stage} done at ${(performance.now() - t).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
              stage = p.stage;
            }
          } });
        builds[format].push(performance.now() - t);
        const watched = watch.stop();
        if (format === "parquet") {
          peaks.push(watched.peakBytes / 1048576);
          stalls.push(watched.stallMs);
        }
        summary += format === "parquet" ? `${result.rows.toLocaleString("en-US")} rows × ${result.columns.length} columns; ${result.counts.outputsWithoutInput.toLocaleString("en-US")} outputs without an input; Parquet ${(statSync(path).size / 1048576).toFixed(0)} MB` : `, CSV ${(statSync(path).size / 1048576).toFixed(0)} MB`;
        rmSync(path, { force: true });
      }
      {
        global.gc?.();
        const watch = watchHost();
        const t0 = performance.now();
        duckdbRows = await duckdbTrainingSet(gateway, inputs, outputs, join(out, "training-duckdb.parquet"));
        builds.duckdb.push(performance.now() - t0);
        duckdbPeaks.push(watch.stop().peakBytes / 1048576);
      }
      if (run < RUNS - 1) summary = "";
    }
    const ratio = (format: "parquet" | "csv" | "duckdb") => median(builds[format]) / median(scans);
    console.log(`training set, Parquet: ${median(builds.parquet).toFixed(0)} ms, CSV: ${median(builds.csv).toFixed(0)} ms vs the preview's full scan of both collections ${median(scans).toFixed(0)} ms → ${ratio("parquet").toFixed(2)}× / ${ratio("csv").toFixed(2)}×`);
    console.log(`  ${summary}`);
    console.log(`peak extra memory while building (RSS of the process: host and engine thread): ${median(peaks).toFixed(0)} MB`);
    console.log(`extension host's longest event-loop stall while building: ${median(stalls).toFixed(0)} ms (goal ≤ 50 ms)`);
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    console.log(`the same join in DuckDB over the query cache (cold: download, views, COPY … TO Parquet): ${median(builds.duckdb).toFixed(0)} ms → ${ratio("duckdb").toFixed(2)}× the scan, peak ${median(duckdbPeaks).toFixed(0)} MB, ${duckdbRows.toLocaleString("en-US")} rows`);
    console.log(`RESULT ${JSON.stringify({ parquetVsScan: round(ratio("parquet")), csvVsScan: round(ratio("csv")), peakMB: round(median(peaks), 0), hostStallMs: round(median(stalls), 0),
      duckdbVsScan: round(ratio("duckdb")), duckdbPeakMB: round(median(duckdbPeaks), 0) })}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    await azurite.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
