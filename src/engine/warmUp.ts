// A fresh worker runs our parser cold (interpreted, no type feedback yet): its first screen of rows cost
// ~11 ms more than warm code here. The engine thread booted ahead of a preview (EngineThreads) sorts and
// filters rows of a sample while it waits, so a first sort of half a million rows meets compiled code
// (cold: ~2× slower), then runs the first-rows path a few times over it. In that order: sorting last left
// its garbage and types to the first screen, which then took 5 ms more.
import { FIRST_RANGE_BYTES } from "./protocol";
import { heldBytesGateway } from "./heldBytes";
import { firstScreen } from "./firstScreen";
import { TableView } from "../core/table/tableView";
import { QuoteFreeCsvSplitter } from "../core/table/csvBytes";
import { sortByNumbers } from "../core/table/sortKeys";

function sampleCsv(): Buffer {
  const lines = [[...Array.from({ length: 20 }, (_, c) => `feature_${c}`), "label", "$aml_dc_correlation_id"].join(",")];
  for (let i = 0; lines.length * 120 < FIRST_RANGE_BYTES * 1.5; i++) {
    const numbers = Array.from({ length: 20 }, (_, c) => ((i * 2654435761 + c * 7919) % 100_000) / 100);
    lines.push(`${numbers.join(",")},class-${i % 7},3f2b1c4d-${i % 10_000}`);
  }
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

export async function warmUp(rounds = 6): Promise<void> {
  const bytes = sampleCsv();
  const sample = { blobs: heldBytesGateway(bytes, "warm-up"), container: "warm-up", name: "sample.csv", size: bytes.length, label: "sample.csv" };
  sortAndFilter(bytes);
  // The first screen is all a preview waits for: the same path the host's first screen takes.
  for (let round = 0; round < rounds; round++) await firstScreen([sample], "csv", { cap: 10_000, maxColumns: 2000 }, bytes);
}

/** Sorts and filters the sample's rows held as bytes, as a preview holds them: four times over (~6,600 rows), so each loop runs long enough to be optimized. */
function sortAndFilter(bytes: Buffer): void {
  const table = new TableView();
  const layout = { mapping: Array.from({ length: 22 }, (_, i) => i) };
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let copy = 0; copy < 4; copy++) {
    const splitter = new QuoteFreeCsvSplitter({ row: (row, start, end) => table.appendBytes(row, start, end, layout) });
    splitter.push(data);
    splitter.end();
  }
  table.setNumericColumns([0, 1]);
  for (const column of [0, 1]) table.apply({ sort: { column, direction: column ? "desc" : "asc" }, filters: {} });
  for (const column of [20, 21]) table.apply({ sort: { column, direction: column === 20 ? "desc" : "asc" }, filters: {} });
  // A needle with a stretch free of letters, and one of letters only (the two ways a global filter searches).
  table.apply({ filters: { 20: "class" }, global: "-00" });
  table.apply({ filters: {}, global: "class" });
  // The radix sort's loops over many more keys than the sample has rows (cheap: no rows to split).
  const keys = Float64Array.from({ length: 60_000 }, (_, i) => (i % 97 === 0 ? NaN : ((i * 2654435761) % 100_003) / 7));
  for (const descending of [false, true, false]) sortByNumbers(undefined, keys.length, keys, descending, () => true);
}
