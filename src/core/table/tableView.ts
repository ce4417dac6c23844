// Rows held by the extension host; the webview asks for windows of them. Sort (numeric-aware) and
// filters (per column and global) make a view: an index array over the stored rows.

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
  private rows: string[][] = [];
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
    for (const row of rows) this.rows.push(row);
    if (this.view) this.apply(this.spec);
  }

  /** One row while streaming; an active sort or filter is re-applied when the caller next asks. */
  appendOne(row: string[]): void {
    this.rows.push(row);
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
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (filters.every((f) => f.test(row[f.column] ?? "")) && (!global || row.some((cell) => cell.toLowerCase().includes(global)))) indices.push(i);
    }
    if (spec.sort) {
      const { column, direction } = spec.sort;
      const sign = direction === "asc" ? 1 : -1;
      const numeric = this.numericColumns.has(column);
      indices.sort((a, b) => sign * compareCells(this.rows[a][column] ?? "", this.rows[b][column] ?? "", numeric) || a - b);
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
    return this.rows[this.view ? this.view[viewIndex] : viewIndex];
  }
}

function shorten(cell: string): string {
  return cell.length > MAX_CELL_CHARS ? `${cell.slice(0, MAX_CELL_CHARS)}… (${Math.round(cell.length / 1024)} KB)` : cell;
}

function compareCells(a: string, b: string, numeric: boolean): number {
  if (numeric) {
    const x = a === "" ? NaN : Number(a);
    const y = b === "" ? NaN : Number(b);
    // Missing values sort last either way.
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
    return x - y;
  }
  return collator.compare(a, b);
}

export function cellTest(filter: string): (cell: string) => boolean {
  const text = filter.trim();
  const comparison = /^(>=|<=|!=|>|<|=)\s*(.*)$/.exec(text);
  if (comparison) {
    const [, op, operand] = comparison;
    const n = Number(operand);
    const numeric = operand !== "" && !Number.isNaN(n);
    return (cell) => {
      if (op === "=") return numeric ? Number(cell) === n : cell.toLowerCase() === operand.toLowerCase();
      if (op === "!=") return numeric ? Number(cell) !== n : cell.toLowerCase() !== operand.toLowerCase();
      if (!numeric || cell === "") return false;
      const v = Number(cell);
      return op === ">" ? v > n : op === "<" ? v < n : op === ">=" ? v >= n : v <= n;
    };
  }
  const needle = text.toLowerCase();
  return (cell) => cell.toLowerCase().includes(needle);
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
