// npm run bench:preview — a 200 MB legacy data.csv in Azurite:
//   first 1,000 rows through the extension's loader vs a raw 256 KiB ranged read (goals ≤ 1.5× on a booted
//   engine thread, ≤ 3× for the first preview of a session: in a fresh process each, firstRowsCold.ts), full scan (parse + statistics) throughput vs
//   the raw SDK download stream (goal ≥ 0.5× on loopback, ≥ 0.9× through the throttling proxy), peak memory;
//   the extension host's event-loop stalls during the scan and during a numeric sort, a text sort and a
//   global filter of 500,000 rows on the engine thread, and the engine's time for each;
//   in Chromium the grid's first paint and scroll-to-middle at 1,000,000 rows (goals ≤ 100 / 150 ms); and in
//   the real host a file with one 5,000-cell row, open → "Loaded" (goal ≤ 2 s; test/bench/wideRow.ts).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Readable } from "node:stream";
import * as esbuild from "esbuild";
import { BlobServiceClient, type BlockBlobClient } from "@azure/storage-blob";
import { QuoteFreeCsvSplitter } from "../../src/core/table/csvBytes";
import { RowStore } from "../../src/core/table/rowStore";
import { startAzurite } from "../servers/azurite";
import { watchHost } from "./hostWatch";
import { startThrottlingProxy } from "../servers/throttlingProxy";
import { cpuClock, describeCpu, medianSpent, shortestWall, type CpuSpent } from "./cpuClock";
import { REPO_ROOT } from "../host/codeServer";
import { launchChromium } from "../host/browser";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { FIRST_RANGE_BYTES } from "../../src/reading/loader";
import { type PreviewEngine, SUPERSEDED } from "../../src/engine/client";
import { CAP, engine, WORKER } from "./benchEngine";
import { Worker } from "node:worker_threads";
import { AML_SYSTEM_COLUMNS } from "../../src/core/table/legacyColumns";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_BYTES = 200 * 1024 * 1024;
const CONTAINER = "modeldata";
const BLOB = "bench/rg/ws/svc/model/1/inputs/2026/11/20/data.csv";
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** 20 numeric features + the eight system columns, as the legacy collector writes them. */
function* csvChunks(): Generator<Buffer> {
  const header = [...Array.from({ length: 20 }, (_, i) => `feature_${i + 1}`), ...AML_SYSTEM_COLUMNS].join(",") + "\r\n";
  yield Buffer.from(header);
  let bytes = header.length;
  let i = 0;
  while (bytes < TARGET_BYTES) {
    const lines: string[] = [];
    for (let j = 0; j < 5000; j++, i++) {
      // About 230 bytes a row, like the 910k-row, 28-column file measured in the project notes.
      const features = Array.from({ length: 20 }, (_, c) => ((i * 2654435761 + c * 7919) % 1000) / 10);
      lines.push([...features, `3f2b1c4d-${String(i % 10000).padStart(4, "0")}-4000-8000-000000000001`, "2026-11-20T15:54:16.691697", "1440", "sub/rg/ws", "svc", "model", "1", "00000000-0000-0000-0000-000000000000"].join(","));
    }
    const chunk = Buffer.from(lines.join("\r\n") + "\r\n");
    bytes += chunk.length;
    yield chunk;
  }
}

/** A booted engine thread, as the extension keeps one ready (EngineThreads' spare). */
async function bootedWorker(): Promise<Worker> {
  const worker = new Worker(WORKER, { workerData: { warmUp: true } });
  // Loaded and warmed, not just started: the worker says so when it is ready. The extension boots it when a
  // tree node is expanded, seconds before a date is clicked: the compiler threads and GC that follow the
  // warm-up (they slowed the next ranged read 2–3× on these two cores) have settled by then.
  await new Promise((resolve) => worker.once("message", resolve));
  await quiet();
  return worker;
}

