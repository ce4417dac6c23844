// A decoded text stream handed on chunk by chunk, in slices that let a Cancel in between (a buffered
// stream emits chunk after chunk without yielding), stopping at once when the signal aborts.
import type { Readable } from "node:stream";
import { cancelledError } from "../core/errors";
import { Breather } from "./breather";

/** Calls `chunk(text, false)` per chunk and `chunk("", true)` at the end; rejects on abort or a stream error. */
export function readTextChunks(text: Readable, signal: AbortSignal, chunk: (text: string, final: boolean) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      // Rows stop at once: nothing buffered is parsed after a Cancel.
      text.destroy();
      reject(cancelledError());
    };
    // One listener per file, removed when the file ends (a stitched month is hundreds of files).
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = (error?: Error) => {
      signal.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve();
    };
    const breather = new Breather();
    text.on("data", (data: string) => {
      chunk(data, false);
      if (!breather.due()) return;
      text.pause();
      setImmediate(() => {
        breather.rested();
        if (!signal.aborted) text.resume();
      });
    });
    text.on("end", () => {
      chunk("", true);
      settle();
    });
    text.on("error", settle);
  });
}
