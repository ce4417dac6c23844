// Copy the blob path or URL of a node; "Copy as pandas code" for a date or an identifier.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { targetOf } from "./nodePaths";
import { pandasSnippet } from "../core/pandasSnippet";

export async function copyPath(node: ModelDataNode): Promise<string | undefined> {
  const target = targetOf(node);
  if (!target) return undefined;
  const text = `${target.where.container}/${target.path}`;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return text;
}

export async function copyUrl(node: ModelDataNode): Promise<string | undefined> {
  const target = targetOf(node);
  if (!target) return undefined;
  // blobUrl never carries a SAS or key: the link is for people who have their own access.
  const url = target.where.blobs.blobUrl(target.where.container, target.path);
  await vscode.env.clipboard.writeText(url);
  void vscode.window.setStatusBarMessage("Copied the blob URL (without credentials)", 3000);
  return url;
}

export async function copyPandasCode(node: ModelDataNode): Promise<string | undefined> {
  if (node.kind !== "date" && node.kind !== "identifier" && node.kind !== "hour") return undefined;
  const target = targetOf(node);
  if (!target) return undefined;
  const layout = node.kind === "identifier" ? node.service.layout : node.kind === "date" ? node.service.layout : "current";
  const extension = layout === "legacy" ? "csv" : "jsonl";
  const globs = node.kind === "identifier"
    ? [`${node.prefix}${layout === "legacy" ? "*/*/*" : "*/*/*/*"}/*.${extension}`]
    : node.kind === "date" ? node.group.prefixes.map((p) => `${p}${layout === "legacy" ? "" : "*/"}*.${extension}`) : [`${target.path}*.${extension}`];
  const code = pandasSnippet({ auth: target.where.auth, container: target.where.container, globs, layout });
  await vscode.env.clipboard.writeText(code);
  void vscode.window.setStatusBarMessage("Copied pandas code to the clipboard", 3000);
  return code;
}
