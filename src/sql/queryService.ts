// A window made queryable: its blobs in the cache, a DuckDB session with a view per collection, the columns
// each view has. Sessions are kept per window, so a second query (from the same document or another) reads
// no blob and defines nothing again.
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import type { BlobCache, CacheBlob, EnsureResult } from "./blobCache";
import type { SqlAnswer, SqlEngine } from "./sqlEngine";
import type { QueryOutput } from "./sqlProtocol";
import type { QueryWindow } from "./queryWindow";
import { csvViewSql, filesTableSql, jsonStructureSql, jsonViewSql, type ViewOptions, type WindowCollection, type WindowFile } from "../core/sql/windowViews";
import { windowKeyText, type HeaderView, type WindowKey } from "../core/sql/queryHeader";
import { quoteIdent } from "../core/sql/sqlText";

export interface PreparedWindow {
  window: QueryWindow;
  key: WindowKey;
  session: number;
  views: HeaderView[];
  others: string[];
  refused: string[];
  converted: string[];
  /** The collections' cached files, as the views read them. */
  collections: WindowCollection[];
  /** The statements that made the views, in order (Open in Notebook runs them again in Python). */
  statements: string[];
  /** Each cached file and the blob it copies. */
  sources: Array<{ path: string; container: string; name: string; auth: import("../core/pandasSnippet").StorageAuth }>;
  /** Blobs downloaded to prepare it (0 when the cache held them all). */
  downloadedBlobs: number;
  downloadedBytes: number;
}

export interface PrepareProgress {
  (stage: "download" | "define", done: number, total: number): void;
}

export class QueryService {
  private readonly prepared = new Map<string, PreparedWindow>();

  constructor(private readonly engine: SqlEngine, readonly cache: BlobCache) {}

  /** The memory DuckDB may hold, as it was started with. */
  get memoryLimit(): string {
    return this.engine.memoryLimit;
  }

  /** Why SQL cannot run here (no DuckDB for this platform in this build), if it cannot. */
  unavailable(): string | undefined {
    return this.engine.unavailable();
  }

  windowKey(window: QueryWindow): WindowKey {
    return { nodeId: window.nodeId, from: window.from, to: window.to };
  }

  /** The prepared window, if this key has been prepared in this session of VS Code. */
  known(key: WindowKey): PreparedWindow | undefined {
    return this.prepared.get(windowKeyText(key));
  }

