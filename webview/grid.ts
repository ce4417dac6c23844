// A windowed grid: the DOM holds a pool of rows, and in each only the columns on screen, whatever the row
// and column counts. Past the browser's element-height limit the scroll position maps to a row index
// instead of pixels.
import type { ColumnInfo } from "../src/protocol";
import type { ColumnStats } from "../src/core/table/stats";
import type { RowCache } from "./rowCache";
import { el } from "./dom";
import { HeaderRow, type HeaderEvents } from "./header";

export const ROW_HEIGHT = 22;
const MAX_SPACER_PX = 15_000_000;
const OVERSCAN = 6;
/** Extra columns rendered past the right edge, so a small horizontal scroll shows cells at once. */
const COLUMN_OVERSCAN = 1;

/** About one character of the grid's font, for sizing columns without measuring text. */
const CHAR_PX = 7;

export interface GridEvents extends HeaderEvents {
  copy(startRow: number, endRow: number, columns: number[], format: "tsv" | "csv"): void;
  openLink(url: string): void;
}

/** A row element with what was last written to it, so unchanged cells cost no DOM access at all. */
interface PooledRow {
  row: HTMLDivElement;
  cells: HTMLDivElement[];
  texts: string[];
  states: string[];
  rowIndex: number;
  loading: boolean;
  hidden: boolean;
}

function slotKey(first: number, last: number): number {
  return first * 65536 + last;
}

export class Grid {
  readonly root = el("div", "grid");
  private readonly viewport = el("div", "viewport");
  private readonly body = el("div", "body");
  private readonly rowsLayer = el("div", "rows");
  private readonly header: HeaderRow;
  private pool: PooledRow[] = [];
  private columns: ColumnInfo[] = [];
  private visible: number[] = [];
  private widths: number[] = [];
  /** Left edge of each visible column (by display position), plus the total width at the end. */
  private offsets: number[] = [0];
  /** The column window the cell slots show (first and last display position); -1 when they need relabelling. */
  private slotWindow = -1;
  private rowCount = 0;
  private showSystem = false;
  private active = { row: 0, col: 0 };
  private anchor = { row: 0, col: 0 };
  private frame = 0;
  /**
   * The viewport's scroll position and size, kept from scroll events and the resize observer so rendering
   * never reads layout (a forced layout per render doubled the cost of the first paint). Until the
   * observer reports, the window's size is a safe over-estimate.
   */
  private geometry = { top: 0, left: 0, width: window.innerWidth, height: window.innerHeight };

  constructor(private readonly cache: RowCache, private readonly events: GridEvents) {
    this.header = new HeaderRow(events, (col, width) => this.resize(col, width));
    this.root.setAttribute("role", "grid");
    this.root.setAttribute("aria-multiselectable", "true");
    this.root.tabIndex = 0;
    this.body.append(this.rowsLayer);
    this.viewport.append(this.header.root, this.body);
    this.root.append(this.viewport);
    this.viewport.addEventListener("scroll", () => {
      this.geometry.top = this.viewport.scrollTop;
      this.geometry.left = this.viewport.scrollLeft;
      this.schedule();
    }, { passive: true });
    new ResizeObserver(([entry]) => {
      this.geometry.width = entry.contentRect.width;
      this.geometry.height = entry.contentRect.height;
      this.schedule();
    }).observe(this.viewport);
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.rowsLayer.addEventListener("mousedown", (e) => this.onMouse(e));
  }

  /** Columns sized to their header and the first rows' content (within bounds), not a fixed width. */
  setColumns(columns: ColumnInfo[], sample: readonly string[][] = []): void {
    const previous = this.columns.length;
    this.columns = columns;
    for (let i = previous; i < columns.length; i++) {
      // The header also holds the sort arrow, the type badge and the statistics button.
      let chars = columns[i].name.length + 11;
      for (let r = 0; r < sample.length && r < 50; r++) chars = Math.max(chars, Math.min(60, (sample[r][i] ?? "").length));
      this.widths[i] = Math.max(70, Math.min(360, Math.ceil(chars * CHAR_PX + 20)));
    }
    this.layoutColumns();
  }

  /** Shown, the system columns (placed last) are scrolled into view: turning them on changes what is on screen. */
  setShowSystem(show: boolean): void {
    this.showSystem = show;
    this.layoutColumns();
    const first = this.visible.findIndex((c) => this.columns[c]?.system);
    if (show && first >= 0) {
      this.active = { row: this.active.row, col: first };
      this.anchor = { ...this.active };
      this.reveal(this.active.row, first);
      this.render();
    }
  }

  /** Selects every row and column (Ctrl+A anywhere outside a text box). */
  selectAll(): void {
    this.anchor = { row: 0, col: 0 };
    this.active = { row: Math.max(0, this.rowCount - 1), col: Math.max(0, this.visible.length - 1) };
    this.render();
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
    this.scrollTo(this.rowToScroll(row), this.geometry.left);
    this.render();
  }

  /** DOM nodes under the grid: the window stays bounded whatever the row count. */
  domNodeCount(): number {
    return this.root.getElementsByTagName("*").length;
  }

