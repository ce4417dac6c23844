// Finds service nodes for commands run without a node: by ARM id, or by asking.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";

type ServiceNode = Extract<ModelDataNode, { kind: "service" }>;

/** Every service in the tree; `reachingArm`: only under sources that can change collection (they reach ARM). */
export async function serviceNodes(tree: ModelDataTreeProvider, reachingArm: boolean): Promise<ServiceNode[]> {
  const sources = (await tree.getChildren()).filter((n) => n.kind === "source" && (!reachingArm || n.source.kind !== "attached"));
  const workspaces = (await Promise.all(sources.map((s) => tree.getChildren(s)))).flat().filter((n) => n.kind === "workspace" && (!reachingArm || n.scope.arm));
  const services = (await Promise.all(workspaces.map((w) => tree.getChildren(w)))).flat();
  return services.filter((n): n is ServiceNode => n.kind === "service");
}

const allServices = (tree: ModelDataTreeProvider) => serviceNodes(tree, true);

/** An online deployment's ARM id, or a legacy service as `<workspace ARM id>/services/<name>`. */
export function serviceArmId(node: ServiceNode): string | undefined {
  return node.service.layout === "current" ? node.service.deployment?.id : `${node.scope.info.id}/services/${node.service.name}`;
}

export async function findServiceNode(tree: ModelDataTreeProvider, armId: string): Promise<ServiceNode | undefined> {
  const wanted = armId.toLowerCase();
  return (await allServices(tree)).find((n) => serviceArmId(n)?.toLowerCase() === wanted);
}

export async function pickServiceNode(tree: ModelDataTreeProvider, enable: boolean): Promise<ServiceNode | undefined> {
  // Only services the command can change: Enable offers those not collecting, Disable those that are.
  const wanted = enable ? "collection-off" : "collection-on";
  const candidates = (await allServices(tree)).filter((n) => (n.service.layout === "current" ? n.service.deployment : n.service.service)
    && String(tree.getTreeItem(n).contextValue ?? "").split(";").includes(wanted));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`No deployed service ${enable ? "with data collection off" : "collecting data"} was found. Sign in to Azure (or use the local emulator), or check the Azure ML Data view.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((node) => ({
    label: serviceLabel(node.service), description: node.scope.info.name, detail: String(tree.getTreeItem(node).description ?? ""), node,
  })), { title: `${enable ? "Enable" : "Disable"} data collection on…`, matchOnDescription: true });
  return picked?.node;
}
