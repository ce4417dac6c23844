// Webview HTML: strict CSP (default-src 'none'), scripts only with a nonce, styles only from files.
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import { escapeHtml } from "../core/html";

export function webviewHtml(webview: vscode.Webview, page: { title: string; script: vscode.Uri; styles: vscode.Uri[]; body: string }): string {
  const nonce = randomBytes(18).toString("base64");
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join("; ");
  const links = page.styles.map((style) => `<link rel="stylesheet" href="${webview.asWebviewUri(style)}">`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${webview.asWebviewUri(page.script)}"></script>
</body>
</html>`;
}

export function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewHtml(webview, { title, script: vscode.Uri.joinPath(extensionUri, "dist", "webview", "grid.js"), styles: [vscode.Uri.joinPath(extensionUri, "media", "grid.css")],
    body: `<div id="app" data-title="${escapeHtml(title)}"></div>` });
}
