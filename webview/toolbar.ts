// The panel's toolbar, built from @vscode-elements/elements (the maintained successor of the deprecated
// @vscode/webview-ui-toolkit). The data grid itself is ours and windowed.
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import type { Progress } from "../src/protocol";
import { el, formatNumber } from "./dom";

export interface ToolbarEvents {
  globalFilter(text: string): void;
  showSystem(show: boolean): void;
  cancel(): void;
  exportCsv(): void;
  copyCsv(): void;
  saveRaw(): void;
  openRaw(): void;
  compareWith(): void;
  noticeAction(id: string): void;
}

export class Toolbar {
  readonly root = el("div", "toolbar");
  private readonly status = el("span", "status");
  private readonly notice = el("span", "notice");
  private readonly notices = el("div", "notices");
  private shownNotices = "";
  private readonly cancelButton: HTMLElement;
  private readonly compareButton: HTMLElement;
  private readonly progressBar: HTMLElement & { value?: number; max?: number; indeterminate?: boolean };
  private readonly systemToggle: HTMLElement & { checked?: boolean };
  private readonly headerToggle: HTMLElement & { checked?: boolean };

  /** Whether copies start with the column names (on unless the user unticks it). */
  get copyHeader(): boolean {
    return this.headerToggle.checked !== false;
  }

  constructor(title: string, private readonly events: ToolbarEvents) {
    const heading = el("span", "title", title);
    const filter = document.createElement("vscode-textfield") as HTMLElement & { value: string; placeholder: string };
    filter.placeholder = "Filter all columns";
    filter.setAttribute("aria-label", "Filter all columns");
    filter.className = "global-filter";
    filter.addEventListener("input", () => events.globalFilter(filter.value));
    this.systemToggle = document.createElement("vscode-checkbox") as HTMLElement & { checked?: boolean };
    this.systemToggle.setAttribute("label", "$aml_* system columns");
    this.systemToggle.className = "system-toggle";
    this.systemToggle.addEventListener("change", () => events.showSystem(this.systemToggle.checked === true));
    this.headerToggle = document.createElement("vscode-checkbox") as HTMLElement & { checked?: boolean };
    this.headerToggle.setAttribute("label", "Copy with header");
    this.headerToggle.title = "Ctrl+C (tab-separated) and Copy CSV start with the column names";
    this.headerToggle.className = "header-toggle";
    this.headerToggle.checked = true;
    this.cancelButton = this.button("Cancel", "Stop downloading", () => events.cancel(), "secondary");
    this.compareButton = this.button("Compare with…", "Drift and data quality of this data against a reference", () => events.compareWith(), "secondary");
    const actions = el("span", "actions");
    actions.append(
      this.button("Copy CSV", "Copy the selected rows as CSV", () => events.copyCsv(), "secondary"),
      this.button("Export CSV…", "Export the filtered rows to a CSV file", () => events.exportCsv(), "secondary"),
      this.button("Save…", "Save the raw file", () => events.saveRaw(), "secondary"),
      this.button("Open Raw", "Open the raw file as text", () => events.openRaw(), "secondary"),
      this.compareButton,
      this.cancelButton,
    );
    this.progressBar = document.createElement("vscode-progress-bar") as HTMLElement & { value?: number; max?: number };
    this.progressBar.className = "progress";
    const line = el("div", "toolbar-line");
    line.append(heading, filter, this.systemToggle, this.headerToggle, actions);
    const statusLine = el("div", "toolbar-line status-line");
    statusLine.append(this.status, this.notice);
    this.notices.setAttribute("role", "status");
    this.notices.hidden = true;
    this.root.append(line, this.progressBar, statusLine, this.notices);
  }

  /** A query's answer is not a node's data: it has nothing to compare with. */
  setComparable(comparable: boolean): void {
    this.compareButton.hidden = !comparable;
  }

  setSystemAvailable(count: number): void {
    this.systemToggle.hidden = count === 0;
    this.systemToggle.setAttribute("label", `${count} $aml_* system columns`);
  }

  setProgress(p: Progress): void {
    const loading = p.state === "loading";
    this.cancelButton.hidden = !loading;
    this.progressBar.hidden = !loading;
    if (p.bytesTotal > 0) {
      this.progressBar.max = p.bytesTotal;
      this.progressBar.value = Math.min(p.bytesLoaded, p.bytesTotal);
    }
    const rows = p.visibleRows === Math.min(p.rowsLoaded, p.cap) ? `${formatNumber(p.visibleRows)} rows` : `${formatNumber(p.visibleRows)} of ${formatNumber(Math.min(p.rowsLoaded, p.cap))} rows`;
    const files = p.filesTotal > 1 ? ` · ${p.filesDone}/${p.filesTotal} files` : "";
    const bytes = p.bytesTotal > 0 ? ` · ${formatNumber(Math.round(p.bytesLoaded / 1024))} of ${formatNumber(Math.round(p.bytesTotal / 1024))} KB` : "";
    const state = { loading: "Loading…", done: "Loaded", cancelled: "Cancelled: showing what arrived", error: `Error: ${p.message ?? "download failed"}` }[p.state];
    this.status.textContent = `${state} · ${rows}${files}${bytes}`;
    const notes = [
      p.capped ? `Showing the first ${formatNumber(p.cap)} rows (setting modelData.preview.maxRows); statistics cover all ${formatNumber(p.rowsLoaded)} rows.` : "",
      p.raggedRows > 0 ? `${formatNumber(p.raggedRows)} ragged row(s) with a different number of cells.` : "",
      p.malformedLines > 0 ? `${formatNumber(p.malformedLines)} line(s) were not JSON and were skipped.` : "",
    ].filter(Boolean);
    this.notice.textContent = notes.join(" ");
    this.notice.classList.toggle("error", p.state === "error");
    this.renderNotices(p.notices);
  }

  /** What the user must know about the data, each with its action; text only (file names are untrusted). */
  private renderNotices(notices: Progress["notices"]): void {
    const key = JSON.stringify(notices);
    if (key === this.shownNotices) return;
    this.shownNotices = key;
    // Takes no room when there is nothing to say (the grid's height then stays what it measured).
    this.notices.hidden = notices.length === 0;
    this.notices.replaceChildren(...notices.map((n) => {
      const item = el("div", "notice-item", n.text);
      item.dataset.id = n.id;
      if (n.action) item.append(this.button(n.action.label, n.action.label, () => this.events.noticeAction(n.id), "secondary"));
      return item;
    }));
  }

  private button(label: string, title: string, onClick: () => void, kind?: "secondary"): HTMLElement {
    const button = document.createElement("vscode-button");
    button.textContent = label;
    button.title = title;
    if (kind) button.setAttribute("secondary", "");
    button.addEventListener("click", onClick);
    return button;
  }
}
