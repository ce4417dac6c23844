// One webview panel per previewed target: re-opening focuses it, closing it stops its downloads.
import * as vscode from "vscode";
import type { Worker } from "node:worker_threads";
import type { PreviewFile } from "../reading/previewFile";
import { PreviewEngine, SUPERSEDED, type ReadRouter } from "../engine/client";
import type { ViewSpec } from "../core/table/tableView";
import { previewHtml } from "./html";
import { isWebviewToHost, type HostToWebview, type PreviewRestoreState, type WebviewToHost } from "../protocol";
import { exportCsv, openLink, openRaw, saveRaw, showRawAround } from "./panelActions";
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
  /** The first line is the header, whatever it looks like (a SQL answer's `count_star()`). */
  headerRow?: boolean;
  /** What was previewed in the tree, for "Compare with…": the node, and the dates of an identifier's range. */
  origin?: { node: unknown; range?: { from?: string; to?: string } };
  /** What reopens it after a reload. */
  restore?: PreviewRestoreState;
}

export interface PanelOptions {
  cap: number;
  maxColumns: number;
  maxHeldBytes: number;
  parallelRanges: number;
  rangeBytes: number;
  /** The engine's thread (this preview's alone), or how to take it when the first screen is shown. */
  worker: Worker | (() => Worker);
  /** Serves the engine's reads off the host's thread. */
  downloads?: ReadRouter;
  escapeFormulas(): boolean;
  /** Opens the same target again in its place (another encoding, or after the engine stopped). */
  reopen(target: PreviewTarget): void;
  /** Compares what this preview shows with a reference (modelData.compare). */
  compareWith(target: PreviewTarget): Promise<void>;
}

export class PreviewPanel {
  readonly engine: PreviewEngine;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private pendingInit: HostToWebview | undefined;
  readonly done: Promise<void>;

  constructor(readonly target: PreviewTarget, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly options: PanelOptions,
    private readonly log: vscode.LogOutputChannel, onClose: () => void) {
    panel.webview.html = previewHtml(panel.webview, extensionUri, target.title);
    this.engine = new PreviewEngine(target.files, target.format, {
      worker: options.worker, downloads: options.downloads,
      cap: options.cap, maxColumns: options.maxColumns, maxHeldBytes: options.maxHeldBytes, parallelRanges: options.parallelRanges, rangeBytes: options.rangeBytes,
      encoding: target.encoding, skipped: target.skipped, headerRow: target.headerRow,
    }, {
      init: (columns, firstRows, progress) => this.send({ type: "init", title: target.title, columns, firstRows, progress, restore: target.restore, comparable: target.origin !== undefined }),
      columnsAdded: (from, columns) => this.send({ type: "columnsAdded", from, columns }),
      progress: (progress) => this.send({ type: "progress", progress }),
      stats: (stats) => {
        if (this.ready) this.send({ type: "stats", stats });
      },
      stopped: (message) => {
        this.log.error(`preview ${target.title}: ${message}`);
        const progress = this.engine.progress();
        // Before the first rows the webview has no grid yet: the message comes with an empty one.
        if (!this.initSent) this.send({ type: "init", title: target.title, columns: [], firstRows: [], progress });
        this.send({ type: "progress", progress });
      },
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
        // Closing the panel stops its downloads and ends its engine's thread.
        this.disposed = true;
        void this.engine.dispose();
        for (const d of this.disposables) d.dispose();
        onClose();
      }),
    );
    this.done = this.engine.done.then(() => {
      const p = this.engine.progress();
      this.log.info(`preview ${target.title}: ${p.rowsLoaded} rows, ${p.bytesLoaded} bytes, ${p.state}${p.message ? `: ${p.message}` : ""}`);
    });
  }

  private initSent = false;

  private send(message: HostToWebview): void {
    if (this.disposed) return;
    if (message.type === "init") this.initSent = true;
    if (message.type === "init" && !this.ready) {
      this.pendingInit = message;
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** A message as the webview would send it (validated the same way). */
  handleMessage(message: WebviewToHost): Promise<void> {
    return this.handle(message);
  }

  /** Sorts/filters as the webview's header does; undefined when a newer one replaced it. */
  async setView(spec: ViewSpec): Promise<{ visibleRows: number; ms: number } | undefined> {
    const result = await this.engine.setView(spec);
    if (result === SUPERSEDED) return undefined;
    this.send({ type: "progress", progress: this.engine.progress() });
    return result;
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case "ready":
        this.ready = true;
        if (this.pendingInit) this.send(this.pendingInit);
        this.pendingInit = undefined;
        this.send({ type: "progress", progress: this.engine.progress() });
        if (this.engine.stats().length > 0) this.send({ type: "stats", stats: this.engine.stats() });
        return;
      case "getRows": {
        const { rows, visibleRows } = await this.engine.request("rows", { start: message.start, count: message.count, full: false });
        this.send({ type: "rows", requestId: message.requestId, start: message.start, rows, visibleRows });
        return;
      }
      case "setView": {
        const filters = Object.fromEntries(Object.entries(message.filters).map(([k, v]) => [Number(k), v]));
        await this.setView({ sort: message.sort, filters, global: message.global });
        return;
      }
      case "cancel":
        await this.engine.cancelLoad();
        return;
      case "copy": {
        const { text, lines } = await this.engine.request("copy", { start: message.start, end: message.end, columns: message.columns, format: message.format, header: message.header });
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage(`Copied ${lines} row(s)${message.header ? " with the header" : ""}`, 2000);
        return;
      }
      case "export":
        await exportCsv(this.target.title, this.engine, this.options.escapeFormulas());
        return;
      case "saveRaw":
        await saveRaw(this.target.files);
        return;
      case "openRaw":
        await openRaw(this.target.files);
        return;
      case "compareWith":
        await this.options.compareWith(this.target);
        return;
      case "openLink":
        await openLink(message.url, this.target.files);
        return;
      case "columnStats": {
        const result = await this.engine.request("columnStats", { column: message.column, scope: message.scope });
        if (result) this.send({ type: "columnStats", column: message.column, scope: message.scope, rows: result.rows, stats: result.stats });
        return;
      }
      case "noticeAction": {
        const notice = this.engine.progress().notices.find((n) => n.id === message.id);
        if (notice?.action?.kind === "retry") this.options.reopen(this.target);
        else if (notice?.action?.kind === "reopenLatin1") this.options.reopen({ ...this.target, encoding: "latin1" });
        else if (notice?.action?.kind === "showRawAround" && this.engine.brokenPlace) await showRawAround(this.engine.brokenPlace.file, this.engine.brokenPlace.byte);
        return;
      }
    }
  }

  reveal(): void {
    this.panel.reveal();
  }
}
