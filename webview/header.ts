// The sticky header: name, type, quick statistics with a small histogram, sort, per-column filter, resize.
// Like the rows, it holds only the columns on screen; a column's cell is built when first shown and kept,
// so its filter text survives scrolling away and back.
import type { ColumnInfo } from "../src/protocol";
import { FILTER_SYNTAX, parseCellFilter } from "../src/core/table/cellFilter";
import type { ColumnStats } from "../src/core/table/stats";
import { el, formatNumber } from "./dom";

export interface HeaderEvents {
  sort(column: number): void;
  filter(column: number, text: string): void;
  /** Open the column's statistics in full. */
  details(column: number): void;
}

const TYPE_LABEL: Record<string, string> = { integer: "int", number: "num", boolean: "bool", datetime: "date", string: "text", empty: "empty" };

interface HeaderCell {
  root: HTMLDivElement;
  name: HTMLSpanElement;
  sort: HTMLSpanElement;
  type: HTMLSpanElement;
  summary: HTMLDivElement;
  bars: HTMLDivElement;
}

export class HeaderRow {
  readonly root = el("div", "header");
  private cells = new Map<number, HeaderCell>();
  private stats: ColumnStats[] = [];
  private columns: ColumnInfo[] = [];
  private visible: number[] = [];
  private widths: number[] = [];
  private sorted: { column?: number; direction?: "asc" | "desc" } = {};
  private shown = "";

  constructor(private readonly events: HeaderEvents, private readonly onResize: (column: number, width: number) => void) {
    this.root.setAttribute("role", "row");
    this.root.setAttribute("aria-rowindex", "1");
  }

  setColumns(columns: ColumnInfo[], visible: number[], widths: number[]): void {
    // A cell built for another column at this index (a new preview in the panel) is built again.
    for (const [column, cell] of this.cells) if (cell.name.textContent !== columns[column]?.name) this.cells.delete(column);
    this.columns = columns;
    this.visible = visible;
    this.widths = widths;
    this.shown = "";
  }

  /** Shows the columns at display positions [first, last], `left` pixels from the start. */
  setWindow(first: number, last: number, left: number, totalWidth: number): void {
    const key = `${first}:${last}:${left}:${totalWidth}`;
    if (key === this.shown) return;
    this.shown = key;
    this.root.style.width = `${totalWidth}px`;
    this.root.style.paddingLeft = `${left}px`;
    const shown: HTMLDivElement[] = [];
    for (let position = first; position <= last && position < this.visible.length; position++) {
      const column = this.visible[position];
      let cell = this.cells.get(column);
      if (!cell) {
        cell = this.cell(this.columns[column], column);
        this.fill(column, cell);
      }
      cell.root.setAttribute("aria-colindex", String(position + 1));
      cell.root.style.width = `${this.widths[column]}px`;
      shown.push(cell.root);
    }
    this.root.replaceChildren(...shown);
  }

  setSort(column: number | undefined, direction: "asc" | "desc" | undefined): void {
    this.sorted = { column, direction };
    for (const [index, cell] of this.cells) this.fillSort(index, cell);
  }

  setStats(stats: ColumnStats[]): void {
    this.stats = stats;
    for (const [index, cell] of this.cells) this.fillStats(index, cell);
  }

  private fill(column: number, cell: HeaderCell): void {
    this.fillSort(column, cell);
    this.fillStats(column, cell);
  }

  private fillSort(column: number, cell: HeaderCell): void {
    const { direction } = this.sorted;
    const on = column === this.sorted.column && direction;
    cell.sort.textContent = on ? (direction === "asc" ? "▲" : "▼") : "";
    cell.root.setAttribute("aria-sort", on ? (direction === "asc" ? "ascending" : "descending") : "none");
  }

