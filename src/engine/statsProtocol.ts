// Messages between a preview's engine thread (statsThread.ts) and the thread that counts its column
// statistics (statsWorker.ts). Rows go over in batches: the rows' bytes copied into a pooled buffer that
// moves with the message and comes back once counted, and the steps that must keep their place between
// rows (new columns, a layout's mapping, text rows, an overflow cell), applied in the order given.
import type { ColumnStats } from "../core/table/stats";
import type { SerializedError } from "./protocol";

export type StatsStep =
  | { step: "columns"; added: string[] }
  /** The byte rows after this one map their cells as `mapping` says (the layout `id` is known from now on). */
  | { step: "layout"; id: number; mapping: number[]; source?: { column: number; label: string } }
  /** The batch's next `rows` byte rows. */
  | { step: "bytes"; rows: number }
  | { step: "text"; rows: string[][] }
  | { step: "overflow"; column: number; text: string };

export type ToStats =
  /** `bounds` holds each byte row's start and end in `bytes`, two numbers a row. */
  | { kind: "batch"; steps: StatsStep[]; bytes: Uint8Array; bounds: Int32Array }
  | { kind: "snapshot"; id: number }
  | { kind: "replacements"; id: number };

export type FromStats =
  /** A batch counted: its buffers, back to the pool. */
  | { kind: "counted"; bytes: Uint8Array; bounds: Int32Array }
  | { kind: "snapshot"; id: number; stats: ColumnStats[] }
  | { kind: "replacements"; id: number; count: number }
  | { kind: "failed"; error: SerializedError };

const TO_STATS = new Set(["batch", "snapshot", "replacements"]);
const FROM_STATS = new Set(["counted", "snapshot", "replacements", "failed"]);

export const isToStats = (message: unknown): message is ToStats => TO_STATS.has((message as { kind?: string } | null)?.kind ?? "");
export const isFromStats = (message: unknown): message is FromStats => FROM_STATS.has((message as { kind?: string } | null)?.kind ?? "");
