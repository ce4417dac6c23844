// Where a preview's column statistics are counted, as the loader sees it: every row is handed over in
// order, and what was counted is asked for when wanted (a thread of their own answers later, so asking
// is asynchronous). The counting itself is core/table/stats.ts.
import type { ByteRowLayout } from "../core/table/rowStore";
import { StatsAccumulator, type ColumnStats } from "../core/table/stats";

export interface LoaderStatistics {
  /** The preview's columns so far (the list only grows). */
  setColumns(names: readonly string[]): void;
  add(row: readonly string[]): void;
  /** A quote-free row; returns its cell count. */
  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): number;
  /** A cell of the row just added, in a column made for it after that row was counted. */
  addOverflowCell(column: number, text: string): void;
  /** Settles once little enough is waiting to be counted (the reading pauses meanwhile); fails if counting failed. */
  caughtUp(): Promise<void>;
  /** Cells counted from bytes that were not valid UTF-8 since the last call. */
  takeReplacements(): Promise<number>;
  /** Every column's statistics over the rows handed over so far. */
  snapshot(): Promise<ColumnStats[]>;
  /** No more rows: what was counted stays readable, and a thread counting them ends. */
  finish(): Promise<void>;
}

/** Counted on the caller's thread, as each row is handed over. */
export class LocalStatistics implements LoaderStatistics {
  private readonly stats = new StatsAccumulator([]);

  setColumns(names: readonly string[]): void {
    this.stats.setColumns(names);
  }

  add(row: readonly string[]): void {
    this.stats.add(row);
  }

  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): number {
    return this.stats.addByteRow(bytes, rowStart, rowEnd, layout);
  }

  addOverflowCell(column: number, text: string): void {
    this.stats.addOverflowCell(column, text);
  }

  async caughtUp(): Promise<void> {}

  async takeReplacements(): Promise<number> {
    return this.stats.takeReplacements();
  }

  async snapshot(): Promise<ColumnStats[]> {
    return this.stats.snapshot();
  }

  async finish(): Promise<void> {}
}
