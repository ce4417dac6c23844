// The quote-free byte path (splitter, byte statistics, byte row store) must give exactly what the text path
// (papaparse + string statistics) gives, for every way a download can be cut into chunks.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { Readable } from "node:stream";
import { QuoteFreeCsvSplitter } from "../../src/core/table/csvBytes";
import { countCells, isDatetimeBytes, splitCells } from "../../src/core/table/bytes";
import { parseCsvPrefix } from "../../src/core/table/csv";
import { StatsAccumulator } from "../../src/core/table/stats";
import { RowStore, type ByteRowLayout } from "../../src/core/table/rowStore";
import { TableView } from "../../src/core/table/tableView";
import { DistinctTable, NumberSet } from "../../src/core/table/distinctTable";
import { readCsv } from "../../src/reading/csvIntake";

const encode = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return parts;
}

/** Splits with the byte path; returns the rows as strings and the unsplit rest (after a quote). */
function splitBytes(text: string, size: number): { rows: string[][]; rest?: string } {
  const rows: string[][] = [];
  const splitter = new QuoteFreeCsvSplitter({ row: (b, s, e) => rows.push(splitCells(b, s, e)) });
  const parts = chunked(encode(text), size);
  for (const [i, part] of parts.entries()) {
    const rest = splitter.push(part);
    // What follows the quote's row is read by the caller from the stream, after the returned bytes.
    if (rest) return { rows, rest: Buffer.concat([rest, ...parts.slice(i + 1)]).toString("utf8") };
  }
  const rest = splitter.end();
  return { rows, rest: rest && Buffer.from(rest).toString("utf8") };
}

const QUOTE_FREE: Array<[string, string]> = [
  ["CRLF", "a,b\r\n1,2\r\n"],
  ["LF", "a,b\n1,2\n"],
  ["BOM", "\uFEFFa,b\r\n1,2\r\n"],
  ["empty fields", ",,\r\n1,,3\r\n"],
  ["ragged rows", "a,b,c\r\n1,2\r\n1,2,3,4\r\n"],
  ["no trailing newline", "a,b\r\n1,2"],
  ["blank lines", "a,b\r\n\r\n1,2\r\n\r\n"],
  ["unicode", "name,city\r\nJosé,東京 🚀\r\n"],
  ["lone LF inside a CRLF file", "a,b\r\nx\ny,2\r\n"],
  ["CR left in a LF file", "a,b\r\n1,2\n"],
  ["long rows", `${Array.from({ length: 300 }, (_, i) => `c${i}`).join(",")}\n${Array.from({ length: 300 }, (_, i) => i).join(",")}\n`],
];

describe("quote-free CSV bytes", () => {
  for (const [name, text] of QUOTE_FREE) {
    it(`${name}: the same rows as the RFC 4180 parser, however the chunks fall`, () => {
      const expected = parseCsvPrefix(text, true);
      for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) assert.deepEqual(splitBytes(text, size), { rows: expected, rest: undefined }, `chunks of ${size}`);
    });
  }

  it("stops at the first quote and returns everything from that row on", () => {
    const text = 'a,b\r\n1,2\r\n3,"x,y"\r\n4,5\r\n';
    for (const size of [1, 4, 9, 100]) {
      const { rows, rest } = splitBytes(text, size);
      assert.deepEqual(rows, [["a", "b"], ["1", "2"]], `chunks of ${size}`);
      assert.equal(rest, '3,"x,y"\r\n4,5\r\n', `chunks of ${size}`);
    }
  });

  it("matches the stats' date pattern byte for byte", () => {
    const DATETIME = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;
    const samples = ["2026-11-20", "2026-11-20T15:54:16.691697", "2026-11-20 15:54", "2026-11-20T15:54:16Z", "2026-11-20T15:54:16+01:00",
      "2026-11-20T15:54:16-0130", "2026-11-20T15:54:16.", "2026-11-2", "2026-11-20T", "2026-11-20T15:5", "2026-11-20X15:54", "2026/11/20",
      "2026-11-20T15:54:16+1", "2026-11-20T15:54Z", "12345", "2026-11-20T15:54:16.5Z"];
    for (const sample of samples) {
      // Padded on both sides: the matcher must not read past the cell.
      const bytes = encode(`9${sample}9`);
      assert.equal(isDatetimeBytes(bytes, 1, bytes.length - 1), DATETIME.test(sample), sample);
    }
  });
});

