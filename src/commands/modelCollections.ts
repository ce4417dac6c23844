// Which model version's collections an action reads. A node under a model (a model, a collection, a date,
// an hour, a file) reads that model's; a service reads its live model: the newest version of the model it
// serves (the tree lists versions newest first), so a service that moved from model 3 to 4 is judged on 4.
import { newestModels, type ModelDataNode } from "../tree/nodes";
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
 * A service's live model: the newest version of the model it serves. `pick` chooses when it serves several
 * models (each at its newest version); without it the first listed is taken.
 */
export async function liveModel(tree: ModelDataTreeProvider, service: ModelDataNode, pick?: (models: ModelNode[]) => Promise<ModelNode | undefined>): Promise<ModelNode | undefined> {
  const live = newestModels(await tree.getChildren(service));
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
