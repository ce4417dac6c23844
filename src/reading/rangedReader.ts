// A big blob read as several concurrent ranged GETs, handed on in order: over a real network one stream
// runs at tens of MB/s per connection, and the speed comes from parallel ranges (as azcopy and the SDK's
// downloadToBuffer with concurrency do). Memory stays bounded: at most `concurrency` ranges are in flight
// or waiting, and the next one starts only as the reader takes one. A failed range is retried; a cancel
// stops them all.
import { Readable } from "node:stream";
import { cancelledError } from "../core/errors";

const SLICE_BYTES = 256 * 1024;

export interface RangedReadOptions {
  size: number;
  rangeBytes: number;
  concurrency: number;
  signal: AbortSignal;
  /** Tries per range (a network drop mid-range is worth another go). */
  tries?: number;
  /** Bytes as they arrive, in any order. */
  onBytes?(count: number): void;
}

export type RangeReader = (offset: number, count: number, signal: AbortSignal) => Promise<Buffer>;

export function rangedStream(read: RangeReader, options: RangedReadOptions): Readable {
  return Readable.from(orderedRanges(read, options), { objectMode: false });
}

async function* orderedRanges(read: RangeReader, options: RangedReadOptions): AsyncGenerator<Buffer> {
  const { size, rangeBytes, signal } = options;
  const tries = options.tries ?? 3;
  const count = Math.ceil(size / rangeBytes);
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener("abort", stop, { once: true });
  const pending = new Map<number, Promise<Buffer>>();
  const fetchRange = async (index: number): Promise<Buffer> => {
    const offset = index * rangeBytes;
    const length = Math.min(rangeBytes, size - offset);
    for (let attempt = 1; ; attempt++) {
      try {
        const bytes = await read(offset, length, controller.signal);
        if (bytes.length !== length) throw Object.assign(new Error(`range ${offset}+${length} came back with ${bytes.length} bytes`), { code: "ShortRange" });
        options.onBytes?.(bytes.length);
        return bytes;
      } catch (error) {
        if (controller.signal.aborted || attempt >= tries) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  };
  let started = 0;
  const startUpTo = (limit: number) => {
    for (; started < Math.min(count, limit); started++) {
      const promise = fetchRange(started);
      // Awaited in order below; until then a failure must not count as unhandled.
      promise.catch(() => undefined);
      pending.set(started, promise);
    }
  };
  try {
    for (let next = 0; next < count; next++) {
      startUpTo(next + options.concurrency);
      if (signal.aborted) throw cancelledError();
      const bytes = await pending.get(next)!;
      pending.delete(next);
      // Handed on in slices (views, no copies): the parser yields to the editor between chunks.
      yield* slices(bytes);
    }
  } finally {
    // Done, failed or abandoned by the reader: nothing keeps downloading.
    controller.abort();
    signal.removeEventListener("abort", stop);
  }
}

/** A buffer handed on in 256 KiB views (no copies): the parser yields to other work between them. */
export function* slices(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) yield bytes.subarray(at, Math.min(bytes.length, at + SLICE_BYTES));
}