describe("statistics from bytes", () => {
  const CELLS = ["1", "2.5", "-0", "+5", "1.", ".5", "-.5", "007", "1e5", "0x1F", "5 ", "1234567890123456", "123456789012345", "-", ".", "1.2.3",
    "12abc", "3f2b1c4d-0000-4000-8000-000000000001", "2026-11-20T15:54:16.691697", "2026-11-20", "true", "FALSE", "nan", "NaN", "None", "null",
    "NULL", "", "josé", "東京", "-Infinity", "x", "x", "0.1", "0.30000000000000004"];

  it("agree with the string path on every kind of cell", () => {
    // Each cell in a column of its own type mix, and all of them in one mixed column.
    const names = ["mixed", "number", "text"];
    const rows = CELLS.map((cell, i) => [cell, String((i * 7919) % 1000 / 10), i % 3 ? "a" : "b"]);
    const text = new StatsAccumulator(names);
    for (const row of rows) text.add(row);
    const bytes = new StatsAccumulator(names);
    const layout: ByteRowLayout = { mapping: [0, 1, 2] };
    for (const row of rows) {
      const line = encode(row.join(","));
      assert.equal(bytes.addByteRow(line, 0, line.length, layout), 3);
    }
    assert.deepEqual(bytes.snapshot(), text.snapshot());
  });

  it("agree on numbers one by one, including what Number() alone decides", () => {
    for (const cell of CELLS) {
      const text = new StatsAccumulator(["c"]);
      text.add([cell]);
      const bytes = new StatsAccumulator(["c"]);
      const line = encode(cell);
      bytes.addByteRow(line, 0, line.length, { mapping: [0] });
      assert.deepEqual(bytes.snapshot(), text.snapshot(), JSON.stringify(cell));
    }
  });

  it("agree past the distinct cap, where text is only classified", () => {
    const names = ["id", "flag", "when", "name"];
    const rows = Array.from({ length: 12_000 }, (_, i) => [`req-${i}`, i % 3 ? "true" : "FALSE", i % 5 ? "2026-11-20" : "soon", i % 7 ? `José ${i}` : "None"]);
    const text = new StatsAccumulator(names);
    const bytes = new StatsAccumulator(names);
    for (const row of rows) {
      text.add(row);
      const line = encode(row.join(","));
      bytes.addByteRow(line, 0, line.length, { mapping: [0, 1, 2, 3] });
    }
    const snapshot = bytes.snapshot();
    assert.deepEqual(snapshot, text.snapshot());
    assert.ok(snapshot[0].distinctCapped && snapshot[3].distinctCapped);
  });

  it("count cells past the mapping, short rows and other files' columns as the string path does", () => {
    const text = new StatsAccumulator(["source", "a", "b", "other"]);
    const bytes = new StatsAccumulator(["source", "a", "b", "other"]);
    const layout: ByteRowLayout = { mapping: [1, 2], source: { column: 0, label: "f1" } };
    for (const line of ["1,2", "3", "4,5,6"]) {
      const cells = line.split(",");
      text.add(["f1", cells[0], cells[1]]);
      const b = encode(line);
      assert.equal(bytes.addByteRow(b, 0, b.length, layout), cells.length);
    }
    assert.deepEqual(bytes.snapshot(), text.snapshot());
  });

  it("count every number of a long column exactly, whatever batch it was counted in", () => {
    // 5,003 values: several batches, past the 2,048-value sample, a last batch that is not full.
    const values = Array.from({ length: 5003 }, (_, i) => ((i * 2654435761) % 1999) / 10 - 50);
    const stats = new StatsAccumulator(["x", "label"]);
    values.forEach((v, i) => {
      const line = encode(`${v},${i % 2 ? "a" : "b"}`);
      stats.addByteRow(line, 0, line.length, { mapping: [0, 1] });
    });
    const [x] = stats.snapshot();
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    assert.equal(x.type, "number");
    assert.equal(x.count, 5003);
    assert.equal(x.distinct, new Set(values).size);
    assert.equal(x.min, Math.min(...values));
    assert.equal(x.max, Math.max(...values));
    assert.ok(Math.abs((x.mean ?? NaN) - mean) < 1e-9 && Math.abs((x.std ?? NaN) - std) < 1e-9, `${x.mean} ${x.std} vs ${mean} ${std}`);
    assert.equal(x.quantilesExact, false);
    assert.equal(x.histogram.reduce((s, n) => s + n, 0), 2048);
    // The sample is a sample of these values: its median is near theirs (uniform spread over 200).
    const sorted = [...values].sort((a, b) => a - b);
    assert.ok(Math.abs((x.quantiles?.[2] ?? NaN) - sorted[2501]) < 10, `median ${x.quantiles?.[2]} vs ${sorted[2501]}`);
  });

  it("count a text cell like the one before it exactly as if it were new, also between text-path rows", () => {
    // Constant columns (a service name, a date, a missing word, a boolean), runs broken by other values,
    // and rows that come through the string path in between (a quoted stretch of the same file).
    const names = ["service", "when", "gap", "flag", "run"];
    const rows = Array.from({ length: 3000 }, (_, i) => ["svc-a", "2026-11-20T15:54:16", "NaN", "TRUE", i % 500 < 250 ? "red" : i % 7 ? "blue" : "green"]);
    const bytes = new StatsAccumulator(names);
    const text = new StatsAccumulator(names);
    rows.forEach((row, i) => {
      text.add(row);
      if (i % 97 === 0) bytes.add(row);
      else {
        const line = encode(row.join(","));
        bytes.addByteRow(line, 0, line.length, { mapping: [0, 1, 2, 3, 4] });
      }
    });
    const snapshot = bytes.snapshot();
    assert.deepEqual(snapshot, text.snapshot());
    const [service, when, gap, flag, run] = snapshot;
    assert.deepEqual([service.type, service.count, service.distinct, service.top], ["string", 3000, 1, [{ value: "svc-a", count: 3000 }]]);
    assert.deepEqual([when.type, when.count], ["datetime", 3000]);
    assert.deepEqual([gap.type, gap.missing, gap.count], ["empty", 3000, 0]);
    assert.deepEqual([flag.type, flag.count], ["boolean", 3000]);
    const expected = new Map<string, number>();
    for (const row of rows) expected.set(row[4], (expected.get(row[4]) ?? 0) + 1);
    assert.deepEqual(run.top, [...expected].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count));
  });
});

