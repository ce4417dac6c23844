// The nodes above a node, as the tree provider remembers them.
import type { ModelDataNode } from "./nodes";
import type { ModelDataTreeProvider } from "./provider";

export type ServiceNode = Extract<ModelDataNode, { kind: "service" }>;

/** The service above a service, model, collection, date, hour or file. */
export function serviceOf(tree: ModelDataTreeProvider, node: ModelDataNode): ServiceNode | undefined {
  let current: ModelDataNode | undefined = node;
  while (current && current.kind !== "service") current = tree.getParent(current);
  return current;
}
