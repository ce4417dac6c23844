// The preview must never show wrong data. A conformance and bad-input corpus (csv-spectrum's cases and the
// files collectors, pandas and people leave in storage) goes through the real PreviewLoader — first range,
// stream, byte path and quoted path — with the first range and the download cut at several sizes; the
// rows, the column names, the statistics and the notices must be what the file holds.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { PreviewLoader, OVERFLOW_COLUMN, type PreviewFile } from "../../src/preview/loader";
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

async function load(content: Buffer | string, options: { chunk?: number; firstRange?: number; format?: "csv" | "jsonl"; maxColumns?: number; encoding?: "latin1"; files?: Record<string, Buffer | string>; maxHeldBytes?: number } = {}): Promise<Loaded> {
  const given = options.files ?? { "data.csv": content };
  const buffers = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === "string" ? Buffer.from(v, "utf8") : v]));
  const blobs = memoryBlobs(buffers, options.chunk ?? 64 * 1024);
  const files: PreviewFile[] = Object.keys(buffers).map((name) => ({ blobs, container: "c", name, size: buffers[name].length, label: name }));
  const loader = new PreviewLoader(files, options.format ?? "csv", { cap: 1_000_000, maxColumns: options.maxColumns ?? 2000, encoding: options.encoding, firstRangeBytes: options.firstRange, maxHeldBytes: options.maxHeldBytes },
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

describe("files people and tools leave in storage", () => {
  it("a small quote-free file without a final newline shows its real last row", async () => {
    await expectEverywhere("no final newline", "x,y\n10,20\n30,40\n50,60", { columns: ["x", "y"], rows: [["10", "20"], ["30", "40"], ["50", "60"]] });
    const got = await load("x,y\n10,20\n30,40\n50,60");
    const y = got.loader.stats.snapshot()[1] as { max?: number };
    assert.equal(y.max, 60);
  });

  it("a BOM before a quoted header: column names without quotes, every row filled", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [String(i), `v${i}`, String(i * 2)]);
    const text = `\uFEFF"a","b","c"\r\n${rows.map((r) => r.join(",")).join("\r\n")}\r\n`;
    await expectEverywhere("BOM quoted header", text, { columns: ["a", "b", "c"], rows });
    const got = await load(text, { firstRange: 4096, chunk: 1000 });
    const a = got.loader.stats.snapshot()[0] as { missing: number; count: number };
    assert.deepEqual([a.missing, a.count], [0, 2000]);
  });

  it("every line-ending convention, mixed in one file, and CR-only files", async () => {
    const expected = { columns: ["a", "b"], rows: [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]] };
    await expectEverywhere("mixed LF/CRLF", "a,b\r\n1,2\n3,4\r\n5,6\n7,8\r\n", expected);
    // A lone CR is found in the first range (256 KiB in the product): the cuts here all hold one.
    await expectEverywhere("CR only", "a,b\r1,2\r3,4\r5,6\r7,8\r", expected, { minFirstRange: 7 });
    await expectEverywhere("CR, LF and CRLF", "a,b\r1,2\n3,4\r\n5,6\r7,8", expected, { minFirstRange: 7 });
    await expectEverywhere("quoted cell keeps its own CRLF in a LF file", 'a,b\n"x\r\ny",2\n3,4\n', { columns: ["a", "b"], rows: [["x\r\ny", "2"], ["3", "4"]] });
  });

  it("UTF-16 files are decoded by their byte-order mark, both byte orders", async () => {
    const text = "name,city\r\nJosé,東京\r\nZoë,Zürich\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [["LE", le], ["BE", be]] as const) {
      await expectEverywhere(`UTF-16 ${name}`, bytes, { columns: ["name", "city"], rows: [["José", "東京"], ["Zoë", "Zürich"]] });
      const got = await load(bytes);
      assert.ok(got.progress.notices.some((n) => n.id === "utf16"), JSON.stringify(got.progress.notices));
    }
  });

  it("text that is not UTF-8 is reported (with Latin-1 offered), and read as Latin-1 when asked", async () => {
    const latin1 = Buffer.from("name,city\nJosé,Zürich\nRenée,Besançon\n", "latin1");
    const got = await load(latin1);
    const notice = got.progress.notices.find((n) => n.id === "invalidUtf8");
    assert.ok(notice, "the invalid UTF-8 is reported");
    assert.match(notice.text, /not valid UTF-8 \(first at byte 13\)/);
    assert.equal(notice.action?.kind, "reopenLatin1");
    const asLatin1 = await load(latin1, { encoding: "latin1" });
    assert.deepEqual(asLatin1.rows, [["José", "Zürich"], ["Renée", "Besançon"]]);
    assert.equal(asLatin1.progress.notices.some((n) => n.id === "invalidUtf8"), false);
  });

  it("an unclosed quote: says where, shows the rows before it, and what was not read", async () => {
    const lines = ["id,text"];
    for (let i = 0; i < 4000; i++) lines.push(i === 2000 ? `${i},"never closed,y` : `${i},t${i}`);
    const text = `${lines.join("\n")}\n`;
    for (const cut of CUTS.slice(0, 3)) {
      const got = await load(text, cut);
      assert.equal(got.rows.length, 2000, JSON.stringify(cut));
      assert.deepEqual(got.rows[1999], ["1999", "t1999"]);
      const notice = got.progress.notices.find((n) => n.id.startsWith("unclosedQuote"));
      assert.ok(notice, `reported (${JSON.stringify(cut)})`);
      assert.match(notice.text, /record 2,002 \(which starts at about byte 19,788\) never closes\. The 2,001 record\(s\) before it are shown; the remaining ~[\d,]+ bytes could not be read as rows\./);
      assert.equal(notice.action?.kind, "showRawAround");
      const byte = got.loader.brokenPlace?.byte ?? -1;
      const actual = Buffer.byteLength(lines.slice(0, 2001).join("\n")) + 1;
      assert.ok(Math.abs(byte - actual) <= 2, `byte ${byte} points at the broken record's start (${actual})`);
    }
  });

  it("gzip files are decompressed; binary and other compressed files are refused by name", async () => {
    const text = "a,b\n1,2\n3,4\n";
    await expectEverywhere("gzip", gzipSync(text), { columns: ["a", "b"], rows: [["1", "2"], ["3", "4"]] });
    const big = `a,b\n${Array.from({ length: 50_000 }, (_, i) => `${i},${i % 7}`).join("\n")}\n`;
    const gz = await load(gzipSync(big), { firstRange: 4096, chunk: 999 });
    assert.equal(gz.rows.length, 50_000);
    assert.deepEqual(gz.rows[49_999], ["49999", String(49_999 % 7)]);
    const refused: Array<[string, Buffer, RegExp]> = [
      ["model.pkl", Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0, 0]), /a Python pickle/],
      ["screenshot.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /a PNG image/],
      ["data.parquet", Buffer.from("PAR1\x15\x04", "latin1"), /a Parquet file/],
      ["archive.zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), /a ZIP archive/],
      ["blob.bin", Buffer.from("a,b\n1,\u00002\n", "latin1"), /NUL byte at byte 6/],
    ];
    for (const [name, bytes, what] of refused) {
      const got = await load(bytes, { files: { [name]: bytes } });
      assert.equal(got.progress.state, "error", name);
      assert.match(got.progress.message ?? "", what);
      assert.match(got.progress.message ?? "", /cannot be previewed\. Use Save Raw File… or Download… to inspect it\./);
      assert.equal(got.rows.length, 0);
    }
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

  it("one wide row among normal ones: bounded columns, the row kept whole, on every path", async () => {
    const normal = Array.from({ length: 300 }, (_, i) => `${i},${i * 2},x${i}`);
    const wide = Array.from({ length: 5000 }, (_, i) => String(i)).join(",");
    const text = `a,b,c\n${normal.slice(0, 200).join("\n")}\n${wide}\n${normal.slice(200).join("\n")}\n`;
    for (const cut of CUTS.slice(0, 4)) {
      const got = await load(text, { ...cut, maxColumns: 50 });
      assert.equal(got.columns.length, 50, JSON.stringify(cut));
      assert.equal(got.rows.length, 301);
      const row = got.rows[200];
      assert.deepEqual(row.slice(0, 4), ["0", "1", "2", "3"]);
      assert.ok(row[49] === Array.from({ length: 5000 - 49 }, (_, i) => String(i + 49)).join(","), `the overflow cell holds cells 50…5000 (${JSON.stringify(cut)}): ${String(row[49]).slice(0, 40)}`);
      assert.deepEqual(got.rows[300].slice(0, 3), ["299", "598", "x299"]);
    }
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
      assert.equal((got.loader.stats.snapshot()[0] as { count: number }).count, 200);
    }
  });

  it("a date's non-data files are never stitched in (the tree only hands over the collector's files)", async () => {
    // The stitched preview of two real files: rows in file order, the source column says which.
    const got = await load("", { files: { "a.csv": "x,y\n1,2\n", "b.csv": "x,y\n3,4\n" } });
    assert.deepEqual(got.rows, [["a.csv", "1", "2"], ["b.csv", "3", "4"]]);
  });
});
