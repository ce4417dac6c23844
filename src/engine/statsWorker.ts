// A preview's statistics thread (dist/statsWorker.js), started by its engine thread: it counts every row's
// cells into the column statistics while the engine thread reads, splits and holds the rows (the second
// core's share of a scan). Batches are applied in the order sent; after a failure, nothing more is.
import { parentPort } from "node:worker_threads";
import { serializeError } from "./protocol";
import { BatchCounter } from "./statsCounting";
import { isToStats, type FromStats, type ToStats } from "./statsProtocol";

const port = parentPort;
if (!port) throw new Error("statsWorker.js runs as a worker thread");

const counter = new BatchCounter();
let failed = false;

function post(message: FromStats, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function handle(message: ToStats): void {
  switch (message.kind) {
    case "batch":
      counter.count(message.steps, message.bytes, message.bounds);
      return post({ kind: "counted", bytes: message.bytes, bounds: message.bounds }, [message.bytes.buffer as ArrayBuffer, message.bounds.buffer as ArrayBuffer]);
    case "snapshot":
      return post({ kind: "snapshot", id: message.id, stats: counter.stats.snapshot() });
    case "replacements":
      return post({ kind: "replacements", id: message.id, count: counter.stats.takeReplacements() });
  }
}

port.on("message", (message: unknown) => {
  if (failed) return;
  if (!isToStats(message)) {
    console.error("preview statistics: dropped a malformed message");
    return;
  }
  try {
    handle(message);
  } catch (error) {
    failed = true;
    post({ kind: "failed", error: serializeError(error) });
  }
});
