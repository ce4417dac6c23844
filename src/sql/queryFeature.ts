// Wires SQL over collected data: the cache in global storage, the DuckDB worker (started on the first
// query), the query documents' lenses and diagnostics, and the commands.
import * as vscode from "vscode";
import { join } from "node:path";
import { BlobCache } from "./blobCache";
import { SqlEngine } from "./sqlEngine";
import { QueryService } from "./queryService";
import type { DownloadThread } from "../engine/downloadThread";
import { QueryDocuments } from "./queryDocuments";
import { QueryCommands, registerQueryCommands } from "../commands/query";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewManager } from "../preview/manager";
import type { DriftManager } from "../drift/manager";

export interface QueryFeature {
  disposables: vscode.Disposable[];
  /** The cache folder (the only place DuckDB may read or write). */
  cacheRoot: string;
  /** Windows made queryable (Build Training Set joins on them too). */
  service: QueryService;
}

export function queryFeature(context: vscode.ExtensionContext, services: { tree: ModelDataTreeProvider; previews: PreviewManager; drift: DriftManager; log: vscode.LogOutputChannel; downloads: DownloadThread }): QueryFeature {
  const config = () => vscode.workspace.getConfiguration("modelData.query");
  const root = join(context.globalStorageUri.fsPath, "sql-cache");
  // The window's bytes are fetched on the download thread (extension.ts).
  const downloads = services.downloads;
  const cache = new BlobCache({ root, limitBytes: () => config().get<number>("cacheSizeGB", 2) * 1e9, parallelRanges: 4, rangeBytes: 8 * 1024 * 1024, fetcher: downloads });
  const engine = new SqlEngine({ bundleDir: join(context.extensionUri.fsPath, "dist"), root, threads: config().get<number>("threads", 2), memoryLimit: `${config().get<number>("memoryLimitMB", 400)}MB` });
  const service = new QueryService(engine, cache);
  // Answers shown before a restart are not shown again.
  void service.clearAnswers();
  const documents = new QueryDocuments();
  const commands = new QueryCommands(services.tree, services.previews, service, documents, services.drift, services.log);
  return { cacheRoot: root, service, disposables: [documents, { dispose: () => engine.dispose() }, ...registerQueryCommands(commands, cache, () => service.forget())] };
}
