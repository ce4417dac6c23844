// Previews and drift reports come back after a reload (Developer: Reload Window, a restart): each webview
// kept what it showed (the tree node and dates of a preview, a report and the node it was compared on),
// and the panel is filled again from storage through the same commands. What cannot be found is said.
import * as vscode from "vscode";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewManager } from "../preview/manager";
import type { DriftManager } from "../drift/manager";
import type { DriftReport } from "../core/drift/report";
import { findNode } from "../tree/findNode";
import { escapeHtml } from "../core/html";
import { preview } from "./preview";
import { reportActions } from "./reportActions";
import { compareCollections } from "./compare";

const isText = (v: unknown, max = 4096): v is string => typeof v === "string" && v.length <= max;

export function registerPanelRestore(tree: ModelDataTreeProvider, previews: PreviewManager, drift: DriftManager, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.window.registerWebviewPanelSerializer("modelData.preview", {
      async deserializeWebviewPanel(panel, state: unknown) {
        const s = (state ?? {}) as Record<string, unknown>;
        const title = isText(s.title) ? s.title : panel.title;
        const node = isText(s.nodeId) ? await findNode(tree, s.nodeId).catch(() => undefined) : undefined;
        const opened = node && (await preview(tree, previews, node, { from: isText(s.from, 10) ? s.from : undefined, to: isText(s.to, 10) ? s.to : undefined }, panel));
        if (!opened) {
          log.info(`preview ${title} not restored: its node is not in the view`);
          unavailable(panel, title);
        }
      },
    }),
    vscode.window.registerWebviewPanelSerializer("modelData.drift", {
      async deserializeWebviewPanel(panel, state: unknown) {
        const s = (state ?? {}) as { report?: DriftReport; targetId?: unknown };
        const report = s.report;
        if (!report || !isText(report.title) || !Array.isArray(report.collections)) return unavailable(panel, panel.title);
        const targetId = isText(s.targetId) ? s.targetId : undefined;
        const node = targetId ? await findNode(tree, targetId).catch(() => undefined) : undefined;
        // Without its node the report still shows and exports; compare again and the rest need the node.
        const actions = node ? reportActions(tree, drift, node, { production: report.production, reference: report.reference }, await compareCollections(tree, node)) : {};
        drift.show(report, actions, targetId, panel);
      },
    }),
  );
}

/** A panel that cannot be filled again says why and what to do, as plain text (no script). */
function unavailable(panel: vscode.WebviewPanel, title: string): void {
  panel.webview.options = { enableScripts: false };
  panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>${escapeHtml(title)}</title></head>
<body><p>${escapeHtml(title)} could not be opened again: its data is not in the Azure ML Data view now (signed out, storage detached, or deleted).</p>
<p>Open it again from the Azure ML Data view.</p></body></html>`;
}
