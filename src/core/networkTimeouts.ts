// Storage that stops answering (a frozen connection, not a closed one) must not leave a node spinning
// forever: every call is timed out, and a download is timed by its progress (no bytes for the timeout),
// not by its total time, so a large file on a slow line still finishes.
import { Transform, type Readable } from "node:stream";
import type { BlobGateway } from "./gateways";

export const NO_ANSWER = "NoAnswer";

export function noAnswerError(host: string, ms: number): Error {
  const after = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  return Object.assign(new Error(`No answer from ${host} after ${after}.`), { code: NO_ANSWER, name: "NoAnswerError" });
}

/** `run` with a signal that aborts when the caller's does or when `ms` pass; the latter rejects as NoAnswer. */
async function timed<T>(ms: number, host: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener("abort", forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settled before the abort, whose AbortError would otherwise win the race.
      reject(noAnswerError(host, ms));
      controller.abort();
    }, ms);
  });
  try {
    // The race settles even if the SDK were slow to honour the abort.
    return await Promise.race([run(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forward);
  }
}

/** Calls `onIdle` once `ms` pass without a `touch()` (progress): downloads are timed by progress, not in total. */
class IdleWatch {
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number, private readonly onIdle: () => void) {
    this.touch();
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.onIdle();
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Ends `stream` with NoAnswer when no bytes arrive for `ms`. */
function watched(stream: NodeJS.ReadableStream, ms: number, host: string, abort: () => void): Readable {
  const watchdog: Transform = new Transform({
    transform(chunk: Buffer, _e, done) {
      idle.touch();
      done(null, chunk);
    },
    flush(done) {
      idle.stop();
      done();
    },
  });
  const idle = new IdleWatch(ms, () => {
    abort();
    watchdog.destroy(noAnswerError(host, ms));
  });
  stream.on("error", (error) => {
    idle.stop();
    watchdog.destroy(error);
  });
  watchdog.on("close", () => idle.stop());
  stream.pipe(watchdog);
  return watchdog;
}

export function withTimeouts(inner: BlobGateway, timeoutMs: () => number): BlobGateway {
  const host = hostOf(inner);
  return {
    get accountName() {
      return inner.accountName;
    },
    get credential() {
      return inner.credential;
    },
    get recipe() {
      return inner.recipe;
    },
    listByHierarchy: (container, prefix, options) => timed(timeoutMs(), host, options.signal, (signal) => inner.listByHierarchy(container, prefix, { ...options, signal })),
    listFlat: (container, prefix, options) => timed(timeoutMs(), host, options.signal, (signal) => inner.listFlat(container, prefix, { ...options, signal })),
    listContainers: (prefix, signal) => timed(timeoutMs(), host, signal, (s) => inner.listContainers(prefix, s)),
    blobUrl: (container, name) => inner.blobUrl(container, name),
    readRange: (container, name, offset, count, signal) => timed(timeoutMs(), host, signal, (s) => inner.readRange(container, name, offset, count, s)),
    async openStream(container, name, offset, signal, count) {
      const ms = timeoutMs();
      // One controller for the whole download: the caller's cancel, the wait for headers and the idle watch.
      const controller = new AbortController();
      if (signal?.aborted) controller.abort();
      signal?.addEventListener("abort", () => controller.abort(), { once: true });
      const opened = await timed(ms, host, undefined, () => inner.openStream(container, name, offset, controller.signal, count)).catch((error: unknown) => {
        controller.abort();
        throw error;
      });
      return { stream: watched(opened.stream, ms, host, () => controller.abort()), contentLength: opened.contentLength };
    },
    async download(container, name, targetPath, options) {
      const ms = timeoutMs();
      const controller = new AbortController();
      const forward = () => controller.abort();
      if (options.signal?.aborted) controller.abort();
      options.signal?.addEventListener("abort", forward, { once: true });
      const idle = new IdleWatch(ms, () => controller.abort());
      try {
        return await inner.download(container, name, targetPath, { signal: controller.signal, onProgress: (n) => {
          idle.touch();
          options.onProgress?.(n);
        } });
      } catch (error) {
        throw idle.fired ? noAnswerError(host, ms) : error;
      } finally {
        idle.stop();
        options.signal?.removeEventListener("abort", forward);
      }
    },
    // Uploads carry their own progress; a stalled one is the caller's to cancel.
    uploadFile: inner.uploadFile && ((container, name, source, options) => inner.uploadFile!(container, name, source, options)),
    uploadText: inner.uploadText && ((container, name, text, signal) => timed(timeoutMs(), host, signal, (s) => inner.uploadText!(container, name, text, s))),
    deleteBlob: inner.deleteBlob && ((container, name, signal) => timed(timeoutMs(), host, signal, (s) => inner.deleteBlob!(container, name, s))),
  };
}

function hostOf(gateway: BlobGateway): string {
  try {
    return new URL(gateway.blobUrl("c", "b")).host;
  } catch {
    return gateway.accountName;
  }
}
