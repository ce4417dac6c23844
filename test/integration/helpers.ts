import * as vscode from "vscode";
import type { ModelDataApi } from "../../src/extension";
import type { ModelDataNode } from "../../src/tree/nodes";
import { buildScenario } from "../fixtures/scenario";

export const EXTENSION_ID = "azureml-model-data.azureml-model-data";

/** The scenario the runner seeded into Azurite and the local ARM server. */
export const scenario = buildScenario(JSON.parse(process.env.MODELDATA_TEST_SCENARIO ?? "{}"));
export const blobEndpoint = process.env.MODELDATA_TEST_BLOB_ENDPOINT ?? "";

export async function activeApi(): Promise<ModelDataApi> {
  const extension = vscode.extensions.getExtension<ModelDataApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

export async function children(api: ModelDataApi, node?: ModelDataNode): Promise<ModelDataNode[]> {
  return (await api.tree.getChildren(node)) ?? [];
}

export function labels(api: ModelDataApi, nodes: ModelDataNode[]): string[] {
  return nodes.map((n) => String(api.tree.getTreeItem(n).label));
}

export async function childByLabel(api: ModelDataApi, parent: ModelDataNode | undefined, label: string): Promise<ModelDataNode> {
  const nodes = await children(api, parent);
  const found = nodes.find((n) => api.tree.getTreeItem(n).label === label);
  if (!found) throw new Error(`no child '${label}' under ${parent?.id ?? "root"}; have ${labels(api, nodes).join(", ")}`);
  return found;
}

/** Walks labels from the root, e.g. ["Local emulator", "Churn-Workspace", "churn-aks-v1"]. */
export async function walk(api: ModelDataApi, path: string[]): Promise<ModelDataNode> {
  let node: ModelDataNode | undefined;
  for (const label of path) node = await childByLabel(api, node, label);
  if (!node) throw new Error("empty path");
  return node;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration("modelData").update(key, value, vscode.ConfigurationTarget.Global);
}
