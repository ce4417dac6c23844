// In the worker: the blob reads the loader needs (a range, a stream), answered by the extension host,
// which owns the storage clients and credentials. Bytes arrive as transferred buffers (no copies).
import { Readable } from "node:stream";
import { cancelledError } from "../core/errors";
import type { BlobGateway } from "../core/gateways";
import type { MessagePort } from "node:worker_threads";
import { isHostToEngine, revive, type EngineToHost, type HostToEngine, type SerializedError } from "./protocol";

/** Chunks the host may send ahead of the parser (each at most one network read, ~64 KiB). */
const STREAM_WINDOW = 16;

type ReadRequest = Extract<EngineToHost, { kind: "read" | "abortRead" | "openStream" | "credit" | "closeStream" }>;
export type ReadAnswer = Extract<HostToEngine, { kind: "readDone" | "readFailed" | "streamChunk" | "streamEnd" | "streamFailed" }>;

export function isReadAnswer(message: HostToEngine): message is ReadAnswer {
  return message.kind === "readDone" || message.kind === "readFailed" || message.kind === "streamChunk" || message.kind === "streamEnd" || message.kind === "streamFailed";
}

export class RemoteReads {
  private nextId = 1;
  private readonly reads = new Map<number, { resolve(bytes: Buffer): void; reject(error: Error): void }>();
  private readonly streams = new Map<number, Readable>();
  /** The download thread's port, the files it serves, and the host's read ahead (see usePort). */
  private route: { port: MessagePort; served: boolean[]; ahead?: { file: number; count: number } } | undefined;
  /** Reads and streams asked of the download thread (they fail if it ends). */
  private readonly viaPort = new Set<number>();

  constructor(private readonly post: (message: EngineToHost) => void) {}

  /**
   * Files marked `served` are read from the download thread through `port` from now on (their bytes never
   * pass through the extension host's thread); the host still answers the rest and its read ahead.
   */
  usePort(port: MessagePort, served: boolean[], ahead?: { file: number; count: number }): void {
    this.route = { port, served, ahead };
    port.on("message", (message: unknown) => {
      if (isHostToEngine(message) && isReadAnswer(message)) this.answer(message);
    });
    // The thread ended (or the host closed the channel): what was asked of it will not come.
    port.on("close", () => {
      if (this.route?.port === port) this.route = undefined;
      const lost = new Error("The download thread ended while it was reading; try again.");
      for (const id of this.viaPort) {
        this.reads.get(id)?.reject(lost);
        this.reads.delete(id);
        const stream = this.streams.get(id);
        this.streams.delete(id);
        stream?.destroy(lost);
      }
      this.viaPort.clear();
    });
  }

  /**
   * Sends a read request where its read is served: `file` is given with a read's or stream's first message,
   * which decides (the download thread for served files, else the host); later messages follow it.
   */
  private ask(id: number, message: ReadRequest, file?: number): void {
    const route = this.route;
    if (file !== undefined && route?.served[file]) {
      const ahead = route.ahead;
      // The host's read ahead answers one read only: the engine's first of that range.
      const isAhead = ahead !== undefined && message.kind === "read" && ahead.file === file && message.offset === 0 && message.count === ahead.count;
      if (isAhead) route.ahead = undefined;
      else this.viaPort.add(id);
    }
    if (route && this.viaPort.has(id)) route.port.postMessage(message);
    else this.post(message);
  }

  /** An answer to a read or a stream, from the host or the download thread. */
  answer(message: ReadAnswer): void {
    switch (message.kind) {
      case "readDone": return this.readDone(message.readId, message.bytes);
      case "readFailed": return this.readFailed(message.readId, message.error);
      case "streamChunk": return this.streamChunk(message.streamId, message.bytes);
      case "streamEnd": return this.streamEnd(message.streamId);
      case "streamFailed": return this.streamFailed(message.streamId, message.error);
    }
  }

  readRange(file: number, offset: number, count: number, signal?: AbortSignal): Promise<Buffer> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    const readId = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const onAbort = () => {
        this.reads.delete(readId);
        this.ask(readId, { kind: "abortRead", readId });
        this.viaPort.delete(readId);
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
      this.ask(readId, { kind: "read", readId, file, offset, count }, file);
    });
  }

  openStream(file: number, offset: number, signal?: AbortSignal): Readable {
    const streamId = this.nextId++;
    let owed = 0;
    const stream = new Readable({
      highWaterMark: 1 << 20,
      read: () => {
        if (owed === 0) return;
        this.ask(streamId, { kind: "credit", streamId, n: owed });
        owed = 0;
      },
      destroy: (error, done) => {
        if (this.streams.delete(streamId)) this.ask(streamId, { kind: "closeStream", streamId });
        this.viaPort.delete(streamId);
        done(error);
      },
    });
    (stream as Readable & { owe(): void }).owe = () => (owed += 1);
    this.streams.set(streamId, stream);
    const onAbort = () => stream.destroy(cancelledError());
    // Removed when the stream closes: one signal serves every file of a stitched month.
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => signal?.removeEventListener("abort", onAbort));
    this.ask(streamId, { kind: "openStream", streamId, file, offset }, file);
    this.ask(streamId, { kind: "credit", streamId, n: STREAM_WINDOW });
    return stream;
  }

  readDone(readId: number, bytes: Uint8Array): void {
    this.reads.get(readId)?.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.reads.delete(readId);
    this.viaPort.delete(readId);
  }

  readFailed(readId: number, error: SerializedError): void {
    this.reads.get(readId)?.reject(revive(error));
    this.reads.delete(readId);
    this.viaPort.delete(readId);
  }

  streamChunk(streamId: number, bytes: Uint8Array): void {
    const stream = this.streams.get(streamId) as (Readable & { owe(): void }) | undefined;
    if (!stream) return;
    // Taken at once when the parser keeps up; else owed until it reads again.
    if (stream.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) this.ask(streamId, { kind: "credit", streamId, n: 1 });
    else stream.owe();
  }

  streamEnd(streamId: number): void {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    this.viaPort.delete(streamId);
    stream?.push(null);
  }

  streamFailed(streamId: number, error: SerializedError): void {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    this.viaPort.delete(streamId);
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
