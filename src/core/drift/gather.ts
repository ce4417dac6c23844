// Gathers one window's feature values as rows stream past (every value: the metrics are exact): numbers
// into a growing Float64Array, other text counted by value, nulls counted. Rows come as strings (the text
// parser) or as quote-free CSV bytes with their layout (the byte path), as the preview's loader has them.
import type { ByteRowLayout } from "../table/rowStore";
import { asciiText, cellEnd, COMMA, decimal, readDecimal, isAsciiBytes, isMissingWord, MISSING_WORDS, PLAIN_NUMBER, utf8Text } from "../table/bytes";
import type { ColumnWindow } from "./compare";
import { EXACT_VALUES, NumberSketch } from "./sketch";

const MISSING = new Set(MISSING_WORDS);
/** Past this many distinct texts a feature is not a category any more (free text, ids): it stops counting them. */
export const MAX_CATEGORIES = 100_000;

class ColumnGatherer {
  rows = 0;
  nulls = 0;
  fractional = 0;
  numbers: Float64Array;
  count = 0;
  /** Past EXACT_VALUES numbers, every number goes here instead (and the exact ones moved in). */
  sketch: NumberSketch | undefined;
  readonly texts = new Map<string, number>();
  /** Distinct texts past MAX_CATEGORIES, not counted one by one. */
  overflowTexts = 0;
  /** Cells whose bytes were not valid UTF-8 (read with U+FFFD). */
  replacements = 0;

  /** `expected`: how many numbers are likely (the day before's rows): one array, no doubling and copying. */
  constructor(expected = 0) {
    this.numbers = new Float64Array(expected > 0 ? expected + (expected >> 5) + 64 : 1024);
  }

  /** Short ASCII cells seen before, by a hash of their bytes: a category's string is made once, not per cell. */
  private readonly interned = new Map<number, string>();

  private asciiCell(bytes: Uint8Array, start: number, end: number): string {
    if (end - start > 48) return asciiText(bytes, start, end);
    let hash = 0x811c9dc5;
    for (let p = start; p < end; p++) hash = Math.imul(hash ^ bytes[p], 0x01000193);
    const known = this.interned.get(hash);
    if (known !== undefined && known.length === end - start) {
      let same = true;
      for (let k = 0; k < known.length && same; k++) same = known.charCodeAt(k) === bytes[start + k];
      if (same) return known;
    }
    const text = asciiText(bytes, start, end);
    if (this.interned.size < 4096) this.interned.set(hash, text);
    return text;
  }

  number(value: number, fraction: boolean): void {
    if (fraction) this.fractional += 1;
    if (this.sketch) {
      this.sketch.add(value);
      return;
    }
    if (this.count === EXACT_VALUES) {
      this.sketch = NumberSketch.of(this.numbers.subarray(0, this.count));
      this.numbers = new Float64Array(0);
      this.count = 0;
      this.sketch.add(value);
      return;
    }
    if (this.count === this.numbers.length) {
      const larger = new Float64Array(this.numbers.length * 2);
      larger.set(this.numbers);
      this.numbers = larger;
    }
    this.numbers[this.count++] = value;
  }

  text(value: string): void {
    if (value === "" || (value.length <= 4 && MISSING.has(value))) {
      this.nulls += 1;
      return;
    }
    const first = value.charCodeAt(0);
    // Only a digit, a sign or a point can start a number: most category cells skip the pattern.
    if (((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) && PLAIN_NUMBER.test(value)) {
      this.number(Number(value), /[.eE]/.test(value));
      return;
    }
    const known = this.texts.get(value);
    if (known !== undefined) this.texts.set(value, known + 1);
    else if (this.texts.size < MAX_CATEGORIES) this.texts.set(value, 1);
    else this.overflowTexts += 1;
  }

  /**
   * The cell starting at bytes[start] of a quote-free row ending at rowEnd; returns where it ends (its comma,
   * or rowEnd). A plain decimal is read as its end is found; anything else goes to otherCell().
   */
  scanCell(bytes: Uint8Array, start: number, rowEnd: number): number {
    const stop = readDecimal(bytes, start, rowEnd);
    if (decimal.plain && (stop === rowEnd || bytes[stop] === COMMA)) {
      this.number(decimal.value, decimal.point);
      return stop;
    }
    const end = cellEnd(bytes, stop, rowEnd);
    this.otherCell(bytes, start, end);
    return end;
  }

  /** bytes[start, end), not a plain decimal (scanCell read that much): missing, or text (which may still be a number Number() reads). */
  private otherCell(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length === 0 || (length <= 4 && isMissingWord(bytes, start, length))) {
      this.nulls += 1;
      return;
    }
    if (isAsciiBytes(bytes, start, end)) {
      this.text(this.asciiCell(bytes, start, end));
      return;
    }
    const text = utf8Text(bytes, start, end);
    if (text.includes("\uFFFD")) this.replacements += 1;
    this.text(text);
  }

