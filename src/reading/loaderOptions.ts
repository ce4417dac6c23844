// What a loader is asked to do and whom it tells: its options, its events, and the row sink a compare or
// a training set gathers values through.
import type { ByteRowLayout } from "../core/table/rowStore";
import type { TextEncoding } from "../core/table/sniff";
import type { ColumnInfo, Progress } from "../protocol";
import type { LoaderStatistics } from "./loaderStatistics";

/** The first ranged read of a preview: enough for the first screen of rows. */
export const FIRST_RANGE_BYTES = 256 * 1024;

export interface LoaderEvents {
  init(columns: ColumnInfo[], firstRows: string[][], progress: Progress): void;
  /** Columns appended since the last call (index `from` on). */
  columnsAdded(from: number, columns: ColumnInfo[]): void;
  progress(progress: Progress): void;
}

export interface LoaderOptions {
  /** Rows held for the grid (statistics cover every row). */
  cap: number;
  /** Most columns a preview makes; cells past them are folded into OVERFLOW_COLUMN. */
  maxColumns: number;
  /** Read the files as this encoding instead of what their first bytes say (the user chose Latin-1). */
  encoding?: TextEncoding;
  /** The first ranged read's size (tests shrink it to cut small files as big ones are cut). */
  firstRangeBytes?: number;
  /** Files beside the data that are not the collector's, named in a notice. */
  skipped?: string[];
  /** The first line is the header, whatever it looks like (a SQL answer). */
  headerRow?: boolean;
  /** Most bytes of rows held for the grid, whatever the rows look like (default 1 GiB). */
  maxHeldBytes?: number;
  /** A blob over two ranges is read as this many concurrent ranged GETs of `rangeBytes` (1: one stream). */
  parallelRanges?: number;
  rangeBytes?: number;
  /** Every row as it is parsed (a drift compare gathers values here; the preview holds none then). */
  sink?: RowSink;
  /** false: no column statistics (a compare computes its own); rows are still counted and checked. */
  statistics?: boolean;
  /** Where the column statistics are counted (a thread of their own); by default on the loader's thread. */
  countStatistics?: () => LoaderStatistics;
}

export interface RowSink {
  /** The next rows come from files[index]; a promise holds the reading back until the sink has caught up. */
  beginFile?(index: number): void | Promise<void>;
  /** A row mapped into the preview's columns. */
  textRow(row: readonly string[]): void;
  /** A quote-free CSV row bytes[start, end), its cells mapped by `layout`. */
  byteRow(bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout): void;
}
