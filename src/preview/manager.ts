// Keeps one panel per target: re-opening focuses it; exposes state for tests and other extensions.
import * as vscode from "vscode";
import { PreviewPanel, type PreviewTarget } from "./panel";
import { openLink, openRaw, type LinkOutcome } from "./panelActions";
import type { EngineThreads } from "../engine/threads";
import type { ResourceLimits } from "node:worker_threads";
import type { Progress, ColumnInfo } from "../protocol";
import type { ViewSpec } from "../core/table/tableView";

export interface PreviewState {
  key: string;
  title: string;
  columns: ColumnInfo[];
  progress: Progress;
  /** Rows of the current view (full cells), from the preview's engine. */
  rows(start: number, count: number): Promise<string[][]>;
  /** Sorts/filters as the panel's header does; undefined when a newer one superseded it. */
  setView(spec: ViewSpec): Promise<{ visibleRows: number; ms: number } | undefined>;
  done: Promise<void>;
  /** The engine's worker thread, and when it exits (with its exit code). */
  engineThreadId: number;
  engineExited: Promise<number>;
}

export class PreviewManager implements vscode.Disposable {
  private readonly panels = new Map<string, PreviewPanel>();
  /** The preview opened or focused last. */
  private lastActive: string | undefined;
  /** Heap limits for the engines of previews opened from now on (tests make them tiny to see a crash handled). */
  engineLimits: ResourceLimits | undefined;
  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly threads: EngineThreads) {}

  /** Boots a preview engine ahead, so the next preview's first rows do not wait for a thread to start. */
  warmUp(): void {
    this.threads.warmUp();
  }

  /** The webview options every preview panel has (a restored panel gets them again). */
  webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist", "webview"), vscode.Uri.joinPath(this.extensionUri, "media")] };
  }

  /** Opens a preview, in `restored` when VS Code brings a panel back after a reload. */
  open(target: PreviewTarget, restored?: vscode.WebviewPanel, column = vscode.ViewColumn.Active): PreviewPanel {
    const existing = this.panels.get(target.key);
    if (existing) {
      restored?.dispose();
      existing.reveal();
      return existing;
    }
    const config = vscode.workspace.getConfiguration("modelData.preview");
    const panel = restored ?? vscode.window.createWebviewPanel("modelData.preview", target.title, column, { ...this.webviewOptions(), retainContextWhenHidden: true });
    if (restored) restored.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "model-data.svg");
    const preview = new PreviewPanel(target, panel, this.extensionUri, {
      cap: config.get<number>("maxRows", 500_000),
      maxColumns: config.get<number>("maxColumns", 2_000),
      maxHeldBytes: config.get<number>("maxMemoryMB", 1024) * 1024 * 1024,
      parallelRanges: config.get<number>("parallelRanges", 4),
      rangeBytes: config.get<number>("rangeMB", 4) * 1024 * 1024,
      // Taken once the first screen is shown: the spare it replaces boots after that, not beside the first read.
      worker: () => this.threads.take(this.engineLimits),
      downloads: this.threads.downloads,
      escapeFormulas: () => vscode.workspace.getConfiguration("modelData.preview").get<boolean>("escapeFormulas", true),
      compareWith: async (shown) => {
        const origin = shown.origin;
        if (!origin) {
          void vscode.window.showInformationMessage("Compare works on a date, a date range of a collection, or a service: start it from the Azure ML Data view.");
          return;
        }
        const { from, to } = origin.range ?? {};
        await vscode.commands.executeCommand("modelData.compare", origin.node, from && to ? { production: { from, to } } : {});
      },
      reopen: (again) => {
        preview.panel.dispose();
        this.open(again);
      },
    }, this.log, () => {
      if (this.panels.get(target.key) === preview) this.panels.delete(target.key);
    });
    this.panels.set(target.key, preview);
    this.lastActive = target.key;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = target.key;
    });
    return preview;
  }

  /**
   * What the active preview shows, as Compare with… reads it: its node and date range ("Query this window").
   * A panel's `active` is set a moment after it opens: the one last opened or focused answers meanwhile.
   */
  activeOrigin(): { node: unknown; range?: { from?: string; to?: string } } | undefined {
    const panel = [...this.panels.values()].find((p) => p.panel.active) ?? (this.lastActive ? this.panels.get(this.lastActive) : undefined);
    return panel?.target.origin;
  }

  state(key: string): PreviewState | undefined {
    const panel = this.panels.get(key);
    if (!panel) return undefined;
    const engine = panel.engine;
    return {
      key, title: panel.target.title,
      get columns() {
        return panel.engine.columns();
      },
      get progress() {
        return panel.engine.progress();
      },
      rows: async (start, count) => (await panel.engine.request("rows", { start, count, full: true })).rows,
      setView: (spec) => panel.setView(spec),
      done: panel.done,
      // Known once the first screen is shown and the thread taken.
      get engineThreadId() {
        return engine.threadId;
      },
      engineExited: panel.engine.exited,
    };
  }

  /** The same as a notice's button in the panel (Reopen as Latin-1, Show Raw Text There). */
  async noticeAction(key: string, id: string): Promise<void> {
    await this.panels.get(key)?.handleMessage({ type: "noticeAction", id });
  }

  /** The same as Ctrl+C / Copy CSV in the panel (with or without the header row). */
  async copy(key: string, selection: { start: number; end: number; columns: number[]; format: "tsv" | "csv"; header: boolean }): Promise<void> {
    await this.panels.get(key)?.handleMessage({ type: "copy", ...selection });
  }

  /** The same as the panel's Open Raw button. */
  async openRaw(key: string): Promise<void> {
    const panel = this.panels.get(key);
    if (panel) await openRaw(panel.target.files);
  }

  /** The same as Ctrl+click (or Enter) on a link cell in the panel; says what happened. */
  async openLink(key: string, url: string): Promise<LinkOutcome | undefined> {
    const panel = this.panels.get(key);
    return panel && openLink(url, panel.target.files);
  }

  /** The same as the panel's Cancel button; resolves with the rows parsed when the cancel arrived. */
  async cancel(key: string): Promise<number | undefined> {
    return this.panels.get(key)?.engine.cancelLoad();
  }

  close(key: string): void {
    this.panels.get(key)?.panel.dispose();
  }

  keys(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.panel.dispose();
  }
}
