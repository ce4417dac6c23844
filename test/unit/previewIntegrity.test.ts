// The preview must never show wrong data. A conformance and bad-input corpus (csv-spectrum's cases and the
// files collectors, pandas and people leave in storage) goes through the real PreviewLoader — first range,
// stream, byte path and quoted path — with the first range and the download cut at several sizes; the
// rows, the column names, the statistics and the notices must be what the file holds.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { PreviewLoader, OVERFLOW_COLUMN } from "../../src/reading/loader";
import type { PreviewFile } from "../../src/reading/previewFile";
import { StatsAccumulator } from "../../src/core/table/stats";
import { LocalStatistics } from "../../src/reading/loaderStatistics";
import { startStatistics, ThreadStatistics } from "../../src/engine/statsThread";
import type { BlobGateway } from "../../src/core/gateways";
import type { Progress } from "../../src/protocol";

/** Storage in memory: ranged reads and a download stream cut into chunks of `chunk` bytes. */
function memoryBlobs(files: Record<string, Buffer>, chunk: number): BlobGateway {
  return {
    accountName: "memory",
    readRange: async (_c: string, name: string, offset: number, count: number) => files[name].subarray(offset, offset + count),
    openStream: async (_c: string, name: string, offset: number) => {
      const bytes = files[name].subarray(offset);
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) parts.push(Buffer.from(bytes.subarray(i, i + chunk)));
      return { stream: Readable.from(parts), contentLength: bytes.length };
    },
  } as unknown as BlobGateway;
}

interface Loaded { columns: string[]; rows: string[][]; progress: Progress; loader: PreviewLoader }

/** The engine's statistics thread, as the preview's engine thread starts it (out/statsWorker.js). */
const STATS_WORKER = join(__dirname, "..", "..", "statsWorker.js");
assert.ok(existsSync(STATS_WORKER), `${STATS_WORKER} is built (node build.mjs --tests)`);

/** Statistics counted on their own thread, as the preview's engine counts a CSV's, unless `local`. */
async function load(content: Buffer | string, options: { chunk?: number; firstRange?: number; format?: "csv" | "jsonl"; maxColumns?: number; encoding?: "latin1"; files?: Record<string, Buffer | string>; maxHeldBytes?: number; local?: boolean; batchBytes?: number } = {}): Promise<Loaded> {
  const given = options.files ?? { "data.csv": content };
  const buffers = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === "string" ? Buffer.from(v, "utf8") : v]));
  const blobs = memoryBlobs(buffers, options.chunk ?? 64 * 1024);
  const files: PreviewFile[] = Object.keys(buffers).map((name) => ({ blobs, container: "c", name, size: buffers[name].length, label: name }));
  const loader = new PreviewLoader(files, options.format ?? "csv", { cap: 1_000_000, maxColumns: options.maxColumns ?? 2000, encoding: options.encoding, firstRangeBytes: options.firstRange, maxHeldBytes: options.maxHeldBytes,
    countStatistics: () => (options.local ? new LocalStatistics() : startStatistics(STATS_WORKER, options.batchBytes)) },
    { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined });
  await loader.run();
  return { columns: loader.columnInfo().map((c) => c.name), rows: [...loader.table.rowsInView()], progress: loader.progress(), loader };
}

/** Every way a file reaches the parser: first range whole or cut, downloads in small and large chunks. */
const CUTS = [
  { firstRange: 1 << 20, chunk: 1 << 20 }, { firstRange: 7, chunk: 3 }, { firstRange: 64, chunk: 5 },
  { firstRange: 1000, chunk: 64 }, { firstRange: 3, chunk: 1 },
];

async function expectEverywhere(name: string, content: Buffer | string, expected: { columns: string[]; rows: string[][] }, extra: { maxColumns?: number; minFirstRange?: number } = {}): Promise<void> {
  for (const cut of CUTS.filter((c) => c.firstRange >= (extra.minFirstRange ?? 0))) {
    const got = await load(content, { ...cut, maxColumns: extra.maxColumns });
    assert.equal(got.progress.state, "done", `${name} ${JSON.stringify(cut)}: ${got.progress.message}`);
    assert.deepEqual({ columns: got.columns, rows: got.rows }, expected, `${name}, first range ${cut.firstRange} B, chunks of ${cut.chunk} B`);
  }
}

