// Rows held by the data engine; the webview asks for windows of them. Sort (numeric-aware) and filters
// (per column and global) make a view: an index array over the stored rows. Keys are kept per column
// (numbers as a Float64Array, a text sort's cells as ids of their distinct values, a column filter's cells
// as strings) and extended as rows arrive, so typing in a filter box or sorting again does not re-read
// every row.
import { parseCellFilter } from "./cellFilter";
import { RowStore, type ByteRowLayout } from "./rowStore";
import { PLAIN_NUMBER } from "./bytes";
import { sortByNumbers, sortByRanks } from "./sortKeys";
import { CellIds, rankValues } from "./cellIds";

export interface SortSpec {
  column: number;
  direction: "asc" | "desc";
}

export interface ViewSpec {
  sort?: SortSpec;
  /** Column index → filter text: a substring, or a comparison like `>0.5`, `<=3`, `=blue`, `!=x`. */
  filters: Record<number, string>;
  global?: string;
}

const MAX_CELL_CHARS = 4000;
/** Columns whose keys are kept (each costs 8 bytes a row as numbers, a string a row as text). */
const KEPT_KEY_COLUMNS = 4;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

interface NumberKeys { kind: "number"; values: Float64Array; count: number }
interface TextKeys { kind: "text"; values: string[] }
/** A text sort's keys: each row's cell as an id of its distinct value, and (once sorted) the ids' ranks. */
interface RankKeys { kind: "ranks"; cells: CellIds; ids: Uint32Array; count: number; ranks?: { ofId: Uint32Array; distinct: number } }

export class TableView {
  private rows = new RowStore();
  private view: Uint32Array | undefined;
  private spec: ViewSpec = { filters: {} };
  private numericColumns = new Set<number>();
  private keys = new Map<string, NumberKeys | TextKeys | RankKeys>();

  get totalRows(): number {
    return this.rows.length;
  }

  get visibleRows(): number {
    return this.view ? this.view.length : this.rows.length;
  }

  append(rows: string[][]): void {
    for (const row of rows) this.rows.pushText(row);
    if (this.view) this.apply(this.spec);
  }

  /** One row while streaming; an active sort or filter is re-applied when the caller next asks. */
  appendOne(row: string[]): void {
    this.rows.pushText(row);
    this.stale = this.view !== undefined;
  }

  /** One quote-free CSV row, kept as bytes until it is shown (see RowStore.pushBytes). */
  appendBytes(bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout, handedOver = false): void {
    this.rows.pushBytes(bytes, start, end, layout, handedOver);
    this.stale = this.view !== undefined;
  }

  /** Rows already stored gained cells (a later row widened their file's columns): kept keys are out of date. */
  cellsChanged(): void {
    this.keys.clear();
  }

  /** Re-applies the current sort/filter if rows arrived since; false when `keepGoing` stopped it. */
  refresh(keepGoing: () => boolean = always): boolean {
    return this.stale ? this.apply(this.spec, keepGoing) : true;
  }

  private stale = false;

  setNumericColumns(columns: number[]): void {
    this.numericColumns = new Set(columns);
  }

  /**
   * Makes the view `spec` describes. `keepGoing` is asked every few thousand rows and between sort passes:
   * when it says no (a newer sort or filter arrived), the work is dropped and the previous view stays.
   */
  apply(spec: ViewSpec, keepGoing: () => boolean = always): boolean {
    const filters = Object.entries(spec.filters).filter(([, text]) => text.trim() !== "").map(([c, text]) => ({ column: Number(c), test: cellTest(text) }));
    const global = spec.global?.trim().toLowerCase();
    if (filters.length === 0 && !global && !spec.sort) {
      this.commit(spec, undefined);
      return true;
    }
    let candidates: Uint32Array | undefined;
    if (global) {
      const found: number[] = [];
      if (!this.rows.searchRows(global, 0, (i) => found.push(i), keepGoing)) return false;
      candidates = Uint32Array.from(found);
    }
    for (const filter of filters) {
      const keys = this.textKeys(filter.column);
      const kept: number[] = [];
      const n = candidates ? candidates.length : this.rows.length;
      for (let k = 0; k < n; k++) {
        if ((k & 16383) === 0 && !keepGoing()) return false;
        const row = candidates ? candidates[k] : k;
        if (filter.test(keys[row])) kept.push(row);
      }
      candidates = Uint32Array.from(kept);
    }
    if (!spec.sort) {
      this.commit(spec, candidates);
      return true;
    }
    const n = candidates ? candidates.length : this.rows.length;
    const { column, direction } = spec.sort;
    let order: Uint32Array | undefined;
    if (this.numericColumns.has(column)) order = sortByNumbers(candidates, n, this.numberKeys(column), direction === "desc", keepGoing);
    else {
      const keys = this.rankKeys(column);
      keys.ranks ??= rankValues(keys.cells.values, collator);
      order = sortByRanks(candidates, n, keys.ids, keys.ranks.ofId, keys.ranks.distinct, direction === "desc", keepGoing);
    }
    if (!order) return false;
    this.commit(spec, order);
    return true;
  }

