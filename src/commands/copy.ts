// Copy the blob path or URL of a node; "Copy as pandas code" for a date or an identifier.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { targetOf } from "./nodePaths";
import { pandasSnippet } from "../core/pandasSnippet";
import type { ModelDataTreeProvider } from "../tree/provider";
import { askRange, type PreviewOptions } from "./preview";

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

export async function copyPandasCode(node: ModelDataNode, tree?: ModelDataTreeProvider, range?: PreviewOptions): Promise<string | undefined> {
  if (node.kind !== "date" && node.kind !== "identifier" && node.kind !== "hour") return undefined;
  const target = targetOf(node);
  if (!target) return undefined;
  const layout = node.kind === "identifier" ? node.service.layout : node.kind === "date" ? node.service.layout : "current";
  const extension = layout === "legacy" ? "csv" : "jsonl";
  const dayGlobs = (prefixes: string[]) => prefixes.map((p) => `${p}${layout === "legacy" ? "" : "*/"}*.${extension}`);
  let globs: string[];
  if (node.kind === "identifier") {
    // The dates asked for (as Preview asks), not every date the identifier ever had.
    const dates = tree ? (await tree.getChildren(node)).filter((d): d is Extract<ModelDataNode, { kind: "date" }> => d.kind === "date") : [];
    const chosen = range ?? (await askRange(dates.map((d) => d.group.date)));
    if (!chosen) return undefined;
    const inRange = dates.filter((d) => (!chosen.from || d.group.date >= chosen.from) && (!chosen.to || d.group.date <= chosen.to));
    if (inRange.length === 0) {
      void vscode.window.showInformationMessage("No collected data in that date range.");
      return undefined;
    }
    globs = dayGlobs(inRange.flatMap((d) => d.group.prefixes));
  } else globs = node.kind === "date" ? dayGlobs(node.group.prefixes) : [`${target.path}*.${extension}`];
  const code = pandasSnippet({ auth: target.where.auth, container: target.where.container, globs, layout });
  await vscode.env.clipboard.writeText(code);
  void vscode.window.setStatusBarMessage(`Copied pandas code for ${globs.length} folder(s)${layout === "current" ? "; it lists payloads stored in their own blobs rather than loading them" : ""}`, 4000);
  return code;
}
