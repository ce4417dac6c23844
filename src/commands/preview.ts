// modelData.preview: a file, an hour, a date, or an identifier with a date range, in the grid.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewManager } from "../preview/manager";
import type { PreviewFile } from "../reading/previewFile";
import type { BlobInfo } from "../core/gateways";

export interface PreviewOptions {
  /** yyyy-mm-dd, inclusive; for identifier nodes. */
  from?: string;
  to?: string;
}

export async function preview(tree: ModelDataTreeProvider, previews: PreviewManager, node: ModelDataNode | undefined, options: PreviewOptions = {},
  restored?: vscode.WebviewPanel): Promise<{ key: string } | undefined> {
  if (!node) {
    void vscode.window.showInformationMessage("Choose a date, an hour, a file or an identifier in the Azure ML Data view, then Preview.");
    return undefined;
  }
  let blobs: BlobInfo[];
  let title: string;
  let key = node.id;
  let where;
  let base = "";
  let skipped: string[] = [];
  // What Compare with… starts from: the date a file or hour belongs to, a date, or an identifier's range.
  let origin: { node: ModelDataNode; range?: PreviewOptions } | undefined;
  const dateOf = (n: ModelDataNode | undefined): ModelDataNode | undefined => (!n || n.kind === "date" ? n : dateOf(tree.getParent(n)));
  switch (node.kind) {
    case "file":
      blobs = [node.blob];
      where = node.where;
      title = node.blob.name.split("/").pop() ?? node.blob.name;
      origin = dateOf(node) && { node: dateOf(node) as ModelDataNode };
      break;
    case "hour":
      blobs = node.blobs;
      where = node.where;
      title = `${targetPrefix(tree, node)} · ${node.hour}:00`;
      base = node.blobs[0]?.name.slice(0, node.blobs[0].name.lastIndexOf("/") + 1) ?? "";
      origin = dateOf(node) && { node: dateOf(node) as ModelDataNode };
      break;
    case "date":
      blobs = node.blobs;
      where = node.where;
      title = `${targetPrefix(tree, node)} · ${node.group.date}`;
      base = node.group.prefixes[0];
      skipped = node.group.others;
      origin = { node };
      break;
    case "identifier": {
      const all = (await tree.getChildren(node)).filter((d): d is Extract<ModelDataNode, { kind: "date" }> => d.kind === "date");
      const range = options.from || options.to ? options : await askRange(all.map((d) => d.group.date));
      if (!range) return undefined;
      const dates = all.filter((d) => (!range.from || d.group.date >= range.from) && (!range.to || d.group.date <= range.to));
      if (dates.length === 0) {
        void vscode.window.showInformationMessage("No collected data in that date range.");
        return undefined;
      }
      blobs = dates.flatMap((d) => d.blobs);
      skipped = dates.flatMap((d) => d.group.others);
      where = node.where;
      base = node.prefix;
      title = `${targetPrefix(tree, node)} · ${dates[dates.length - 1].group.date} → ${dates[0].group.date}`;
      key = `${node.id}|${range.from ?? ""}|${range.to ?? ""}`;
      origin = { node, range: { from: dates[dates.length - 1].group.date, to: dates[0].group.date } };
      break;
    }
    default:
      return undefined;
  }
  const sorted = [...blobs].sort((a, b) => a.name.localeCompare(b.name));
  const files: PreviewFile[] = sorted.map((b) => ({ blobs: where.blobs, container: where.container, name: b.name, size: b.size, label: base && b.name.startsWith(base) ? b.name.slice(base.length) : b.name }));
  const format = sorted.every((b) => b.name.toLowerCase().endsWith(".jsonl")) ? "jsonl" : "csv";
  const range = node.kind === "identifier" ? origin?.range : undefined;
  previews.open({ key, title, format, files, skipped: skipped.map((name) => name.split("/").pop() ?? name), origin,
    restore: { nodeId: node.id, from: range?.from, to: range?.to, title } }, restored);
  return { key };
}

/** Ranges counted from the newest date that has data (not from today: collection may have stopped). */
export async function askRange(dates: string[], title = "Preview which dates?"): Promise<PreviewOptions | undefined> {
  const newest = dates[0] ?? new Date().toISOString().slice(0, 10);
  const before = (n: number) => new Date(Date.parse(`${newest}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const picked = await vscode.window.showQuickPick([
    { label: "Newest day", description: newest, range: { from: newest, to: newest } },
    { label: "Last 7 days of data", description: `${before(6)} → ${newest}`, range: { from: before(6), to: newest } },
    { label: "Last 30 days of data", description: `${before(29)} → ${newest}`, range: { from: before(29), to: newest } },
    { label: "All dates", description: dates.length > 0 ? `${dates[dates.length - 1]} → ${newest} (${dates.length} days)` : undefined, range: {} },
    { label: "Custom range…", range: undefined },
  ], { title });
  if (!picked) return undefined;
  if (picked.range) return picked.range;
  // Pre-filled with a real range the user edits, not a placeholder that looks filled in.
  const text = await vscode.window.showInputBox({ title: "Date range", prompt: "from..to as yyyy-mm-dd..yyyy-mm-dd (either side may be empty)", value: `${before(13)}..${newest}`,
    validateInput: (v) => (/^(\d{4}-\d\d-\d\d)?\.\.(\d{4}-\d\d-\d\d)?$/.test(v.trim()) ? undefined : "Use yyyy-mm-dd..yyyy-mm-dd, e.g. 2026-03-01..2026-03-07") });
  if (!text) return undefined;
  const [from, to] = text.trim().split("..");
  return { from: from || undefined, to: to || undefined };
}

/** `service · model:version · identifier` of a node, from its ancestors (tab titles say what is shown). */
export function targetPrefix(tree: ModelDataTreeProvider, node: ModelDataNode): string {
  const parts: string[] = [];
  for (let n: ModelDataNode | undefined = node; n; n = tree.getParent(n)) {
    if (n.kind === "identifier") parts.unshift(n.name);
    else if (n.kind === "model") parts.unshift(n.label);
    else if (n.kind === "service") {
      parts.unshift(serviceLabel(n.service));
      break;
    } else if (n.kind === "date" && n !== node) parts.unshift(n.group.date);
  }
  return parts.join(" · ");
}
