import * as vscode from "vscode";
import type { ModelDataApi } from "../../src/extension";
import type { ModelDataNode } from "../../src/tree/nodes";

export const EXTENSION_ID = "azureml-model-data.azureml-model-data";

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