  private commit(spec: ViewSpec, view: Uint32Array | undefined): void {
    this.spec = spec;
    this.view = view;
    this.stale = false;
  }

  private numberKeys(column: number): Float64Array {
    const id = `n${column}`;
    let keys = this.keys.get(id) as NumberKeys | undefined;
    if (!keys || keys.values.length < this.rows.length) {
      keys = { kind: "number", values: this.room(keys?.values, keys?.count ?? 0, (n) => new Float64Array(n)), count: keys?.count ?? 0 };
      this.keep(id, keys);
    }
    this.rows.numbersOf(column, keys.count, keys.values);
    keys.count = this.rows.length;
    return keys.values;
  }

  private textKeys(column: number): string[] {
    const id = `t${column}`;
    let keys = this.keys.get(id) as TextKeys | undefined;
    if (!keys) {
      keys = { kind: "text", values: [] };
      this.keep(id, keys);
    }
    const values = keys.values;
    if (values.length < this.rows.length) this.rows.scanColumn(column, values.length, (_i, cell) => values.push(cell));
    return values;
  }

  private rankKeys(column: number): RankKeys {
    const id = `r${column}`;
    let keys = this.keys.get(id) as RankKeys | undefined;
    if (!keys || keys.ids.length < this.rows.length) {
      keys = { kind: "ranks", cells: keys?.cells ?? new CellIds(), ids: this.room(keys?.ids, keys?.count ?? 0, (n) => new Uint32Array(n)), count: keys?.count ?? 0 };
      this.keep(id, keys);
    }
    if (keys.count < this.rows.length) {
      const { cells, ids } = keys;
      this.rows.scanColumn(column, keys.count, (i, cell) => (ids[i] = cells.idOfText(cell)), (i, data, start, end) => (ids[i] = cells.idOfBytes(data, start, end)));
      keys.count = this.rows.length;
      keys.ranks = undefined;
    }
    return keys;
  }

  /** A key array with room for every row (half again as much when it grows), its first `count` keys kept. */
  private room<A extends Float64Array | Uint32Array>(old: A | undefined, count: number, make: (length: number) => A): A {
    const grown = make(Math.max(this.rows.length, 1024) * (old ? 1.5 : 1) | 0);
    if (old) grown.set(old.subarray(0, count));
    return grown;
  }

  private keep(id: string, keys: NumberKeys | TextKeys | RankKeys): void {
    this.keys.delete(id);
    this.keys.set(id, keys);
    // The least recently made go first.
    while (this.keys.size > KEPT_KEY_COLUMNS) this.keys.delete(this.keys.keys().next().value as string);
  }

  /** A window of the view, with huge cells shortened for the webview (the engine keeps the full text). */
  window(start: number, count: number): string[][] {
    const end = Math.min(this.visibleRows, start + count);
    const out: string[][] = [];
    for (let i = Math.max(0, start); i < end; i++) out.push(this.row(i).map(shorten));
    return out;
  }

  /** Full rows of the view, for copy and export. */
  *rowsInView(start = 0, end = this.visibleRows): Generator<string[]> {
    for (let i = Math.max(0, start); i < Math.min(end, this.visibleRows); i++) yield this.row(i);
  }

  private row(viewIndex: number): string[] {
    return this.rows.get(this.view ? this.view[viewIndex] : viewIndex);
  }
}

const always = () => true;

function shorten(cell: string): string {
  return cell.length > MAX_CELL_CHARS ? `${cell.slice(0, MAX_CELL_CHARS)}… (${Math.round(cell.length / 1024)} KB)` : cell;
}

/** A column filter as a test; a filter that is not valid matches everything (the webview says why). */
export function cellTest(filter: string): (cell: string) => boolean {
  const parsed = parseCellFilter(filter);
  return "test" in parsed ? parsed.test : () => true;
}


/**
 * CSV for export: RFC 4180 quoting; cells starting with = + - @ (tab, CR) are escaped with a leading quote so
 * spreadsheets don't run them as formulas. Plain numbers such as -3.5 are left alone.
 */
export function toCsvLine(cells: readonly string[], escapeFormulas: boolean): string {
  return cells.map((cell) => {
    let value = cell;
    if (escapeFormulas && /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value)) value = `'${value}`;
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(",");
}

export function toTsvLine(cells: readonly string[]): string {
  return cells.map((c) => c.replace(/[\t\r\n]+/g, " ")).join("\t");
}