/** What a first-rows measurement starts after: 300 ms with nothing running (a user's click follows a pause). */
const quiet = () => new Promise((resolve) => setTimeout(resolve, 300));

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY_GRID) {
    const grid = await benchGrid();
    console.log(`grid at 1,000,000 rows (Chromium): first paint ${grid.paint.toFixed(1)} ms, scroll to middle ${grid.scroll.toFixed(1)} ms, ${grid.nodes} DOM nodes, JS heap ${grid.heap.toFixed(1)} MB`);
    return;
  }
  const location = join(REPO_ROOT, ".cache", "bench-azurite", "preview-200mb");
  mkdirSync(location, { recursive: true });
  const azurite = await startAzurite({ location });
  try {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient(CONTAINER);
    const blob = container.getBlockBlobClient(BLOB);
    if (!existsSync(join(location, "seeded"))) {
      console.log("[bench] writing a 200 MB data.csv into Azurite once…");
      await container.createIfNotExists();
      await blob.uploadStream(Readable.from(csvChunks()), 8 * 1024 * 1024, 4);
      writeFileSync(join(location, "seeded"), "");
    }
    const size = (await blob.getProperties()).contentLength ?? 0;
    const gateway = createBlobGatewayFromConnectionString(azurite.connectionString);
    const file = { blobs: gateway, container: CONTAINER, name: BLOB, size, label: "data.csv" };
    console.log(`[bench] ${(size / 1048576).toFixed(0)} MB, ${RUNS} interleaved runs, medians\n`);

    const rawRange: number[] = [];
    const oursFirst: number[] = [];
    const raw = async () => {
      // After the same quiet as ours (its thread's settle below): a read right after other work found the
      // process, the connection and the caches warmer, and ran ~0.3–0.5 ms faster than one after a pause.
      await quiet();
      const t = process.hrtime.bigint();
      await blob.downloadToBuffer(0, FIRST_RANGE_BYTES);
      rawRange.push(ms(t));
    };
    const ours = async () => {
      const worker = await bootedWorker();
      const t = process.hrtime.bigint();
      let firstAt = 0;
      let firstCount = 0;
      let shown!: () => void;
      const first = new Promise<void>((resolve) => (shown = resolve));
      const preview: PreviewEngine = engine(file, worker, { parallelRanges: 4 }, () => {
        firstAt = ms(t);
        firstCount = preview.progress().visibleRows;
        shown();
      });
      // Only the time to the first rows is measured here: the rest is not waited for. Awaited, not polled:
      // a loop of setImmediate kept the host's thread busy beside the read it measures.
      await Promise.race([first, preview.done]);
      await preview.dispose();
      if (firstCount < 1000) throw new Error(`only ${firstCount} rows from the first range`);
      oursFirst.push(firstAt);
    };
    // Ranged reads take ~10 ms and vary by several on this VM: many cheap runs, in alternating order, make
    // the medians hold still.
    // BENCH_ONLY_SCAN=1 (while working on the scan, sorts or filter): the scan and what follows it in this process only.
    const firstRounds = process.env.BENCH_ONLY_SCAN ? 0 : Math.max(40, RUNS * 8);
    // BENCH_ONLY_THROTTLED=1: the scan through the throttling proxy only.
    if (process.env.BENCH_ONLY_THROTTLED) {
      const alone = await benchThrottled(azurite.connectionString, azurite.blobEndpoint, size, azurite.pid);
      console.log(`throttled: extension ${alone.ranged.toFixed(0)} ms vs the SDK's downloadToBuffer ${alone.sdk.toFixed(0)} ms → ${(alone.sdk / alone.ranged).toFixed(2)}×; one stream ${alone.single.toFixed(0)} ms`);
      console.log(`  ${describeCpu(alone.rangedCpu)} → at most ${(alone.sdk / shortestWall(alone.rangedCpu)).toFixed(2)}× here`);
      return;
    }
    for (let i = 0; i < firstRounds; i++) {
      if (i % 2) {
        await raw();
        await ours();
      } else {
        await ours();
        await raw();
      }
    }
    const firstRowsRatio = median(oursFirst) / median(rawRange);
    if (process.env.BENCH_VERBOSE) console.log("first rows, each run (ms):", oursFirst.map((v) => v.toFixed(1)).join(" "), "\nraw:", rawRange.map((v) => v.toFixed(1)).join(" "));
    if (firstRounds) console.log(`first rows: extension ${median(oursFirst).toFixed(1)} ms vs raw 256 KiB ranged read ${median(rawRange).toFixed(1)} ms → ${firstRowsRatio.toFixed(2)}× (on the engine thread the extension keeps booted)`);
    // In a fresh process each: cold host code as well as a thread booted on demand.
    const cold: number[] = [];
    for (let i = 0; i < (firstRounds ? 5 : 0); i++) {
      const child = spawnSync(process.execPath, [join(REPO_ROOT, "out", "test", "bench", "firstRowsCold.js"), azurite.connectionString, CONTAINER, BLOB, String(size)], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`the cold first preview failed: ${child.stderr}`);
      cold.push((JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { firstAt: number }).firstAt);
    }
    const firstRowsCold = median(cold) / median(rawRange);
    if (firstRounds) console.log(`  the first preview of a session (a fresh process: host code never run, thread booted on demand): ${median(cold).toFixed(1)} ms → ${firstRowsCold.toFixed(2)}× the raw read`);
    // BENCH_ONLY_FIRST=1: the first rows, warm and cold, only.
    if (process.env.BENCH_ONLY_FIRST) return;

    const rawScan: number[] = [];
    const oursScan: number[] = [];
    const floorScan: number[] = [];
    const stallMax: number[] = [];
    const stallP99: number[] = [];
    let peakRss = 0;
    let rows = 0;
    let sorting: Awaited<ReturnType<typeof benchSorts>> | undefined;
    const rawCpu: CpuSpent[] = [];
    const scanCpu: CpuSpent[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      let clock = cpuClock(azurite.pid);
      let t = process.hrtime.bigint();
      const response = await blob.download(0);
      let bytes = 0;
      for await (const chunk of response.readableStreamBody ?? []) bytes += (chunk as Buffer).length;
      rawScan.push(ms(t));
      rawCpu.push(clock.stop());
      if (bytes !== size) throw new Error("short raw read");
      // Booted before the clock starts, as the extension keeps a spare booted (the scan's time had included
      // the boot and its 300 ms settle).
      const worker = await bootedWorker();
      const watch = watchHost();
      clock = cpuClock(azurite.pid);
      t = process.hrtime.bigint();
      // One stream, as the raw line reads it (the ranged reads are measured through the throttling proxy below).
      const preview = engine(file, worker, { parallelRanges: 1 });
      await preview.done;
      oursScan.push(ms(t));
      scanCpu.push(clock.stop());
      const watched = watch.stop();
      stallMax.push(watched.stallMs);
      stallP99.push(watched.stallP99Ms);
      peakRss = Math.max(peakRss, watched.peakBytes);
      rows = preview.progress().rowsLoaded;
      if (preview.progress().state !== "done") throw new Error(preview.progress().message);
      if (i === 0) sorting = await benchSorts(preview);
      await preview.dispose();
      global.gc?.();
      t = process.hrtime.bigint();
      if ((await downloadAndHold(blob, CAP)) !== rows) throw new Error("the floor run split a different number of rows");
      floorScan.push(ms(t));
    }
    const scanRatio = median(rawScan) / median(oursScan);
    const mbps = (t: number) => (size / 1048576 / (t / 1000)).toFixed(0);
    console.log(`full scan: extension ${median(oursScan).toFixed(0)} ms (${mbps(median(oursScan))} MB/s, ${rows} rows parsed with statistics) vs raw download stream ${median(rawScan).toFixed(0)} ms (${mbps(median(rawScan))} MB/s) → ${scanRatio.toFixed(2)}× of raw`);
    // What the scan's CPU allows here: however well the threads overlap, the cores cannot do it faster.
    const scanSpent = medianSpent(scanCpu);
    const scanCeiling = median(rawScan) / shortestWall(scanSpent);
    console.log(`  the scan's ${describeCpu(scanSpent)} → at most ${scanCeiling.toFixed(2)}× of raw on this machine; the raw stream's ${describeCpu(medianSpent(rawCpu))}`);
    console.log(`  the same download, split into rows and holding ${CAP.toLocaleString("en-US")} of them, without any parsing or statistics: ${median(floorScan).toFixed(0)} ms → ${(median(rawScan) / median(floorScan)).toFixed(2)}× of raw (the most the scan could reach here)`);
    console.log(`peak extra memory during the scan (RSS of the process: host and engine thread, ${CAP.toLocaleString("en-US")} rows held): ${(peakRss / 1048576).toFixed(0)} MB`);
    // The engine runs on its own thread: how long the extension host's thread is held meanwhile.
    console.log(`extension host's longest event-loop stall during the scan: max ${median(stallMax).toFixed(0)} ms, p99 ${median(stallP99).toFixed(0)} ms (goal: max ≤ 50 ms)`);
    if (!sorting) throw new Error("no sort measured");
    for (const [label, op] of [["numeric sort", sorting.numeric], ["text sort", sorting.text], ["global filter", sorting.filter]] as const) {
      console.log(`${label} of ${CAP.toLocaleString("en-US")} rows: engine ${op.ms.toFixed(0)} ms (goal ≤ ${op.goal} ms); extension host's longest stall meanwhile ${op.stall.toFixed(0)} ms, p99 ${op.p99.toFixed(0)} ms`);
    }
    const hostStall = Math.max(median(stallMax), sorting.numeric.stall, sorting.text.stall, sorting.filter.stall);
    if (!firstRounds) return;

    const throttled = await benchThrottled(azurite.connectionString, azurite.blobEndpoint, size, azurite.pid);
    console.log(`through a ${THROTTLE_MBPS} MB/s-per-connection proxy (a real network's regime): extension with ${PARALLEL} parallel ${RANGE_MB} MB ranges ${throttled.ranged.toFixed(0)} ms vs the SDK's downloadToBuffer (concurrency ${PARALLEL}, no parsing) ${throttled.sdk.toFixed(0)} ms → ${(throttled.sdk / throttled.ranged).toFixed(2)}×; the extension on one stream ${throttled.single.toFixed(0)} ms`);
    const throttledCeiling = throttled.sdk / shortestWall(throttled.rangedCpu);
    console.log(`  the ranged scan's ${describeCpu(throttled.rangedCpu)} (the proxy's included) → at most ${throttledCeiling.toFixed(2)}× on this machine`);

    const grid = await benchGrid();
    console.log(`grid at 1,000,000 rows (Chromium): first paint ${grid.paint.toFixed(1)} ms, scroll to middle ${grid.scroll.toFixed(1)} ms, ${grid.nodes} DOM nodes, JS heap ${grid.heap.toFixed(1)} MB`);
    const wide = wideRowInRealHost();
    console.log(`in the real host (code-server + Chromium), open → "Loaded": 12,000 rows then a row of 5,000 cells ${wide.wideRow_ms} ms; the same file without that row ${wide.normalRow_ms} ms (goal ≤ 2,000 ms)`);
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    console.log(`RESULT ${JSON.stringify({ firstRows: round(firstRowsRatio), firstRowsCold: round(firstRowsCold), wideRow_ms: wide.wideRow_ms, normalRow_ms: wide.normalRow_ms, scan: round(scanRatio), scanCeiling: round(scanCeiling), paint1M_ms: round(grid.paint, 1), scroll1M_ms: round(grid.scroll, 1), heap1M_MB: round(grid.heap, 1), scanThrottled: round(throttled.sdk / throttled.ranged), scanThrottledCeiling: round(throttledCeiling), hostStallMs: round(hostStall, 0),
      sortNum_ms: round(sorting.numeric.ms, 0), sortText_ms: round(sorting.text.ms, 0), filter_ms: round(sorting.filter.ms, 0) })}`);
  } finally {
    await azurite.stop();
  }
}

