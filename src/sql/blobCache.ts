// The query cache: a window's blobs downloaded once (ranged, several ranges at a time, with progress and
// cancel) into the extension's global storage, keyed by blob and ETag, bounded by a size (least recently used
// out first). Files are kept as DuckDB reads them best: gzip decompressed, UTF-16 and Latin-1 made UTF-8, a
// BOM dropped; what is not text is left out with the preview's words. A second query of a window reads no blob.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform, type Readable } from "node:stream";
import type { BlobGateway } from "../core/gateways";
import { CacheIndex, cacheTag, type CacheEntry, type CachedBlobMeta } from "../core/sql/cacheIndex";
import { judgeContent } from "../reading/contentJudge";
import { contentStream } from "../reading/contentStream";
import { parseCsvPrefix } from "../core/table/csv";
import { resolveLegacyColumns } from "../core/table/legacyColumns";
import { cancelledError } from "../core/errors";
import { formatBytes } from "../core/dates";
import type { RangeFetcher } from "../engine/downloadThread";

export interface CacheBlob {
  blobs: BlobGateway;
  container: string;
  name: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  format: "csv" | "jsonl";
}

export interface CachedFile {
  path: string;
  meta: CachedBlobMeta;
  /** Why the file reads differently from how it is stored (decompressed, transcoded), if it does. */
  note?: string;
}

export interface EnsureResult {
  files: Map<CacheBlob, CachedFile>;
  /** Blobs left out, with why (not text). */
  refused: Array<{ blob: CacheBlob; reason: string }>;
  downloadedBlobs: number;
  downloadedBytes: number;
}

export interface BlobCacheOptions {
  root: string;
  limitBytes: () => number;
  parallelRanges: number;
  rangeBytes: number;
  /** Fetches ranges off this thread (the download thread) for the blobs it can; others are read here. */
  fetcher?: RangeFetcher;
}

const HEAD_BYTES = 64 * 1024;

export class BlobCache {
  private index: CacheIndex | undefined;
  /** One ensure at a time: the index is read, changed and written whole. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BlobCacheOptions) {}

  get root(): string {
    return this.options.root;
  }

  /** Most bytes the cache may hold (a window larger than this is refused). */
  get limitBytes(): number {
    return this.options.limitBytes();
  }

  private get blobDir(): string {
    return join(this.options.root, "blobs");
  }

  private async loadIndex(): Promise<CacheIndex> {
    if (this.index) return this.index;
    let entries: CacheEntry[] = [];
    try {
      entries = JSON.parse(await readFile(join(this.options.root, "index.json"), "utf8")).entries ?? [];
    } catch {
      // No cache yet (or an unreadable index: its files are downloaded again).
    }
    this.index = new CacheIndex(entries);
    return this.index;
  }

