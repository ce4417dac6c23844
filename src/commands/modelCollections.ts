// Which model version's collections an action reads. A node under a model (a model, a collection, a date,
// an hour, a file) reads that model's; a service reads its live model: the newest version of the model it
// serves (the tree lists versions newest first), so a service that moved from model 3 to 4 is judged on 4.
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";

export type ModelNode = Extract<ModelDataNode, { kind: "model" }>;
export type IdentifierNode = Extract<ModelDataNode, { kind: "identifier" }>;

/** The model node above (or at) a node, when it sits under one. */
export function modelAbove(tree: ModelDataTreeProvider, node: ModelDataNode): ModelNode | undefined {
  for (let n: ModelDataNode | undefined = node; n; n = tree.getParent(n)) {
    if (n.kind === "model") return n;
    if (n.kind === "service") return undefined;
  }
  return undefined;
}

/**
 * A service's models that are live: the newest version of each model name it has data for (usually one).
 * `pick` chooses when a service serves several models; without it the first (by name) is taken.
 */
export async function liveModel(tree: ModelDataTreeProvider, service: ModelDataNode, pick?: (models: ModelNode[]) => Promise<ModelNode | undefined>): Promise<ModelNode | undefined> {
  const models = (await tree.getChildren(service)).filter((n): n is ModelNode => n.kind === "model");
  const newestByName = new Map<string, ModelNode>();
  for (const model of models) {
    const name = model.label.split(":")[0];
    if (!newestByName.has(name)) newestByName.set(name, model);
  }
  const live = [...newestByName.values()];
  return live.length > 1 && pick ? pick(live) : live[0];
}

/** The model a node's action reads: its own, or its service's live one. */
export async function modelFor(tree: ModelDataTreeProvider, node: ModelDataNode, pick?: (models: ModelNode[]) => Promise<ModelNode | undefined>): Promise<ModelNode | undefined> {
  if (node.kind === "service") return liveModel(tree, node, pick);
  return modelAbove(tree, node);
}

/** A model's collections (inputs, predictions, model_inputs, …) as the tree lists them. */
export async function identifiersOf(tree: ModelDataTreeProvider, model: ModelNode): Promise<IdentifierNode[]> {
  return (await tree.getChildren(model)).filter((n): n is IdentifierNode => n.kind === "identifier");
}