/** test/bench/wideRow.ts in its own process: it starts its own servers, code-server and Chromium. */
function wideRowInRealHost(): { wideRow_ms: number; normalRow_ms: number } {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "out", "test", "bench", "wideRow.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 900_000 });
  const line = run.stdout.split("\n").find((l) => l.startsWith("WIDE_ROW "));
  if (run.status !== 0 || !line) throw new Error(`the wide-row bench failed (${run.status}):\n${run.stdout}`);
  return JSON.parse(line.slice("WIDE_ROW ".length)) as { wideRow_ms: number; normalRow_ms: number };
}

const THROTTLE_MBPS = 40;
const PARALLEL = 4;
const RANGE_MB = 4;

/** The same blob through the throttling proxy: ranged reads against the SDK's own parallel download. */
async function benchThrottled(connectionString: string, blobEndpoint: string, size: number, azuritePid: number): Promise<{ ranged: number; single: number; sdk: number; rangedCpu: CpuSpent }> {
  const endpoint = new URL(blobEndpoint);
  const proxy = await startThrottlingProxy(endpoint.hostname, Number(endpoint.port), THROTTLE_MBPS * 1024 * 1024);
  try {
    const proxied = connectionString.replace(blobEndpoint, `http://127.0.0.1:${proxy.port}${endpoint.pathname}`);
    const gateway = createBlobGatewayFromConnectionString(proxied);
    const file = { blobs: gateway, container: CONTAINER, name: BLOB, size, label: "data.csv" };
    const blob = BlobServiceClient.fromConnectionString(proxied).getContainerClient(CONTAINER).getBlockBlobClient(BLOB);
    const rangedCpu: CpuSpent[] = [];
    const scan = async (parallelRanges: number) => {
      const worker = await bootedWorker();
      const clock = cpuClock(azuritePid);
      const t = process.hrtime.bigint();
      const preview = engine(file, worker, { parallelRanges, rangeBytes: RANGE_MB << 20 });
      await preview.done;
      const took = ms(t);
      // The proxy runs in this process: its CPU counts here too (it takes the same two cores as the scan).
      if (parallelRanges === PARALLEL) rangedCpu.push(clock.stop());
      if (preview.progress().state !== "done") throw new Error(preview.progress().message);
      await preview.dispose();
      return took;
    };
    const sdk = async () => {
      const t = process.hrtime.bigint();
      const buffer = await blob.downloadToBuffer(0, undefined, { concurrency: PARALLEL, blockSize: RANGE_MB << 20 });
      if (buffer.length !== size) throw new Error("short SDK download");
      return ms(t);
    };
    const ranged: number[] = [];
    const sdks: number[] = [];
    for (let i = 0; i < 2; i++) {
      sdks.push(await sdk());
      ranged.push(await scan(PARALLEL));
    }
    return { ranged: median(ranged), sdk: median(sdks), single: await scan(1), rangedCpu: medianSpent(rangedCpu) };
  } finally {
    await proxy.close();
  }
}

