// The extension host's side of a one-shot job on an engine thread (a drift compare, a training set): the
// thread reads through the host, reports progress and answers once; it ends with the job.
import type { Worker } from "node:worker_threads";
import type { PreviewFile } from "../reading/previewFile";
import { cancelledError } from "../core/errors";
import { isReadRequest, ReadService } from "./readService";
import type { ReadRouter } from "./client";
import { engineEnded, isEngineToHost, revive, type EngineToHost, type HostToEngine, type SerializedError } from "./protocol";

export interface EngineJob<T> {
  worker: Worker;
  /** The files the job reads, in the order its start message indexes them. */
  files: PreviewFile[];
  start: HostToEngine;
  cancel: HostToEngine;
  signal?: AbortSignal;
  /** What the job is, for a thread that ends early ("compare", "training set"). */
  what: string;
  /** What to do when memory runs out, in words. */
  outOfMemoryAdvice: string;
  /** Serves the job's reads off the host's thread (the files it can). */
  downloads?: ReadRouter;
  /** The job's own messages: its result, its failure, or progress (undefined). */
  received(message: EngineToHost): { result: T } | { failed: SerializedError; cancelled: boolean } | undefined;
}

export async function runEngineJob<T>(job: EngineJob<T>): Promise<T> {
  const { worker } = job;
  if (job.signal?.aborted) {
    await worker.terminate();
    throw cancelledError();
  }
  const post = (message: HostToEngine, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
  const reads = new ReadService(job.files, post);
  worker.ref();
  try {
    return await new Promise<T>((resolve, reject) => {
      let failure: Error | undefined;
      const onAbort = () => post(job.cancel);
      job.signal?.addEventListener("abort", onAbort, { once: true });
      if (job.signal?.aborted) onAbort();
      worker.on("error", (error) => (failure = error));
      worker.on("exit", (code) => {
        const { outOfMemory, why } = engineEnded(failure, code);
        reject(new Error(outOfMemory ? `The ${job.what}'s data engine ran out of memory: ${job.outOfMemoryAdvice}` : `The ${job.what}'s data engine stopped (${why}).`));
      });
      worker.on("message", (message: unknown) => {
        if (!isEngineToHost(message)) return;
        if (isReadRequest(message)) {
          reads.received(message);
          return;
        }
        const outcome = job.received(message);
        if (!outcome) return;
        if ("result" in outcome) resolve(outcome.result);
        else reject(outcome.cancelled ? cancelledError() : revive(outcome.failed));
      });
      void (job.downloads?.serveReads(job.files).catch(() => undefined) ?? Promise.resolve(undefined)).then((route) => {
        if (route) worker.postMessage({ kind: "readPort", port: route.port, served: route.served } satisfies HostToEngine, [route.port]);
        post(job.start);
        // A cancel asked while the port was being made came before the start: ask again.
        if (job.signal?.aborted) post(job.cancel);
      });
    });
  } finally {
    reads.stopAll();
    await worker.terminate();
  }
}

export const engineFiles = (files: PreviewFile[]) => files.map(({ container, name, size, label }) => ({ container, name, size, label }));
