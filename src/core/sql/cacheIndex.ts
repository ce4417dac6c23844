// Which blobs the query cache holds: one entry per blob and ETag, with its size and when a query last used
// it. Adding beyond the limit drops the least recently used entries first, never those the running window
// needs (a window larger than the limit is refused before anything is downloaded).

export interface CachedBlobMeta {
  format: "csv" | "jsonl";
  /** Legacy CSV: the names the preview gives its columns and whether the first line is its header. */
  columns?: string[];
  hasHeader?: boolean;
}

export interface CacheEntry {
  /** account/container/blob name */
  key: string;
  /** The blob's ETag (or its size and time when storage gave none); a changed blob is downloaded again. */
  etag: string;
  /** The file's name in the cache folder. */
  file: string;
  bytes: number;
  lastUsed: number;
  meta: CachedBlobMeta;
}

export class CacheIndex {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(entries: readonly CacheEntry[] = []) {
    for (const entry of entries) this.entries.set(entry.key, entry);
  }

  /** The entry for this blob at this ETag (marked used), or undefined. */
  lookup(key: string, etag: string, now: number): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.etag !== etag) return undefined;
    entry.lastUsed = now;
    return entry;
  }

  /** An entry for a blob at another ETag than `etag` (its file is stale). */
  stale(key: string, etag: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    return entry && entry.etag !== etag ? entry : undefined;
  }

  /** Adds (or replaces) an entry; returns what fell out to keep the total within `limit`, `keep` spared. */
  add(entry: CacheEntry, limit: number, keep: ReadonlySet<string>): CacheEntry[] {
    const replaced = this.entries.get(entry.key);
    this.entries.set(entry.key, entry);
    const out = replaced && replaced.file !== entry.file ? [replaced] : [];
    return [...out, ...this.evict(limit, keep)];
  }

  remove(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry;
  }

  /** Drops least recently used entries not in `keep` until the total is ≤ limit. */
  evict(limit: number, keep: ReadonlySet<string>): CacheEntry[] {
    const evicted: CacheEntry[] = [];
    let total = this.totalBytes();
    if (total <= limit) return evicted;
    const byAge = [...this.entries.values()].filter((e) => !keep.has(e.key)).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of byAge) {
      if (total <= limit) break;
      this.entries.delete(entry.key);
      total -= entry.bytes;
      evicted.push(entry);
    }
    return evicted;
  }

  totalBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    return total;
  }

  list(): CacheEntry[] {
    return [...this.entries.values()];
  }
}

/** The ETag a blob is cached under: storage's, else its size and time (a changed blob differs in one). */
export function cacheTag(blob: { etag?: string; size: number; lastModified?: Date }): string {
  return blob.etag ?? `${blob.size}@${blob.lastModified?.toISOString() ?? ""}`;
}
