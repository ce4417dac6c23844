// A windowed grid: the DOM holds a pool of rows for what is on screen, whatever the row count. Past the
// browser's element-height limit the scroll position maps to a row index instead of pixels.
import type { ColumnInfo } from "../src/protocol";
import type { ColumnStats } from "../src/core/table/stats";
import type { RowCache } from "./rowCache";
import { el } from "./dom";
import { HeaderRow, type HeaderEvents } from "./header";

export const ROW_HEIGHT = 22;
const MAX_SPACER_PX = 15_000_000;
const OVERSCAN = 6;

export interface GridEvents extends HeaderEvents {
  copy(startRow: number, endRow: number, columns: number[], format: "tsv" | "csv"): void;
  openLink(url: string): void;
}

export class Grid {
  readonly root = el("div", "grid");
  private readonly viewport = el("div", "viewport");
  private readonly body = el("div", "body");
  private readonly rowsLayer = el("div", "rows");
  private readonly header: HeaderRow;
  private pool: Array<{ row: HTMLDivElement; cells: HTMLDivElement[] }> = [];
  private columns: ColumnInfo[] = [];
  private visible: number[] = [];
  private widths: number[] = [];
  private rowCount = 0;
  private showSystem = false;
  private active = { row: 0, col: 0 };
  private anchor = { row: 0, col: 0 };
  private frame = 0;
  private headerHeight = 0;

  constructor(private readonly cache: RowCache, private readonly events: GridEvents) {
    this.header = new HeaderRow(events, (col, width) => this.resize(col, width));
    this.root.setAttribute("role", "grid");
    this.root.setAttribute("aria-multiselectable", "true");
    this.root.tabIndex = 0;
    this.body.append(this.rowsLayer);
    this.viewport.append(this.header.root, this.body);
    this.root.append(this.viewport);
    this.viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.rowsLayer.addEventListener("mousedown", (e) => this.onMouse(e));
  }

  setColumns(columns: ColumnInfo[]): void {
    const previous = this.columns.length;
    this.columns = columns;
    for (let i = previous; i < columns.length; i++) this.widths[i] = columns[i].name === "source" ? 220 : 140;
    this.layoutColumns();
  }

  setShowSystem(show: boolean): void {
    this.showSystem = show;
    this.layoutColumns();
  }

  setStats(stats: ColumnStats[]): void {
    this.header.setStats(stats);
  }

  setSort(column: number | undefined, direction: "asc" | "desc" | undefined): void {
    this.header.setSort(column, direction);
  }

  setRowCount(count: number): void {
    this.rowCount = count;
    this.root.setAttribute("aria-rowcount", String(count + 1));
    this.body.style.height = `${Math.min(count * ROW_HEIGHT, MAX_SPACER_PX)}px`;
    if (this.active.row >= count) this.active = { row: Math.max(0, count - 1), col: this.active.col };
    this.schedule();
  }

  /** The visible columns' indices, in display order (system columns last, hidden unless shown). */
  visibleColumns(): number[] {
    return this.visible;
  }

  scrollToRow(row: number): void {
    this.viewport.scrollTop = this.rowToScroll(row);
    this.render();
  }

  /** DOM nodes under the grid: the window stays bounded whatever the row count. */
  domNodeCount(): number {
    return this.root.getElementsByTagName("*").length;
  }

