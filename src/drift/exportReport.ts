// Writes a drift report as Markdown, HTML or JSON where the user says (or to `target`, for API callers).
import * as vscode from "vscode";
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import type { DriftReport } from "../core/drift/report";
import { toJson, toMarkdown } from "../core/drift/export";
import { toHtml } from "../core/drift/exportHtml";
import type { ExportFormat } from "../driftProtocol";

const EXTENSIONS: Record<ExportFormat, string> = { markdown: "md", html: "html", json: "json" };

export async function exportReport(report: DriftReport, format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = `drift-${report.title.replace(/[^\w.-]+/g, "_").slice(0, 80)}.${EXTENSIONS[format]}`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, name), filters: { [format.toUpperCase()]: [EXTENSIONS[format]] } }));
  if (!uri) return undefined;
  const text = format === "markdown" ? toMarkdown(report) : format === "html" ? toHtml(report) : toJson(report);
  await writeFile(uri.fsPath, text, "utf8");
  if (!target) void vscode.window.showInformationMessage(`Drift report saved to ${uri.fsPath}`);
  return uri;
}