  /** Renders in this task: the first rows share the header's first frame, and fetched rows show without waiting a frame. */
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
    this.measureColumns();
    // Fewer or narrower columns (system ones hidden while scrolled right): the browser clamps scrollLeft
    // later, with a scroll event; the window is computed now, from a scroll position that exists.
    const maxLeft = Math.max(0, this.offsets[this.offsets.length - 1] - this.geometry.width);
    if (this.geometry.left > maxLeft) {
      this.viewport.scrollLeft = maxLeft;
      this.geometry.left = maxLeft;
    }
    if (this.active.col >= this.visible.length) this.active = { row: this.active.row, col: Math.max(0, this.visible.length - 1) };
    this.pool = [];
    this.rowsLayer.replaceChildren();
    this.schedule();
  }

  private measureColumns(): void {
    this.offsets = [0];
    for (const column of this.visible) this.offsets.push(this.offsets[this.offsets.length - 1] + this.widths[column]);
    // The body is as wide as every column, though its rows hold only the ones on screen.
    this.body.style.width = `${this.offsets[this.offsets.length - 1]}px`;
    this.slotWindow = -1;
  }

  private resize(col: number, width: number): void {
    this.widths[col] = Math.max(40, Math.min(2000, width));
    this.measureColumns();
    this.render();
  }

  /** The display positions [first, last] of the columns that cover the viewport's width. */
  private columnWindow(scrollLeft: number, width: number): [number, number] {
    const count = this.visible.length;
    let first = 0;
    while (first < count - 1 && this.offsets[first + 1] <= scrollLeft) first++;
    let last = first;
    while (last < count - 1 && this.offsets[last + 1] < scrollLeft + width) last++;
    return [first, Math.min(count - 1, last + COLUMN_OVERSCAN)];
  }

  private scale(): number {
    const full = this.rowCount * ROW_HEIGHT;
    const height = this.geometry.height;
    return full > MAX_SPACER_PX ? (full - height) / Math.max(1, MAX_SPACER_PX - height) : 1;
  }

  private scrollToRowIndex(scrollTop: number): number {
    return Math.floor((scrollTop * this.scale()) / ROW_HEIGHT);
  }

  private rowToScroll(row: number): number {
    return (row * ROW_HEIGHT) / this.scale();
  }

  private render(): void {
    const { top: scrollTop, left: scrollLeft, width: clientWidth, height } = this.geometry;
    // The header's height is not subtracted: a few rows more than fit, rather than a layout read.
    const count = Math.ceil(height / ROW_HEIGHT) + OVERSCAN;
    const first = Math.min(Math.max(0, this.scrollToRowIndex(scrollTop)), Math.max(0, this.rowCount - 1));
    const [firstCol, lastCol] = this.columnWindow(scrollLeft, clientWidth);
    this.ensurePool(count, firstCol, lastCol);
    // Every pooled row is filled, even when the viewport has shrunk: a resize then changes nothing.
    const last = Math.min(this.rowCount - 1, first + this.pool.length - 1);
    this.assignSlots(firstCol, lastCol);
    if (this.rowCount > 0) this.cache.ensure(first, last);
    // The layer sits where the first row would be, in the spacer's (possibly scaled) coordinates.
    this.rowsLayer.style.transform = `translateY(${scrollTop}px)`;
    const slots = lastCol - firstCol + 1;
    for (let i = 0; i < this.pool.length; i++) {
      const pooled = this.pool[i];
      const index = first + i;
      const hidden = index > last;
      if (pooled.hidden !== hidden) pooled.row.hidden = pooled.hidden = hidden;
      if (hidden) continue;
      if (pooled.rowIndex !== index) {
        pooled.rowIndex = index;
        pooled.row.setAttribute("aria-rowindex", String(index + 2));
      }
      const data = this.cache.get(index);
      if (pooled.loading !== !data) {
        pooled.loading = !data;
        pooled.row.classList.toggle("loading", !data);
        // The loading row still holds its previous text (hidden by style): assistive tech is told to wait.
        pooled.row.setAttribute("aria-busy", String(!data));
      }
      // A row still loading keeps its old text, hidden by the loading style: only the arrival writes text.
      for (let slot = 0; slot < slots; slot++) this.renderCell(pooled, slot, index, firstCol + slot, data);
    }
  }

  private renderCell(pooled: PooledRow, slot: number, index: number, c: number, data: string[] | undefined): void {
    const cell = pooled.cells[slot];
    if (data) {
      const text = data[this.visible[c]] ?? "";
      if (pooled.texts[slot] !== text) cell.textContent = pooled.texts[slot] = text;
    }
    const selected = this.inSelection(index, c);
    const active = index === this.active.row && c === this.active.col;
    const state = selected ? (active ? "sa" : "s") : active ? "a" : "";
    if (pooled.states[slot] !== state) {
      pooled.states[slot] = state;
      cell.classList.toggle("selected", selected);
      cell.classList.toggle("active", active);
      cell.setAttribute("aria-selected", String(selected));
    }
  }

  /** Rows for `count` rows of `slots` cells; rebuilt only when the window needs more cells per row. */
  private ensurePool(count: number, firstCol: number, lastCol: number): void {
    const slots = lastCol - firstCol + 1;
    if ((this.pool[0]?.cells.length ?? 0) < slots) {
      this.pool = [];
      this.rowsLayer.replaceChildren();
      this.slotWindow = -1;
    }
    if (this.pool.length >= count) return;
    // One template row, cloned: much cheaper than building every cell.
    const template = el("div", "row");
    template.setAttribute("role", "row");
    const width = Math.max(slots, this.pool[0]?.cells.length ?? 0);
    for (let slot = 0; slot < width; slot++) {
      const cell = el("div", "cell");
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-selected", "false");
      // The template already shows the current columns: a new pool needs no relabelling.
      this.fitSlot(cell, firstCol + slot, lastCol);
      template.append(cell);
    }
    if (this.pool.length === 0) {
      this.slotWindow = slotKey(firstCol, lastCol);
      this.placeColumns(firstCol, lastCol);
    }
    const fragment = document.createDocumentFragment();
    while (this.pool.length < count) {
      const row = template.cloneNode(true) as HTMLDivElement;
      row.dataset.slot = String(this.pool.length);
      fragment.append(row);
      this.pool.push({ row, cells: Array.from(row.children) as HTMLDivElement[], texts: new Array<string>(width).fill(""), states: new Array<string>(width).fill(""),
        rowIndex: -1, loading: false, hidden: false });
    }
    this.rowsLayer.append(fragment);
  }

  /** Points each row's cell slots at the display columns [first, last]: widths, link style, indices. */
  private assignSlots(first: number, last: number): void {
    const key = slotKey(first, last);
    if (this.slotWindow === key) return;
    this.slotWindow = key;
    this.placeColumns(first, last);
    for (const { cells } of this.pool) cells.forEach((cell, slot) => this.fitSlot(cell, first + slot, last));
  }

  /** The rows' left padding and the header follow the column window. */
  private placeColumns(first: number, last: number): void {
    this.rowsLayer.style.paddingLeft = `${this.offsets[first]}px`;
    this.header.setWindow(first, last, this.offsets[first], this.offsets[this.offsets.length - 1]);
  }

  /** A cell slot shows display column c, or is hidden past the window's last column. */
  private fitSlot(cell: HTMLDivElement, c: number, last: number): void {
    if (c > last) {
      cell.hidden = true;
      return;
    }
    const column = this.visible[c];
    cell.hidden = false;
    cell.style.width = `${this.widths[column]}px`;
    cell.classList.toggle("link", this.columns[column].link);
    cell.setAttribute("aria-colindex", String(c + 1));
    cell.dataset.col = String(c);
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
    const index = this.scrollToRowIndex(this.geometry.top) + Number(row.dataset.slot);
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
      this.selectAll();
      return;
    } else if (event.key === "Enter" && this.columns[this.visible[col]]?.link) {
      const text = this.cache.get(row)?.[this.visible[col]];
      if (text) this.events.openLink(text);
      return;
    } else return;
    event.preventDefault();
    this.active = { row: Math.max(0, Math.min(this.rowCount - 1, row)), col: Math.max(0, Math.min(this.visible.length - 1, col)) };
    if (!event.shiftKey) this.anchor = { ...this.active };
    this.reveal(this.active.row, this.active.col);
    this.render();
  }

  /** Copies the selected range (whole rows when the selection spans all columns) through the host. */
  copy(format: "tsv" | "csv"): void {
    const [r0, r1] = [Math.min(this.anchor.row, this.active.row), Math.max(this.anchor.row, this.active.row)];
    const [c0, c1] = [Math.min(this.anchor.col, this.active.col), Math.max(this.anchor.col, this.active.col)];
    this.events.copy(r0, r1, this.visible.slice(c0, c1 + 1), format);
  }

  private reveal(row: number, col: number): void {
    const top = this.scrollToRowIndex(this.viewport.scrollTop);
    const page = Math.floor((this.viewport.clientHeight - this.header.root.offsetHeight) / ROW_HEIGHT) - 1;
    const scrollTop = row < top ? this.rowToScroll(row) : row > top + page ? this.rowToScroll(row - page) : this.viewport.scrollTop;
    // Only the columns on screen exist as cells, so keyboard moves scroll the active one into view.
    const [left, right] = [this.offsets[col], this.offsets[col + 1]];
    const { scrollLeft, clientWidth } = this.viewport;
    this.scrollTo(scrollTop, left < scrollLeft ? left : right > scrollLeft + clientWidth ? Math.min(left, right - clientWidth) : scrollLeft);
  }

  /** Scrolls and records where the browser actually put the viewport (it clamps to the content). */
  private scrollTo(top: number, left: number): void {
    this.viewport.scrollTop = top;
    this.viewport.scrollLeft = left;
    this.geometry.top = this.viewport.scrollTop;
    this.geometry.left = this.viewport.scrollLeft;
  }
}
