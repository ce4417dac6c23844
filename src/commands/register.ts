import * as vscode from "vscode";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { ModelDataNode } from "../tree/nodes";
import { SETTINGS_SECTION } from "../sources/registry";

export interface CommandServices {
  tree: ModelDataTreeProvider;
  log: vscode.LogOutputChannel;
}

export function registerCommands({ tree, log }: CommandServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("modelData.refresh", (node?: ModelDataNode) => tree.refresh(node)),
    vscode.commands.registerCommand("modelData.useLocalEmulator", () =>
      vscode.workspace.getConfiguration(SETTINGS_SECTION).update("localEmulator.enabled", true, vscode.ConfigurationTarget.Global)),
    vscode.commands.registerCommand("modelData.openSettings", () =>
      vscode.commands.executeCommand("workbench.action.openSettings", `@ext:azureml-model-data.azureml-model-data`)),
    vscode.commands.registerCommand("modelData.showLog", () => log.show()),
  ];
}
