// npm run bench:sql — SQL over the drift bench's 2 × 7 days of legacy data.csv (about 420 MB) in Azurite:
// the first query on a cold cache (download into the cache, views defined, the query answered) against the
// preview's full scan of the same blobs in the same run (coldVsScan, goal ≤ 1.0×); a GROUP BY over the
// cached window (warm_ms, goal ≤ 1.5 s here); a peer in the same run: pandas read_csv + groupby of the same
// files from local disk (peerRatio: warm over pandas); the host's longest event-loop stall (goal ≤ 50 ms);
// and the cache's size against the blobs'.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { CONTAINER, DAYS, blobName, dayCsv, driftDaysStorage } from "./driftDays";
import { watchHost } from "./hostWatch";
import { REPO_ROOT } from "../host/codeServer";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { fullScan } from "./fullScan";
import type { PreviewFile } from "../../src/reading/previewFile";
import { BlobCache, type CacheBlob } from "../../src/sql/blobCache";
import { SqlEngine } from "../../src/sql/sqlEngine";
import { csvViewSql, filesTableSql, type WindowFile } from "../../src/core/sql/windowViews";
import { peerPython } from "./driftPeer";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const FIRST = "SELECT count(*) AS n, avg(feature_1) AS mean_1 FROM inputs";
const GROUP_BY = "SELECT feature_17, date, count(*) AS n, avg(feature_3) AS mean_3, stddev(feature_6) AS sd_6 FROM inputs GROUP BY ALL ORDER BY ALL";

async function main(): Promise<void> {
  const { azurite, container } = await driftDaysStorage(DAYS.length);
  try {
    const gateway = createBlobGatewayFromConnectionString(azurite.connectionString);
    const blobs: CacheBlob[] = [];
    const files: PreviewFile[] = [];
    for (const date of DAYS) {
      const properties = await container.getBlockBlobClient(blobName(date)).getProperties();
      blobs.push({ blobs: gateway, container: CONTAINER, name: blobName(date), size: properties.contentLength ?? 0, etag: properties.etag, format: "csv" });
      files.push({ blobs: gateway, container: CONTAINER, name: blobName(date), size: properties.contentLength ?? 0, label: date });
    }
    const total = blobs.reduce((s, b) => s + b.size, 0);
    console.log(`[bench] ${DAYS.length} days, ${(total / 1048576).toFixed(0)} MB, ${RUNS} alternating runs, medians\n`);
    const local = join(REPO_ROOT, ".cache", "bench-azurite", "drift-peer");
    mkdirSync(local, { recursive: true });
    const localFiles = DAYS.map((date) => join(local, `${date}.csv`));
    for (const [i, path] of localFiles.entries()) if (!existsSync(path)) writeFileSync(path, dayCsv(i));
    const peer = peerPython();

    const scans: number[] = [];
    const colds: number[] = [];
    const warms: number[] = [];
    const stalls: number[] = [];
    const peers: number[] = [];
    let cacheBytes = 0;
    let answer: unknown[][] = [];
    for (let run = 0; run < RUNS; run++) {
      scans.push(await fullScan(files, "csv"));

      global.gc?.();
      const root = mkdtempSync(join(tmpdir(), "bench-sql-"));
      const watch = watchHost();
      let t = performance.now();
      const cache = new BlobCache({ root, limitBytes: () => 2e9, parallelRanges: 4, rangeBytes: 8 << 20 });
      const engine = new SqlEngine({ bundleDir: join(REPO_ROOT, "out"), root, threads: 2, memoryLimit: "400MB" });
      const ensured = await cache.ensure(blobs, new AbortController().signal, () => undefined);
      const windowFiles: WindowFile[] = blobs.map((b, i) => {
        const cached = ensured.files.get(b);
        if (!cached) throw new Error(`${b.name} was not cached`);
        return { path: cached.path, format: "csv", source: `${DAYS[i]}/data.csv`, date: DAYS[i], columns: cached.meta.columns, hasHeader: cached.meta.hasHeader };
      });
      const session = await engine.session();
      await engine.define(session, [filesTableSql([{ name: "inputs", files: windowFiles }]), csvViewSql("inputs", windowFiles)]);
      const first = await engine.query(session, FIRST, { kind: "rows", limit: 10 });
      colds.push(performance.now() - t);
      if (Number(first.rows[0][0]) < 1_000_000) throw new Error(`only ${first.rows[0][0]} rows`);
      t = performance.now();
      const grouped = await engine.query(session, GROUP_BY, { kind: "rows", limit: 100_000 });
      warms.push(performance.now() - t);
      stalls.push(watch.stop().stallMs);
      answer = grouped.rows;
      cacheBytes = (await cache.usage()).bytes;
      engine.dispose();
      rmSync(root, { recursive: true, force: true });

      if (peer.ok) {
        const script = join(local, "peer-sql.py");
        writeFileSync(script, `import pandas as pd, time, json
t = time.perf_counter()
frames = []
for date, path in ${JSON.stringify(DAYS.map((d, i) => [d, localFiles[i]]))}:
    f = pd.read_csv(path)
    f["date"] = date
    frames.append(f)
df = pd.concat(frames, ignore_index=True)
g = df.groupby(["feature_17", "date"]).agg(n=("feature_3", "size"), mean_3=("feature_3", "mean"), sd_6=("feature_6", "std")).reset_index().sort_values(["feature_17", "date"])
print(json.dumps({"seconds": time.perf_counter() - t, "groups": len(g)}))
`);
        const result = spawnSync("/usr/bin/python3", [script], { encoding: "utf8", maxBuffer: 1 << 20 });
        if (result.status !== 0) throw new Error(`the pandas peer failed: ${result.stderr}`);
        const measured = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
        if (measured.groups !== answer.length) console.log(`note: pandas found ${measured.groups} groups, DuckDB ${answer.length}`);
        peers.push(measured.seconds * 1000);
      }
    }
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    const coldVsScan = median(colds) / median(scans);
    console.log(`first query on a cold cache (download ${(total / 1048576).toFixed(0)} MB, define, answer): ${median(colds).toFixed(0)} ms vs the preview's full scan of the same blobs ${median(scans).toFixed(0)} ms → ${coldVsScan.toFixed(2)}× (goal ≤ 1.0×)`);
    console.log(`GROUP BY over the cached window (${answer.length} groups): ${median(warms).toFixed(0)} ms (goal ≤ 1,500 ms)`);
    const peerRatio = peer.ok ? median(warms) / median(peers) : undefined;
    if (peer.ok) console.log(`pandas read_csv + groupby of the same files from local disk: ${median(peers).toFixed(0)} ms → ours ${peerRatio!.toFixed(2)}× theirs`);
    else console.log(`peer skipped: ${peer.why}`);
    console.log(`extension host's longest event-loop stall during download and queries: ${median(stalls).toFixed(0)} ms (goal ≤ 50 ms)`);
    console.log(`cache: ${(cacheBytes / 1048576).toFixed(0)} MB for ${(total / 1048576).toFixed(0)} MB of blobs (${(cacheBytes / total).toFixed(2)}×)`);
    console.log(`RESULT ${JSON.stringify({ coldVsScan: round(coldVsScan), warm_ms: Math.round(median(warms)), ...(peerRatio !== undefined ? { peerRatio: round(peerRatio) } : {}), hostStallMs: Math.round(median(stalls)), cacheVsBlobs: round(cacheBytes / total) })}`);
  } finally {
    await azurite.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
