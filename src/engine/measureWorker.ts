// A compare's measuring thread (dist/measureWorker.js), started by the engine thread that reads the windows:
// it sorts the values it is handed, measures each production day against the reference, folds the days
// in and computes the result, while the reading thread goes on parsing (the second core's share).
import { parentPort, workerData } from "node:worker_threads";
import { CompareMeasure } from "../core/drift/measure";
import { isToMeasure, received, type FromMeasure, type MeasureData, type ToMeasure } from "./measureProtocol";
import { serializeError } from "./protocol";

const port = parentPort;
if (!port) throw new Error("measureWorker.js runs as a worker thread");

const measure = new CompareMeasure((workerData as MeasureData).options);
const post = (message: FromMeasure) => port.postMessage(message);
/** Messages are handled one after another, in the order sent; after a failure, none. */
let queue: Promise<void> = Promise.resolve();
let failed = false;

async function handle(message: ToMeasure): Promise<void> {
  switch (message.kind) {
    case "reference":
      return measure.setReference(received(message.parcel));
    case "day":
      await measure.addDay(received(message.parcel));
      return post({ kind: "dayFolded" });
    case "result": {
      const production = "windows" in message.production ? received(message.production) : message.production;
      return post({ kind: "measured", result: await measure.result(production) });
    }
  }
}

port.on("message", (message: unknown) => {
  if (!isToMeasure(message)) {
    console.error("compare measure: dropped a malformed message");
    return;
  }
  queue = queue.then(async () => {
    if (failed) return;
    try {
      await handle(message);
    } catch (error) {
      failed = true;
      post({ kind: "failed", error: serializeError(error) });
    }
  });
});
