// Messages between the extension host and the SQL worker (sqlWorker.ts), which holds DuckDB.

export interface SqlColumn {
  name: string;
  type: string;
}

/** What a query's answer is made into: rows as plain JSON (capped), or a file DuckDB writes with COPY … TO. */
export type QueryOutput = { kind: "rows"; limit: number } | { kind: "file"; path: string; format: "csv" | "parquet" };

export type ToSqlWorker =
  | { type: "open"; root: string; threads: number; memoryLimit: string }
  | { type: "session"; session: number; statements: string[]; id: number }
  | { type: "query"; session: number; id: number; sql: string; output: QueryOutput }
  | { type: "cancel"; id: number }
  | { type: "close"; session: number }
  /** Close everything and end (the thread is never terminated from outside: see sqlWorker's shutdown). */
  | { type: "shutdown" };

export type FromSqlWorker =
  | { type: "opened"; version: string }
  | { type: "openFailed"; message: string }
  | { type: "done"; id: number; columns: SqlColumn[]; rows: unknown[][]; rowCount: number; truncated: boolean; ms: number }
  | { type: "failed"; id: number; message: string; cancelled: boolean };
