// The host's side of the SQL worker: started on the first query (DuckDB's 60 MB library is not loaded at
// activation), one request at a time per id, Cancel interrupts DuckDB. Where the platform's DuckDB is not
// in this build, `available()` says so in words and nothing else is affected.
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FromSqlWorker, QueryOutput, SqlColumn, ToSqlWorker } from "./sqlProtocol";

export interface SqlAnswer {
  columns: SqlColumn[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  ms: number;
}

export class SqlError extends Error {
  constructor(message: string, readonly cancelled: boolean) {
    super(message);
  }
}

export interface SqlEngineOptions {
  /** dist/ (or out/): where sqlWorker.js and duckdb/<platform>-<arch>/ are. */
  bundleDir: string;
  /** The query cache's folder: the only place DuckDB may read or write. */
  root: string;
  threads: number;
  memoryLimit: string;
}

/** Whether this build carries DuckDB for this platform (the platform VSIXs do; the universal one does not). */
export function bindingPresent(bundleDir: string): boolean {
  if (existsSync(join(bundleDir, "duckdb", `${process.platform}-${process.arch}`, "duckdb.node"))) return true;
  // The test build loads DuckDB from node_modules.
  return existsSync(join(bundleDir, "..", "node_modules", "@duckdb", `node-bindings-${process.platform}-${process.arch}`, "duckdb.node"));
}

export class SqlEngine {
  private worker: Worker | undefined;
  private opening: Promise<string> | undefined;
  private nextId = 1;
  private nextSession = 1;
  private readonly waiting = new Map<number, { resolve: (a: SqlAnswer) => void; reject: (e: Error) => void }>();

  constructor(private readonly options: SqlEngineOptions) {}

  /** DuckDB's version once it is open; a clear refusal when this build or platform has no DuckDB. */
  open(): Promise<string> {
    this.opening ??= this.start().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  get memoryLimit(): string {
    return this.options.memoryLimit;
  }

  /** Why SQL cannot run in this build, or undefined when it can (checked before anything is downloaded). */
  unavailable(): string | undefined {
    return bindingPresent(this.options.bundleDir) ? undefined
      : `Query Data needs DuckDB, which this build of the extension does not carry for ${process.platform}-${process.arch}. Install the VSIX built for your platform (README, "Install"); everything else works without it.`;
  }

  private async start(): Promise<string> {
    const missing = this.unavailable();
    if (missing) throw new Error(missing);
    await mkdir(join(this.options.root, "spill"), { recursive: true });
    const worker = new Worker(join(this.options.bundleDir, "sqlWorker.js"), { stdout: false, stderr: false });
    worker.unref();
    this.worker = worker;
    const version = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: FromSqlWorker) => {
        if (message.type === "opened") resolve(message.version);
        else if (message.type === "openFailed") reject(new Error(`DuckDB could not start here: ${message.message}`));
        else this.answer(message);
      };
      worker.on("message", onMessage);
      worker.once("error", (error) => reject(new Error(`DuckDB could not start here: ${error.message}`)));
      worker.once("exit", (code) => {
        reject(new Error(`DuckDB's thread ended (exit code ${code}) before it opened.`));
        // A thread closed by dispose() ends too: only the current one's end is a loss.
        if (this.worker === worker) this.lost(code);
      });
      this.post({ type: "open", root: this.options.root, threads: this.options.threads, memoryLimit: this.options.memoryLimit });
    });
    return version;
  }

  private lost(code: number): void {
    this.worker = undefined;
    this.opening = undefined;
    for (const { reject } of this.waiting.values()) reject(new SqlError(`DuckDB's thread ended (exit code ${code}); run the query again.`, false));
    this.waiting.clear();
  }

  private answer(message: FromSqlWorker): void {
    if (message.type !== "done" && message.type !== "failed") return;
    const waiter = this.waiting.get(message.id);
    if (!waiter) return;
    this.waiting.delete(message.id);
    if (message.type === "done") waiter.resolve({ columns: message.columns, rows: message.rows, rowCount: message.rowCount, truncated: message.truncated, ms: message.ms });
    else waiter.reject(new SqlError(message.message, message.cancelled));
  }

  private post(message: ToSqlWorker): void {
    this.worker?.postMessage(message);
  }

  private request(make: (id: number) => ToSqlWorker, signal?: AbortSignal): Promise<SqlAnswer> {
    const id = this.nextId++;
    return new Promise<SqlAnswer>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SqlError("The query was cancelled.", true));
        return;
      }
      const onAbort = () => this.post({ type: "cancel", id });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.set(id, {
        resolve: (a) => { signal?.removeEventListener("abort", onAbort); resolve(a); },
        reject: (e) => { signal?.removeEventListener("abort", onAbort); reject(e); },
      });
      this.post(make(id));
    });
  }

  /** A new session (its own connection and TEMP views). */
  async session(): Promise<number> {
    await this.open();
    return this.nextSession++;
  }

  /** Runs the statements that make a session's views, in order; a failure names which. */
  async define(session: number, statements: string[], signal?: AbortSignal): Promise<void> {
    await this.open();
    await this.request((id) => ({ type: "session", session, statements, id }), signal);
  }

  async query(session: number, sql: string, output: QueryOutput, signal?: AbortSignal): Promise<SqlAnswer> {
    await this.open();
    return this.request((id) => ({ type: "query", session, id, sql, output }), signal);
  }

  close(session: number): void {
    this.post({ type: "close", session });
  }

  /** Ends DuckDB: the thread closes it and ends by itself (terminating it mid-work aborted the process). */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.opening = undefined;
    if (!worker) return;
    for (const { reject } of this.waiting.values()) reject(new SqlError("DuckDB was closed.", true));
    this.waiting.clear();
    worker.postMessage({ type: "shutdown" } satisfies ToSqlWorker);
  }
}
