// The collection check's panel: the chain drawn by webview/check (strict CSP, text only); its buttons run
// each check's fix through the host, and Check Again re-runs the chain.
import * as vscode from "vscode";
import { isCheckWebviewToHost, type CheckHostToWebview, type CheckView } from "../checkProtocol";
import type { CheckId } from "../core/collectionCheck/checkResult";
import { webviewHtml } from "../preview/html";
import type { CollectionCheckReport } from "./checkTarget";

export interface CheckPanelActions {
  fix(report: CollectionCheckReport, check: CheckId): Promise<unknown>;
  rerun(): Promise<CollectionCheckReport | undefined>;
}

export class CheckPanel {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;

  constructor(private report: CollectionCheckReport, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, private readonly actions: CheckPanelActions, onClose: () => void) {
    this.panel = vscode.window.createWebviewPanel("modelData.check", title(report), vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist", "webview"), vscode.Uri.joinPath(extensionUri, "media")] });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "model-data.svg");
    this.panel.webview.html = webviewHtml(this.panel.webview, { title: title(report), script: vscode.Uri.joinPath(extensionUri, "dist", "webview", "check.js"),
      styles: [vscode.Uri.joinPath(extensionUri, "media", "check.css")], body: `<main id="check" aria-live="polite"></main>` });
    const subscription = this.panel.webview.onDidReceiveMessage((message: unknown) => {
      if (!isCheckWebviewToHost(message)) {
        log.warn("collection check: dropped a malformed message from the webview");
        return;
      }
      if (message.type === "ready") {
        this.ready = true;
        this.post({ type: "report", view: viewOf(this.report) });
      } else if (message.type === "rerun") void this.rerun();
      else void this.actions.fix(this.report, message.check).catch((error) => void vscode.window.showErrorMessage(`The fix failed: ${(error as Error).message}`));
    });
    this.panel.onDidDispose(() => {
      subscription.dispose();
      onClose();
    });
  }

  show(report: CollectionCheckReport): void {
    this.report = report;
    this.panel.title = title(report);
    if (this.ready) this.post({ type: "report", view: viewOf(report) });
    this.panel.reveal();
  }

  private async rerun(): Promise<void> {
    this.post({ type: "busy", text: "Checking again…" });
    const report = await this.actions.rerun().catch(() => undefined);
    this.show(report ?? this.report);
  }

  private post(message: CheckHostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function title(report: CollectionCheckReport): string {
  return `Collection check: ${report.target.label}`;
}

function viewOf(report: CollectionCheckReport): CheckView {
  return { title: `Why is no data arriving? ${report.target.label}`, subtitle: `${report.target.layout === "current" ? "Online deployment" : "v1 web service"} in ${report.target.workspace}`,
    checkedAt: report.checkedAt, worst: report.worst, checks: report.checks };
}
