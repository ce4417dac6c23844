// Rows kept by a key (a service's outputs, ground truth labels) while another side streams past them:
// cells by column (no object per row), the first row of a key kept, what could not be kept counted.
import { PLAIN_NUMBER } from "../table/bytes";

export type Cell = string | null;

/**
 * A cell a training set may store as a number: a plain decimal, but not one with a leading zero such as a
 * postcode or an id ("01234" stays text, as a number it would lose the zero).
 */
export function isTypedNumber(value: string): boolean {
  return PLAIN_NUMBER.test(value) && !/^[-+]?0\d/.test(value);
}

/** A key as text: trimmed; none when empty. */
export function keyText(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  return text === "" ? undefined : text;
}

export class KeyedRows {
  private readonly index = new Map<string, number>();
  private readonly columns: Cell[][] = [];
  /** Per column: every non-empty cell is a plain number. */
  private readonly numbers: boolean[] = [];
  private used = new Uint8Array(1024);
  private usedRows = 0;
  rows = 0;
  withoutKey = 0;
  duplicateKeys = 0;

  /** Keeps `cells` (column i at i; undefined ones not at all) under `key`; a row without a key, or repeating one, is counted instead. */
  add(key: string | null | undefined, cells: readonly (string | null | undefined)[]): void {
    const text = keyText(key);
    if (text === undefined) {
      this.withoutKey += 1;
      return;
    }
    if (this.index.has(text)) {
      this.duplicateKeys += 1;
      return;
    }
    const row = this.rows++;
    this.index.set(text, row);
    for (let c = 0; c < cells.length; c++) {
      const value = cells[c];
      if (value === undefined) continue;
      const cell = value === "" ? null : value;
      let column = this.columns[c];
      if (!column) {
        column = this.columns[c] = [];
        this.numbers[c] = true;
      }
      column[row] = cell;
      if (cell !== null && this.numbers[c] && !isTypedNumber(cell)) this.numbers[c] = false;
    }
  }

  /** The row kept under `key` (marked as asked for), or -1. */
  take(key: string | null | undefined): number {
    const text = keyText(key);
    const row = text === undefined ? undefined : this.index.get(text);
    if (row === undefined) return -1;
    if (row >= this.used.length * 8) {
      const grown = new Uint8Array(Math.max(this.used.length * 2, (row >> 3) + 1));
      grown.set(this.used);
      this.used = grown;
    }
    const bit = 1 << (row & 7);
    if (!(this.used[row >> 3] & bit)) {
      this.used[row >> 3] |= bit;
      this.usedRows += 1;
    }
    return row;
  }

  /** Rows no one asked for. */
  get unused(): number {
    return this.rows - this.usedRows;
  }

  cell(row: number, column: number): Cell {
    return row < 0 ? null : this.columns[column]?.[row] ?? null;
  }

  isNumeric(column: number): boolean {
    return this.numbers[column] ?? true;
  }
}

/**
 * A streamed side paired with kept rows by key: each pair() answers the kept row's index, -1 when a left
 * join keeps the row unpaired, or undefined when an inner join leaves it out; what did not pair is counted.
 */
export class KeyedJoin {
  readonly rows = new KeyedRows();
  protected paired = 0;
  protected unpaired = 0;
  protected withoutKey = 0;

  constructor(private readonly how: "inner" | "left") {}

  add(key: string | null | undefined, cells: readonly (string | null | undefined)[]): void {
    this.rows.add(key, cells);
  }

  pair(key: string | null | undefined): number | undefined {
    const text = keyText(key);
    const row = text === undefined ? -1 : this.rows.take(text);
    if (row >= 0) {
      this.paired += 1;
      return row;
    }
    if (text === undefined) this.withoutKey += 1;
    else this.unpaired += 1;
    return this.how === "left" ? -1 : undefined;
  }
}
