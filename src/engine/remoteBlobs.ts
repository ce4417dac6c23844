// In the worker: the blob reads the loader needs (a range, a stream), answered by the extension host,
// which owns the storage clients and credentials. Bytes arrive as transferred buffers (no copies).
import { Readable } from "node:stream";
import { cancelledError } from "../core/errors";
import type { BlobGateway } from "../core/gateways";
import { revive, type EngineToHost, type SerializedError } from "./protocol";

/** Chunks the host may send ahead of the parser (each at most one network read, ~64 KiB). */
const STREAM_WINDOW = 16;

export class RemoteReads {
  private nextId = 1;
  private readonly reads = new Map<number, { resolve(bytes: Buffer): void; reject(error: Error): void }>();
  private readonly streams = new Map<number, Readable>();

  constructor(private readonly post: (message: EngineToHost) => void) {}

  readRange(file: number, offset: number, count: number, signal?: AbortSignal): Promise<Buffer> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    const readId = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const onAbort = () => {
        this.reads.delete(readId);
        this.post({ kind: "abortRead", readId });
        reject(cancelledError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.reads.set(readId, {
        resolve: (bytes) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(bytes);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      this.post({ kind: "read", readId, file, offset, count });
    });
  }

  openStream(file: number, offset: number, signal?: AbortSignal): Readable {
    const streamId = this.nextId++;
    let owed = 0;
    const stream = new Readable({
      highWaterMark: 1 << 20,
      read: () => {
        if (owed === 0) return;
        this.post({ kind: "credit", streamId, n: owed });
        owed = 0;
      },
      destroy: (error, done) => {
        if (this.streams.delete(streamId)) this.post({ kind: "closeStream", streamId });
        done(error);
      },
    });
    (stream as Readable & { owe(): void }).owe = () => (owed += 1);
    this.streams.set(streamId, stream);
    const onAbort = () => stream.destroy(cancelledError());
    // Removed when the stream closes: one signal serves every file of a stitched month.
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => signal?.removeEventListener("abort", onAbort));
    this.post({ kind: "openStream", streamId, file, offset });
    this.post({ kind: "credit", streamId, n: STREAM_WINDOW });
    return stream;
  }

  readDone(readId: number, bytes: Uint8Array): void {
    this.reads.get(readId)?.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.reads.delete(readId);
  }

  readFailed(readId: number, error: SerializedError): void {
    this.reads.get(readId)?.reject(revive(error));
    this.reads.delete(readId);
  }

  streamChunk(streamId: number, bytes: Uint8Array): void {
    const stream = this.streams.get(streamId) as (Readable & { owe(): void }) | undefined;
    if (!stream) return;
    // Taken at once when the parser keeps up; else owed until it reads again.
    if (stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) this.post({ kind: "credit", streamId, n: 1 });
    else stream.owe();
  }

  streamEnd(streamId: number): void {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    stream?.push(null);
  }

  streamFailed(streamId: number, error: SerializedError): void {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    stream?.destroy(revive(error));
  }

  /** A BlobGateway for one file, as the loader expects (only reads: listing stays on the host). */
  gateway(file: number): BlobGateway {
    const refuse = () => Promise.reject(new Error("not available in the data engine"));
    return {
      accountName: "",
      listByHierarchy: refuse, listFlat: refuse, listContainers: refuse, download: refuse,
      blobUrl: () => "",
      readRange: (_c, _n, offset, count, signal) => this.readRange(file, offset, count, signal),
      openStream: async (_c, _n, offset, signal) => ({ stream: this.openStream(file, offset, signal), contentLength: -1 }),
    };
  }
}
