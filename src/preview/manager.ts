// Keeps one panel per target: re-opening focuses it; exposes state for tests and other extensions.
import * as vscode from "vscode";
import { PreviewPanel, type PreviewTarget } from "./panel";
import type { Progress, ColumnInfo } from "../protocol";

export interface PreviewState {
  key: string;
  title: string;
  columns: ColumnInfo[];
  progress: Progress;
  /** The first rows of the current view, for checks. */
  rows(start: number, count: number): string[][];
  done: Promise<void>;
}

export class PreviewManager implements vscode.Disposable {
  private readonly panels = new Map<string, PreviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  open(target: PreviewTarget): PreviewPanel {
    const existing = this.panels.get(target.key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const config = vscode.workspace.getConfiguration("modelData.preview");
    const panel = vscode.window.createWebviewPanel("modelData.preview", target.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist", "webview"), vscode.Uri.joinPath(this.extensionUri, "media")],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "model-data.svg");
    const preview = new PreviewPanel(target, panel, this.extensionUri, {
      cap: config.get<number>("maxRows", 500_000),
      maxColumns: config.get<number>("maxColumns", 2_000),
      maxHeldBytes: config.get<number>("maxMemoryMB", 1024) * 1024 * 1024,
      parallelRanges: config.get<number>("parallelRanges", 4),
      rangeBytes: config.get<number>("rangeMB", 4) * 1024 * 1024,
      escapeFormulas: () => vscode.workspace.getConfiguration("modelData.preview").get<boolean>("escapeFormulas", true),
      reopen: (again) => {
        preview.panel.dispose();
        this.open(again);
      },
    }, this.log, () => {
      if (this.panels.get(target.key) === preview) this.panels.delete(target.key);
    });
    this.panels.set(target.key, preview);
    return preview;
  }

  state(key: string): PreviewState | undefined {
    const panel = this.panels.get(key);
    if (!panel) return undefined;
    return {
      key, title: panel.target.title,
      get columns() {
        return panel.loader.columnInfo();
      },
      get progress() {
        return panel.loader.progress();
      },
      rows: (start, count) => [...panel.loader.table.rowsInView(start, start + count)], done: panel.done,
    };
  }

  /** The same as a notice's button in the panel (Reopen as Latin-1, Show Raw Text There). */
  async noticeAction(key: string, id: string): Promise<void> {
    await this.panels.get(key)?.handleMessage({ type: "noticeAction", id });
  }

  /** The same as Ctrl+click on a link cell in the panel. */
  async openLink(key: string, url: string): Promise<void> {
    await this.panels.get(key)?.handleMessage({ type: "openLink", url });
  }

  /** The same as the panel's Cancel button. */
  cancel(key: string): void {
    this.panels.get(key)?.loader.cancel();
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