const SPECTRUM = join(dirname(require.resolve("csv-spectrum/package.json")), "csvs");

describe("csv-spectrum through every parsing path", () => {
  // location_coordinates' expected JSON does not match its own CSV (another phone number, an object, not a list).
  const names = readdirSync(SPECTRUM).map((f) => f.replace(/\.csv$/, "")).filter((n) => n !== "location_coordinates");
  assert.ok(names.length >= 10);
  for (const name of names) {
    it(name, async () => {
      const csv = readFileSync(join(SPECTRUM, `${name}.csv`));
      const records = JSON.parse(readFileSync(join(SPECTRUM, "..", "json", `${name}.json`), "utf8")) as Array<Record<string, string>>;
      const columns = Object.keys(records[0]);
      await expectEverywhere(name, csv, { columns, rows: records.map((r) => columns.map((c) => r[c])) });
    });
  }
});

interface CorpusCase {
  file: string;
  columns?: string[];
  rows?: string[][];
  refused?: string;
  notices?: string[];
  latin1Rows?: string[][];
  minFirstRange?: number;
  maxColumns?: number;
  columnCount?: number;
  rowCount?: number;
  spot?: Array<[number, number, string]>;
}

const CORPUS = join(__dirname, "..", "..", "..", "test", "fixtures", "integrity");
const corpus = (JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8")) as { cases: CorpusCase[] }).cases;

/** Statistics as the string path computes them over the expected rows: every parsing path must agree. */
function referenceStats(columns: string[], rows: string[][]) {
  const stats = new StatsAccumulator(columns);
  for (const row of rows) stats.add(row);
  return stats.snapshot();
}

describe("the integrity corpus (test/fixtures/integrity) through every parsing path", () => {
  assert.ok(corpus.length >= 17, `${corpus.length} cases`);
  for (const c of corpus) {
    it(c.file, async () => {
      const bytes = readFileSync(join(CORPUS, c.file));
      for (const cut of CUTS.filter((k) => k.firstRange >= (c.minFirstRange ?? 0))) {
        const where = `${c.file}, first range ${cut.firstRange} B, chunks of ${cut.chunk} B`;
        const got = await load(bytes, { ...cut, maxColumns: c.maxColumns, files: { [c.file]: bytes } });
        if (c.refused) {
          assert.equal(got.progress.state, "error", where);
          assert.match(got.progress.message ?? "", new RegExp(`holds (binary data \\(a )?${c.refused.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*cannot be previewed\\. Use Save Raw File… or Download… to inspect it\\.`), where);
          assert.equal(got.rows.length, 0, where);
          continue;
        }
        assert.equal(got.progress.state, "done", `${where}: ${got.progress.message}`);
        if (c.columns) assert.deepEqual(got.columns, c.columns, where);
        if (c.rows) {
          assert.deepEqual(got.rows, c.rows, where);
          assert.deepEqual(await got.loader.stats.snapshot(), referenceStats(c.columns ?? got.columns, c.rows), `statistics, ${where}`);
        }
        if (c.columnCount !== undefined) assert.equal(got.columns.length, c.columnCount, where);
        if (c.rowCount !== undefined) assert.equal(got.rows.length, c.rowCount, where);
        for (const [row, column, text] of c.spot ?? []) assert.ok(got.rows[row]?.[column] === text, `row ${row} column ${column}, ${where}: ${String(got.rows[row]?.[column]).slice(0, 60)}`);
        for (const id of c.notices ?? []) assert.ok(got.progress.notices.some((n) => n.id === id), `notice ${id}, ${where}: ${JSON.stringify(got.progress.notices)}`);
      }
      if (c.latin1Rows) assert.deepEqual((await load(bytes, { encoding: "latin1", files: { [c.file]: bytes } })).rows, c.latin1Rows);
    });
  }
});

describe("what the preview says about bad input", () => {
  it("a small quote-free file without a final newline: the real last row, and statistics that match it", async () => {
    const got = await load("x,y\n10,20\n30,40\n50,60");
    assert.deepEqual(got.rows[2], ["50", "60"]);
    assert.equal(((await got.loader.stats.snapshot())[1] as { max?: number }).max, 60);
  });

  it("text that is not UTF-8 says where, and offers Latin-1", async () => {
    const got = await load(Buffer.from("name,city\nJosé,Zürich\nRenée,Besançon\n", "latin1"));
    const notice = got.progress.notices.find((n) => n.id === "invalidUtf8");
    assert.match(notice?.text ?? "", /not valid UTF-8 \(first at byte 13\)/);
    assert.equal(notice?.action?.kind, "reopenLatin1");
    assert.equal((await load(Buffer.from("a\nJosé\n", "latin1"), { encoding: "latin1" })).progress.notices.some((n) => n.id === "invalidUtf8"), false);
  });

  it("bytes that are not UTF-8 past the first range are said too, on the byte path and the quoted path", async () => {
    const ascii = Array.from({ length: 2000 }, (_, i) => `${i},plain`).join("\n");
    for (const [name, later] of [["quote-free", "2000,Zürich"], ["quoted", '2000,"Zürich, CH"']] as const) {
      const bytes = Buffer.concat([Buffer.from(`id,city\n${ascii}\n`), Buffer.from(`${later}\n`, "latin1")]);
      const got = await load(bytes, { firstRange: 1000, chunk: 4096 });
      assert.match(got.progress.notices.find((n) => n.id === "invalidUtf8")?.text ?? "", /not valid UTF-8 further into the file/, name);
      const clean = await load(Buffer.concat([Buffer.from(`id,city\n${ascii}\n`), Buffer.from(`${later}\n`, "utf8")]), { firstRange: 1000, chunk: 4096 });
      assert.equal(clean.progress.notices.some((n) => n.id === "invalidUtf8"), false, `${name}: valid UTF-8 says nothing`);
    }
  });

  it("an unclosed quote: which record, about which byte, how much was not read", async () => {
    const lines = ["id,text"];
    for (let i = 0; i < 4000; i++) lines.push(i === 2000 ? `${i},"never closed,y` : `${i},t${i}`);
    const text = `${lines.join("\n")}\n`;
    for (const cut of CUTS.slice(0, 3)) {
      const got = await load(text, cut);
      const notice = got.progress.notices.find((n) => n.id.startsWith("unclosedQuote"));
      assert.match(notice?.text ?? "", /record 2,002 \(which starts at about byte 19,788\) never closes\. The 2,001 record\(s\) before it are shown; the remaining ~[\d,]+ bytes could not be read as rows\./);
      assert.equal(notice?.action?.kind, "showRawAround");
      assert.equal(got.loader.brokenPlace?.byte, Buffer.byteLength(lines.slice(0, 2001).join("\n")) + 1);
    }
  });

  it("a large gzip file streams whole", async () => {
    const big = `a,b\n${Array.from({ length: 50_000 }, (_, i) => `${i},${i % 7}`).join("\n")}\n`;
    const gz = await load(gzipSync(big), { firstRange: 4096, chunk: 999 });
    assert.equal(gz.rows.length, 50_000);
    assert.deepEqual(gz.rows[49_999], ["49999", String(49_999 % 7)]);
  });

  it("a huge single line is not taken as a header: it is data, folded past the column cap, and said", async () => {
    const cells = 300_000;
    const line = Array.from({ length: cells }, (_, i) => String(i % 1000)).join(",");
    const got = await load(line, { firstRange: 1 << 20, chunk: 1 << 16, maxColumns: 100 });
    assert.equal(got.columns.length, 100);
    assert.equal(got.columns[99], OVERFLOW_COLUMN);
    assert.equal(got.rows.length, 1);
    assert.deepEqual(got.rows[0].slice(0, 3), ["0", "1", "2"]);
    assert.equal(got.rows[0][99], Array.from({ length: cells - 99 }, (_, i) => String((i + 99) % 1000)).join(","), "nothing lost: the rest of the row is in the overflow column");
    assert.ok(got.progress.notices.some((n) => n.id === "longFirstLine"));
    assert.match(got.progress.notices.find((n) => n.id === "wideRows")?.text ?? "", /1 row\(s\) have more cells than the 100-column limit \(the widest: 300,000\)/);
  });

  it("the rows held for the grid stay within the memory budget, whatever the cells; statistics still cover every row", async () => {
    const huge = "x".repeat(100_000);
    const text = `id,blob\n${Array.from({ length: 200 }, (_, i) => `${i},${huge}`).join("\n")}\n`;
    // 20 MB: cut as real downloads are (tiny chunks are the other tests' job).
    for (const cut of [{ firstRange: 1 << 20, chunk: 1 << 20 }, { firstRange: 1000, chunk: 4096 }, { firstRange: 64 << 10, chunk: 64 << 10 }]) {
      const got = await load(text, { ...cut, maxHeldBytes: 2 * 1024 * 1024 });
      assert.equal(got.progress.rowsLoaded, 200, JSON.stringify(cut));
      assert.ok(got.rows.length >= 5 && got.rows.length <= 21, `${got.rows.length} rows held in 2 MB (${JSON.stringify(cut)})`);
      assert.match(got.progress.notices.find((n) => n.id === "memory")?.text ?? "", /fill the preview's 2 MB \(setting modelData\.preview\.maxMemoryMB\)/);
      assert.equal(((await got.loader.stats.snapshot())[0] as { count: number }).count, 200);
    }
  });

  it("a date's non-data files are never stitched in (the tree only hands over the collector's files)", async () => {
    // The stitched preview of two real files: rows in file order, the source column says which.
    const got = await load("", { files: { "a.csv": "x,y\n1,2\n", "b.csv": "x,y\n3,4\n" } });
    assert.deepEqual(got.rows, [["a.csv", "1", "2"], ["b.csv", "3", "4"]]);
  });
});

describe("statistics counted on their own thread", () => {
  const many = Array.from({ length: 120_000 }, (_, i) => `${i % 997},${(i * 7919) % 100 / 10},id-${i},${i % 3 ? "true" : "NaN"},2026-11-20T15:54:16`).join("\n");
  const cases: Array<[string, Record<string, string | Buffer>, { maxColumns?: number }?]> = [
    ["rows wider than the header, the mapping growing twice", { "data.csv": `a,b\n1,2\n3,4,5\n6\n7,8,9,10,x\n${Array.from({ length: 3000 }, (_, i) => `${i},${i % 5},,${i % 2}`).join("\n")}\n` }],
    ["rows past the column cap, folded", { "data.csv": `a,b,c\n${Array.from({ length: 2000 }, (_, i) => Array.from({ length: 3 + (i % 9) }, (_, k) => `${i * k}`).join(",")).join("\n")}\n` }, { maxColumns: 5 }],
    ["two files stitched with a source column, different headers", { "a.csv": `x,y\n${Array.from({ length: 3000 }, (_, i) => `${i},${i % 4}`).join("\n")}\n`, "b.csv": `y,z\n${Array.from({ length: 3000 }, (_, i) => `q${i % 40},${i / 8}`).join("\n")}\n` }],
    ["a quote further in: the rest as text rows", { "data.csv": `id,text\n${Array.from({ length: 5000 }, (_, i) => (i === 4000 ? `${i},"a, b"` : `${i},t${i % 30}`)).join("\n")}\n` }],
    ["bytes that are not UTF-8 further in", { "data.csv": Buffer.concat([Buffer.from(`id,city\n${Array.from({ length: 4000 }, (_, i) => `${i},plain`).join("\n")}\n`), Buffer.from("4000,Zürich\n4001,Genève\n", "latin1")]) }],
    ["more rows and bytes than one batch holds, blank lines between", { "data.csv": `n,v,id,flag,at\n${many.replace(/\n(1\d\d),/g, "\n\n\n$1,")}\n` }],
    // Past the first 50 rows (which come as text), so the long row takes the byte path.
    ["a row longer than a batch's buffer", { "data.csv": `a,b\n${Array.from({ length: 100 }, (_, i) => `${i},${i % 3}`).join("\n")}\n${"7".repeat(3 << 20)},x\n3,4\n` }],
  ];
  for (const [name, files, extra] of cases) {
    it(`${name}: as counted on the loader's thread`, async () => {
      for (const cut of [{ firstRange: 1000, chunk: 4096 }, { firstRange: 1 << 16, chunk: 1 << 16 }, { firstRange: 64, chunk: 997 }]) {
        const where = `${name}, ${JSON.stringify(cut)}`;
        const local = await load("", { ...cut, ...extra, files, local: true });
        // Batches of 4 KB: the thread starts early, and rows, steps and layouts cross between many batches.
        const thread = await load("", { ...cut, ...extra, files, batchBytes: 4096 });
        assert.equal(thread.progress.state, "done", `${where}: ${thread.progress.message}`);
        assert.ok(thread.loader.stats instanceof ThreadStatistics && thread.loader.stats.threaded, `${where}: counted on the statistics thread`);
        assert.deepEqual(thread.progress, local.progress, where);
        assert.deepEqual(await thread.loader.stats.snapshot(), await local.loader.stats.snapshot(), where);
        assert.deepEqual(thread.rows, local.rows, where);
      }
    });
  }
});

/** A two-column CSV of `rows` rows loaded with a stand-in statistics thread (`source`: its script), 4 KB batches. */
async function loadWithStatsThread(source: string, rows: number, chunk: number): Promise<PreviewLoader> {
  const script = join(mkdtempSync(join(tmpdir(), "stats-thread-")), "statsWorker.js");
  writeFileSync(script, source);
  const text = `a,b\n${Array.from({ length: rows }, (_, i) => `${i},${i % 7}`).join("\n")}\n`;
  const blobs = memoryBlobs({ "data.csv": Buffer.from(text) }, chunk);
  const loader = new PreviewLoader([{ blobs, container: "c", name: "data.csv", size: Buffer.byteLength(text), label: "data.csv" }], "csv",
    { cap: 1_000_000, maxColumns: 100, firstRangeBytes: 1000, countStatistics: () => startStatistics(script, 4096) },
    { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined });
  await loader.run();
  return loader;
}

describe("a statistics thread that fails", () => {
  it("ends the preview with what happened, the rows read so far still shown", async () => {
    const loader = await loadWithStatsThread("throw new Error('the statistics thread could not load');\n", 20_000, 4096);
    const progress = loader.progress();
    assert.equal(progress.state, "error");
    assert.match(progress.message ?? "", /^The preview's statistics thread stopped \(the statistics thread could not load\)\.$/);
    assert.ok(loader.table.totalRows > 0, "the rows read before it are still held");
    await assert.rejects(loader.stats.snapshot(), /statistics thread stopped/);
  });
});

describe("a statistics thread that falls behind", () => {
  it("holds the reading back: never more than three batches (and one chunk's) on their way", async () => {
    // A stand-in statistics thread that takes 20 ms a batch and says, when asked, how many batches it held
    // at most before answering them (its answer: one column whose count is that number).
    const loader = await loadWithStatsThread(`
      const { parentPort } = require("node:worker_threads");
      let held = 0, most = 0, batches = 0, chain = Promise.resolve();
      parentPort.on("message", (m) => {
        if (m.kind === "batch") {
          held += 1; batches += 1; most = Math.max(most, held);
          chain = chain.then(() => new Promise((r) => setTimeout(r, 20))).then(() => {
            held -= 1;
            parentPort.postMessage({ kind: "counted", bytes: m.bytes, bounds: m.bounds }, [m.bytes.buffer, m.bounds.buffer]);
          });
        } else chain = chain.then(() => parentPort.postMessage(m.kind === "snapshot"
          ? { kind: "snapshot", id: m.id, stats: [{ name: "most", count: most }, { name: "batches", count: batches }] }
          : { kind: "replacements", id: m.id, count: 0 }));
      });
    `, 40_000, 8192);
    assert.equal(loader.progress().state, "done", loader.progress().message);
    const [most, batches] = (await loader.stats.snapshot()) as unknown as Array<{ count: number }>;
    assert.ok(batches.count >= 50, `${batches.count} batches of 4 KB`);
    // Three in flight, plus what one 8 KB chunk fills (two batches) before the reading checks again.
    assert.ok(most.count <= 5, `the thread held ${most.count} batches at once`);
  });
});

