// How a loader's files come off storage: small stitched files read whole a few ahead while the current one
// parses, big blobs as concurrent ranged reads, the rest as one stream; always handed over in file order.
import { Readable } from "node:stream";
import { rangedStream, slices } from "./rangedReader";
import type { PreviewFile } from "./previewFile";

export class FileFetcher {
  /** Files read whole ahead of the parser (see prefetch), and a first file the first range held whole. */
  private readonly whole = new Map<PreviewFile, Promise<Buffer>>();

  constructor(private readonly files: readonly PreviewFile[], private readonly options: { parallelRanges?: number; rangeBytes?: number }, private readonly signal: AbortSignal) {}

  /** A file whose bytes are already in hand (the first range held it whole): it is not read again. */
  holdWhole(file: PreviewFile, bytes: Buffer): void {
    this.whole.set(file, Promise.resolve(bytes));
  }

  /**
   * Stitched dates are often many small files: the next few are read whole (one GET each) while this one
   * parses, at most `parallelRanges` ahead, and handed to the parser in file order.
   */
  prefetch(from: number): void {
    const concurrency = this.concurrency();
    if (concurrency <= 1) return;
    for (const file of this.files.slice(from, from + concurrency)) {
      if (file.size > this.rangeBytes() * 2 || this.whole.has(file)) continue;
      const bytes = file.size === 0 ? Promise.resolve(Buffer.alloc(0)) : file.blobs.readRange(file.container, file.name, 0, file.size, this.signal);
      // Awaited in file order; until then a failure must not count as unhandled.
      bytes.catch(() => undefined);
      this.whole.set(file, bytes);
    }
  }

  /** The file's first `count` bytes (from what was read ahead when there is) and whether they are all of it. */
  async head(file: PreviewFile, count: number): Promise<{ bytes: Buffer; complete: boolean }> {
    const ahead = this.whole.get(file);
    if (ahead) {
      const bytes = await ahead;
      return { bytes: bytes.subarray(0, count), complete: bytes.length <= count };
    }
    const stored = await file.blobs.readRange(file.container, file.name, 0, count);
    return { bytes: stored, complete: stored.length >= file.size || stored.length < count };
  }

  /** The file's bytes in order: read ahead whole, concurrent ranged reads for a big blob (as listed), else one stream. */
  async download(file: PreviewFile): Promise<NodeJS.ReadableStream> {
    const ahead = this.whole.get(file);
    if (ahead) {
      this.whole.delete(file);
      const bytes = await ahead;
      return Readable.from(slices(bytes), { objectMode: false });
    }
    const rangeBytes = this.rangeBytes();
    const concurrency = this.concurrency();
    if (concurrency > 1 && file.size > 2 * rangeBytes) {
      return rangedStream((offset, count, signal) => file.blobs.readRange(file.container, file.name, offset, count, signal),
        { size: file.size, rangeBytes, concurrency, signal: this.signal });
    }
    return (await file.blobs.openStream(file.container, file.name, 0, this.signal)).stream;
  }

  private rangeBytes(): number {
    return this.options.rangeBytes ?? 4 << 20;
  }

  private concurrency(): number {
    return this.options.parallelRanges ?? 4;
  }
}
