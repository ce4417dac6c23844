// Long reads run in slices: after ~15 ms of work, yield to the event loop (setImmediate), so messages (a
// Cancel, a window of rows for a scroll) are handled while a download that is already buffered parses.
import { setImmediate as nextMacrotask } from "node:timers/promises";

const SLICE_MS = 15;

export class Breather {
  private since = performance.now();

  /** Whether the current slice is used up (then call rest() or pause a stream until the next macrotask). */
  due(): boolean {
    return performance.now() - this.since >= SLICE_MS;
  }

  /** Starts a new slice. */
  rested(): void {
    this.since = performance.now();
  }

  /** Yields if the current slice is used up. */
  async maybe(): Promise<void> {
    if (performance.now() - this.since < SLICE_MS) return;
    await nextMacrotask();
    this.since = performance.now();
  }
}
