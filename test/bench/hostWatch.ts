// What a bench watches while the engine works: the process's extra memory (RSS over what it held at the
// start, sampled every 50 ms: host and engine threads together) and the host's event-loop stalls.
import { monitorEventLoopDelay } from "node:perf_hooks";

export interface HostWatch {
  /** Stops watching: peak extra RSS (bytes), longest stall and its 99th percentile (ms). */
  stop(): { peakBytes: number; stallMs: number; stallP99Ms: number };
}

export function watchHost(): HostWatch {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - baseline)), 50);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return {
    stop: () => {
      delay.disable();
      clearInterval(sampler);
      return { peakBytes: peak, stallMs: delay.max / 1e6, stallP99Ms: delay.percentile(99) / 1e6 };
    },
  };
}
