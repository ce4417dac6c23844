// The SQL worker: DuckDB, off the extension host's thread. One connection per query document (its views are
// TEMP, so documents over different windows do not see each other's), confined before the first query:
// files only under the cache folder, no network, no extensions, settings locked.
import { parentPort } from "node:worker_threads";
import { join } from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from "@duckdb/node-api";
import type { FromSqlWorker, QueryOutput, SqlColumn, ToSqlWorker } from "./sqlProtocol";
import { quoteIdent, quoteLiteral } from "../core/sql/sqlText";
import { confinementStatements } from "../core/sql/confinement";

const port = parentPort;
if (!port) throw new Error("sqlWorker runs as a worker thread");

let instance: DuckDBInstance | undefined;
const sessions = new Map<number, DuckDBConnection>();
/** The connection each running request uses, for Cancel. */
const running = new Map<number, DuckDBConnection>();
const cancelled = new Set<number>();
/** Work under way (opening, statements, queries): a shutdown waits for it. */
const inflight = new Set<Promise<unknown>>();

function track(work: Promise<unknown>): void {
  inflight.add(work);
  void work.finally(() => inflight.delete(work));
}

/**
 * Ends DuckDB and then this thread: running queries are interrupted, and once they have answered the
 * connections and the instance are closed. The host does not terminate this
 * thread: terminating it while DuckDB's native code had work under way aborted the whole process
 * ("terminate called after throwing an instance of 'Napi::Error'"), the extension host with it.
 */
async function shutdown(): Promise<void> {
  for (const conn of running.values()) conn.interrupt();
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  for (const conn of sessions.values()) conn.closeSync();
  sessions.clear();
  instance?.closeSync();
  instance = undefined;
  // DuckDB is closed, nothing native is under way: the thread can end (its ports alone kept it alive).
  process.exit(0);
}

function send(message: FromSqlWorker): void {
  port?.postMessage(message);
}

async function open(root: string, threads: number, memoryLimit: string): Promise<void> {
  try {
    const duckdb = await import("@duckdb/node-api");
    instance = await duckdb.DuckDBInstance.create(":memory:", {
      threads: String(threads), memory_limit: memoryLimit, temp_directory: join(root, "spill"),
      autoinstall_known_extensions: "false", autoload_known_extensions: "false", allow_community_extensions: "false",
      allow_unsigned_extensions: "false", allow_persistent_secrets: "false",
      // Memory a finished task freed goes back to the system past 16 MB (DuckDB's default keeps 128 MB): the
      // extension host's process stays small between a training set's chunks (measured: 4 weeks peaked at 365 MB, not 436).
      allocator_flush_threshold: "16MB",
    });
    const setup = await instance.connect();
    for (const statement of confinementStatements(root)) await setup.run(statement);
    setup.closeSync();
    send({ type: "opened", version: duckdb.version() });
  } catch (error) {
    send({ type: "openFailed", message: (error as Error)?.message ?? String(error) });
  }
}

async function connection(session: number): Promise<DuckDBConnection> {
  if (!instance) throw new Error("DuckDB is not open.");
  let connection = sessions.get(session);
  if (!connection) {
    connection = await instance.connect();
    sessions.set(session, connection);
  }
  return connection;
}

async function defineSession(session: number, statements: string[], id: number): Promise<void> {
  const started = performance.now();
  const conn = await connection(session);
  running.set(id, conn);
  try {
    for (const statement of statements) {
      if (cancelled.has(id)) throw new Error("INTERRUPT");
      try {
        await conn.run(statement);
      } catch (error) {
        fail(id, error);
        return;
      }
    }
    send({ type: "done", id, columns: [], rows: [], rowCount: 0, truncated: false, ms: performance.now() - started });
  } finally {
    running.delete(id);
    cancelled.delete(id);
  }
}

const INTEGER_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"]);

/** Rows as plain JSON: DuckDB's JSON forms, whole numbers as numbers where they fit. */
function plainRows(reader: DuckDBResultReader, columns: SqlColumn[], limit: number): unknown[][] {
  const rows = reader.getRowsJson().slice(0, limit) as unknown[][];
  const whole = columns.map((c) => INTEGER_TYPES.has(c.type));
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (whole[i] && typeof row[i] === "string") {
        const n = Number(row[i]);
        if (Number.isSafeInteger(n)) row[i] = n;
      }
    }
  }
  return rows;
}

function columnsOf(reader: DuckDBResultReader): SqlColumn[] {
  return reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
}

