// The drift report webview: strict CSP with a nonce, the report sent as data and drawn as text and canvas
// (never markup); exports written by the host.
import * as vscode from "vscode";
import type { DriftReport } from "../core/drift/report";
import type { FeatureOptions } from "../core/drift/compare";
import { isDriftWebviewToHost, type DriftHostToWebview } from "../driftProtocol";
import { exportReport } from "./exportReport";
import { webviewHtml } from "../preview/html";
import { reportTabTitle } from "../core/drift/export";

/** What a report's buttons do besides exporting. */
export interface ReportActions {
  /** The same compare with one feature's options changed. */
  recompute?: (feature: string, options: FeatureOptions) => Promise<DriftReport | undefined>;
  notebook?: (report: DriftReport, collection: number) => Promise<unknown>;
  createMonitor?: (report: DriftReport) => Promise<unknown>;
}

export class DriftReportPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private report: DriftReport, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, onClose: () => void,
    private readonly actions: ReportActions, private readonly targetId?: string, restored?: vscode.WebviewPanel) {
    const options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist", "webview"), vscode.Uri.joinPath(extensionUri, "media")] };
    this.panel = restored ?? vscode.window.createWebviewPanel("modelData.drift", reportTabTitle(report), vscode.ViewColumn.Active, { ...options, retainContextWhenHidden: true });
    if (restored) {
      restored.webview.options = options;
      restored.title = reportTabTitle(report);
    }
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "model-data.svg");
    this.panel.webview.html = reportHtml(this.panel.webview, extensionUri, report.title);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isDriftWebviewToHost(message)) {
          this.log.warn("drift report: dropped a malformed message from the webview");
          return;
        }
        if (message.type === "ready") this.post({ type: "report", report: this.report, targetId: this.targetId });
        else if (message.type === "recompute") void this.again(message.feature, message.options);
        else if (message.type === "openNotebook") void this.actions.notebook?.(this.report, message.collection)?.catch((error) => void vscode.window.showErrorMessage(`Open in Notebook failed: ${(error as Error).message}`));
        else if (message.type === "createMonitor") void this.actions.createMonitor?.(this.report)?.catch((error) => void vscode.window.showErrorMessage(`Create Azure ML Monitor failed: ${(error as Error).message}`));
        else void exportReport(this.report, message.format).catch((error) => void vscode.window.showErrorMessage(`Export failed: ${(error as Error).message}`));
      }),
      this.panel.onDidDispose(() => {
        for (const d of this.disposables) d.dispose();
        onClose();
      }),
    );
  }

  /** The same compare with one feature's type, metric or threshold changed; the report is redrawn in place. */
  private async again(feature: string, options: FeatureOptions): Promise<void> {
    const report = await this.actions.recompute?.(feature, options);
    if (!report) return;
    this.report = report;
    this.post({ type: "report", report, targetId: this.targetId });
  }

  private post(message: DriftHostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  /** The report's production window and the node it was made from, when this panel is the active one (or `anyway`). */
  activeWindow(anyway = false): { targetId: string; from: string; to: string } | undefined {
    return (this.panel.active || anyway) && this.targetId ? { targetId: this.targetId, from: this.report.production.from, to: this.report.production.to } : undefined;
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewHtml(webview, { title, script: vscode.Uri.joinPath(extensionUri, "dist", "webview", "drift.js"),
    styles: [vscode.Uri.joinPath(extensionUri, "dist", "webview", "drift.css"), vscode.Uri.joinPath(extensionUri, "media", "drift.css")],
    body: `<main id="report" aria-live="polite"></main>` });
}