/**
 * A numeric sort, a text sort and a global filter over the rows held, each the first of its kind (keys
 * made from the stored rows), with the extension host's event loop watched meanwhile.
 */
async function benchSorts(preview: PreviewEngine) {
  const one = async (spec: Parameters<PreviewEngine["setView"]>[0], goal: number) => {
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const result = await preview.setView(spec);
    stalls.disable();
    if (result === SUPERSEDED) throw new Error("superseded");
    return { ms: result.ms, goal, stall: stalls.max / 1e6, p99: stalls.percentile(99) / 1e6 };
  };
  // feature_3 (numbers), the correlation id (text, 10,000 distinct values), and a global filter.
  const numeric = await one({ sort: { column: 2, direction: "asc" }, filters: {} }, 120);
  const text = await one({ sort: { column: 20, direction: "desc" }, filters: {} }, 350);
  const filter = await one({ filters: {}, global: "3F2B1C4D-0042-" }, 160);
  return { numeric, text, filter };
}

/**
 * What the scan costs before any parsing: the same download, the extension's own splitter and row store,
 * the first `cap` rows held. Returns the number of data rows.
 */
async function downloadAndHold(blob: BlockBlobClient, cap: number): Promise<number> {
  const response = await blob.download(0);
  const store = new RowStore();
  const layout = { mapping: [] };
  let rows = 0;
  const splitter = new QuoteFreeCsvSplitter({
    row: (bytes, start, end) => {
      rows += 1;
      if (store.length < cap) store.pushBytes(bytes, start, end, layout);
    },
  });
  for await (const chunk of response.readableStreamBody ?? []) {
    const bytes = chunk as Buffer;
    if (splitter.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))) throw new Error("the bench file must be quote-free");
  }
  splitter.end();
  return rows - 1;
}

