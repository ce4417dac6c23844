// A node by its id, found again from the root (after a reload the tree starts empty): at each level the
// child whose id the wanted id starts with is listed, one listing per level.
import type { ModelDataNode } from "./nodes";
import type { ModelDataTreeProvider } from "./provider";

export async function findNode(tree: ModelDataTreeProvider, id: string): Promise<ModelDataNode | undefined> {
  let level = await tree.getChildren();
  for (let depth = 0; depth < 12; depth++) {
    const exact = level.find((n) => n.id === id);
    if (exact) return exact;
    const above = level.find((n) => id.startsWith(`${n.id}/`));
    if (!above) return undefined;
    level = await tree.getChildren(above);
  }
  return undefined;
}