/** A statement whose answer COPY can write as it is (COPY takes a query, not DESCRIBE, SHOW or PRAGMA). */
function copyable(sql: string): boolean {
  return /^\s*(\(|select\b|with\b|from\b|values\b|table\b)/i.test(sql);
}

function copyOptions(format: "csv" | "parquet"): string {
  // Snappy: what every Parquet reader takes (Spark on Azure ML, pandas, hyparquet without extra codecs).
  return format === "csv" ? "(FORMAT csv, HEADER true)" : "(FORMAT parquet, COMPRESSION snappy)";
}

async function runQuery(session: number, id: number, sql: string, output: QueryOutput): Promise<void> {
  const started = performance.now();
  const conn = await connection(session);
  running.set(id, conn);
  try {
    // Prepared first: the statement's own errors point into the user's text, not into a COPY around it.
    // Its native statement is freed at once, not when the garbage collector gets to it.
    (await conn.prepare(sql)).destroySync();
    if (output.kind === "file" && copyable(sql)) {
      const described = await conn.runAndReadUntil(`DESCRIBE ${sql}`, 100_000).catch(() => undefined);
      const result = await conn.run(`COPY (${sql}) TO ${quoteLiteral(output.path)} ${copyOptions(output.format)}`);
      const rowCount = Number((await result.getRowsJS())[0]?.[0] ?? 0);
      const columns = described ? (described.getRowsJson() as string[][]).map((r) => ({ name: String(r[0]), type: String(r[1]) })) : [];
      send({ type: "done", id, columns, rows: [], rowCount, truncated: false, ms: performance.now() - started });
      return;
    }
    if (output.kind === "file") {
      // DESCRIBE, SHOW, SUMMARIZE…: small answers, taken whole and written by a table DuckDB holds.
      const reader = await conn.streamAndReadUntil(sql, Number.MAX_SAFE_INTEGER);
      const columns = columnsOf(reader);
      const table = `__modeldata_answer_${id}`;
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM (${valuesOf(reader, columns)})`);
      await conn.run(`COPY ${table} TO ${quoteLiteral(output.path)} ${copyOptions(output.format)}`);
      await conn.run(`DROP TABLE ${table}`);
      send({ type: "done", id, columns, rows: [], rowCount: reader.currentRowCount, truncated: false, ms: performance.now() - started });
      return;
    }
    const reader = await conn.streamAndReadUntil(sql, output.limit + 1);
    const columns = columnsOf(reader);
    const truncated = !reader.done && reader.currentRowCount > output.limit;
    send({ type: "done", id, columns, rows: plainRows(reader, columns, output.limit), rowCount: Math.min(reader.currentRowCount, output.limit), truncated, ms: performance.now() - started });
  } catch (error) {
    fail(id, error);
  } finally {
    running.delete(id);
    cancelled.delete(id);
  }
}

/** A reader's rows as a VALUES list of text (for answers COPY cannot take directly). */
function valuesOf(reader: DuckDBResultReader, columns: SqlColumn[]): string {
  const rows = reader.getRowsJson() as unknown[][];
  const names = columns.map((c) => quoteIdent(c.name)).join(", ");
  if (rows.length === 0) return `SELECT ${columns.map((c) => `NULL::VARCHAR AS ${quoteIdent(c.name)}`).join(", ") || "NULL AS result"} WHERE false`;
  const text = (v: unknown) => (v === null || v === undefined ? "NULL" : quoteLiteral(typeof v === "string" ? v : JSON.stringify(v)));
  return `SELECT * FROM (VALUES ${rows.map((r) => `(${r.map(text).join(", ")})`).join(", ")}) AS v(${names})`;
}

function fail(id: number, error: unknown): void {
  const message = (error as Error)?.message ?? String(error);
  const wasCancelled = cancelled.has(id) || /INTERRUPT/i.test(message);
  send({ type: "failed", id, message: wasCancelled ? "The query was cancelled." : message, cancelled: wasCancelled });
}

port.on("message", (message: ToSqlWorker) => {
  switch (message.type) {
    case "open":
      track(open(message.root, message.threads, message.memoryLimit));
      break;
    case "session":
      track(defineSession(message.session, message.statements, message.id).catch((error) => fail(message.id, error)));
      break;
    case "query":
      track(runQuery(message.session, message.id, message.sql, message.output).catch((error) => fail(message.id, error)));
      break;
    case "shutdown":
      void shutdown();
      break;
    case "cancel": {
      cancelled.add(message.id);
      running.get(message.id)?.interrupt();
      break;
    }
    case "close":
      sessions.get(message.session)?.closeSync();
      sessions.delete(message.session);
      break;
  }
});
