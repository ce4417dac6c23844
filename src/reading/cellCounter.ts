// Statistics' stand-in when none are wanted (a compare computes its own): what the loader needs of them,
// the cells of a byte row.
import { countCells } from "../core/table/bytes";
import type { ByteRowLayout } from "../core/table/rowStore";
import type { ColumnStats } from "../core/table/stats";
import type { LoaderStatistics } from "./loaderStatistics";

export class CellCounter implements LoaderStatistics {
  setColumns(_names: readonly string[]): void {}
  add(_row: readonly string[]): void {}
  addOverflowCell(_column: number, _text: string): void {}
  async caughtUp(): Promise<void> {}
  async takeReplacements(): Promise<number> {
    return 0;
  }
  async snapshot(): Promise<ColumnStats[]> {
    return [];
  }
  async finish(): Promise<void> {}
  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, _layout: ByteRowLayout): number {
    return countCells(bytes, rowStart, rowEnd);
  }
}
