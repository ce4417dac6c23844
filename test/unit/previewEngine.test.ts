// The preview's data engine: its protocol's validation, sort and filter keys that agree with the plain
// definitions, supersession, and the worker thread itself (rows, crash, end) over bytes held in memory.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { TableView } from "../../src/core/table/tableView";
import { QuoteFreeCsvSplitter } from "../../src/core/table/csvBytes";
import { numberOfBytes } from "../../src/core/table/sortKeys";
import { isEngineToHost, isHostToEngine, transferable } from "../../src/engine/protocol";
import { PreviewEngine, SUPERSEDED, ENGINE_STOPPED } from "../../src/engine/client";
import { runCompare } from "../../src/engine/compareClient";
import type { BlobGateway } from "../../src/core/gateways";
import type { PreviewFile } from "../../src/reading/previewFile";
import type { Progress } from "../../src/protocol";

const WORKER = join(__dirname, "..", "..", "previewWorker.js");
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Rows as byte rows (the scan's form), in two files' layouts when `stitched`. */
function byteTable(lines: string[], stitched = false): TableView {
  const table = new TableView();
  const half = Math.floor(lines.length / 2);
  const layouts = stitched
    ? [{ mapping: [1, 2, 3], source: { column: 0, label: "Day-ONE" } }, { mapping: [1, 2, 3], source: { column: 0, label: "day-two" } }]
    : [{ mapping: [0, 1, 2] }];
  lines.forEach((line, i) => {
    const layout = layouts[stitched && i >= half ? 1 : 0];
    const splitter = new QuoteFreeCsvSplitter({ row: (bytes, start, end) => table.appendBytes(bytes, start, end, layout) });
    splitter.push(Buffer.from(line + "\n"));
  });
  return table;
}

function randomLines(n: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const numbers = ["1e3", " 5", "-0", "0", "0x10", "12345678901234567", ".5", "5.", "+3", "", "-2.25", "abc", "1000", "999.999", "Infinity", "3.14159265358979"];
  const words = ["Zürich", "zurich", "ÉCOLE", "école", "alpha", "Alpha", "item2", "item10", "", "K-mart", "\u212Aelvin", "b,c", "naïve", "x"];
  return Array.from({ length: n }, () => {
    const number = numbers[Math.floor(next() * numbers.length)];
    const word = words[Math.floor(next() * words.length)].replace(",", ";");
    return `${word},${number},${Math.floor(next() * 1000) / 10}`;
  });
}

/** The plain definitions the fast paths must match: collator or number order, missing last, ties in row order. */
function reference(rows: string[][], column: number, numeric: boolean, descending: boolean): number[] {
  const sign = descending ? -1 : 1;
  const key = (cell: string) => (cell === "" ? NaN : Number(cell));
  return rows.map((_, i) => i).sort((a, b) => {
    if (numeric) {
      const x = key(rows[a][column]);
      const y = key(rows[b][column]);
      if (Number.isNaN(x) || Number.isNaN(y)) return (Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1) || a - b;
      return sign * (x - y) || a - b;
    }
    return sign * collator.compare(rows[a][column], rows[b][column]) || a - b;
  });
}

async function allRows(table: TableView): Promise<string[][]> {
  return [...table.rowsInView()];
}

describe("engine sort and filter keys", () => {
  for (const stitched of [false, true]) {
    it(`sorts exactly as the plain definitions${stitched ? " (stitched files)" : ""}`, async () => {
      const table = byteTable(randomLines(3000, stitched ? 7 : 3), stitched);
      const rows = await allRows(table);
      const offset = stitched ? 1 : 0;
      for (const [column, numeric] of [[offset, false], [offset + 1, true], [offset + 2, true], [offset + 1, false], ...(stitched ? [[0, false]] : [])] as Array<[number, boolean]>) {
        for (const direction of ["asc", "desc"] as const) {
          table.setNumericColumns(numeric ? [column] : []);
          assert.ok(table.apply({ sort: { column, direction }, filters: {} }));
          const expected = reference(rows, column, numeric, direction === "desc").map((i) => rows[i]);
          assert.deepEqual(await allRows(table), expected, `column ${column} ${numeric ? "as numbers" : "as text"} ${direction}`);
        }
      }
    });
  }

  it("finds a global filter in any letter case, in one cell, exactly as lower-cased text would", async () => {
    const table = byteTable(randomLines(3000, 11), true);
    const rows = await allRows(table);
    for (const needle of ["zur", "ZÜR", "alpha", "item1", "k", "kelvin", "5.", "0x1", "day-one", "DAY", "é", "b;c", "-0,1", "3.14159", ".", "nothing here"]) {
      table.apply({ filters: {}, global: needle });
      const lower = needle.trim().toLowerCase();
      const expected = rows.filter((row) => row.some((cell) => cell.toLowerCase().includes(lower)));
      assert.deepEqual(await allRows(table), expected, `global "${needle}"`);
    }
  });

  it("reads plain decimals from bytes exactly as Number() does", () => {
    for (const text of ["0", "-0", "1", "0.1", "0.3", "123456789012345", "1234567890123456", "-98765.4321", "0.000000000000000000001", "+7", "5.", ".5", "1e5", "  3", "12a", "-", "."]) {
      const bytes = Buffer.from(text);
      const got = numberOfBytes(bytes, 0, bytes.length);
      const want = text === "" ? NaN : Number(text);
      assert.ok(Object.is(got, want), `${text}: ${got} vs ${want}`);
    }
  });

  it("gives up on a sort or filter the moment a newer one is wanted, keeping the view it had", async () => {
    const table = byteTable(randomLines(50_000, 5));
    table.setNumericColumns([1]);
    assert.ok(table.apply({ sort: { column: 1, direction: "asc" }, filters: {} }));
    const before = await allRows(table);
    let asked = 0;
    assert.equal(table.apply({ sort: { column: 0, direction: "desc" }, filters: {} }, () => ++asked < 2), false);
    assert.equal(table.apply({ filters: {}, global: "alpha" }, () => false), false);
    assert.equal(table.apply({ filters: { 0: "alpha" } }, () => false), false);
    assert.deepEqual(await allRows(table), before, "the previous view stays");
  });
});

describe("engine protocol", () => {
  const generation = new SharedArrayBuffer(4);
  const start = { files: [{ container: "c", name: "n", size: 10, label: "n" }], format: "csv", cap: 10, maxColumns: 10, maxHeldBytes: 100, parallelRanges: 4, rangeBytes: 4096, viewGeneration: generation };

  it("accepts what the host sends and drops anything else", () => {
    const good: unknown[] = [
      { kind: "start", start },
      { kind: "request", id: 1, op: "rows", args: { start: 0, count: 10, full: false } },
      { kind: "request", id: 2, op: "setView", args: { filters: { 3: "> 1" }, global: "x", sort: { column: 2, direction: "desc" }, generation: 4 } },
      { kind: "request", id: 3, op: "columnStats", args: { column: 1, scope: "view" } },
      { kind: "request", id: 4, op: "copy", args: { start: 0, end: 3, columns: [0, 2], format: "tsv", header: true } },
      { kind: "request", id: 5, op: "exportCsv", args: { path: "/tmp/x.csv", escapeFormulas: true } },
      { kind: "request", id: 6, op: "cancelLoad", args: {} },
      { kind: "readDone", readId: 1, bytes: new Uint8Array(3) },
      { kind: "readFailed", readId: 1, error: { message: "403", statusCode: 403 } },
      { kind: "streamChunk", streamId: 2, bytes: new Uint8Array(1) },
      { kind: "streamEnd", streamId: 2 },
    ];
    for (const message of good) assert.ok(isHostToEngine(message), JSON.stringify(message));
    const bad: unknown[] = [
      null, "start", [], { kind: "start", start: { ...start, viewGeneration: new ArrayBuffer(4) } }, { kind: "start", start: { ...start, format: "xlsx" } },
      { kind: "request", id: -1, op: "rows", args: { start: 0, count: 10, full: false } },
      { kind: "request", id: 1, op: "rows", args: { start: 0, count: 1e9, full: false } },
      { kind: "request", id: 1, op: "drop", args: {} },
      { kind: "request", id: 1, op: "cancelLoad", args: { now: true } },
      { kind: "request", id: 1, op: "setView", args: { filters: { x: "1" }, generation: 1 } },
      { kind: "request", id: 1, op: "setView", args: { filters: {}, sort: { column: 0, direction: "up" }, generation: 1 } },
      { kind: "request", id: 1, op: "copy", args: { start: 0, end: 1, columns: ["0"], format: "tsv", header: false } },
      { kind: "request", id: 1, op: "copy", args: { start: 0, end: 1, columns: [0], format: "csv", header: "yes" } },
      { kind: "readDone", readId: 1, bytes: [1, 2, 3] },
      { kind: "readFailed", readId: 1, error: "403" },
      { kind: "eval", code: "1" },
    ];
    for (const message of bad) assert.equal(isHostToEngine(message), false, JSON.stringify(message));
  });

  it("accepts what the engine sends and drops anything else", () => {
    const progress: Progress = { state: "loading", rowsLoaded: 1, visibleRows: 1, bytesLoaded: 1, bytesTotal: 2, filesDone: 0, filesTotal: 1, capped: false, cap: 10, raggedRows: 0, malformedLines: 0, notices: [] };
    const good: unknown[] = [
      { kind: "init", columns: [{ name: "a", system: false, link: false }], firstRows: [["1"]], progress },
      { kind: "progress", progress, brokenAt: { file: 0, byte: 10 } },
      { kind: "reply", id: 1, result: null },
      { kind: "refused", id: 1, error: { message: "x" }, superseded: true },
      { kind: "read", readId: 1, file: 0, offset: 0, count: 10 },
      { kind: "credit", streamId: 1, n: 16 },
    ];
    for (const message of good) assert.ok(isEngineToHost(message), JSON.stringify(message));
    const bad: unknown[] = [
      { kind: "init", columns: [{ name: 1 }], firstRows: [], progress },
      { kind: "init", columns: [], firstRows: [[1]], progress },
      { kind: "progress", progress: { ...progress, state: "weird" } },
      { kind: "read", readId: 1, file: 0, offset: -5, count: 10 },
      { kind: "credit", streamId: 1, n: 1e9 },
      { kind: "refused", id: 1, error: { message: "x" } },
      { kind: "reply", id: 1 },
    ];
    for (const message of bad) assert.equal(isEngineToHost(message), false, JSON.stringify(message));
  });

  it("hands a Buffer's memory over only when it owns all of it", () => {
    const own = Buffer.alloc(64 * 1024, 1);
    const whole = transferable(own);
    assert.equal(whole.transfer[0], own.buffer, "a Buffer with its own memory moves without a copy");
    const pooled = Buffer.from("small");
    const copied = transferable(pooled);
    assert.notEqual(copied.transfer[0], pooled.buffer, "a pooled Buffer is copied, the pool left alone");
    assert.deepEqual([...copied.view], [...pooled]);
  });
});

/** A gateway over bytes in memory, counting what is read (the unit tier's storage; Azurite is the integration tier's). */
function memoryFile(bytes: Buffer, label = "data.csv"): PreviewFile & { reads: number } {
  const file = {
    reads: 0, container: "c", name: label, size: bytes.length, label,
    blobs: {
      accountName: "memory",
      readRange: async (_c: string, _n: string, offset: number, count: number) => {
        file.reads += 1;
        return Buffer.from(bytes.subarray(offset, offset + count));
      },
      openStream: async (_c: string, _n: string, offset: number) => {
        file.reads += 1;
        const chunks = Array.from({ length: Math.ceil((bytes.length - offset) / 65536) }, (_, i) => Buffer.from(bytes.subarray(offset + i * 65536, offset + (i + 1) * 65536)));
        return { stream: Readable.from(chunks), contentLength: bytes.length - offset };
      },
    } as unknown as BlobGateway,
  };
  return file;
}

function csv(rows: number): Buffer {
  const lines = ["id,score,name"];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 7919) % 1000},name-${i % 97}`);
  return Buffer.from(lines.join("\n") + "\n");
}

function startEngine(files: PreviewFile[], options: { parallelRanges?: number; rangeBytes?: number; resourceLimits?: ConstructorParameters<typeof Worker>[1] extends infer O ? O extends { resourceLimits?: infer L } ? L : never : never } = {}) {
  const stopped: string[] = [];
  const engine = new PreviewEngine(files, "csv", {
    worker: new Worker(WORKER, { resourceLimits: options.resourceLimits, stdout: false, stderr: true }),
    cap: 1_000_000, maxColumns: 100, maxHeldBytes: 1 << 30, parallelRanges: options.parallelRanges ?? 4, rangeBytes: options.rangeBytes ?? 1 << 20,
  }, { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: (m) => stopped.push(m) });
  return { engine, stopped };
}

describe("engine worker", () => {
  it("reads, sorts and filters on its thread; ranged and streamed reads give the same rows", async () => {
    const bytes = csv(100_000);
    for (const parallelRanges of [4, 1]) {
      const file = memoryFile(bytes);
      const { engine } = startEngine([file], { parallelRanges, rangeBytes: 256 * 1024 });
      try {
        await engine.done;
        assert.equal(engine.progress().state, "done", engine.progress().message);
        assert.equal(engine.progress().rowsLoaded, 100_000);
        assert.equal(engine.progress().bytesLoaded, bytes.length);
        const { rows } = await engine.request("rows", { start: 99_998, count: 5, full: true });
        assert.deepEqual(rows, [["99998", String((99_998 * 7919) % 1000), `name-${99_998 % 97}`], ["99999", String((99_999 * 7919) % 1000), `name-${99_999 % 97}`]]);
        const sorted = await engine.setView({ sort: { column: 1, direction: "desc" }, filters: {} });
        assert.notEqual(sorted, SUPERSEDED);
        const top = (await engine.request("rows", { start: 0, count: 3, full: true })).rows;
        assert.deepEqual(top.map((r) => r[1]), ["999", "999", "999"], "numbers sorted as numbers, largest first");
        assert.ok(Number(top[0][0]) < Number(top[1][0]), "ties keep file order");
        const filtered = await engine.setView({ filters: {}, global: "NAME-96" });
        const named96 = Array.from({ length: 100_000 }, (_, i) => i % 97).filter((k) => k === 96).length;
        assert.ok(filtered !== SUPERSEDED && filtered.visibleRows === named96, JSON.stringify(filtered));
      } finally {
        await engine.dispose();
      }
    }
  });

  it("shows the host's first screen once, before the engine thread is asked for; what the grid asks at once is answered from the engine's rows", async () => {
    const bytes = csv(50_000);
    for (const format of ["quote-free", "quoted"] as const) {
      const body = format === "quoted" ? Buffer.from(bytes.toString().replace(/name-(\d+)/g, '"name, $1"')) : bytes;
      const file = memoryFile(body);
      let firstRangeReads = 0;
      const read = file.blobs.readRange.bind(file.blobs);
      file.blobs.readRange = async (container, name, offset, count, signal) => {
        if (offset === 0) firstRangeReads += 1;
        return read(container, name, offset, count, signal);
      };
      const inits: Array<{ rows: string[][]; columns: string[]; threadAsked: boolean }> = [];
      let threadAsked = false;
      let answer: Promise<string[][]> | undefined;
      const engine: PreviewEngine = new PreviewEngine([file], "csv", {
        worker: () => {
          threadAsked = true;
          return new Worker(WORKER, { stdout: false, stderr: true });
        },
        cap: 1_000_000, maxColumns: 100, maxHeldBytes: 1 << 30, parallelRanges: 4, rangeBytes: 1 << 20,
      }, {
        init: (columns, rows) => {
          inits.push({ rows, columns: columns.map((c) => c.name), threadAsked });
          // Asked before the thread exists or has read anything: queued, then answered from its rows.
          answer = engine.request("rows", { start: 150, count: 100, full: true }).then((r) => r.rows);
        },
        columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: () => undefined,
      });
      try {
        await engine.done;
        assert.equal(engine.progress().state, "done", engine.progress().message);
        assert.equal(inits.length, 1, "one first screen");
        assert.equal(inits[0].threadAsked, false, "shown before the thread was taken");
        assert.ok(engine.threadId > 0);
        assert.deepEqual(inits[0].columns, ["id", "score", "name"]);
        const expected = (i: number) => [String(i), String((i * 7919) % 1000), format === "quoted" ? `name, ${i % 97}` : `name-${i % 97}`];
        assert.deepEqual(inits[0].rows, Array.from({ length: 200 }, (_, i) => expected(i)));
        assert.deepEqual(await answer, Array.from({ length: 100 }, (_, i) => expected(150 + i)));
        assert.equal(firstRangeReads, 1, "the engine's first read was the host's bytes");
      } finally {
        await engine.dispose();
      }
    }
  });

  it("a preview closed before its first screen never takes a thread", async () => {
    let asked = 0;
    const file = memoryFile(csv(1000));
    const read = file.blobs.readRange.bind(file.blobs);
    file.blobs.readRange = async (...args) => {
      await new Promise((r) => setTimeout(r, 50));
      return read(...args);
    };
    const engine = new PreviewEngine([file], "csv", {
      worker: () => {
        asked += 1;
        return new Worker(WORKER);
      },
      cap: 1000, maxColumns: 100, maxHeldBytes: 1 << 30, parallelRanges: 4, rangeBytes: 1 << 20,
    }, { init: () => assert.fail("no screen after closing"), columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: () => undefined });
    await engine.dispose();
    assert.equal(await engine.exited, 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(asked, 0);
  });

  it("reads stitched files several at a time, their rows still in file order", async () => {
    let inFlight = 0;
    let most = 0;
    const files = Array.from({ length: 12 }, (_, day) => {
      const file = memoryFile(Buffer.from(`day,n\n${Array.from({ length: 500 }, (_, i) => `${day},${i}`).join("\n")}\n`), `2030/01/${day + 1}/data.csv`);
      const read = file.blobs.readRange.bind(file.blobs);
      file.blobs.readRange = async (...args) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Later files answer sooner: order must come from the engine, not the network.
        await new Promise((r) => setTimeout(r, 40 - day * 3));
        inFlight -= 1;
        return read(...args);
      };
      return file;
    });
    const { engine } = startEngine(files, { parallelRanges: 4 });
    try {
      await engine.done;
      assert.equal(engine.progress().state, "done", engine.progress().message);
      const { rows } = await engine.request("rows", { start: 0, count: 6000, full: true });
      assert.equal(rows.length, 6000);
      assert.deepEqual(rows.map((r) => `${r[1]}:${r[2]}`), files.flatMap((_, day) => Array.from({ length: 500 }, (_, i) => `${day}:${i}`)), "every row once, in file order");
      assert.ok(most >= 3 && most <= 5, `${most} files read at once (4 ahead of the parser, and the one it parses)`);
      assert.ok(files.every((f) => f.reads === 1), `one GET per small file: ${files.map((f) => f.reads).join(",")}`);
    } finally {
      await engine.dispose();
    }
  });

  it("a newer sort supersedes one still waiting or running; only the newest answers", async () => {
    const { engine } = startEngine([memoryFile(csv(200_000))]);
    try {
      await engine.done;
      const first = engine.setView({ sort: { column: 2, direction: "asc" }, filters: {} });
      const second = engine.setView({ sort: { column: 0, direction: "desc" }, filters: {} });
      assert.equal(await first, SUPERSEDED);
      const result = await second;
      assert.ok(result !== SUPERSEDED && result.visibleRows === 200_000);
      assert.deepEqual((await engine.request("rows", { start: 0, count: 1, full: true })).rows[0][0], "199999");
    } finally {
      await engine.dispose();
    }
  });

  it("a worker that runs out of memory becomes a message with Retry; closing ends the thread", async () => {
    // Quoted cells are held as strings, on the worker's heap (quote-free rows are bytes, outside it).
    const quoted = Buffer.from("a,b\n" + '"x",1\n'.repeat(2_000_000));
    const { engine, stopped } = startEngine([memoryFile(quoted)], { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 } });
    const code = await engine.exited;
    await engine.done;
    assert.notEqual(code, 0);
    assert.equal(stopped.length, 1);
    assert.match(stopped[0], /ran out of memory/);
    const notice = engine.progress().notices.find((n) => n.id === ENGINE_STOPPED);
    assert.equal(notice?.action?.kind, "retry");
    assert.equal(engine.progress().state, "error");
    await assert.rejects(engine.request("rows", { start: 0, count: 1, full: true }));

    const healthy = startEngine([memoryFile(csv(1000))]);
    await healthy.engine.done;
    await healthy.engine.dispose();
    assert.equal(await healthy.engine.exited, 1, "terminated");
    assert.deepEqual(healthy.stopped, [], "a closed preview is not a crash");
  });
});

describe("drift compare on an engine thread", () => {
  /** 20 features; in production f3, f8 and f15 drift (a mean shift, a wider spread, a new category). */
  function windowCsv(rows: number, seed: number, drifted: boolean): Buffer {
    let state = seed;
    const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
    const header = [...Array.from({ length: 20 }, (_, i) => `f${i}`), "$aml_dc_correlation_id"];
    const lines = [header.join(",")];
    for (let r = 0; r < rows; r++) {
      const cells = Array.from({ length: 20 }, (_, i) => {
        if (i === 15) return ["red", "green", "blue", ...(drifted ? ["violet", "violet", "violet"] : [])][Math.floor(uniform() * (drifted ? 6 : 3))];
        const spread = drifted && i === 8 ? 3 : 1;
        const shift = drifted && i === 3 ? 1 : 0;
        return (10 * i + shift + spread * normal()).toFixed(4);
      });
      lines.push([...cells, `id-${r}`].join(","));
    }
    return Buffer.from(lines.join("\n") + "\n");
  }

  it("finds the planted drift in 3 of 20 features and only there, exactly over every row", async () => {
    const reference = [memoryFile(windowCsv(3000, 1, false), "2030/01/01/data.csv"), memoryFile(windowCsv(3000, 2, false), "2030/01/02/data.csv")];
    const production = [memoryFile(windowCsv(3000, 3, true), "2030/01/03/data.csv"), memoryFile(windowCsv(3000, 4, true), "2030/01/04/data.csv")];
    const progress: string[] = [];
    const result = await runCompare({
      worker: new Worker(WORKER), reference: { label: "Jan 1–2", files: reference, format: "csv" }, production: { label: "Jan 3–4", files: production, format: "csv" },
      maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20, onProgress: (p) => progress.push(p.window),
    });
    assert.deepEqual([...result.drifted].sort(), ["f15", "f3", "f8"]);
    assert.equal(result.features.length, 20, "the id column is not a feature");
    assert.deepEqual(result.features.slice(0, 3).map((f) => f.name).sort(), ["f15", "f3", "f8"], "the drifted first");
    assert.equal(result.reference.rows, 6000);
    assert.equal(result.production.rows, 6000);
    const f15 = result.features.find((f) => f.name === "f15")!;
    assert.equal(f15.kind, "categorical");
    assert.equal(f15.chiSquaredTest, "contingency", "violet is new in production");
    assert.ok(f15.quality.production.outOfBoundsRate > 0.4);
    const f3 = result.features.find((f) => f.name === "f3")!;
    assert.equal(f3.kind, "numerical");
    assert.ok(f3.metrics.normalizedWasserstein! > 0.8, String(f3.metrics.normalizedWasserstein));
    assert.ok(progress.includes("reference") && progress.includes("production"));
  });

  it("a cancelled compare stops and says so; a window that cannot be read names itself", async () => {
    const controller = new AbortController();
    const big = memoryFile(windowCsv(200_000, 5, false));
    const run = runCompare({ worker: new Worker(WORKER), reference: { label: "a", files: [big], format: "csv" }, production: { label: "b", files: [big], format: "csv" },
      maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20, signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(run, (error: Error) => error.name === "AbortError");
    // Cancelled while the production days are read and sorted one by one: still a cancel, the thread alive until then.
    const days = Array.from({ length: 6 }, (_, i) => memoryFile(windowCsv(20_000, 20 + i, false), `2030/01/0${i + 1}/data.csv`));
    const later = new AbortController();
    await assert.rejects(runCompare({ worker: new Worker(WORKER), reference: { label: "a", files: days.slice(0, 3), format: "csv" },
      production: { label: "b", files: days.slice(3), format: "csv", buckets: ["2030-01-04", "2030-01-05", "2030-01-06"] },
      maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20, signal: later.signal, onProgress: (p) => p.window === "production" && p.filesDone >= 1 && later.abort() }),
    (error: Error) => error.name === "AbortError");
    const broken = memoryFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "model.zip");
    await assert.rejects(runCompare({ worker: new Worker(WORKER), reference: { label: "training data", files: [broken], format: "csv" }, production: { label: "b", files: [big], format: "csv" },
      maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20 }), /reference window \(training data\) could not be read: .*ZIP archive/);
  });
});

describe("a Parquet reference", () => {
  const fixture = (name: string) => readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", "drift", name));

  it("gives the same drift as the same rows in CSV (DuckDB's Parquet: doubles, bigints, strings; snappy, gzip, zstd)", async () => {
    const csv = fixture("training.csv");
    const drifted = Buffer.from(csv.toString("utf8").split("\n").map((line, i) => {
      if (i === 0 || line === "") return line;
      const [age, income, segment, clicks] = line.split(",");
      return [age, (Number(income) + 15000).toFixed(2), segment, clicks].join(",");
    }).join("\n"));
    const production = { label: "production", files: [memoryFile(drifted, "production.csv")], format: "csv" as const };
    const run = (reference: { label: string; files: PreviewFile[]; format: "csv" | "parquet" }) =>
      runCompare({ worker: new Worker(WORKER), reference, production, maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20 });
    const fromCsv = await run({ label: "training.csv", files: [memoryFile(csv, "training.csv")], format: "csv" });
    const summary = (r: typeof fromCsv) => r.features.map((f) => ({ name: f.name, kind: f.kind, metrics: f.metrics, drifted: f.drifted }));
    for (const name of ["training.parquet", "training-gzip.parquet", "training-zstd.parquet"]) {
      const fromParquet = await run({ label: name, files: [memoryFile(fixture(name), name)], format: "parquet" });
      assert.deepEqual(fromParquet.drifted, ["income"], name);
      assert.equal(fromParquet.reference.rows, 3000, name);
      assert.deepEqual(summary(fromParquet), summary(fromCsv), name);
    }
  });

  it("reads a file pandas (pyarrow) wrote, and says what it cannot read", async () => {
    const simple = memoryFile(fixture("pandas-simple.parquet"), "simple.parquet");
    const result = await runCompare({ worker: new Worker(WORKER), reference: { label: "a", files: [simple], format: "parquet" },
      production: { label: "b", files: [memoryFile(fixture("pandas-simple.parquet"), "simple.parquet")], format: "parquet" }, maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20 });
    assert.deepEqual(result.features.map((f) => [f.name, f.values.reference, f.drifted]), [["A", 3, false], ["B", 3, false]]);
    const notParquet = memoryFile(Buffer.from("a,b\n1,2\n"), "training.parquet");
    await assert.rejects(runCompare({ worker: new Worker(WORKER), reference: { label: "training data", files: [notParquet], format: "parquet" },
      production: { label: "b", files: [simple], format: "parquet" }, maxColumns: 100, parallelRanges: 4, rangeBytes: 1 << 20 }), /training data\) could not be read: training.parquet is not a Parquet file/);
  });
});
