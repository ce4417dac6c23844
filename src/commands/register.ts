// Registers every command. Each accepts its inputs as arguments so tests, keybindings and other extensions
// can run it without prompts, and prompts only for what is missing.
import * as vscode from "vscode";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { ModelDataNode } from "../tree/nodes";
import { SETTINGS_SECTION, type SourceRegistry } from "../sources/registry";
import type { AttachedStorageStore } from "../sources/attachedStore";
import { attachStorage, detachStorage, openInStudio, reenterStorageSecret, signIn, useAccountKey } from "./sources";
import { copyPandasCode, copyPath, copyUrl } from "./copy";
import { download } from "./download";
import { toggleCollection, toggleOptions } from "./collection";
import { preview, type PreviewOptions } from "./preview";
import type { PreviewManager } from "../preview/manager";
import type { DriftManager } from "../drift/manager";
import { compare, compareSelectedDates, type CompareArgs } from "./compare";
import { openInNotebook, type NotebookArgs } from "./notebook";
import { buildTrainingSet, type TrainingSetArgs } from "./trainingSet";
import { registerDataAsset, type RegisterArgs } from "./dataAsset";
import { createMonitor, deleteMonitor, openMonitorInStudio, setMonitorEnabled, type MonitorArgs } from "./monitor";
import type { EngineThreads } from "../engine/threads";
import { registerRequestPreviews } from "./requestPreview";
import { insertCollector } from "../snippets/insertCollector";
import { checkCommandOptions, type CollectionChecks } from "./checkCollection";
import { insertCollectorForService } from "./collectorForService";
import type { CollectorOptions } from "../snippets/collectorPlan";
import type { QueryService } from "../sql/queryService";

export interface CommandServices {
  tree: ModelDataTreeProvider;
  log: vscode.LogOutputChannel;
  registry: SourceRegistry;
  attached: AttachedStorageStore;
  state: vscode.Memento;
  previews: PreviewManager;
  drift: DriftManager;
  threads: EngineThreads;
  checks: CollectionChecks;
  /** SQL over collected data (Build Training Set joins with it where DuckDB is here). */
  queries?: QueryService;
}

const DOCS: Record<string, string> = {
  enable: "https://learn.microsoft.com/azure/machine-learning/how-to-collect-production-data",
  legacy: "https://learn.microsoft.com/azure/machine-learning/v1/how-to-enable-data-collection",
};

/** Menus pass (node, selectedNodes[]); only a plain options object counts as options. */
function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A tree node (it has a kind and an id); anything else is dropped. */
function isNode(value: unknown): ModelDataNode | undefined {
  return typeof value === "object" && value !== null && "kind" in value && "id" in value ? (value as ModelDataNode) : undefined;
}

/** A tree node (it has a kind and an id) or an id string; anything else a menu passed is dropped. */
function isNodeOrText<T extends ModelDataNode | string>(value: T | undefined): T | undefined {
  if (typeof value === "string") return value;
  return typeof value === "object" && value !== null && "kind" in value && "id" in value ? value : undefined;
}

