// One first preview of a session, in a process of its own (bench:preview runs it five times): the host's
// code has never run (nothing compiled yet) and no engine thread is booted, as after VS Code starts. The
// storage client has made one small read first, as the tree's listing would have. Prints the ms from
// opening the preview to its first rows.
import { Worker } from "node:worker_threads";
import { createBlobGatewayFromConnectionString } from "../../src/azure/blob";
import { CAP, engine, WORKER } from "./benchEngine";

async function main(): Promise<void> {
  const [connectionString, container, name, size] = process.argv.slice(2);
  const blobs = createBlobGatewayFromConnectionString(connectionString);
  await blobs.readRange(container, name, 1 << 20, 1024);
  const file = { blobs, container, name, size: Number(size), label: "data.csv" };
  const started = performance.now();
  let firstAt = 0;
  let rows = 0;
  let shown!: () => void;
  const first = new Promise<void>((resolve) => (shown = resolve));
  // As the extension asks for it: the thread is started once the first screen is shown.
  const preview = engine(file, () => new Worker(WORKER), { parallelRanges: 4 }, () => {
    firstAt = performance.now() - started;
    rows = preview.progress().visibleRows;
    shown();
  });
  // Awaited, not polled (a loop of setImmediate would keep this thread busy beside the read).
  await Promise.race([first, preview.done]);
  await preview.dispose();
  if (rows < 1000) throw new Error(`only ${rows} rows from the first range`);
  console.log(JSON.stringify({ firstAt, rows, cap: CAP }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
