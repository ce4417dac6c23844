// The extension host's side of an engine's reads: the worker asks for ranges and streams of its files by
// index; the host reads them with the real storage clients (which hold the credentials) and hands the
// bytes over as transferred buffers. Streams are flow-controlled by the worker's credits.
import type { PreviewFile } from "../reading/previewFile";
import { serializeError, transferable, type EngineToHost, type HostToEngine } from "./protocol";

type LiveStream = NodeJS.ReadableStream & { pause(): void; resume(): void; destroy(error?: Error): void };
type ReadMessage = Extract<EngineToHost, { kind: "read" | "abortRead" | "openStream" | "credit" | "closeStream" }>;

/** An engine's read request (what ReadService answers), among its other messages. */
export function isReadRequest(message: EngineToHost): message is ReadMessage {
  return message.kind === "read" || message.kind === "abortRead" || message.kind === "openStream" || message.kind === "credit" || message.kind === "closeStream";
}

export class ReadService {
  private readonly reads = new Map<number, AbortController>();
  private readonly streams = new Map<number, { stream?: LiveStream; credits: number; closed: boolean }>();
  private ahead: { file: number; count: number; bytes: Promise<Buffer> } | undefined;
  private stopped = false;

  constructor(private readonly files: readonly PreviewFile[], private readonly post: (message: HostToEngine, transfer?: ArrayBuffer[]) => void) {}

  /** Starts a file's first range now, for the read the worker is about to ask for. */
  readAhead(file: number, count: number): Promise<Buffer> | undefined {
    const target = this.files[file];
    if (!target) return undefined;
    this.ahead = { file, count, bytes: target.blobs.readRange(target.container, target.name, 0, count) };
    this.ahead.bytes.catch(() => undefined);
    return this.ahead.bytes;
  }

  received(message: ReadMessage): void {
    switch (message.kind) {
      case "read":
        void this.read(message.readId, message.file, message.offset, message.count);
        return;
      case "abortRead":
        this.reads.get(message.readId)?.abort();
        this.reads.delete(message.readId);
        return;
      case "openStream":
        void this.openStream(message.streamId, message.file, message.offset);
        return;
      case "credit": {
        const stream = this.streams.get(message.streamId);
        if (!stream) return;
        stream.credits += message.n;
        if (stream.credits > 0) stream.stream?.resume();
        return;
      }
      case "closeStream": {
        const stream = this.streams.get(message.streamId);
        this.streams.delete(message.streamId);
        this.reads.get(message.streamId)?.abort();
        if (stream) stream.closed = true;
        stream?.stream?.destroy();
        return;
      }
    }
  }

  private async read(readId: number, fileIndex: number, offset: number, count: number): Promise<void> {
    const file = this.files[fileIndex];
    const controller = new AbortController();
    this.reads.set(readId, controller);
    try {
      if (!file) throw new Error(`no file ${fileIndex}`);
      const early = this.ahead && this.ahead.file === fileIndex && offset === 0 && count === this.ahead.count ? this.ahead.bytes : undefined;
      this.ahead = undefined;
      const bytes = await (early ?? file.blobs.readRange(file.container, file.name, offset, count, controller.signal));
      if (controller.signal.aborted) return;
      const { view, transfer } = transferable(bytes);
      this.post({ kind: "readDone", readId, bytes: view }, transfer);
    } catch (error) {
      if (!controller.signal.aborted) this.post({ kind: "readFailed", readId, error: serializeError(error) });
    } finally {
      this.reads.delete(readId);
    }
  }

  private async openStream(streamId: number, fileIndex: number, offset: number): Promise<void> {
    const file = this.files[fileIndex];
    const controller = new AbortController();
    this.reads.set(streamId, controller);
    const state: { stream?: LiveStream; credits: number; closed: boolean } = { credits: 0, closed: false };
    // Set before the first await: the worker's credit follows this message and finds it.
    this.streams.set(streamId, state);
    try {
      if (!file) throw new Error(`no file ${fileIndex}`);
      const { stream } = await file.blobs.openStream(file.container, file.name, offset, controller.signal);
      const live = stream as LiveStream;
      if (state.closed || this.stopped) {
        live.destroy();
        return;
      }
      state.stream = live;
      live.on("data", (chunk: Buffer) => {
        const { view, transfer } = transferable(chunk);
        this.post({ kind: "streamChunk", streamId, bytes: view }, transfer);
        // The worker takes chunks only as fast as it parses them: without credit, wait.
        if (--state.credits <= 0) live.pause();
      });
      live.on("end", () => {
        this.streams.delete(streamId);
        this.post({ kind: "streamEnd", streamId });
      });
      live.on("error", (error: Error) => {
        this.streams.delete(streamId);
        if (!state.closed) this.post({ kind: "streamFailed", streamId, error: serializeError(error) });
      });
      if (state.credits <= 0) live.pause();
    } catch (error) {
      this.streams.delete(streamId);
      if (!state.closed) this.post({ kind: "streamFailed", streamId, error: serializeError(error) });
    }
  }

  /** The engine ended: nothing keeps downloading for it. */
  stopAll(): void {
    this.stopped = true;
    for (const controller of this.reads.values()) controller.abort();
    this.reads.clear();
    for (const stream of this.streams.values()) {
      stream.closed = true;
      stream.stream?.destroy();
    }
    this.streams.clear();
  }
}