  private fillStats(index: number, cell: HeaderCell): void {
    const s = this.stats[index];
    if (!s) return;
    cell.type.textContent = TYPE_LABEL[s.type] ?? s.type;
    const numeric = s.type === "integer" || s.type === "number";
    cell.summary.textContent = numeric && s.min !== undefined && s.max !== undefined
      ? `${formatNumber(s.min)} … ${formatNumber(s.max)}`
      : `${formatNumber(s.distinct)}${s.distinctCapped ? "+" : ""} distinct`;
    const lines = [
      `${s.name} (${s.type})`, `count ${formatNumber(s.count)}`, `missing ${formatNumber(s.missing)}`,
      `distinct ${formatNumber(s.distinct)}${s.distinctCapped ? "+" : ""}`,
      ...(numeric ? [`min ${formatNumber(s.min ?? NaN)}`, `max ${formatNumber(s.max ?? NaN)}`, `mean ${formatNumber(s.mean ?? NaN)}`, `std ${formatNumber(s.std ?? NaN)}`] : []),
      ...(s.top ?? []).map((t) => `${t.value || "(empty)"}: ${formatNumber(t.count)}`),
    ];
    // title is a text property: collected values never become markup.
    cell.root.title = lines.join("\n");
    this.bars(cell.bars, s.histogram);
  }

  private bars(container: HTMLDivElement, counts: number[]): void {
    const max = Math.max(1, ...counts);
    while (container.children.length < counts.length) container.append(el("div", "bar"));
    while (container.children.length > counts.length) container.lastElementChild?.remove();
    counts.forEach((count, i) => {
      (container.children[i] as HTMLDivElement).style.height = `${Math.max(count > 0 ? 8 : 0, Math.round((count / max) * 100))}%`;
    });
  }

  private cell(info: ColumnInfo, column: number): HeaderCell {
    const root = el("div", `hcell${info.system ? " system" : ""}`);
    root.setAttribute("role", "columnheader");
    const title = el("div", "htitle");
    const name = el("span", "hname", info.name);
    const sort = el("span", "hsort");
    const type = el("span", "htype");
    const details = el("button", "hdetails", "Σ");
    details.title = `Statistics of ${info.name}`;
    details.setAttribute("aria-label", `Statistics of ${info.name}`);
    details.addEventListener("click", (e) => {
      e.stopPropagation();
      this.events.details(column);
    });
    title.append(name, sort, type, details);
    title.addEventListener("click", () => this.events.sort(column));
    const summary = el("div", "hsummary");
    const bars = el("div", "hist");
    const filter = el("input", "hfilter");
    filter.type = "text";
    filter.placeholder = "> 0.5, 1..5, text";
    filter.title = `Filter: ${FILTER_SYNTAX}`;
    filter.setAttribute("aria-label", `Filter ${info.name} (${FILTER_SYNTAX})`);
    // Why a filter is not applied shows under the box (a hover alone is easy to miss), and is read out.
    const message = el("div", "hfilter-error");
    message.id = `filter-error-${column}`;
    message.setAttribute("role", "alert");
    message.hidden = true;
    filter.setAttribute("aria-describedby", message.id);
    filter.addEventListener("input", () => {
      // A filter that is not valid says so and is not applied (rather than showing no rows).
      const parsed = filter.value.trim() === "" ? undefined : parseCellFilter(filter.value);
      const error = parsed && "error" in parsed ? `Not a valid filter: ${parsed.error}. Use ${FILTER_SYNTAX}` : "";
      filter.setCustomValidity(error);
      filter.title = error || `Filter: ${FILTER_SYNTAX}`;
      filter.setAttribute("aria-invalid", String(error !== ""));
      filter.classList.toggle("invalid", error !== "");
      message.textContent = error;
      message.hidden = error === "";
      if (!message.hidden) {
        // Fixed under the box: the header cell clips what overflows it.
        const box = filter.getBoundingClientRect();
        message.style.left = `${Math.round(box.left)}px`;
        message.style.top = `${Math.round(box.bottom + 2)}px`;
      }
      this.events.filter(column, error ? "" : filter.value);
    });
    filter.addEventListener("keydown", (e) => e.stopPropagation());
    const handle = el("div", "resize");
    handle.addEventListener("mousedown", (e) => this.dragResize(e, column, root));
    root.append(title, summary, bars, filter, message, handle);
    const cell = { root, name, sort, type, summary, bars };
    this.cells.set(column, cell);
    return cell;
  }

  private dragResize(start: MouseEvent, column: number, cell: HTMLDivElement): void {
    start.preventDefault();
    const x0 = start.clientX;
    const w0 = cell.offsetWidth;
    const move = (e: MouseEvent) => this.onResize(column, w0 + e.clientX - x0);
    const up = () => {
      window.removeEventListener("mousemove", move);
      window.removeEventListener("mouseup", up);
    };
    window.addEventListener("mousemove", move);
    window.addEventListener("mouseup", up);
  }
}
