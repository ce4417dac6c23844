// The sticky header: name, type, quick statistics with a small histogram, sort, per-column filter, resize.
import type { ColumnInfo } from "../src/protocol";
import type { ColumnStats } from "../src/core/table/stats";
import { el, formatNumber } from "./dom";

export interface HeaderEvents {
  sort(column: number): void;
  filter(column: number, text: string): void;
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

  constructor(private readonly events: HeaderEvents, private readonly onResize: (column: number, width: number) => void) {
    this.root.setAttribute("role", "row");
    this.root.setAttribute("aria-rowindex", "1");
  }

  setColumns(columns: ColumnInfo[], visible: number[], widths: number[]): void {
    this.cells.clear();
    this.root.replaceChildren(...visible.map((column, position) => this.cell(columns[column], column, position, widths[column])));
    this.setStats(this.stats);
  }

  setWidth(column: number, width: number): void {
    const cell = this.cells.get(column);
    if (cell) cell.root.style.width = `${width}px`;
  }

  setSort(column: number | undefined, direction: "asc" | "desc" | undefined): void {
    for (const [index, cell] of this.cells) {
      const on = index === column && direction;
      cell.sort.textContent = on ? (direction === "asc" ? "▲" : "▼") : "";
      cell.root.setAttribute("aria-sort", on ? (direction === "asc" ? "ascending" : "descending") : "none");
    }
  }

  setStats(stats: ColumnStats[]): void {
    this.stats = stats;
    for (const [index, cell] of this.cells) {
      const s = stats[index];
      if (!s) continue;
      cell.type.textContent = TYPE_LABEL[s.type] ?? s.type;
      const numeric = s.type === "integer" || s.type === "number";
      cell.summary.textContent = numeric && s.min !== undefined && s.max !== undefined
        ? `${formatNumber(s.min)} … ${formatNumber(s.max)}`
        : `${formatNumber(s.distinct)}${s.distinctCapped ? "+" : ""} distinct`;
      const lines = [
        `${s.name} (${s.type})`, `count ${formatNumber(s.count)}`, `missing ${formatNumber(s.missing)}`,
        `distinct ${formatNumber(s.distinct)}${s.distinctCapped ? "+" : ""}`,
        ...(numeric ? [`min ${formatNumber(s.min ?? NaN)}`, `max ${formatNumber(s.max ?? NaN)}`, `mean ${formatNumber(s.mean ?? NaN)}`] : []),
        ...(s.top ?? []).map((t) => `${t.value || "(empty)"}: ${formatNumber(t.count)}`),
      ];
      // title is a text property: collected values never become markup.
      cell.root.title = lines.join("\n");
      this.bars(cell.bars, s.histogram);
    }
  }

  private bars(container: HTMLDivElement, counts: number[]): void {
    const max = Math.max(1, ...counts);
    while (container.children.length < counts.length) container.append(el("div", "bar"));
    while (container.children.length > counts.length) container.lastElementChild?.remove();
    counts.forEach((count, i) => {
      (container.children[i] as HTMLDivElement).style.height = `${Math.max(count > 0 ? 8 : 0, Math.round((count / max) * 100))}%`;
    });
  }

  private cell(info: ColumnInfo, column: number, position: number, width: number): HTMLDivElement {
    const root = el("div", `hcell${info.system ? " system" : ""}`);
    root.setAttribute("role", "columnheader");
    root.setAttribute("aria-colindex", String(position + 1));
    root.style.width = `${width}px`;
    const title = el("div", "htitle");
    const name = el("span", "hname", info.name);
    const sort = el("span", "hsort");
    const type = el("span", "htype");
    title.append(name, sort, type);
    title.addEventListener("click", () => this.events.sort(column));
    const summary = el("div", "hsummary");
    const bars = el("div", "hist");
    const filter = el("input", "hfilter");
    filter.type = "text";
    filter.placeholder = "filter";
    filter.setAttribute("aria-label", `Filter ${info.name}`);
    filter.addEventListener("input", () => this.events.filter(column, filter.value));
    filter.addEventListener("keydown", (e) => e.stopPropagation());
    const handle = el("div", "resize");
    handle.addEventListener("mousedown", (e) => this.dragResize(e, column, root));
    root.append(title, summary, bars, filter, handle);
    this.cells.set(column, { root, name, sort, type, summary, bars });
    return root;
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
