// SQL over collected data: statements and DuckDB's error places, the cache (ETag, eviction, conversions,
// cancel), the views for both layouts with the preview's quirks (exact answers from DuckDB in its worker),
// and the confinement (each forbidden action refused).
import { describe, it, before, after } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { Readable } from "node:stream";
import { errorHeadline, errorOffset, splitStatements, statementAt } from "../../src/core/sql/sqlText";
import { CacheIndex, cacheTag, type CacheEntry } from "../../src/core/sql/cacheIndex";
import { BlobCache, type CacheBlob } from "../../src/sql/blobCache";
import { SqlEngine, SqlError } from "../../src/sql/sqlEngine";
import { csvViewSql, filesTableSql, jsonStructureSql, jsonViewSql, mergeStructures, viewNames, type WindowCollection, type WindowFile } from "../../src/core/sql/windowViews";
import { readWindowMarker, windowMarker, queryDocumentText } from "../../src/core/sql/queryHeader";
import { queryNotebookCells } from "../../src/core/sql/queryNotebook";
import type { BlobGateway } from "../../src/core/gateways";

const BUNDLE = join(__dirname, "..", "..");

/** Blobs held in memory; counts the ranged reads so a test can say "read no blob". */
function memoryBlobs(files: Record<string, Buffer | string>) {
  const reads: string[] = [];
  const bytes = (name: string) => {
    const value = files[name];
    if (value === undefined) throw new Error(`no blob ${name}`);
    return Buffer.isBuffer(value) ? value : Buffer.from(value, "utf8");
  };
  const refuse = () => Promise.reject(new Error("not here"));
  const gateway: BlobGateway = {
    accountName: "memory", listByHierarchy: refuse, listFlat: refuse, listContainers: refuse, download: refuse, readRange: refuse, blobUrl: (c, n) => `memory://${c}/${n}`,
    // A ranged GET answered in 1 KiB chunks, a little apart, as a network would.
    openStream: async (_c, name, offset, signal, count) => {
      if (signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
      reads.push(name);
      const range = bytes(name).subarray(offset, count === undefined ? undefined : offset + count);
      async function* chunks() {
        for (let at = 0; at < range.length; at += 1024) {
          await new Promise((r) => setImmediate(r));
          yield range.subarray(at, at + 1024);
        }
      }
      return { stream: Readable.from(chunks()), contentLength: range.length };
    },
  };
  const blob = (name: string, etag = "e1"): CacheBlob => ({ blobs: gateway, container: "c", name, size: bytes(name).length, etag, format: name.endsWith(".jsonl") ? "jsonl" : "csv" });
  return { gateway, reads, blob, files };
}

describe("SQL text", () => {
  it("splits statements, keeping quotes and comments whole, with offsets into the document", () => {
    const doc = "-- a comment; not a statement\nSELECT 'a;b' AS x;\n/* c; */ SELECT \"q;\" FROM t\n;\n  \n";
    const statements = splitStatements(doc);
    assert.deepEqual(statements.map((s) => s.text), ["SELECT 'a;b' AS x", "SELECT \"q;\" FROM t"]);
    assert.equal(doc.slice(statements[1].start, statements[1].end), "SELECT \"q;\" FROM t");
    assert.equal(statementAt(statements, doc.indexOf("FROM"))?.text, statements[1].text);
    assert.equal(statementAt(statements, 0)?.text, statements[0].text);
  });

  it("finds the place DuckDB's caret points at", () => {
    const statement = "SELECT 1\nFROM model_inputs\nWHERE nosuch > 1";
    const message = "Binder Error: Referenced column \"nosuch\" not found in FROM clause!\n\nLINE 3: WHERE nosuch > 1\n              ^";
    assert.equal(errorOffset(message, statement), statement.indexOf("nosuch"));
    assert.equal(errorHeadline(message), "Binder Error: Referenced column \"nosuch\" not found in FROM clause!");
  });

  it("ties a document to its window with a marker line that survives any node id", () => {
    const key = { nodeId: "emulator/ws/svc\n-- x", from: "2026-01-01", to: "2026-01-07" };
    assert.deepEqual(readWindowMarker(`-- title\n${windowMarker(key)}\nSELECT 1;`), key);
    assert.equal(readWindowMarker("-- @modeldata window=garbage\n"), undefined);
    const text = queryDocumentText({ title: "svc\nDROP TABLE x", key, views: [{ name: "inputs", collection: "inputs", files: 2, bytes: 10, columns: [{ name: "a", type: "BIGINT" }] }],
      others: ["_SUCCESS"], refused: [], converted: [], first: "inputs", formatBytes: (b) => `${b} B` });
    assert.ok(text.split("\n").every((line) => line === "" || line.startsWith("--") || /^(SELECT|FROM|ORDER|LIMIT)/.test(line)), text);
    assert.match(text, /-- {3}inputs {2}\(inputs: 2 files, 10 B\)/);
    assert.equal(splitStatements(text).length, 1);
    // Started on an hour: the views hold the day, the first query reads the hour.
    const hourText = queryDocumentText({ title: "t", key, views: [], others: [], refused: [], converted: [], first: "model_inputs", hour: 8, formatBytes: (b) => `${b} B` });
    assert.equal(splitStatements(hourText)[0].text, "SELECT *\nFROM model_inputs\nWHERE hour = 8\nORDER BY date, source\nLIMIT 1000");
  });
});

describe("query cache index", () => {
  const entry = (key: string, bytes: number, lastUsed: number, etag = "e"): CacheEntry => ({ key, etag, file: `${key}.csv`, bytes, lastUsed, meta: { format: "csv" } });

  it("drops the least recently used first, never what the window needs", () => {
    const index = new CacheIndex([entry("a", 40, 1), entry("b", 40, 2), entry("c", 40, 3)]);
    index.lookup("a", "e", 10);
    const out = index.add(entry("d", 40, 11), 100, new Set(["b", "d"]));
    // c was used last longest ago, then a (touched at 10); b and d are the window's.
    assert.deepEqual(out.map((e) => e.key), ["c", "a"]);
    assert.equal(index.totalBytes(), 80);
    assert.deepEqual(index.list().map((e) => e.key).sort(), ["b", "d"]);
  });

  it("a changed ETag is a miss, and storage without ETags is keyed by size and time", () => {
    const index = new CacheIndex([entry("a", 1, 1, "old")]);
    assert.equal(index.lookup("a", "new", 2), undefined);
    assert.equal(index.stale("a", "new")?.etag, "old");
    assert.equal(cacheTag({ size: 3, lastModified: new Date(0) }), "3@1970-01-01T00:00:00.000Z");
    assert.equal(cacheTag({ size: 3, etag: "x" }), "x");
  });
});

describe("query cache", () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "sqlcache-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("downloads a window in ranges once; a second ensure reads no blob; a changed ETag is fetched again", async () => {
    const big = "a,b\n" + Array.from({ length: 5000 }, (_, i) => `${i},x${i}`).join("\n") + "\n";
    const m = memoryBlobs({ "d/1.csv": big, "d/2.csv": "a,b\n1,2\n" });
    const cache = new BlobCache({ root: join(root, "one"), limitBytes: () => 1e9, parallelRanges: 3, rangeBytes: 4096 });
    const seen: number[] = [];
    const one = m.blob("d/1.csv");
    const first = await cache.ensure([one, m.blob("d/2.csv")], new AbortController().signal, (done) => seen.push(done));
    assert.equal(first.downloadedBlobs, 2);
    assert.ok(m.reads.length >= Math.ceil(big.length / 4096), "read in ranges");
    assert.equal(seen[seen.length - 1], big.length + 8);
    assert.equal(readFileSync(first.files.get(one)?.path as string, "utf8"), big);
    assert.deepEqual(first.files.get(one)?.meta, { format: "csv", columns: ["a", "b"], hasHeader: true });
    m.reads.length = 0;
    const again = await new BlobCache({ root: join(root, "one"), limitBytes: () => 1e9, parallelRanges: 3, rangeBytes: 4096 })
      .ensure([m.blob("d/1.csv"), m.blob("d/2.csv")], new AbortController().signal, () => undefined);
    assert.equal(again.downloadedBlobs, 0);
    assert.equal(m.reads.length, 0, "the index on disk answers a new cache object too");
    m.files["d/2.csv"] = "a,b\n3,4\n";
    const changed = await cache.ensure([m.blob("d/1.csv"), m.blob("d/2.csv", "e2")], new AbortController().signal, () => undefined);
    assert.equal(changed.downloadedBlobs, 1);
    assert.equal(readFileSync(changed.files.get([...changed.files.keys()].find((b) => b.name === "d/2.csv") as CacheBlob)?.path as string, "utf8"), "a,b\n3,4\n");
    assert.equal(readdirSync(join(root, "one", "blobs")).length, 2, "the stale copy is gone");
  });

  it("keeps within its limit (least recently used out) and refuses a window larger than the limit", async () => {
    const m = memoryBlobs({ "x/1.csv": "a\n" + "1\n".repeat(400), "x/2.csv": "a\n" + "2\n".repeat(400), "x/3.csv": "a\n" + "3\n".repeat(400) });
    const cache = new BlobCache({ root: join(root, "lru"), limitBytes: () => 1700, parallelRanges: 2, rangeBytes: 1 << 20 });
    await cache.ensure([m.blob("x/1.csv")], new AbortController().signal, () => undefined);
    await cache.ensure([m.blob("x/2.csv")], new AbortController().signal, () => undefined);
    await cache.ensure([m.blob("x/3.csv")], new AbortController().signal, () => undefined);
    const usage = await cache.usage();
    assert.equal(usage.entries, 2);
    assert.ok(usage.bytes <= 1700);
    m.reads.length = 0;
    const back = await cache.ensure([m.blob("x/1.csv")], new AbortController().signal, () => undefined);
    assert.equal(back.downloadedBlobs, 1, "the oldest was evicted");
    await assert.rejects(cache.ensure([m.blob("x/1.csv"), m.blob("x/2.csv"), m.blob("x/3.csv")], new AbortController().signal, () => undefined),
      /holds 2\.3 KB of collected data, more than the query cache's 1\.7 KB \(setting modelData\.query\.cacheSizeGB\)/);
  });

  it("converts what DuckDB would misread (gzip, UTF-16, a BOM, Latin-1) and leaves out what is not text, in the preview's words", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name,city\nÅsa,Malmö\n", "utf16le")]);
    const m = memoryBlobs({
      "g/1.csv": gzipSync(Buffer.from("a,b\n1,2\n")), "u/1.csv": utf16, "b/1.csv": Buffer.from("\ufeffa,b\n1,2\n", "utf8"),
      "l/1.csv": Buffer.from("name\nJos\xe9\n", "latin1"), "p/1.csv": Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
    });
    const cache = new BlobCache({ root: join(root, "conv"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 1 << 20 });
    const blobs = ["g/1.csv", "u/1.csv", "b/1.csv", "l/1.csv", "p/1.csv"].map((n) => m.blob(n));
    const result = await cache.ensure(blobs, new AbortController().signal, () => undefined);
    const text = (i: number) => readFileSync(result.files.get(blobs[i])?.path as string, "utf8");
    assert.equal(text(0), "a,b\n1,2\n");
    assert.equal(text(1), "name,city\nÅsa,Malmö\n");
    assert.equal(text(2), "a,b\n1,2\n");
    assert.equal(text(3), "name\nJosé\n");
    assert.match(result.files.get(blobs[0])?.note ?? "", /decompressed gzip/);
    assert.match(result.files.get(blobs[3])?.note ?? "", /not valid UTF-8, read as Latin-1/);
    assert.equal(result.refused.length, 1);
    assert.match(result.refused[0].reason, /holds a ZIP archive, not CSV or JSONL text/);
  });

  it("a cancelled download leaves no partial file and no entry", async () => {
    const m = memoryBlobs({ "c/1.csv": "a\n" + "1\n".repeat(200_000) });
    const cache = new BlobCache({ root: join(root, "cancel"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 4096 });
    const controller = new AbortController();
    const run = cache.ensure([m.blob("c/1.csv")], controller.signal, (done) => {
      if (done > 20_000) controller.abort();
    });
    await assert.rejects(run, /Cancelled|aborted/);
    assert.deepEqual(readdirSync(join(root, "cancel", "blobs")), []);
    assert.equal((await cache.usage()).entries, 0);
  });
});

