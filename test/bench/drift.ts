// npm run bench:drift — two windows of 7 days each of legacy data.csv (about 30 MB a day, 20 features) in
// Azurite: the drift compare's time against the preview's full scan of the same blobs in the same run (goal
// ≤ 1.25×), the process's peak extra memory during the compare (goal ≤ 400 MB), and the extension host's
// longest event-loop stall during it (goal ≤ 50 ms); and a peer in the same run: pandas + SciPy on the same
// days from local disk (peerRatio: ours over theirs, goal ≤ 0.4×); and how cost grows: windows of 1, 7 and 28
// days each, time per MB and peak MB for each (scaling: time linear in bytes, memory flat past the sketches).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { ALL_DAYS, CONTAINER, DAYS, blobName, dayCsv, driftDaysStorage } from "./driftDays";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { watchHost } from "./hostWatch";
import { REPO_ROOT } from "../host/codeServer";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { fullScan } from "./fullScan";
import { runCompare } from "../../src/engine/compareClient";
import type { PreviewFile } from "../../src/reading/previewFile";
import { peerPython, runPeer } from "./driftPeer";
import { downloads } from "./benchDownloads";
import { cpuClock, describeCpu, medianSpent, shortestWall, type CpuSpent } from "./cpuClock";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCALING_WINDOWS = [1, 7, 28];
const WORKER = join(REPO_ROOT, "out", "previewWorker.js");
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const { azurite, container } = await driftDaysStorage(ALL_DAYS.length);
  try {
    // The peer reads the same days from local disk, as a data scientist with a copy would.
    const local = join(REPO_ROOT, ".cache", "bench-azurite", "drift-peer");
    mkdirSync(local, { recursive: true });
    const localFiles = DAYS.map((date) => join(local, `${date}.csv`));
    for (const [i, path] of localFiles.entries()) if (!existsSync(path)) writeFileSync(path, dayCsv(i));
    const gateway = createBlobGatewayFromConnectionString(azurite.connectionString);
    const allFiles: PreviewFile[] = [];
    for (const date of ALL_DAYS) {
      const size = (await container.getBlockBlobClient(blobName(date)).getProperties()).contentLength ?? 0;
      allFiles.push({ blobs: gateway, container: CONTAINER, name: blobName(date), size, label: date });
    }
    const files = allFiles.slice(0, DAYS.length);
    const total = files.reduce((s, f) => s + f.size, 0);
    console.log(`[bench] ${DAYS.length} days, ${(total / 1048576).toFixed(0)} MB, ${RUNS} alternating runs, medians\n`);
    const scans: number[] = [];
    const compares: number[] = [];
    const peaks: number[] = [];
    const stalls: number[] = [];
    let drifted: string[] = [];
    const peer = peerPython();
    const peers: number[] = [];
    const compareCpu: CpuSpent[] = [];
    let peerDrifted: string[] = [];
    // BENCH_ONLY_SCALING=1 (while working on how cost grows): the scaling runs only.
    const mainRuns = process.env.BENCH_ONLY_SCALING ? 0 : RUNS;
    for (let run = 0; run < mainRuns; run++) {
      scans.push(await fullScan(files, "csv"));
      const watch = watchHost();
      const clock = cpuClock(azurite.pid);
      const t = performance.now();
      const result = await runCompare({ worker: new Worker(WORKER), downloads, reference: { label: "week 1", files: files.slice(0, 7), format: "csv" },
        production: { label: "week 2", files: files.slice(7), format: "csv", buckets: DAYS.slice(7) }, maxColumns: 2000, parallelRanges: 4, rangeBytes: 4 << 20 });
      compares.push(performance.now() - t);
      compareCpu.push(clock.stop());
      const watched = watch.stop();
      peaks.push(watched.peakBytes / 1048576);
      stalls.push(watched.stallMs);
      drifted = result.drifted;
      if (result.production.rows === 0 || result.reference.rows === 0) throw new Error("empty windows");
      if (peer.ok) {
        global.gc?.();
        const features = Array.from({ length: 20 }, (_, i) => `feature_${i + 1}`);
        const measured = runPeer(local, localFiles.slice(0, 7), localFiles.slice(7), features.slice(0, 16), features.slice(16));
        peers.push(measured.seconds * 1000);
        peerDrifted = measured.drifted;
      }
    }
    const ratio = median(compares) / median(scans);
    if (mainRuns) console.log(`drift compare of 2 × 7 days: ${median(compares).toFixed(0)} ms vs the preview's full scan of the same blobs ${median(scans).toFixed(0)} ms → ${ratio.toFixed(2)}× (goal ≤ 1.25×); drifted: ${[...drifted].sort().join(", ")}`);
    if (mainRuns) console.log(`peak extra memory during the compare (RSS of the process: host and engine thread): ${median(peaks).toFixed(0)} MB (goal ≤ 400 MB)`);
    if (mainRuns) console.log(`extension host's longest event-loop stall during the compare: ${median(stalls).toFixed(0)} ms (goal ≤ 50 ms)`);
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    // How cost grows with the window: each length compared RUNS times, alternating, each in a fresh process.
    const scaling = new Map(SCALING_WINDOWS.map((days) => [days, { ms: [] as number[], peak: [] as number[], mb: allFiles.slice(0, 2 * days).reduce((s, f) => s + f.size, 0) / 1048576 }]));
    for (let run = 0; run < RUNS; run++) {
      for (const days of SCALING_WINDOWS) {
        const child = spawnSync(process.execPath, ["--expose-gc", join(REPO_ROOT, "out", "test", "bench", "driftScaling.js"), azurite.connectionString, String(days)], { encoding: "utf8" });
        if (child.status !== 0) throw new Error(`the ${days}-day compare failed: ${child.stderr}`);
        const measured = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { ms: number; peakMB: number };
        const entry = scaling.get(days)!;
        entry.ms.push(measured.ms);
        entry.peak.push(measured.peakMB);
      }
    }
    const scalingResult = Object.fromEntries([...scaling].map(([days, e]) => [`${days}d`, { mb: Math.round(e.mb), msPerMB: Math.round((median(e.ms) / e.mb) * 10) / 10, peakMB: Math.round(median(e.peak)) }]));
    for (const [days, e] of scaling) console.log(`scaling: 2 × ${days} day(s), ${e.mb.toFixed(0)} MB: ${median(e.ms).toFixed(0)} ms (${(median(e.ms) / e.mb).toFixed(1)} ms/MB), peak ${median(e.peak).toFixed(0)} MB`);
    const peerRatio = peer.ok && mainRuns ? median(compares) / median(peers) : undefined;
    const compareSpent = medianSpent(compareCpu);
    const peerFloor = peer.ok && mainRuns ? shortestWall(compareSpent) / median(peers) : undefined;
    if (peerRatio !== undefined) {
      console.log(`pandas + SciPy on the same 14 days from local disk: ${median(peers).toFixed(0)} ms (drifted: ${peerDrifted.join(", ")}) → ours ${peerRatio!.toFixed(2)}× theirs (goal ≤ 0.4×; ours reads from storage)`);
      // However well its threads overlap, the compare cannot take less than its CPU over the cores.
      console.log(`  the compare's ${describeCpu(compareSpent)} → ours at least ${peerFloor!.toFixed(2)}× theirs on this machine`);
      if ([...drifted].sort().join() !== peerDrifted.join()) console.log("note: the peer and the compare disagree on which features drifted");
    } else if (!peer.ok) console.log(`peer skipped: ${peer.why}`);
    console.log(`RESULT ${JSON.stringify({ driftVsScan: round(ratio), peakMB: round(median(peaks), 0), hostStallMs: round(median(stalls), 0), ...(peerRatio !== undefined ? { peerRatio: round(peerRatio), peerFloor: round(peerFloor!) } : {}), scaling: scalingResult })}`);
  } finally {
    await azurite.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