  window(): ColumnWindow & { overflowTexts: number } {
    return { rows: this.rows, nulls: this.nulls, numbers: this.numbers.subarray(0, this.count), fractional: this.fractional, texts: this.texts, overflowTexts: this.overflowTexts, sketch: this.sketch };
  }
}

/** A column that `rows` rows had no cell for. */
export function absentColumn(rows: number): ColumnWindow & { overflowTexts: number } {
  return { rows, nulls: rows, numbers: new Float64Array(0), fractional: 0, texts: new Map(), overflowTexts: 0 };
}

/** Values column by column (a Parquet file's column chunks), as typed values rather than text. */
export class ColumnarGatherer {
  private readonly columns: ColumnGatherer[];

  constructor(readonly names: readonly string[]) {
    this.columns = names.map(() => new ColumnGatherer());
  }

  /** One column's values; `float` when the column's type is floating point (numbers count as fractional). */
  add(column: number, values: ArrayLike<unknown>, float: boolean): void {
    const target = this.columns[column];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      target.rows += 1;
      if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) target.nulls += 1;
      else if (typeof value === "number") target.number(value, float);
      else if (typeof value === "bigint") target.number(Number(value), false);
      else if (value instanceof Date) target.text(value.toISOString());
      else target.text(typeof value === "string" ? value : String(value));
    }
  }

  get rows(): number {
    return this.columns.reduce((most, c) => Math.max(most, c.rows), 0);
  }

  get replacements(): number {
    return 0;
  }

  window(index: number): ColumnWindow & { overflowTexts: number } {
    return this.columns[index].window();
  }
}

/** A window of numbers as a column gathers them (held exactly, or past EXACT_VALUES, in a sketch). */
export function gatherNumbers(values: Float64Array, fractional = true): ColumnWindow & { overflowTexts: number } {
  const column = new ColumnGatherer();
  for (let i = 0; i < values.length; i++) column.number(values[i], fractional);
  column.rows = values.length;
  return column.window();
}

/**
 * Rows gathered per bucket (a day or an hour of the production window, its files in date order): each
 * bucket, once complete, goes to `finish` (which sorts it, measures it against the reference and folds it
 * into the window: CompareMeasure), so the days are not kept to the end.
 */
export class BucketedGatherer {
  private current: { bucket: string; day: WindowGatherer } | undefined;
  private rowsDone = 0;
  private replacementsDone = 0;
  /** Settles when the last completed bucket is finished (`finish` settles days in order). */
  private finishing: Promise<void> = Promise.resolve();

  /** `finish`: takes a complete bucket (its arrays may move to another thread); settles once it is folded in. */
  constructor(private readonly buckets: readonly string[], private readonly isFeature: (column: number) => boolean,
    private readonly finish: (bucket: string, day: WindowGatherer) => Promise<void>) {}

  /** A new bucket completes the one before; the reading waits until the days before that one are folded in. */
  beginFile(index: number): Promise<void> | undefined {
    const bucket = this.buckets[index] ?? "";
    if (this.current?.bucket === bucket) return undefined;
    const before = this.finishing;
    const done = this.current;
    this.complete();
    // Days are alike: each feature's array is made the size of the day before's rows.
    this.current = { bucket, day: new WindowGatherer(this.isFeature, done?.day.rows ?? 0) };
    // At most the day being finished and the day being read are held exactly (a day against a reference
    // sketch takes a while; without this, days read ahead piled up: 570 MB at 2 × 28 days, 464 MB with it).
    return before.catch(() => undefined);
  }

  textRow(row: readonly string[]): void {
    this.current?.day.textRow(row);
  }

  byteRow(bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout): void {
    this.current?.day.byteRow(bytes, start, end, layout);
  }

  /** The last bucket is complete too; settles when every bucket is folded in. */
  async end(): Promise<void> {
    this.complete();
    await this.finishing;
  }

