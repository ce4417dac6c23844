// activate(): builds the services and registers the view and commands. Nothing else.
import * as vscode from "vscode";
import { ModelDataTreeProvider } from "./tree/provider";
import { readSources, SETTINGS_SECTION } from "./sources/registry";
import { registerCommands } from "./commands/register";
import type { ModelDataNode } from "./tree/nodes";

export interface ModelDataApi {
  readonly tree: ModelDataTreeProvider;
  readonly treeView: vscode.TreeView<ModelDataNode>;
}

export function activate(context: vscode.ExtensionContext): ModelDataApi {
  const log = vscode.window.createOutputChannel("Azure ML Data", { log: true });
  const config = () => vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const tree = new ModelDataTreeProvider(() => readSources(config()), () => config().get<number>("listing.pageSize", 500), log);
  const treeView = vscode.window.createTreeView("modelData.explorer", { treeDataProvider: tree, showCollapseAll: true });
  const updateContext = () => vscode.commands.executeCommand("setContext", "modelData.hasSources", readSources(config()).length > 0);
  void updateContext().then(() => vscode.commands.executeCommand("setContext", "modelData.ready", true));

  context.subscriptions.push(log, tree, treeView,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) {
        void updateContext();
        tree.refresh();
      }
    }),
    ...registerCommands({ tree, log }),
  );
  return { tree, treeView };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