  /** Renders in this task (used once the first rows arrive, so they share the header's first frame). */
  renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private layoutColumns(): void {
    const regular = this.columns.map((c, i) => ({ c, i })).filter(({ c }) => !c.system).map(({ i }) => i);
    const system = this.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.system).map(({ i }) => i);
    this.visible = this.showSystem ? [...regular, ...system] : regular;
    this.root.setAttribute("aria-colcount", String(this.visible.length));
    this.header.setColumns(this.columns, this.visible, this.widths);
    this.headerHeight = 0;
    this.pool = [];
    this.rowsLayer.replaceChildren();
    this.schedule();
  }

  private resize(col: number, width: number): void {
    this.widths[col] = Math.max(40, Math.min(2000, width));
    this.header.setWidth(col, this.widths[col]);
    for (const { cells } of this.pool) {
      const position = this.visible.indexOf(col);
      if (position >= 0) cells[position].style.width = `${this.widths[col]}px`;
    }
  }

  private scale(): number {
    const full = this.rowCount * ROW_HEIGHT;
    return full > MAX_SPACER_PX ? (full - this.viewport.clientHeight) / Math.max(1, MAX_SPACER_PX - this.viewport.clientHeight) : 1;
  }

  private scrollToRowIndex(scrollTop: number): number {
    return Math.floor((scrollTop * this.scale()) / ROW_HEIGHT);
  }

  private rowToScroll(row: number): number {
    return (row * ROW_HEIGHT) / this.scale();
  }

  private render(): void {
    // Reading layout once per column change, not per frame, keeps scrolling free of forced layouts.
    if (!this.headerHeight) this.headerHeight = this.header.root.offsetHeight;
    const headerHeight = this.headerHeight;
    const height = Math.max(0, this.viewport.clientHeight - headerHeight);
    const count = Math.ceil(height / ROW_HEIGHT) + OVERSCAN;
    const first = Math.min(Math.max(0, this.scrollToRowIndex(this.viewport.scrollTop)), Math.max(0, this.rowCount - 1));
    const last = Math.min(this.rowCount - 1, first + count - 1);
    this.ensurePool(count);
    if (this.rowCount > 0) this.cache.ensure(first, last);
    // The layer sits where the first row would be, in the spacer's (possibly scaled) coordinates.
    this.rowsLayer.style.transform = `translateY(${this.viewport.scrollTop}px)`;
    for (let i = 0; i < this.pool.length; i++) {
      const { row, cells } = this.pool[i];
      const index = first + i;
      if (index > last) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      row.setAttribute("aria-rowindex", String(index + 2));
      const data = this.cache.get(index);
      row.classList.toggle("loading", !data);
      for (let c = 0; c < this.visible.length; c++) {
        const column = this.visible[c];
        const cell = cells[c];
        const text = data ? data[column] ?? "" : "";
        if (cell.textContent !== text) cell.textContent = text;
        const selected = this.inSelection(index, c);
        const active = index === this.active.row && c === this.active.col;
        const state = selected ? (active ? "sa" : "s") : active ? "a" : "";
        if (cell.dataset.state !== state) {
          cell.dataset.state = state;
          cell.classList.toggle("selected", selected);
          cell.classList.toggle("active", active);
          cell.setAttribute("aria-selected", String(selected));
        }
      }
    }
  }

  private ensurePool(count: number): void {
    if (this.pool.length >= count) return;
    // One template row, cloned: much cheaper than building every cell.
    const template = el("div", "row");
    template.setAttribute("role", "row");
    this.visible.forEach((column, c) => {
      const cell = el("div", `cell${this.columns[column].link ? " link" : ""}`);
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-colindex", String(c + 1));
      cell.style.width = `${this.widths[column]}px`;
      cell.dataset.col = String(c);
      template.append(cell);
    });
    const fragment = document.createDocumentFragment();
    while (this.pool.length < count) {
      const row = template.cloneNode(true) as HTMLDivElement;
      row.dataset.slot = String(this.pool.length);
      fragment.append(row);
      this.pool.push({ row, cells: Array.from(row.children) as HTMLDivElement[] });
    }
    this.rowsLayer.append(fragment);
  }

  private inSelection(row: number, col: number): boolean {
    const [r0, r1] = [Math.min(this.anchor.row, this.active.row), Math.max(this.anchor.row, this.active.row)];
    const [c0, c1] = [Math.min(this.anchor.col, this.active.col), Math.max(this.anchor.col, this.active.col)];
    return row >= r0 && row <= r1 && col >= c0 && col <= c1;
  }

  private onMouse(event: MouseEvent): void {
    const cell = (event.target as HTMLElement).closest(".cell") as HTMLElement | null;
    const row = cell?.parentElement as HTMLElement | null;
    if (!cell || !row) return;
    const index = this.scrollToRowIndex(this.viewport.scrollTop) + Number(row.dataset.slot);
    const col = Number(cell.dataset.col);
    this.active = { row: index, col };
    if (!event.shiftKey) this.anchor = { ...this.active };
    this.root.focus();
    if (cell.classList.contains("link") && (event.ctrlKey || event.metaKey) && cell.textContent) this.events.openLink(cell.textContent);
    this.render();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.viewport.clientHeight - this.header.root.offsetHeight) / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], PageDown: [page, 0], PageUp: [-page, 0] };
    const ctrl = event.ctrlKey || event.metaKey;
    let { row, col } = this.active;
    if (moves[event.key]) [row, col] = [row + moves[event.key][0], col + moves[event.key][1]];
    else if (event.key === "Home") [row, col] = ctrl ? [0, 0] : [row, 0];
    else if (event.key === "End") [row, col] = ctrl ? [this.rowCount - 1, this.visible.length - 1] : [row, this.visible.length - 1];
    else if (ctrl && event.key.toLowerCase() === "c") {
      event.preventDefault();
      this.copy(event.shiftKey ? "csv" : "tsv");
      return;
    } else if (ctrl && event.key.toLowerCase() === "a") {
      event.preventDefault();
      this.anchor = { row: 0, col: 0 };
      this.active = { row: this.rowCount - 1, col: this.visible.length - 1 };
      this.render();
      return;
    } else if (event.key === "Enter" && this.columns[this.visible[col]]?.link) {
      const text = this.cache.get(row)?.[this.visible[col]];
      if (text) this.events.openLink(text);
      return;
    } else return;
    event.preventDefault();
    this.active = { row: Math.max(0, Math.min(this.rowCount - 1, row)), col: Math.max(0, Math.min(this.visible.length - 1, col)) };
    if (!event.shiftKey) this.anchor = { ...this.active };
    this.reveal(this.active.row);
    this.render();
  }

  /** Copies the selected range (whole rows when the selection spans all columns) through the host. */
  copy(format: "tsv" | "csv"): void {
    const [r0, r1] = [Math.min(this.anchor.row, this.active.row), Math.max(this.anchor.row, this.active.row)];
    const [c0, c1] = [Math.min(this.anchor.col, this.active.col), Math.max(this.anchor.col, this.active.col)];
    this.events.copy(r0, r1, this.visible.slice(c0, c1 + 1), format);
  }

  private reveal(row: number): void {
    const top = this.scrollToRowIndex(this.viewport.scrollTop);
    const page = Math.floor((this.viewport.clientHeight - this.header.root.offsetHeight) / ROW_HEIGHT) - 1;
    if (row < top) this.viewport.scrollTop = this.rowToScroll(row);
    else if (row > top + page) this.viewport.scrollTop = this.rowToScroll(row - page);
  }
}
