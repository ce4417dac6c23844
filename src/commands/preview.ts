// modelData.preview: a file, an hour, a date, or an identifier with a date range, in the grid.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewManager } from "../preview/manager";
import type { PreviewFile } from "../preview/loader";
import type { BlobInfo } from "../core/gateways";

export interface PreviewOptions {
  /** yyyy-mm-dd, inclusive; for identifier nodes. */
  from?: string;
  to?: string;
}

export async function preview(tree: ModelDataTreeProvider, previews: PreviewManager, node: ModelDataNode | undefined, options: PreviewOptions = {}): Promise<{ key: string } | undefined> {
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
  switch (node.kind) {
    case "file":
      blobs = [node.blob];
      where = node.where;
      title = node.blob.name.split("/").pop() ?? node.blob.name;
      break;
    case "hour":
      blobs = node.blobs;
      where = node.where;
      title = `${node.hour}:00`;
      base = node.blobs[0]?.name.slice(0, node.blobs[0].name.lastIndexOf("/") + 1) ?? "";
      break;
    case "date":
      blobs = node.blobs;
      where = node.where;
      title = `${serviceLabel(node.service)} · ${node.group.date}`;
      base = node.group.prefixes[0];
      skipped = node.group.others;
      break;
    case "identifier": {
      const range = options.from || options.to ? options : await askRange();
      if (!range) return undefined;
      const dates = (await tree.getChildren(node)).filter((d): d is Extract<ModelDataNode, { kind: "date" }> => d.kind === "date")
        .filter((d) => (!range.from || d.group.date >= range.from) && (!range.to || d.group.date <= range.to));
      if (dates.length === 0) {
        void vscode.window.showInformationMessage("No collected data in that date range.");
        return undefined;
      }
      blobs = dates.flatMap((d) => d.blobs);
      skipped = dates.flatMap((d) => d.group.others);
      where = node.where;
      base = node.prefix;
      title = `${serviceLabel(node.service)} · ${node.name} · ${dates[dates.length - 1].group.date} → ${dates[0].group.date}`;
      key = `${node.id}|${range.from ?? ""}|${range.to ?? ""}`;
      break;
    }
    default:
      return undefined;
  }
  const sorted = [...blobs].sort((a, b) => a.name.localeCompare(b.name));
  const files: PreviewFile[] = sorted.map((b) => ({ blobs: where.blobs, container: where.container, name: b.name, size: b.size, label: base && b.name.startsWith(base) ? b.name.slice(base.length) : b.name }));
  const format = sorted.every((b) => b.name.toLowerCase().endsWith(".jsonl")) ? "jsonl" : "csv";
  previews.open({ key, title, format, files, skipped: skipped.map((name) => name.split("/").pop() ?? name) });
  return { key };
}

async function askRange(): Promise<PreviewOptions | undefined> {
  const today = new Date();
  const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  const picked = await vscode.window.showQuickPick([
    { label: "Last 7 days", range: { from: daysAgo(6) } },
    { label: "Last 30 days", range: { from: daysAgo(29) } },
    { label: "All dates", range: {} },
    { label: "Custom range…", range: undefined },
  ], { title: "Preview which dates?" });
  if (!picked) return undefined;
  if (picked.range) return picked.range;
  const text = await vscode.window.showInputBox({ title: "Date range", prompt: "yyyy-mm-dd..yyyy-mm-dd (either side may be empty)", placeHolder: `${daysAgo(13)}..${daysAgo(0)}`,
    validateInput: (v) => (/^(\d{4}-\d\d-\d\d)?\.\.(\d{4}-\d\d-\d\d)?$/.test(v.trim()) ? undefined : "Use yyyy-mm-dd..yyyy-mm-dd") });
  if (!text) return undefined;
  const [from, to] = text.trim().split("..");
  return { from: from || undefined, to: to || undefined };
}
