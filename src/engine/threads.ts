// Engine threads for previews: one per preview, ended with it. A worker takes ~20 ms to boot and its first
// parse runs cold (~11 ms more for the first screen of rows), more than the first ranged read it waits
// for: so one is kept booted and warmed ahead (the spare) for the next preview to take.
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { ReadRouter } from "./client";

export class EngineThreads {
  private spare: Worker | undefined;

  /** `downloads`: where the engines' reads are served off the host's thread (DownloadThread). */
  constructor(private readonly workerPath: string, readonly downloads?: ReadRouter) {}

  /** Boots the spare if there is none (the user is browsing data: a preview is likely next). */
  warmUp(): void {
    if (this.spare) return;
    const worker = this.start(undefined, true);
    worker.once("exit", () => {
      if (this.spare === worker) this.spare = undefined;
    });
    this.spare = worker;
  }

  /** A worker for a new preview: the spare when its limits fit, and a new spare boots behind it. */
  take(limits?: ResourceLimits): Worker {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && !limits) {
      setImmediate(() => this.warmUp());
      return spare;
    }
    void spare?.terminate();
    return this.start(limits);
  }

  private start(limits: ResourceLimits | undefined, warmUp = false): Worker {
    const worker = new Worker(this.workerPath, { resourceLimits: limits, stdout: false, stderr: false, workerData: { warmUp } });
    // An idle spare must not keep the process alive.
    worker.unref();
    return worker;
  }

  dispose(): void {
    void this.spare?.terminate();
    this.spare = undefined;
  }
}
