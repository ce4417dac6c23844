// Panel actions: export the filtered rows to CSV, save the raw file, open it as text, open a payload link.
import * as vscode from "vscode";
import { homedir } from "node:os";
import { join } from "node:path";
import type { PreviewFile } from "../reading/previewFile";
import type { PreviewEngine } from "../engine/client";
import { describeError } from "../core/errors";
import { showBlobText } from "./blobDocuments";

const RAW_TEXT_LIMIT = 50 * 1024 * 1024;

export async function exportCsv(title: string, engine: PreviewEngine, escapeFormulas: boolean, target?: vscode.Uri): Promise<number> {
  const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: inWorkspace(`${title.replace(/[^\w.-]+/g, "_")}.csv`), filters: { CSV: ["csv"] } }));
  if (!uri) return 0;
  // The engine holds the rows: it writes the file itself, off the extension host's thread.
  const { rows } = await engine.request("exportCsv", { path: uri.fsPath, escapeFormulas });
  void vscode.window.showInformationMessage(`Exported ${rows} row(s) to ${uri.fsPath}${escapeFormulas ? " (cells starting with = + - @ escaped)" : ""}`);
  return rows;
}

export async function saveRaw(files: PreviewFile[]): Promise<void> {
  const file = files.length === 1 ? files[0] : await pickFile(files);
  if (!file) return;
  const uri = await vscode.window.showSaveDialog({ defaultUri: inWorkspace(file.name.split("/").pop() ?? "data") });
  if (!uri) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving ${file.label}`, cancellable: true }, async (_p, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    await file.blobs.download(file.container, file.name, uri.fsPath, { signal: controller.signal });
  });
}

export async function openRaw(files: PreviewFile[]): Promise<void> {
  const file = files.length === 1 ? files[0] : await pickFile(files);
  if (!file) return;
  if (file.size > RAW_TEXT_LIMIT) {
    void vscode.window.showWarningMessage(`${file.label} is ${Math.round(file.size / 1048576)} MB; opening the first 50 MB as text. Use Save to get all of it.`);
  }
  const length = Math.min(file.size, RAW_TEXT_LIMIT);
  await showBlobText({ blobs: file.blobs, container: file.container, name: file.name, start: 0, length }, length >= file.size);
}

/**
 * A link from collected data. A payload stored in the same storage account (the current collector stores
 * payloads over 4 MB in their own blob) opens in the editor through the preview's own credentials (in a
 * browser it would fail without them); any other web link opens in the browser after the user sees where.
 */
export async function openLink(url: string, files: readonly PreviewFile[] = []): Promise<LinkOutcome> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return told(`'${url.slice(0, 200)}' is not a link.`);
  }
  const blob = files[0] ? blobInAccount(parsed, files[0].blobs.accountName) : undefined;
  if (blob && files[0]) {
    let bytes: Buffer;
    try {
      bytes = await files[0].blobs.readRange(blob.container, blob.name, 0, RAW_TEXT_LIMIT + 1);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return told(`The payload ${blob.container}/${blob.name} does not exist in ${files[0].blobs.accountName}: it was deleted, or written to another account. The row still holds its link.`);
      return told(`The payload ${blob.name} could not be read: ${describeError(error, files[0].blobs.credential).message}`);
    }
    if (bytes.length > RAW_TEXT_LIMIT) return told(`The payload ${blob.name} is over ${RAW_TEXT_LIMIT / 1048576} MB: download it from its date instead.`, "warning");
    await showBlobText({ blobs: files[0].blobs, container: blob.container, name: blob.name, start: 0, length: bytes.length, bytes }, true, /\.json$/i.test(blob.name) ? "json" : undefined);
    return { opened: "editor" };
  }
  // Links come from collected data: only web links, and only after the user sees where they go.
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return told(`Only web links open from collected data, not ${parsed.protocol} links.`, "warning");
  const choice = await vscode.window.showInformationMessage(`Open ${parsed.origin}${parsed.pathname} in the browser?`, { modal: true, detail: "The link comes from collected data." }, "Open");
  if (choice !== "Open") return {};
  await vscode.env.openExternal(vscode.Uri.parse(parsed.toString()));
  return { opened: "browser" };
}

/** What following a link did: opened it, or told the user why not. */
export interface LinkOutcome {
  opened?: "editor" | "browser";
  problem?: string;
}

function told(problem: string, severity: "error" | "warning" = "error"): LinkOutcome {
  if (severity === "error") void vscode.window.showErrorMessage(problem);
  else void vscode.window.showWarningMessage(problem);
  return { problem };
}

async function pickFile(files: PreviewFile[]): Promise<PreviewFile | undefined> {
  const picked = await vscode.window.showQuickPick(files.map((f) => ({ label: f.label, description: `${Math.round(f.size / 1024)} KB`, file: f })), { title: "Which file?" });
  return picked?.file;
}

const AROUND_BYTES = 4096;

/** Where a file went wrong, as raw text in an editor: a few KB either side of the byte. */
export async function showRawAround(file: PreviewFile, byte: number): Promise<void> {
  const start = Math.max(0, byte - AROUND_BYTES);
  const length = Math.min(AROUND_BYTES * 2, Math.max(0, file.size - start));
  await showBlobText({ blobs: file.blobs, container: file.container, name: file.name, start, length }, start === 0 && length >= file.size);
  void vscode.window.showInformationMessage(`${file.label}: raw bytes ${start.toLocaleString("en-US")}–${(start + length).toLocaleString("en-US")}; the broken record starts near byte ${byte.toLocaleString("en-US")}.`);
}

/** A file name in the workspace folder (or the home folder): a bare name opens the dialog at the filesystem root. */
function inWorkspace(fileName: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : vscode.Uri.file(join(homedir(), fileName));
}

/** The container and blob a URL names, when it points into `account` (host-style or path-style). */
export function blobInAccount(url: URL, account: string): { container: string; name: string } | undefined {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const host = url.hostname.toLowerCase();
  const hostStyle = host.startsWith(`${account.toLowerCase()}.blob.`);
  const path = hostStyle ? parts : parts[0] === account ? parts.slice(1) : undefined;
  if (!path || path.length < 2) return undefined;
  return { container: path[0], name: path.slice(1).join("/") };
}