describe("views over the cached files, answered by DuckDB", () => {
  let root: string;
  let engine: SqlEngine;
  let session: number;
  const write = (name: string, content: string | Buffer) => {
    const path = join(root, name);
    writeFileSync(path, content);
    return path;
  };
  const rows = async (sql: string) => (await engine.query(session, sql, { kind: "rows", limit: 1000 })).rows;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "sqlviews-"));
    engine = new SqlEngine({ bundleDir: BUNDLE, root, threads: 2, memoryLimit: "256MB" });
    session = await engine.session();
    // Legacy: a day with a header, a day written without feature_names (no header: the collector's layout),
    // a day whose header adds a column (stitched by name).
    const sys = "ws-id-0000-0000-0000-000000000000";
    const tail = (i: number) => `11111111-2222-3333-4444-55555555555${i},2026-01-0${i}T10:00:00.123,1440,sub/rg/ws,svc,churn,4,req-${i}`;
    const aml = "$aml_dc_correlation_id,$aml_dc_scoring_timestamp,$aml_dc_boundary,$aml_workspace,$aml_service_name,$aml_model_name,$aml_model_version,$aml_request_id";
    void sys;
    const files: WindowFile[] = [
      { path: write("l1.csv", `age,income,${aml}\n30,100.5,${tail(1)}\n40,200,${tail(1)}\n`), format: "csv", source: "2026/1/1/data.csv", date: "2026-01-01", columns: ["age", "income", ...aml.split(",")], hasHeader: true },
      { path: write("l2.csv", `50,300,${tail(2)}\n`), format: "csv", source: "2026/1/2/data.csv", date: "2026-01-02", columns: ["feature_1", "feature_2", ...aml.split(",")], hasHeader: false },
      { path: write("l3.csv", `age,income,city,${aml}\n60,400,"Oslo, ""NO""",${tail(3)}\n`), format: "csv", source: "2026/1/3/data.csv", date: "2026-01-03", columns: ["age", "income", "city", ...aml.split(",")], hasHeader: true },
    ];
    // Current: an array of rows, a single-row object, a payload kept in its own blob, a scalar item, a nested
    // value, mixed types in one key, a malformed line and a record without data.
    const jsonl = [
      { time: "2026-01-01T08:00:01Z", correlationid: "a", data: [{ x: 1, y: "p" }, { x: 2, y: "q", nested: { k: [1, 2] } }] },
      { time: "2026-01-01T08:00:02Z", correlationid: "b", data: { x: 3, y: 7 } },
      { time: "2026-01-01T08:00:03Z", correlationid: "c", data: "https://acct.blob.core.windows.net/c/payloads/c.json", datainblob: "true" },
      { time: "2026-01-01T08:00:04Z", correlationid: "d", data: [5] },
      { time: "2026-01-01T08:00:05Z", correlationid: "e" },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n{not json\n";
    const current: WindowFile[] = [{ path: write("c1.jsonl", jsonl), format: "jsonl", source: "2026/01/01/08/inst.jsonl", date: "2026-01-01", hour: "08" }];
    const collections: WindowCollection[] = [{ name: "inputs", files }, { name: "model_inputs", files: current }];
    await engine.define(session, [filesTableSql(collections), csvViewSql("inputs", files)]);
    const shapes = await engine.query(session, jsonStructureSql(current), { kind: "rows", limit: 1000 });
    await engine.define(session, [jsonViewSql("model_inputs", current, shapes.rows.map((r) => String(r[0])))]);
  });
  after(() => {
    engine.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it("merges item shapes: whole and fractional numbers widen to DOUBLE, mixed kinds and nested values become text, order as first seen", () => {
    assert.deepEqual(mergeStructures(['{"a":"UBIGINT","b":"VARCHAR","n":"NULL"}', '{"a":"DOUBLE","c":{"k":"UBIGINT"},"b":"UBIGINT","f":"BOOLEAN"}', '{"a":"BIGINT","f":"BOOLEAN","n":"NULL"}']),
      [["a", "DOUBLE"], ["b", "VARCHAR"], ["n", "VARCHAR"], ["c", "VARCHAR"], ["f", "BOOLEAN"]]);
    assert.deepEqual(mergeStructures(['{"x":"UBIGINT"}', '{"x":"BIGINT"}', "not json"]), [["x", "BIGINT"]]);
  });

  it("names views after collections, uniquely and safely", () => {
    assert.deepEqual([...viewNames(["model_inputs", "Model-Inputs", "2024 scores", "date"]).values()], ["model_inputs", "model_inputs_2", "c_2024_scores", "date_2"]);
  });

  it("legacy CSV: the preview's names, stitched by name, with source, date and no hour", async () => {
    const answer = await engine.query(session, "SELECT age, income, feature_1, city, \"$aml_model_version\", source, date, hour FROM inputs ORDER BY date, age", { kind: "rows", limit: 100 });
    assert.deepEqual(answer.rows, [
      [30, 100.5, null, null, 4, "2026/1/1/data.csv", "2026-01-01", null],
      [40, 200, null, null, 4, "2026/1/1/data.csv", "2026-01-01", null],
      [null, null, 50, null, 4, "2026/1/2/data.csv", "2026-01-02", null],
      [60, 400, null, "Oslo, \"NO\"", 4, "2026/1/3/data.csv", "2026-01-03", null],
    ]);
  });

  it("current JSON lines: one row per data item, time and correlationid first, $payload for a blob of its own, hour from the path", async () => {
    const answer = await engine.query(session, "SELECT * FROM model_inputs ORDER BY time, x", { kind: "rows", limit: 100 });
    assert.deepEqual(answer.columns.map((c) => c.name), ["time", "correlationid", "correlation_key", "x", "y", "nested", "value", "$payload", "source", "date", "hour"]);
    assert.deepEqual(answer.rows.map((r) => r.slice(0, 8)), [
      ["2026-01-01T08:00:01Z", "a", "a_0", 1, "p", null, null, null],
      ["2026-01-01T08:00:01Z", "a", "a_1", 2, "q", "{\"k\":[1,2]}", null, null],
      ["2026-01-01T08:00:02Z", "b", "b_0", 3, "7", null, null, null],
      ["2026-01-01T08:00:03Z", "c", "c_0", null, null, null, null, "https://acct.blob.core.windows.net/c/payloads/c.json"],
      ["2026-01-01T08:00:04Z", "d", "d_0", null, null, null, 5, null],
    ]);
    assert.deepEqual(answer.rows[0].slice(8), ["2026/01/01/08/inst.jsonl", "2026-01-01", 8]);
    assert.equal(answer.columns.find((c) => c.name === "x")?.type, "BIGINT");
  });

  it("a join of the two views and an aggregate answer exactly", async () => {
    assert.deepEqual(await rows("SELECT count(*) AS n, sum(age) AS s FROM inputs"), [[4, 130]]);
    assert.deepEqual(await rows("SELECT i.date, count(*) FROM inputs i JOIN model_inputs m USING (date) GROUP BY ALL ORDER BY 1"), [["2026-01-01", 10]]);
  });

  it("caps rows as asked and says the answer was cut", async () => {
    const answer = await engine.query(session, "SELECT * FROM range(5000)", { kind: "rows", limit: 10 });
    assert.equal(answer.rows.length, 10);
    assert.equal(answer.truncated, true);
  });

  it("writes an answer with COPY (CSV with a header; Parquet) and a DESCRIBE's too", async () => {
    const csv = join(root, "answer.csv");
    const answer = await engine.query(session, "SELECT age, count(*) AS n FROM inputs GROUP BY age ORDER BY age NULLS LAST", { kind: "file", path: csv, format: "csv" });
    assert.equal(answer.rowCount, 4);
    assert.equal(readFileSync(csv, "utf8"), "age,n\n30,1\n40,1\n60,1\n,1\n");
    const parquet = join(root, "answer.parquet");
    await engine.query(session, "SELECT * FROM model_inputs", { kind: "file", path: parquet, format: "parquet" });
    assert.deepEqual(await rows(`SELECT count(*) FROM read_parquet('${parquet}')`), [[5]]);
    const described = join(root, "described.csv");
    await engine.query(session, "DESCRIBE inputs", { kind: "file", path: described, format: "csv" });
    assert.match(readFileSync(described, "utf8"), /^column_name,column_type/);
  });

  it("says DuckDB's error with the place it points at", async () => {
    const sql = "SELECT nosuch FROM inputs";
    const error = await engine.query(session, sql, { kind: "rows", limit: 1 }).then(() => undefined, (e) => e as SqlError);
    assert.ok(error instanceof SqlError);
    assert.match(error.message, /Referenced column "nosuch" not found/);
    assert.equal(errorOffset(error.message, sql), sql.indexOf("nosuch"));
    // DuckDB cuts a long line to a window around the place (with "..."): the place is still found.
    const long = `SELECT ${Array.from({ length: 40 }, (_, i) => `age AS a${i}`).join(", ")}, nosuch2 FROM inputs`;
    const cut = await engine.query(session, long, { kind: "rows", limit: 1 }).then(() => undefined, (e) => e as SqlError);
    assert.match(cut?.message ?? "", /LINE 1: \.\.\./);
    assert.equal(errorOffset(cut?.message ?? "", long), long.indexOf("nosuch2"));
  });

  it("Cancel interrupts a running query", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = engine.query(session, "SELECT count(*) FROM range(20000000000) a WHERE a.range % 7 = 3", { kind: "rows", limit: 1 }, controller.signal);
    setTimeout(() => controller.abort(), 200);
    const error = await run.then(() => undefined, (e) => e as SqlError);
    assert.ok(error instanceof SqlError && error.cancelled, String(error));
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(await rows("SELECT 1"), [[1]], "the session still answers");
  });

  it("is confined: no file outside the cache, no network, no extensions, no settings changed", async () => {
    const refused: Array<[string, RegExp]> = [
      ["SELECT * FROM read_csv('/etc/passwd')", /Permission Error/],
      [`SELECT * FROM read_csv('${root}/../../etc/passwd')`, /Permission Error/],
      ["COPY (SELECT 1) TO '/tmp/modeldata-escape.csv'", /Permission Error/],
      ["SELECT * FROM read_csv('https://example.com/x.csv')", /Permission Error|disabled/],
      ["ATTACH '/tmp/modeldata-escape.db'", /Permission Error/],
      ["INSTALL httpfs", /Permission Error|disabled/],
      ["LOAD httpfs", /Permission Error|disabled/],
      ["SET enable_external_access = true", /configuration has been locked/],
      ["SET allowed_directories = ['/']", /configuration has been locked/],
      ["SET lock_configuration = false", /configuration has been locked/],
      ["SELECT * FROM glob('/etc/*')", /Permission Error/],
    ];
    for (const [sql, expected] of refused) {
      const error = await engine.query(session, sql, { kind: "rows", limit: 1 }).then(() => undefined, (e) => e as Error);
      assert.ok(error, `${sql} was allowed`);
      assert.match(error.message, expected, sql);
    }
  });
});