describe("statistics of stitched files", () => {
  it("count a row once in every column when an overflow column another file made joins a mapping", () => {
    // "other" is a column only another file has: this file's rows count as missing there.
    const stats = new StatsAccumulator(["a", "col2", "other"]);
    const layout = { mapping: [0] };
    const rows = ["1", "2,x", "3,y"];
    for (const [i, line] of rows.entries()) {
      const bytes = encode(line);
      const cells = stats.addByteRow(bytes, 0, bytes.length, layout);
      if (i === 1) {
        // What the loader does for the first wider row: col2 exists already, so only the mapping grows.
        assert.equal(cells, 2);
        layout.mapping.push(1);
        stats.addOverflowCell(1, "x");
      }
    }
    assert.deepEqual(stats.snapshot().map((c) => [c.name, c.count, c.missing]), [["a", 3, 0], ["col2", 2, 1], ["other", 0, 3]]);
  });
});

describe("byte row store", () => {
  it("gives rows and single cells back through the file's column mapping, next to text rows", () => {
    const store = new RowStore();
    store.pushText(["t", "1", "2", ""]);
    const layout = { mapping: [2, 1], source: { column: 0, label: "day2" } };
    const chunk = encode("x\r\nb1,a1\r\nb2,a2,extra\r\n");
    store.pushBytes(chunk, 3, 8, layout);
    store.pushBytes(chunk, 10, 21, layout);
    assert.equal(store.length, 3);
    assert.deepEqual(store.get(0), ["t", "1", "2", ""]);
    assert.deepEqual(store.get(1), ["day2", "a1", "b1"]);
    assert.equal(store.cell(2, 2), "b2");
    assert.equal(store.cell(2, 1), "a2");
    assert.equal(store.cell(2, 0), "day2");
    // An overflow column made later (the mapping grows) fills from the stored bytes.
    layout.mapping.push(3);
    assert.deepEqual(store.get(2), ["day2", "a2", "b2", "extra"]);
    assert.equal(store.cell(1, 3), "");
  });

  it("keeps its own copy of the bytes", () => {
    const store = new RowStore();
    const chunk = encode("1,2\n");
    store.pushBytes(chunk, 0, 3, { mapping: [0, 1] });
    chunk.fill(0);
    assert.deepEqual(store.get(0), ["1", "2"]);
  });

  it("sorts and filters byte rows, numbers numerically with missing values last both ways", () => {
    const table = new TableView();
    const layout = { mapping: [0, 1] };
    const chunk = encode("b,10\na,9\nc,\nA,100\n");
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 10) continue;
      table.appendBytes(chunk, start, i, layout);
      start = i + 1;
    }
    table.setNumericColumns([1]);
    table.apply({ sort: { column: 1, direction: "asc" }, filters: {} });
    assert.deepEqual(table.window(0, 10).map((r) => r[1]), ["9", "10", "100", ""]);
    table.apply({ sort: { column: 1, direction: "desc" }, filters: {} });
    assert.deepEqual(table.window(0, 10).map((r) => r[1]), ["100", "10", "9", ""]);
    table.apply({ filters: { 1: ">= 10" }, global: "a" });
    assert.deepEqual(table.window(0, 10), [["A", "100"]]);
  });
});

