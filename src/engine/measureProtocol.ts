// Messages between a compare's reading thread (compareJob.ts) and its measuring thread (measureWorker.ts).
// The values' arrays move with a message (transferred, not copied); days are answered in the order sent.
import type { CompareOptions, CompareResult } from "../core/drift/report";
import type { DayParcel, GatheredColumn, ProductionEnd, WindowParcel } from "../core/drift/measure";
import { NumberSketch } from "../core/drift/sketch";
import type { SerializedError } from "./protocol";

export type ToMeasure =
  | { kind: "reference"; parcel: WindowParcel }
  | { kind: "day"; parcel: DayParcel }
  | { kind: "result"; production: WindowParcel | ProductionEnd };

export type FromMeasure =
  | { kind: "dayFolded" }
  | { kind: "measured"; result: CompareResult }
  | { kind: "failed"; error: SerializedError };

/** What the measuring thread is started with. */
export interface MeasureData {
  options: CompareOptions;
}

const TO_MEASURE = new Set(["reference", "day", "result"]);
const FROM_MEASURE = new Set(["dayFolded", "measured", "failed"]);

export const isToMeasure = (message: unknown): message is ToMeasure => TO_MEASURE.has((message as { kind?: string } | null)?.kind ?? "");
export const isFromMeasure = (message: unknown): message is FromMeasure => FROM_MEASURE.has((message as { kind?: string } | null)?.kind ?? "");

/** The memory a parcel's values can move in (each buffer once: a transfer list must not repeat one). */
export function transferOf(windows: Array<[number, GatheredColumn]>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const [, window] of windows) {
    if (window.numbers.buffer instanceof ArrayBuffer) buffers.add(window.numbers.buffer);
    if (window.sketch) buffers.add(window.sketch.transferable);
  }
  return [...buffers];
}

/** A parcel's windows as they arrive: their sketches are classes again. */
export function received<T extends { windows: Array<[number, GatheredColumn]> }>(parcel: T): T {
  for (const [, window] of parcel.windows) if (window.sketch) window.sketch = NumberSketch.revive(window.sketch);
  return parcel;
}