async function benchGrid(): Promise<{ paint: number; scroll: number; nodes: number; heap: number }> {
  const outDir = join(REPO_ROOT, "out", "bench-page");
  await esbuild.build({ entryPoints: [join(REPO_ROOT, "test", "bench", "gridPage.ts")], bundle: true, outfile: join(outDir, "page.js"), platform: "browser", format: "iife",
    define: { "process.env.NODE_ENV": '"production"' }, logLevel: "warning" });
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/grid.css"></head><body><div id="app" data-title="bench"></div><script src="/page.js"></script></body></html>`;
  const server = createServer(async (req, res) => {
    if (req.url === "/page.js") res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(join(outDir, "page.js")));
    else if (req.url === "/grid.css") res.writeHead(200, { "content-type": "text/css" }).end(await readFile(join(REPO_ROOT, "media", "grid.css")));
    else res.writeHead(200, { "content-type": "text/html" }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const browser = await launchChromium();
  try {
    const paints: number[] = [];
    const scrolls: number[] = [];
    let nodes = 0;
    let heap = 0;
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      if (process.env.BENCH_VERBOSE) page.on("console", (m) => console.log(`[page] ${m.text()}`));
      await page.goto(`http://127.0.0.1:${port}/${process.env.BENCH_VERBOSE ? "?trace" : ""}`);
      await page.waitForFunction(() => "bench" in window);
      paints.push(await page.evaluate(() => window.bench.load(1_000_000)));
      scrolls.push(await page.evaluate(() => window.bench.scrollToMiddle()));
      nodes = await page.evaluate(() => window.bench.domNodes());
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("HeapProfiler.collectGarbage");
      await cdp.send("Performance.enable");
      const metrics = (await cdp.send("Performance.getMetrics")) as { metrics: Array<{ name: string; value: number }> };
      heap = (metrics.metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 1048576;
      await page.close();
    }
    return { paint: median(paints), scroll: median(scrolls), nodes, heap };
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