function isOptions(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function registerCommands({ tree, log, registry, attached, state, previews, drift, threads, checks, queries }: CommandServices): vscode.Disposable[] {
  const command = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    registerRequestPreviews(),
    command("modelData.refresh", (node?: ModelDataNode) => tree.refresh(node)),
    command("modelData.loadMore", (node: ModelDataNode) => tree.loadMore(node)),
    command("modelData.signIn", async () => {
      if (await signIn(registry)) tree.refresh();
    }),
    // Menus pass what they pass (a view title button, a node, nothing): each command keeps only arguments of the
    // types it takes and asks for the rest.
    command("modelData.attachStorage", async (connection?: unknown, label?: unknown) => {
      const record = await attachStorage(attached, text(connection), text(label));
      return record && { id: record.id, label: record.label, kind: record.kind };
    }),
    command("modelData.reenterStorageSecret", (id?: unknown, connection?: unknown) => reenterStorageSecret(attached, typeof id === "string" ? id : undefined, typeof connection === "string" ? connection : undefined)),
    command("modelData.detachStorage", (target?: ModelDataNode | string) => detachStorage(attached, isNodeOrText(target))),
    command("modelData.useAccountKey", async (accountName?: unknown, confirmed?: boolean) => {
      const used = await useAccountKey(state, text(accountName), confirmed === true);
      if (used) tree.refresh();
      return used;
    }),
    command("modelData.enableCollection", (target?: ModelDataNode | string, options?: unknown) => toggleCollection(tree, log, true, isNodeOrText(target), toggleOptions(isOptions(options)))),
    command("modelData.disableCollection", (target?: ModelDataNode | string, options?: unknown) => toggleCollection(tree, log, false, isNodeOrText(target), toggleOptions(isOptions(options)))),
    command("modelData.useLocalEmulator", () =>
      vscode.workspace.getConfiguration(SETTINGS_SECTION).update("localEmulator.enabled", true, vscode.ConfigurationTarget.Global)),
    command("modelData.preview", (node?: ModelDataNode, options?: PreviewOptions) => preview(tree, previews, node, isOptions(options) as PreviewOptions | undefined)),
    command("modelData.compare", (node?: ModelDataNode, args?: unknown) => compare(tree, drift, isNode(node), isOptions(args) as CompareArgs | undefined)),
    command("modelData.compareSelectedDates", (node?: ModelDataNode, selected?: unknown) =>
      compareSelectedDates(tree, drift, Array.isArray(selected) ? selected.filter((n): n is ModelDataNode => isNode(n) !== undefined) : [node].filter((n): n is ModelDataNode => isNode(n) !== undefined))),
    command("modelData.openInNotebook", (node?: ModelDataNode, range?: unknown) => openInNotebook(tree, isNode(node), isOptions(range) as NotebookArgs | undefined)),
    command("modelData.buildTrainingSet", (node?: ModelDataNode, args?: unknown) => buildTrainingSet(tree, threads, isNode(node), isOptions(args) as TrainingSetArgs | undefined, queries)),
    command("modelData.registerDataAsset", (node?: ModelDataNode, args?: unknown) => registerDataAsset(tree, isNode(node), isOptions(args) as RegisterArgs | undefined)),
    command("modelData.createMonitor", (node?: ModelDataNode, args?: unknown) => createMonitor(tree, isNode(node), isOptions(args) as MonitorArgs | undefined)),
    command("modelData.enableMonitor", (node?: ModelDataNode, options?: unknown) => setMonitorEnabled(tree, isNode(node), true, isOptions(options)?.show !== false)),
    command("modelData.disableMonitor", (node?: ModelDataNode, options?: unknown) => setMonitorEnabled(tree, isNode(node), false, isOptions(options)?.show !== false)),
    command("modelData.deleteMonitor", (node?: ModelDataNode, options?: unknown) => deleteMonitor(tree, isNode(node), isOptions(options) as { confirm?: boolean; show?: boolean } | undefined)),
    command("modelData.openMonitorInStudio", (node?: ModelDataNode) => openMonitorInStudio(isNode(node))),
    command("modelData.insertCollector", (uri?: vscode.Uri, options?: Partial<CollectorOptions>) =>
      insertCollector(uri instanceof vscode.Uri ? uri : undefined, isOptions(options) as Partial<CollectorOptions> | undefined)),
    command("modelData.insertCollectorForService", (node?: ModelDataNode, uri?: vscode.Uri) => insertCollectorForService(tree, node, uri instanceof vscode.Uri ? uri : undefined)),
    command("modelData.copyPath", (node: ModelDataNode) => copyPath(node)),
    command("modelData.copyUrl", (node: ModelDataNode) => copyUrl(node)),
    command("modelData.copyPandasCode", (node: ModelDataNode, range?: unknown) => copyPandasCode(node, tree, isOptions(range) as PreviewOptions | undefined)),
    command("modelData.download", (node: ModelDataNode, folder?: vscode.Uri | string) => download(node, folder, log)),
    command("modelData.openInStudio", (node: ModelDataNode) => openInStudio(node)),
    command("modelData.openDocs", (topic?: unknown) => vscode.env.openExternal(vscode.Uri.parse(DOCS[text(topic) ?? "enable"] ?? DOCS.enable))),
    command("modelData.openSettings", () => vscode.commands.executeCommand("workbench.action.openSettings", "@ext:azureml-model-data.azureml-model-data")),
    command("modelData.showLog", () => log.show()),
    command("modelData.checkCollection", (target?: ModelDataNode | string, options?: unknown) => checks.run(isNodeOrText(target), checkCommandOptions(isOptions(options)))),
  ];
}
