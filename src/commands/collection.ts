// Enable / disable data collection on a service: current online deployments through ARM (GET, then PUT
// of the whole deployment at an api-version with dataCollector), legacy AKS web services through the v1
// model-management API. Asks first, shows progress, and refreshes the tree from the service afterwards.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { collectionPurpose, describeChanges, operationWords, enableCandidates, planCollectionToggle, rememberedCollections, type CollectionChange } from "../core/collectionToggle";
import { describeToggleError } from "../core/toggleErrors";
import { findServiceNode, pickServiceNode } from "./findService";
import { collectedKinds, collectionStateOf, type DataCollectorShape } from "../core/collectionState";

export interface ToggleOptions {
  /** false: no questions (the remembered or suggested collections are enabled). */
  confirm?: boolean;
  /** Enable exactly these collections (online deployments). */
  collections?: string[];
}

/** The options a caller passed, keeping only well-formed ones (menus pass nodes and arrays here). */
export function toggleOptions(value: Record<string, unknown> | undefined): ToggleOptions | undefined {
  if (!value) return undefined;
  const collections = Array.isArray(value.collections) && value.collections.every((c) => typeof c === "string") ? value.collections as string[] : undefined;
  return { confirm: typeof value.confirm === "boolean" ? value.confirm : undefined, collections };
}

export interface ToggleResult {
  ok: boolean;
  changed: boolean;
  message: string;
}

export async function toggleCollection(tree: ModelDataTreeProvider, log: vscode.LogOutputChannel, enable: boolean,
  target?: ModelDataNode | string, options?: ToggleOptions): Promise<ToggleResult | undefined> {
  const node = typeof target === "string" ? await findServiceNode(tree, target) : target?.kind === "service" ? target : await pickServiceNode(tree, enable);
  if (!node) {
    if (typeof target === "string") void vscode.window.showErrorMessage(`No deployed service with id ${target} is in the Azure ML Data view.`);
    return undefined;
  }
  const arm = node.scope.arm;
  const label = serviceLabel(node.service);
  const verb = enable ? "Enable" : "Disable";
  if (!arm) {
    return fail(`${label} was found through storage only; changing collection needs its workspace through Azure (sign in, or the local emulator's ARM endpoint).`);
  }
  try {
    let changes: CollectionChange[];
    let note = "";
    let apply: (onStatus: (s: string) => void) => Promise<void>;
    if (node.service.layout === "current") {
      const deploymentId = node.service.deployment?.id;
      if (!deploymentId) return fail(`${label} is no longer deployed; there is nothing to change. Its data stays browsable.`);
      const deployment = await arm.getDeploymentJson(deploymentId);
      let toEnable = options?.collections;
      const remembered = rememberedCollections(deployment);
      if (enable && !toEnable && !remembered) {
        toEnable = options?.confirm === false ? undefined : await pickCollections(deployment, label);
        if (options?.confirm !== false && !toEnable) return { ok: false, changed: false, message: "Cancelled." };
      }
      const plan = planCollectionToggle(deployment, enable, toEnable);
      changes = plan.changes;
      if (enable && !toEnable && remembered) note = "Restores the collections that were on before data collection was disabled.";
      if (!enable) note = "The collections that are on now are remembered on the deployment (a tag), so Enable restores exactly them.";
      const after = (plan.body.properties as { dataCollector?: DataCollectorShape | null } | undefined)?.dataCollector;
      apply = async (onStatus) => {
        await arm.putDeploymentJson(deploymentId, plan.body, { onStatus });
        // The node says the new state with the message, not a listing later.
        const deployment = node.service.layout === "current" ? node.service.deployment : undefined;
        if (node.service.layout === "current" && deployment) {
          node.service = { ...node.service, deployment: { ...deployment, provisioningState: "Succeeded", collectionState: collectionStateOf("Succeeded", after, true), collecting: collectedKinds(after) } };
        }
      };
    } else {
      const current = node.service.service?.storageEnabled;
      changes = current === enable ? [] : [{ collection: "data collection", from: current === undefined ? "unknown" : current ? "Enabled" : "Disabled", to: enable ? "Enabled" : "Disabled" }];
      const name = node.service.name;
      apply = async (onStatus) => {
        await arm.setLegacyServiceCollection(node.scope.info, name, enable, { onStatus });
        if (node.service.layout === "legacy" && node.service.service) node.service = { ...node.service, service: { ...node.service.service, storageEnabled: enable } };
      };
    }
    if (changes.length === 0) {
      const message = `Data collection on ${label} is already ${enable ? "on" : "off"}.`;
      void vscode.window.showInformationMessage(message);
      return { ok: true, changed: false, message };
    }
    if (options?.confirm !== false) {
      const answer = await vscode.window.showWarningMessage(`${verb} data collection on ${label}?`, {
        modal: true,
        detail: [`The ${node.service.layout === "current" ? "deployment" : "web service"} will be updated and may restart. Nothing else about it changes.`, note, describeChanges(changes)].filter(Boolean).join("\n\n"),
      }, verb);
      if (answer !== verb) return { ok: false, changed: false, message: "Cancelled." };
    }
    // The tree shows "updating…" on the service while the operation runs.
    tree.markUpdating(node, true);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${verb === "Enable" ? "Enabling" : "Disabling"} data collection on ${label}` },
        (progress) => apply((status) => progress.report({ message: operationWords(status) })));
    } finally {
      tree.markUpdating(node, false);
    }
    const message = `Data collection on ${label} is now ${enable ? "on" : "off"}.`;
    log.info(message);
    void vscode.window.showInformationMessage(message);
    return { ok: true, changed: true, message };
  } catch (error) {
    const message = describeToggleError(error, label);
    log.error(`${verb} collection on ${label} failed: ${(error as Error)?.message ?? String(error)}`);
    return fail(message);
  } finally {
    // Show the true state from the service, whatever happened.
    tree.refresh(tree.getParent(node) ?? node);
  }
}

/** Nothing remembered from a Disable: ask which collections to turn on, saying what each needs. */
async function pickCollections(deployment: Record<string, unknown>, label: string): Promise<string[] | undefined> {
  const items = enableCandidates(deployment).map((c) => ({
    label: c.name, picked: c.suggested, name: c.name,
    description: c.configured ? "configured" : "new",
    detail: collectionPurpose(c.name),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Enable which collections on ${label}?`, canPickMany: true,
    placeHolder: "Pick the collections to turn on",
  });
  return picked && picked.length > 0 ? picked.map((p) => p.name) : undefined;
}

function fail(message: string): ToggleResult {
  void vscode.window.showErrorMessage(message);
  return { ok: false, changed: false, message };
}