describe("closing DuckDB", () => {
  it("ends its thread by itself, a running query answered as closed, the process unharmed", async () => {
    const root = mkdtempSync(join(tmpdir(), "sqlclose-"));
    const engine = new SqlEngine({ bundleDir: BUNDLE, root, threads: 2, memoryLimit: "128MB" });
    // The thread does not hold the process open (unref'd): this test waits for it.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      const session = await engine.session();
      await engine.query(session, "SELECT 42", { kind: "rows", limit: 1 });
      const worker = (engine as unknown as { worker: import("node:worker_threads").Worker }).worker;
      const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
      // Long enough to be under way when DuckDB is closed (terminating the thread then had aborted the process).
      const running = engine.query(session, "SELECT count(*) FROM range(10000000000) a", { kind: "rows", limit: 1 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      engine.dispose();
      await assert.rejects(running, /closed|cancelled/);
      assert.equal(await exited, 0, "the thread ended on its own");
      // And a new query opens DuckDB again.
      const again = await engine.session();
      assert.deepEqual((await engine.query(again, "SELECT 7 AS n", { kind: "rows", limit: 1 })).rows, [[7]]);
    } finally {
      clearInterval(keepAlive);
      engine.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a build without DuckDB", () => {
  it("says Query Data needs the platform's VSIX before anything starts", async () => {
    const bare = mkdtempSync(join(tmpdir(), "nobinding-"));
    const engine = new SqlEngine({ bundleDir: join(bare, "dist"), root: join(bare, "cache"), threads: 1, memoryLimit: "64MB" });
    assert.match(engine.unavailable() ?? "", /^Query Data needs DuckDB, which this build of the extension does not carry for .+\. Install the VSIX built for your platform/);
    await assert.rejects(engine.session(), /Query Data needs DuckDB/);
    rmSync(bare, { recursive: true, force: true });
  });
});

describe("query notebook", () => {
  it("fetches the same blobs and runs the extension's statements with local paths, no secret written", () => {
    const cells = queryNotebookCells({ title: "svc · 2026-01-01", sql: "SELECT count(*) FROM inputs", statements: ["CREATE VIEW inputs AS SELECT * FROM read_csv(['/cache/blobs/ab.csv'])"],
      sources: [{ path: "/cache/blobs/ab.csv", container: "c", name: "a/b/data.csv", auth: { kind: "connectionStringEnv", variable: "AZURE_STORAGE_CONNECTION_STRING" } }], converted: [] });
    const code = cells.filter((c) => c.kind === "code").map((c) => c.text).join("\n");
    assert.match(code, /\("c\/a\/b\/data\.csv", "modeldata_query\/ab\.csv"\)/);
    assert.match(code, /read_csv\(\['modeldata_query\/ab\.csv'\]\)/);
    assert.doesNotMatch(code, /\/cache\/blobs/);
    assert.match(code, /os\.environ\["AZURE_STORAGE_CONNECTION_STRING"\]/);
    assert.match(code, /con\.sql\("SELECT count\(\*\) FROM inputs"\)/);
  });
});
