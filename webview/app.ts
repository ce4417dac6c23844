// The preview app: toolbar + windowed grid, wired to the host through the typed protocol.
import type { HostChannel } from "./channel";
import type { ColumnInfo, Progress } from "../src/protocol";
import { Grid } from "./grid";
import { RowCache } from "./rowCache";
import { Toolbar } from "./toolbar";
import { el } from "./dom";
import { ColumnDetail } from "./columnDetail";

export interface App {
  grid: Grid;
  rowCount(): number;
}

export function startApp(root: HTMLElement, channel: HostChannel): App {
  let columns: ColumnInfo[] = [];
  let rowCount = 0;
  let loadedRows = 0;
  let sort: { column: number; direction: "asc" | "desc" } | undefined;
  const filters: Record<string, string> = {};
  let global = "";
  let viewTimer = 0;

  // Rows are drawn as soon as they arrive rather than a frame later.
  const cache = new RowCache(channel, () => grid.renderNow());
  const sendView = () => {
    clearTimeout(viewTimer);
    viewTimer = window.setTimeout(() => {
      cache.clear();
      channel.post({ type: "setView", sort, filters, global });
      grid.schedule();
    }, 150);
  };
  const grid = new Grid(cache, {
    sort: (column) => {
      sort = sort?.column !== column ? { column, direction: "asc" } : sort.direction === "asc" ? { column, direction: "desc" } : undefined;
      grid.setSort(sort?.column, sort?.direction);
      sendView();
    },
    filter: (column, text) => {
      if (text) filters[String(column)] = text;
      else delete filters[String(column)];
      sendView();
    },
    copy: (start, end, cols, format) => channel.post({ type: "copy", start, end, columns: cols, format, header: toolbar.copyHeader }),
    openLink: (url) => channel.post({ type: "openLink", url }),
    details: (column) => detail.open(column, columns[column]?.name ?? ""),
  });
  const detail = new ColumnDetail((column, scope) => channel.post({ type: "columnStats", column, scope }));
  const toolbar = new Toolbar(root.dataset.title ?? "Preview", {
    globalFilter: (text) => {
      global = text;
      sendView();
    },
    showSystem: (show) => grid.setShowSystem(show),
    cancel: () => channel.post({ type: "cancel" }),
    exportCsv: () => channel.post({ type: "export" }),
    copyCsv: () => grid.copy("csv"),
    saveRaw: () => channel.post({ type: "saveRaw" }),
    openRaw: () => channel.post({ type: "openRaw" }),
    compareWith: () => channel.post({ type: "compareWith" }),
    noticeAction: (id) => channel.post({ type: "noticeAction", id }),
  });
  const empty = el("div", "empty", "Reading the first rows…");
  root.append(toolbar.root, grid.root, empty, detail.root);
  // Ctrl+A selects the grid's rows wherever the focus is, except in a text box (where it selects its text).
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "a") return;
    if ((event.target as Element | null)?.closest?.("input, textarea, vscode-textfield, [contenteditable]")) return;
    event.preventDefault();
    grid.selectAll();
    grid.root.focus();
  });

  const applyProgress = (progress: Progress) => {
    toolbar.setProgress(progress);
    if (progress.visibleRows !== rowCount || progress.rowsLoaded !== loadedRows) {
      // Rows keep arriving at the end: refetch the tail block so it fills in.
      cache.invalidateFrom(Math.min(rowCount, progress.visibleRows) - 1);
      rowCount = progress.visibleRows;
      loadedRows = progress.rowsLoaded;
      grid.setRowCount(rowCount);
    }
    empty.hidden = rowCount > 0 || progress.state === "loading";
    if (!empty.hidden) empty.textContent = progress.state === "error" ? "" : "No rows match.";
  };

  channel.onMessage((message) => {
    switch (message.type) {
      case "init":
        if (message.restore) channel.persist?.(message.restore);
        columns = message.columns;
        grid.setColumns(columns, message.firstRows);
        toolbar.setSystemAvailable(columns.filter((c) => c.system).length);
        toolbar.setComparable(message.comparable !== false);
        applyProgress(message.progress);
        // Seeded after the row count is set, which drops the tail block: the first rows need no round trip.
        cache.seed(0, message.firstRows);
        grid.renderNow();
        return;
      case "columnsAdded":
        columns = [...columns.slice(0, message.from), ...message.columns];
        grid.setColumns(columns);
        toolbar.setSystemAvailable(columns.filter((c) => c.system).length);
        return;
      case "progress":
        applyProgress(message.progress);
        return;
      case "stats":
        grid.setStats(message.stats);
        return;
      case "columnStats":
        detail.show(message.column, message.scope, message.rows, message.stats);
        return;
      case "rows":
        if (message.visibleRows !== rowCount) {
          rowCount = message.visibleRows;
          grid.setRowCount(rowCount);
        }
        cache.receive(message.requestId, message.start, message.rows);
        return;
    }
  });
  channel.post({ type: "ready" });
  return { grid, rowCount: () => rowCount };
}
