// Download a file, an hour or a whole date to a local folder, with progress and cancel.
import * as vscode from "vscode";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, basename, extname } from "node:path";
import type { ModelDataNode } from "../tree/nodes";
import { targetOf } from "./nodePaths";
import { formatBytes } from "../core/dates";

export interface DownloadResult {
  files: string[];
  cancelled: boolean;
}

export async function download(node: ModelDataNode, folder?: vscode.Uri | string, log?: vscode.LogOutputChannel): Promise<DownloadResult | undefined> {
  const target = targetOf(node);
  if (!target?.blobs || target.blobs.length === 0) return undefined;
  const destination = typeof folder === "string" ? folder : folder?.fsPath ?? (await pickFolder());
  if (!destination) return undefined;
  const blobs = target.blobs;
  const total = blobs.reduce((sum, b) => sum + b.size, 0);
  // The blob path is mirrored below the chosen folder: two services' data.csv never collide.
  const base = join(destination, target.where.container);
  const files: string[] = [];
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${blobs.length} file(s), ${formatBytes(total)}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let done = 0;
      for (const blob of blobs) {
        if (controller.signal.aborted) break;
        const path = uniquePath(join(base, ...blob.name.split("/")));
        mkdirSync(dirname(path), { recursive: true });
        let last = 0;
        try {
          await target.where.blobs.download(target.where.container, blob.name, path, {
            signal: controller.signal,
            onProgress: (bytes) => {
              progress.report({ increment: total > 0 ? ((bytes - last) / total) * 100 : 0, message: basename(blob.name) });
              last = bytes;
            },
          });
        } catch (error) {
          if (controller.signal.aborted) break;
          throw error;
        }
        done += blob.size;
        files.push(path);
      }
      const cancelled = controller.signal.aborted;
      log?.info(`downloaded ${files.length}/${blobs.length} files (${formatBytes(done)}) to ${base}${cancelled ? " (cancelled)" : ""}`);
      if (!cancelled) {
        void vscode.window.showInformationMessage(`Downloaded ${files.length} file(s) to ${base}`, "Reveal").then((choice) => {
          if (choice) void vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(files[0] ?? base));
        });
      }
      return { files, cancelled };
    });
}

async function pickFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: "Download here",
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return picked?.[0]?.fsPath;
}

/** Never overwrites: data.csv, data (1).csv, data (2).csv, … */
function uniquePath(path: string): string {
  if (!existsSync(path)) return path;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!existsSync(candidate)) return candidate;
  }
}
