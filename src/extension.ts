// activate(): builds the services and registers the view and commands. Nothing else.
import * as vscode from "vscode";
import { ModelDataTreeProvider } from "./tree/provider";
import { SETTINGS_SECTION, SourceRegistry } from "./sources/registry";
import { AttachedStorageStore } from "./sources/attachedStore";
import { registerCommands } from "./commands/register";
import type { ModelDataNode } from "./tree/nodes";
import { PreviewManager } from "./preview/manager";
import { EngineThreads } from "./engine/threads";
import { DownloadThread } from "./engine/downloadThread";
import { networkTimeoutMs } from "./azureLoader";
import { DriftManager } from "./drift/manager";
import { CollectorCodeLens } from "./snippets/codeLens";
import { CollectorDiagnostics } from "./snippets/collectorDiagnostics";
import { CollectionChecks } from "./commands/checkCollection";
import { trainingSetRuns } from "./commands/trainingSet";
import { registerBlobDocuments } from "./preview/blobDocuments";
import { registerPanelRestore } from "./commands/restorePanels";
import { ExpansionMemory } from "./tree/expansionMemory";
import { queryFeature } from "./sql/queryFeature";
import { queryRuns } from "./commands/query";

export interface ModelDataApi {
  readonly tree: ModelDataTreeProvider;
  readonly treeView: vscode.TreeView<ModelDataNode>;
  readonly previews: PreviewManager;
  readonly drift: DriftManager;
  /** Collection checks: the last check's fixes, as the panel's buttons run them. */
  readonly checks: CollectionChecks;
  /** Training sets being built: how many, and Cancel for all of them. */
  readonly trainingSets: { readonly count: number; cancelAll(): void };
  /** SQL downloads and queries in progress, and where the query cache is. */
  readonly queries: { readonly count: number; cancelAll(): void; readonly cacheRoot: string };
}

/**
 * The download thread's environment: VS Code's proxy setting (http.proxy) as HTTPS_PROXY/HTTP_PROXY, which
 * the storage SDK honours. VS Code's proxy support patches the extension host's own modules, not a thread's.
 */
function threadEnvironment(): NodeJS.ProcessEnv {
  const proxy = vscode.workspace.getConfiguration("http").get<string>("proxy")?.trim();
  if (!proxy || process.env.HTTPS_PROXY || process.env.https_proxy) return process.env;
  return { ...process.env, HTTPS_PROXY: proxy, HTTP_PROXY: proxy };
}

export function activate(context: vscode.ExtensionContext): ModelDataApi {
  const log = vscode.window.createOutputChannel("Azure ML Data", { log: true });
  const attached = new AttachedStorageStore(context.globalState, context.secrets);
  const registry = new SourceRegistry(attached, context.globalState);
  const pageSize = () => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>("listing.pageSize", 500);
  const tree = new ModelDataTreeProvider(() => registry.sources(), pageSize, log);
  const treeView = vscode.window.createTreeView("modelData.explorer", { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  // The bytes of previews, compares, training sets and the query cache are fetched on a thread of their own
  // (dist/downloadWorker.js): gigabytes through the extension host's thread made it collect garbage in
  // pauses that every other extension would feel.
  const downloads = new DownloadThread(vscode.Uri.joinPath(context.extensionUri, "dist", "downloadWorker.js").fsPath, networkTimeoutMs, threadEnvironment);
  // Engine threads for previews and compares (dist/previewWorker.js), one booted ahead.
  const threads = new EngineThreads(vscode.Uri.joinPath(context.extensionUri, "dist", "previewWorker.js").fsPath, downloads);
  const previews = new PreviewManager(context.extensionUri, log, threads);
  const drift = new DriftManager(context.extensionUri, threads, log, context.workspaceState);
  const checks = new CollectionChecks(tree, log, context.extensionUri);
  const queries = queryFeature(context, { tree, previews, drift, log, downloads });

  context.subscriptions.push(log, attached, tree, treeView, previews, drift, threads, downloads,
    attached.onDidChange(() => tree.refresh()),
    // Someone browsing collected data previews it next: boot a preview engine ahead.
    treeView.onDidExpandElement(() => previews.warmUp()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION) || e.affectsConfiguration("microsoft-sovereign-cloud")) tree.refresh();
    }),
    vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === registry.cloud().authProviderId) tree.refresh();
    }),
    vscode.languages.registerCodeLensProvider({ language: "python" }, new CollectorCodeLens()),
    new CollectorDiagnostics(),
    registerBlobDocuments(),
    checks,
    ...registerCommands({ tree, log, registry, attached, state: context.globalState, previews, drift, threads, checks, queries: queries.service }),
    registerPanelRestore(tree, previews, drift, log),
    tree.rememberExpansion(treeView, new ExpansionMemory(context.workspaceState)),
    ...queries.disposables,
  );
  // The welcome buttons show once the view can answer, not while the extension is still activating.
  void vscode.commands.executeCommand("setContext", "modelData.ready", true);
  return { tree, treeView, previews, drift, checks, trainingSets: trainingSetRuns, queries: { get count() { return queryRuns.count; }, cancelAll: () => queryRuns.cancelAll(), cacheRoot: queries.cacheRoot } };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