  private complete(): void {
    const done = this.current;
    this.current = undefined;
    if (!done) return;
    done.day.seal();
    this.rowsDone += done.day.rows;
    this.replacementsDone += done.day.replacements;
    this.finishing = this.finish(done.bucket, done.day);
    // Awaited by end(); a cancel before then must not count as unhandled.
    this.finishing.catch(() => undefined);
  }

  get replacements(): number {
    return this.replacementsDone + (this.current?.day.replacements ?? 0);
  }

  get rows(): number {
    return this.rowsDone + (this.current?.day.rows ?? 0);
  }
}

export class WindowGatherer {
  /** By preview column: its gatherer, null when it is not a feature, undefined when not asked yet. */
  private readonly byIndex: Array<ColumnGatherer | null | undefined> = [];
  private readonly all: ColumnGatherer[] = [];
  /** Per file layout: the gatherer of each cell, and the last cell any feature needs. */
  private readonly targets = new WeakMap<ByteRowLayout, { mapped: number; cells: Array<ColumnGatherer | null>; last: number }>();
  rows = 0;

  /** Which of the preview's columns are features (by index); others are skipped. `expectedRows` sizes their arrays. */
  constructor(private readonly isFeature: (column: number) => boolean, private readonly expectedRows = 0) {}

  private column(index: number): ColumnGatherer | null {
    let column = this.byIndex[index];
    if (column === undefined) {
      column = this.isFeature(index) ? new ColumnGatherer(this.expectedRows) : null;
      if (column) {
        // The rows before this one had no cell here (a later file brought the column): missing.
        column.rows = this.rows - 1;
        column.nulls = this.rows - 1;
        this.all.push(column);
      }
      this.byIndex[index] = column;
    }
    return column;
  }

  textRow(row: readonly string[]): void {
    // More rows after a seal (files out of date order): windows are made afresh again.
    this.sealed = undefined;
    this.rows += 1;
    for (let i = 0; i < row.length; i++) {
      const column = this.column(i);
      if (!column) continue;
      column.rows += 1;
      column.text(row[i] ?? "");
    }
    this.fillAbsent();
  }

  byteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): void {
    this.sealed = undefined;
    this.rows += 1;
    const { cells, last } = this.targetsOf(layout);
    // One pass: a feature's cell is read as it is found; cells past the last feature (the collector's system
    // columns, usually) are not even looked at.
    let p = rowStart;
    for (let cell = 0; cell <= last; cell++) {
      const column = cells[cell];
      if (column) {
        column.rows += 1;
        p = column.scanCell(bytes, p, rowEnd);
      } else p = cellEnd(bytes, p, rowEnd);
      if (p >= rowEnd) break;
      p += 1;
    }
    this.fillAbsent();
  }

  private targetsOf(layout: ByteRowLayout): { cells: Array<ColumnGatherer | null>; last: number } {
    let known = this.targets.get(layout);
    if (!known || known.mapped !== layout.mapping.length) {
      const cells = layout.mapping.map((column) => this.column(column));
      let last = -1;
      cells.forEach((c, i) => (last = c ? i : last));
      known = { mapped: layout.mapping.length, cells, last };
      this.targets.set(layout, known);
    }
    return known;
  }

  /** Columns this row had no cell for (another file's columns, a short row) count it as a null. */
  private fillAbsent(): void {
    for (const column of this.all) {
      if (column.rows === this.rows) continue;
      column.rows += 1;
      column.nulls += 1;
    }
  }

  /** Cells read from bytes that were not valid UTF-8. */
  get replacements(): number {
    return this.all.reduce((sum, column) => sum + column.replacements, 0);
  }

  private sealed: Map<number, ColumnWindow & { overflowTexts: number }> | undefined;

  /** No more rows: each column's window is made once from now on (sorted copies are kept per array). */
  seal(): void {
    this.sealed ??= new Map();
  }

  /** Feature columns seen so far, by preview column index. */
  featureIndexes(): number[] {
    return this.byIndex.flatMap((column, index) => (column ? [index] : []));
  }

  /** The gathered window of column `index` (all nulls when it never appeared). */
  window(index: number): ColumnWindow & { overflowTexts: number } {
    const known = this.sealed?.get(index);
    if (known) return known;
    const made = this.makeWindow(index);
    this.sealed?.set(index, made);
    return made;
  }

  private makeWindow(index: number): ColumnWindow & { overflowTexts: number } {
    const column = this.byIndex[index];
    return column ? column.window() : absentColumn(this.rows);
  }
}