describe("CSV intake", () => {
  async function intake(text: string, size: number): Promise<{ rows: string[][]; firstBatch: number }> {
    const rows: string[][] = [];
    let firstBatch = -1;
    await readCsv(Readable.from(chunked(encode(text), size).map((c) => Buffer.from(c))), {
      signal: new AbortController().signal,
      bytes: () => undefined,
      textRows: (batch) => {
        if (firstBatch < 0) firstBatch = batch.length;
        rows.push(...batch);
      },
      byteRow: (bytes, s, e) => rows.push(splitCells(bytes, s, e)),
      block: () => undefined,
      unclosedQuote: () => assert.fail("no unclosed quote here"),
    });
    return { rows, firstBatch };
  }

  it("reads quote-free rows as bytes and the rest with the RFC 4180 parser from the first quote on", async () => {
    const lines = ["id,note"];
    for (let i = 0; i < 120; i++) lines.push(i === 90 ? `${i},"with ""quotes"", commas\r\nand a line break"` : `${i},plain ${i}`);
    const text = `\uFEFF${lines.join("\r\n")}\r\n`;
    const expected = parseCsvPrefix(text, true);
    for (const size of [3, 17, 4096]) {
      const { rows, firstBatch } = await intake(text, size);
      assert.deepEqual(rows, expected, `chunks of ${size}`);
      // The header is decided from text rows, as many as resolveLegacyColumns looks at.
      assert.equal(firstBatch, 50, `chunks of ${size}`);
    }
  });

  it("hands a short file's rows over as text", async () => {
    const { rows, firstBatch } = await intake("a,b\n1,2\n", 2);
    assert.deepEqual(rows, [["a", "b"], ["1", "2"]]);
    assert.equal(firstBatch, 2);
  });
});

