// One webview panel per previewed target: re-opening focuses it, closing it stops its downloads.
import * as vscode from "vscode";
import { PreviewLoader, type PreviewFile } from "./loader";
import { previewHtml } from "./html";
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from "../protocol";
import { toCsvLine, toTsvLine } from "../core/table/tableView";
import { columnStatsOfView, exportCsv, openLink, openRaw, saveRaw, showRawAround } from "./panelActions";
import type { TextEncoding } from "../core/table/sniff";

export interface PreviewTarget {
  key: string;
  title: string;
  format: "csv" | "jsonl";
  files: PreviewFile[];
  /** Read as this encoding rather than what the files' first bytes say (the user asked for Latin-1). */
  encoding?: TextEncoding;
  /** Files beside the data that are not the collector's (not stitched in), by name. */
  skipped?: string[];
}

export interface PanelOptions {
  cap: number;
  maxColumns: number;
  maxHeldBytes: number;
  parallelRanges: number;
  rangeBytes: number;
  escapeFormulas(): boolean;
  /** Opens the same target again in its place (another encoding). */
  reopen(target: PreviewTarget): void;
}

export class PreviewPanel {
  readonly loader: PreviewLoader;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private pendingInit: HostToWebview | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  readonly done: Promise<void>;

  constructor(readonly target: PreviewTarget, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly options: PanelOptions,
    private readonly log: vscode.LogOutputChannel, onClose: () => void) {
    panel.webview.html = previewHtml(panel.webview, extensionUri, target.title);
    this.loader = new PreviewLoader(target.files, target.format, { cap: options.cap, maxColumns: options.maxColumns, maxHeldBytes: options.maxHeldBytes, parallelRanges: options.parallelRanges, rangeBytes: options.rangeBytes,
      encoding: target.encoding, skipped: target.skipped }, {
      init: (columns, firstRows, progress) => this.send({ type: "init", title: target.title, columns, firstRows, progress }),
      columnsAdded: (from, columns) => this.send({ type: "columnsAdded", from, columns }),
      progress: () => this.onProgress(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isWebviewToHost(message)) {
          this.log.warn("preview: dropped a malformed message from the webview");
          return;
        }
        void this.handle(message).catch((error) => this.log.error(`preview: ${(error as Error)?.message ?? error}`));
      }),
      panel.onDidDispose(() => {
        // Closing the panel stops its downloads.
        this.disposed = true;
        this.loader.cancel();
        clearInterval(this.statsTimer);
        for (const d of this.disposables) d.dispose();
        onClose();
      }),
    );
    this.statsTimer = setInterval(() => this.sendStats(), 1000);
    this.done = this.loader.run().then(() => {
      clearInterval(this.statsTimer);
      this.sendStats();
      const p = this.loader.progress();
      this.log.info(`preview ${target.title}: ${p.rowsLoaded} rows, ${p.bytesLoaded} bytes, ${p.state}${p.message ? `: ${p.message}` : ""}`);
    });
  }

  private send(message: HostToWebview): void {
    if (this.disposed) return;
    if (message.type === "init" && !this.ready) {
      this.pendingInit = message;
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** Rows arrived: re-apply any sort/filter first, so the counts sent match the view. */
  private onProgress(): void {
    this.loader.table.refresh();
    this.send({ type: "progress", progress: this.loader.progress() });
  }

  private sendStats(): void {
    const stats = this.loader.stats.snapshot();
    this.loader.table.setNumericColumns(stats.flatMap((s, i) => (s.type === "integer" || s.type === "number" ? [i] : [])));
    if (this.ready) this.send({ type: "stats", stats });
  }

  /** A message as the webview would send it (validated the same way). */
  handleMessage(message: WebviewToHost): Promise<void> {
    return this.handle(message);
  }

  private async handle(message: WebviewToHost): Promise<void> {
    const table = this.loader.table;
    switch (message.type) {
      case "ready":
        this.ready = true;
        if (this.pendingInit) this.send(this.pendingInit);
        this.pendingInit = undefined;
        this.send({ type: "progress", progress: this.loader.progress() });
        this.sendStats();
        return;
      case "getRows":
        table.refresh();
        this.send({ type: "rows", requestId: message.requestId, start: message.start, rows: table.window(message.start, message.count), visibleRows: table.visibleRows });
        return;
      case "setView": {
        this.sendStats();
        const filters = Object.fromEntries(Object.entries(message.filters).map(([k, v]) => [Number(k), v]));
        table.apply({ sort: message.sort, filters, global: message.global });
        this.send({ type: "progress", progress: this.loader.progress() });
        return;
      }
      case "cancel":
        this.loader.cancel();
        return;
      case "copy": {
        const lines: string[] = [];
        for (const row of table.rowsInView(message.start, message.end + 1)) {
          const cells = message.columns.map((c) => row[c] ?? "");
          lines.push(message.format === "csv" ? toCsvLine(cells, false) : toTsvLine(cells));
        }
        await vscode.env.clipboard.writeText(lines.join("\n"));
        void vscode.window.setStatusBarMessage(`Copied ${lines.length} row(s)`, 2000);
        return;
      }
      case "export":
        await exportCsv(this.target.title, this.loader, this.options.escapeFormulas());
        return;
      case "saveRaw":
        await saveRaw(this.target.files);
        return;
      case "openRaw":
        await openRaw(this.target.files);
        return;
      case "openLink":
        await openLink(message.url, this.target.files);
        return;
      case "columnStats": {
        const all = this.loader.stats.snapshot()[message.column];
        if (!all) return;
        const stats = message.scope === "all" ? all : await columnStatsOfView(this.loader, message.column);
        this.send({ type: "columnStats", column: message.column, scope: message.scope, rows: message.scope === "all" ? this.loader.progress().rowsLoaded : table.visibleRows, stats });
        return;
      }
      case "noticeAction": {
        const notice = this.loader.progress().notices.find((n) => n.id === message.id);
        if (notice?.action?.kind === "reopenLatin1") this.options.reopen({ ...this.target, encoding: "latin1" });
        else if (notice?.action?.kind === "showRawAround" && this.loader.brokenPlace) await showRawAround(this.loader.brokenPlace.file, this.loader.brokenPlace.byte);
        return;
      }
    }
  }

  reveal(): void {
    this.panel.reveal();
  }
}