  private async saveIndex(index: CacheIndex): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    const path = join(this.options.root, "index.json");
    await writeFile(`${path}.tmp`, JSON.stringify({ entries: index.list() }));
    await rename(`${path}.tmp`, path);
  }

  /** Makes every blob local (downloading only what is missing or changed); `onProgress` hears bytes done of bytes to fetch. */
  ensure(blobs: readonly CacheBlob[], signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<EnsureResult> {
    const run = this.queue.then(() => this.ensureNow(blobs, signal, onProgress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ensureNow(blobs: readonly CacheBlob[], signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<EnsureResult> {
    const index = await this.loadIndex();
    const limit = this.options.limitBytes();
    const windowBytes = blobs.reduce((sum, b) => sum + b.size, 0);
    if (windowBytes > limit) {
      throw new Error(`This window holds ${formatBytes(windowBytes)} of collected data, more than the query cache's ${formatBytes(limit)} (setting modelData.query.cacheSizeGB). Choose fewer days, or raise the setting.`);
    }
    await mkdir(this.blobDir, { recursive: true });
    const keep = new Set(blobs.map((b) => keyOf(b)));
    const result: EnsureResult = { files: new Map(), refused: [], downloadedBlobs: 0, downloadedBytes: 0 };
    const missing: CacheBlob[] = [];
    const now = Date.now();
    for (const blob of blobs) {
      const entry = index.lookup(keyOf(blob), cacheTag(blob), now);
      if (entry && (await exists(join(this.blobDir, entry.file)))) result.files.set(blob, { path: join(this.blobDir, entry.file), meta: entry.meta });
      else missing.push(blob);
    }
    const total = missing.reduce((sum, b) => sum + b.size, 0);
    let done = 0;
    const progress = (bytes: number) => {
      done += bytes;
      onProgress(done, total);
    };
    onProgress(0, total);
    try {
      await this.download(missing, signal, progress, async (blob, file, meta, note) => {
        const entry: CacheEntry = { key: keyOf(blob), etag: cacheTag(blob), file, bytes: (await stat(join(this.blobDir, file))).size, lastUsed: Date.now(), meta };
        for (const out of index.add(entry, limit, keep)) await rm(join(this.blobDir, out.file), { force: true });
        result.files.set(blob, { path: join(this.blobDir, file), meta, note });
        result.downloadedBlobs += 1;
        result.downloadedBytes += blob.size;
      }, (blob, reason) => result.refused.push({ blob, reason }));
    } finally {
      await this.saveIndex(index);
    }
    return result;
  }

  /** Ranges of every missing blob, `parallelRanges` at a time across blobs; each blob is finished as its last range lands. */
  private async download(blobs: CacheBlob[], signal: AbortSignal, progress: (bytes: number) => void,
    landed: (blob: CacheBlob, file: string, meta: CachedBlobMeta, note?: string) => Promise<void>, refused: (blob: CacheBlob, reason: string) => void): Promise<void> {
    const rangeBytes = this.options.rangeBytes;
    const jobs = blobs.flatMap((blob) => {
      const count = Math.max(1, Math.ceil(blob.size / rangeBytes));
      return Array.from({ length: count }, (_, i) => ({ blob, offset: i * rangeBytes, count }));
    });
    const state = new Map<CacheBlob, { part: string; left: number; handle?: Promise<import("node:fs/promises").FileHandle> }>();
    for (const blob of blobs) state.set(blob, { part: join(this.blobDir, `${hashOf(keyOf(blob), cacheTag(blob))}.part`), left: Math.max(1, Math.ceil(blob.size / rangeBytes)) });
    const fetcher = this.options.fetcher;
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        if (signal.aborted) throw cancelledError();
        const job = jobs[next++];
        const s = state.get(job.blob) as NonNullable<ReturnType<typeof state.get>>;
        // The part file is made once; every range writes at its own offset in it.
        s.handle ??= open(s.part, "w");
        const handle = await s.handle;
        const length = Math.min(rangeBytes, job.blob.size - job.offset);
        // The download thread takes the range when it can; else it is read here.
        const fetched = length > 0 && fetcher ? await fetcher.fetch(job.blob, job.offset, length, s.part, signal, progress) : undefined;
        let written = fetched ?? 0;
        if (length > 0 && fetched === undefined) {
          // Streamed to its place in the file as it arrives: no range is ever held whole in memory.
          const { stream } = await job.blob.blobs.openStream(job.blob.container, job.blob.name, job.offset, signal, length);
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (signal.aborted) throw cancelledError();
            const part = chunk.subarray(0, Math.max(0, length - written));
            await handle.write(part, 0, part.length, job.offset + written);
            written += part.length;
            progress(part.length);
          }
        }
        if (signal.aborted) throw cancelledError();
        if (written < length) throw new Error(`${job.blob.name} ended early (${written} of ${length} bytes of a range): storage changed while it was read. Run the query again.`);
        s.left -= 1;
        if (s.left === 0) {
          await handle.close();
          await this.finish(job.blob, s.part, await headOf(s.part), landed, refused);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.options.parallelRanges, jobs.length) }, worker));
    } catch (error) {
      // A cancelled or failed download leaves no partial file behind.
      for (const s of state.values()) {
        await (await s.handle?.catch(() => undefined))?.close().catch(() => undefined);
        await rm(s.part, { force: true });
      }
      throw error;
    }
  }

  /** Judges the downloaded file from its first bytes and makes it the cached file (converted when it must be). */
  private async finish(blob: CacheBlob, part: string, head: Buffer, landed: (blob: CacheBlob, file: string, meta: CachedBlobMeta, note?: string) => Promise<void>,
    refused: (blob: CacheBlob, reason: string) => void): Promise<void> {
    const label = blob.name.split("/").pop() ?? blob.name;
    const complete = head.length >= blob.size;
    let judged;
    try {
      judged = judgeContent(label, head, complete, undefined);
    } catch (error) {
      await rm(part, { force: true });
      refused(blob, (error as Error).message);
      return;
    }
    const { content, plain } = judged;
    const latin1 = content.encoding === "utf8" && judged.notices.some((n) => n.id === "invalidUtf8");
    const encoding = latin1 ? "latin1" : content.encoding;
    const bom = encoding === "utf8" && plain[0] === 0xef && plain[1] === 0xbb && plain[2] === 0xbf;
    const file = `${hashOf(keyOf(blob), cacheTag(blob))}.${blob.format}`;
    const target = join(this.blobDir, file);
    if (content.gzip || encoding !== "utf8" || bom) {
      const stored = createReadStream(part, { start: bom && !content.gzip ? 3 : 0 }) as unknown as Readable;
      let text = contentStream(stored, { gzip: content.gzip, encoding, onStoredBytes: () => undefined });
      if (bom && content.gzip) text = text.pipe(dropBom()) as unknown as Readable;
      await pipeline(text, createWriteStream(target));
      await rm(part, { force: true });
    } else {
      await rename(part, target);
    }
    const note = [content.gzip ? "decompressed gzip" : "", latin1 ? "not valid UTF-8, read as Latin-1" : encoding !== "utf8" ? `read as ${encoding === "utf16le" ? "UTF-16 LE" : encoding === "utf16be" ? "UTF-16 BE" : encoding}` : ""]
      .filter(Boolean).join(", ") || undefined;
    await landed(blob, file, blob.format === "csv" ? csvMeta(await headText(target)) : { format: "jsonl" }, note);
  }

  /** What the cache holds (for the status message and the benchmark). */
  async usage(): Promise<{ entries: number; bytes: number }> {
    const index = await this.loadIndex();
    return { entries: index.list().length, bytes: index.totalBytes() };
  }

  /** Empties the cache (the Clear Query Cache command). */
  async clear(): Promise<void> {
    await this.queue;
    this.index = new CacheIndex();
    await rm(this.blobDir, { recursive: true, force: true });
    await this.saveIndex(this.index);
  }
}

function keyOf(blob: CacheBlob): string {
  return `${blob.blobs.accountName}/${blob.container}/${blob.name}`;
}

function hashOf(key: string, etag: string): string {
  return createHash("sha256").update(`${key}\n${etag}`).digest("hex").slice(0, 32);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The first bytes of a downloaded file (what judgeContent decides from). */
async function headOf(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function headText(path: string): Promise<{ text: string; complete: boolean }> {
  const head = await headOf(path);
  return { text: head.toString("utf8"), complete: head.length < HEAD_BYTES };
}

/** A legacy CSV's column names as the preview gives them (header, collector layout, or col1…). */
function csvMeta(head: { text: string; complete: boolean }): CachedBlobMeta {
  const rows = parseCsvPrefix(head.text, head.complete).slice(0, 50);
  const { columns, hasHeader } = resolveLegacyColumns(rows);
  return { format: "csv", columns, hasHeader };
}

function dropBom(): NodeJS.ReadWriteStream {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
      done(null, chunk);
    },
  });
}