describe("distinct table", () => {
  it("counts every key through growth, runs of one key, and 0 / -0 as one", () => {
    const table = new DistinctTable();
    // 19,996 keys once each, and 0.5 four times (first at i = 0).
    for (let i = 0; i < 20_000; i++) {
      const slot = table.add(i % 5000 === 0 ? 0.5 : i);
      if (slot >= 0) table.setText(slot, `k${i}`);
    }
    assert.equal(table.size, 19_997);
    assert.ok(table.add(-0) >= 0, "-0 is new");
    assert.equal(table.add(0), -1, "0 is the same key as -0");
    assert.equal(table.add(0.5), -1);
    assert.equal(table.size, 19_998);
    const [first, second] = table.top(2);
    assert.deepEqual(first, { text: "k0", count: 5 });
    assert.equal(second.count, 1);
  });
});

describe("number set", () => {
  it("counts distinct numbers through growth, runs of one number, 0 / -0 as one, infinities and tiny and huge values", () => {
    const set = new NumberSet();
    const seen = new Set<number>();
    let seed = 11;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const special = [0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 1e300, 2e300, 2 ** 53, 2 ** 53 + 2];
    for (let i = 0; i < 60_000; i++) {
      const n = i < special.length ? special[i] : i % 3 === 0 ? Math.floor(random() * 5000) / 10 : i % 3 === 1 ? (random() - 0.5) * 1e12 : 7;
      set.add(n);
      seen.add(n === 0 ? 0 : n);
    }
    assert.equal(set.size, seen.size);
    set.add(-0);
    set.add(7);
    set.add(Infinity);
    assert.equal(set.size, seen.size, "known numbers are not counted again");
  });
});

describe("countCells", () => {
  it("counts a row's commas exactly at every alignment, beside bytes one bit or one borrow away from a comma", () => {
    // 0x2C is the comma; 0xAC, 0x2D, 0x2B and 0x6C differ from it by one bit or one in value (where a
    // word-at-a-time zero test can err), 0x00 and 0xFF are the extremes.
    const alphabet = [0x2c, 0x2c, 0xac, 0x2d, 0x2b, 0x6c, 0x00, 0xff, 0x31, 0x61];
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const backing = new Uint8Array(4096 + 8);
    for (let i = 0; i < backing.length; i++) backing[i] = alphabet[Math.floor(random() * alphabet.length)];
    const slow = (bytes: Uint8Array, start: number, end: number) => {
      let cells = 1;
      for (let p = start; p < end; p++) if (bytes[p] === 44) cells += 1;
      return cells;
    };
    // Views that start at every offset modulo 4 of their buffer, rows at every start and many lengths.
    for (let offset = 0; offset < 4; offset++) {
      const view = new Uint8Array(backing.buffer, offset, 4096);
      for (let start = 0; start < 40; start++) {
        for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 64, 230, 1000, 4096 - start]) {
          const end = Math.min(view.length, start + length);
          assert.equal(countCells(view, start, end), slow(view, start, end), `offset ${offset}, row [${start}, ${end})`);
        }
      }
    }
    // A Buffer from Node's shared pool (an odd byteOffset into a larger ArrayBuffer), then a plain one again.
    const pooled = Buffer.from("a,b,,c,d,e,f,g,h,i,j");
    assert.equal(countCells(pooled, 0, pooled.length), 11);
    assert.equal(countCells(new Uint8Array([44, 44, 44]), 0, 3), 4);
    assert.equal(countCells(new Uint8Array([44, 44, 44]), 3, 3), 1);
  });
});
