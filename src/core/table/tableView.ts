// Rows held by the extension host; the webview asks for windows of them. Sort (numeric-aware) and
// filters (per column and global) make a view: an index array over the stored rows.
import { parseCellFilter } from "./cellFilter";
import { RowStore, type ByteRowLayout } from "./rowStore";

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
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export class TableView {
  private rows = new RowStore();
  private view: Uint32Array | undefined;
  private spec: ViewSpec = { filters: {} };
  private numericColumns = new Set<number>();

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

  /** Re-applies the current sort/filter if rows arrived since. */
  refresh(): void {
    if (this.stale) this.apply(this.spec);
  }

  private stale = false;

  setNumericColumns(columns: number[]): void {
    this.numericColumns = new Set(columns);
  }

  apply(spec: ViewSpec): void {
    this.spec = spec;
    this.stale = false;
    const filters = Object.entries(spec.filters).filter(([, text]) => text.trim() !== "").map(([c, text]) => ({ column: Number(c), test: cellTest(text) }));
    const global = spec.global?.trim().toLowerCase();
    if (filters.length === 0 && !global && !spec.sort) {
      this.view = undefined;
      return;
    }
    const indices: number[] = [];
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) {
      if (filters.every((f) => f.test(rows.cell(i, f.column))) && (!global || rows.get(i).some((cell) => cell.toLowerCase().includes(global)))) indices.push(i);
    }
    if (spec.sort) {
      const { column, direction } = spec.sort;
      const sign = direction === "asc" ? 1 : -1;
      // Keys are read (and numbers parsed) once per row, not once per comparison.
      const keys = indices.map((i) => rows.cell(i, column));
      const numbers = this.numericColumns.has(column) ? Float64Array.from(keys, (k) => (k === "" ? NaN : Number(k))) : undefined;
      const order = Array.from(indices.keys());
      order.sort((a, b) => (numbers ? compareNumbers(numbers[a], numbers[b], sign) : sign * collator.compare(keys[a], keys[b])) || a - b);
      this.view = Uint32Array.from(order, (k) => indices[k]);
      return;
    }
    this.view = Uint32Array.from(indices);
  }

  /** A window of the view, with huge cells shortened for the webview (the host keeps the full text). */
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

function shorten(cell: string): string {
  return cell.length > MAX_CELL_CHARS ? `${cell.slice(0, MAX_CELL_CHARS)}… (${Math.round(cell.length / 1024)} KB)` : cell;
}

function compareNumbers(x: number, y: number, sign: number): number {
  // Missing values sort last in either direction.
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
  return sign * (x - y);
}

/** A column filter as a test; a filter that is not valid matches everything (the webview says why). */
export function cellTest(filter: string): (cell: string) => boolean {
  const parsed = parseCellFilter(filter);
  return "test" in parsed ? parsed.test : () => true;
}

const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

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