  /**
   * Downloads what the cache lacks and defines the views. A window prepared before is checked against the
   * cache again (a blob whose ETag changed since is fetched and the views made anew); otherwise nothing is read.
   */
  async prepare(window: QueryWindow, signal: AbortSignal, progress: PrepareProgress, options?: ViewOptions): Promise<PreparedWindow> {
    const key = this.windowKey(window);
    // Views read another way (as text, in row order) are a job's own session: not shared, not kept.
    const shared = options === undefined;
    const blobs = window.collections.flatMap((c) => c.blobs.map((b) => ({ collection: c, item: b, cacheBlob: {
      blobs: b.where.blobs, container: b.where.container, name: b.blob.name, size: b.blob.size, etag: b.blob.etag, lastModified: b.blob.lastModified,
      format: b.blob.name.toLowerCase().endsWith(".jsonl") || b.blob.name.toLowerCase().endsWith(".jsonl.gz") ? "jsonl" : "csv" } satisfies CacheBlob })));
    const ensured: EnsureResult = await this.cache.ensure(blobs.map((b) => b.cacheBlob), signal, (done, total) => progress("download", done, total));
    const known = shared ? this.prepared.get(windowKeyText(key)) : undefined;
    if (known && ensured.downloadedBlobs === 0) return { ...known, downloadedBlobs: 0, downloadedBytes: 0 };
    const collections: WindowCollection[] = window.collections.map((collection) => ({
      name: collection.name,
      files: blobs.filter((b) => b.collection === collection && ensured.files.has(b.cacheBlob)).map((b): WindowFile => {
        const cached = ensured.files.get(b.cacheBlob) as NonNullable<ReturnType<typeof ensured.files.get>>;
        return { path: cached.path, format: cached.meta.format, source: b.item.source, date: b.item.date, hour: b.item.hour, columns: cached.meta.columns, hasHeader: cached.meta.hasHeader, bytes: b.item.blob.size };
      }),
    }));
    if (known) this.engine.close(known.session);
    const session = await this.engine.session();
    progress("define", 0, collections.length);
    const statements = [filesTableSql(collections)];
    await this.engine.define(session, statements, signal);
    const views: HeaderView[] = [];
    for (const [i, collection] of collections.entries()) {
      const view = window.collections[i].view;
      const jsonl = collection.files.filter((f) => f.format === "jsonl");
      const csv = collection.files.filter((f) => f.format === "csv");
      if (jsonl.length > 0 && csv.length > 0) throw new Error(`${collection.name} holds both CSV and JSON-lines files in this window; query a window of one layout.`);
      let statement: string;
      if (jsonl.length > 0) {
        const shapes = await this.engine.query(session, jsonStructureSql(jsonl), { kind: "rows", limit: 100_000 }, signal);
        statement = jsonViewSql(view, jsonl, shapes.rows.map((r) => String(r[0])), options);
      } else {
        statement = csvViewSql(view, csv, options);
      }
      await this.engine.define(session, [statement], signal);
      statements.push(statement);
      const described = await this.engine.query(session, `DESCRIBE ${quoteIdent(view)}`, { kind: "rows", limit: 10_000 }, signal);
      views.push({ name: view, collection: collection.name, files: collection.files.length, bytes: window.collections[i].blobs.reduce((s, b) => s + b.blob.size, 0),
        columns: described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })) });
      progress("define", i + 1, collections.length);
    }
    const result: PreparedWindow = {
      window, key, session, views, statements, collections,
      sources: blobs.filter((b) => ensured.files.has(b.cacheBlob)).map((b) => ({ path: ensured.files.get(b.cacheBlob)?.path as string, container: b.item.where.container, name: b.item.blob.name, auth: b.item.where.auth })),
      others: window.collections.flatMap((c) => c.others.map((o) => o.split("/").pop() ?? o)),
      refused: ensured.refused.map((r) => `${r.blob.name.split("/").pop()}: ${r.reason}`),
      converted: [...ensured.files.entries()].filter(([, f]) => f.note).map(([b, f]) => `${b.name.split("/").pop()} (${f.note})`),
      downloadedBlobs: ensured.downloadedBlobs, downloadedBytes: ensured.downloadedBytes,
    };
    if (shared) this.prepared.set(windowKeyText(key), result);
    return result;
  }

  /** Runs statements that answer nothing (tables a job makes) in a prepared window's session. */
  define(prepared: PreparedWindow, statements: string[], signal?: AbortSignal): Promise<void> {
    return this.engine.define(prepared.session, statements, signal);
  }

  /** Ends a job's own session (its views and tables go with it). */
  close(prepared: PreparedWindow): void {
    this.engine.close(prepared.session);
  }

  /** Runs one statement over a prepared window. */
  run(prepared: PreparedWindow, sql: string, output: QueryOutput, signal?: AbortSignal): Promise<SqlAnswer> {
    return this.engine.query(prepared.session, sql, output, signal);
  }

  /** A fresh path in the cache folder for DuckDB to write an answer to (DuckDB may write nowhere else). */
  async answerPath(folder: "results" | "exports" | "labels", format: "csv" | "parquet"): Promise<string> {
    const dir = join(this.cache.root, folder);
    await mkdir(dir, { recursive: true });
    return join(dir, `${randomUUID()}.${format}`);
  }

  /** Removes old answers (they are shown once, or moved where the user saved them). */
  async clearAnswers(): Promise<void> {
    await rm(join(this.cache.root, "results"), { recursive: true, force: true });
    await rm(join(this.cache.root, "exports"), { recursive: true, force: true });
  }

  forget(): void {
    for (const p of this.prepared.values()) this.engine.close(p.session);
    this.prepared.clear();
  }
}
