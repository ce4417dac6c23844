// Workspaces from ARM (Azure account and local emulator): subscriptions → workspaces → where their
// collected data lives (the workspace storage account's modeldata container, the default datastore).
import type { ArmGateway, BlobGateway, WorkspaceInfo } from "../core/gateways";
import { LEGACY_CONTAINER, legacyWorkspacePrefix } from "../core/blobLayout";
import { matchesFilter } from "../core/filters";
import type { WorkspaceScope } from "../tree/nodes";

export interface ArmWorkspaceDeps {
  arm: ArmGateway;
  /** The data-plane gateway for a storage account (token, key or emulator). */
  blobsFor(accountName: string, workspace: WorkspaceInfo): BlobGateway;
  subscriptionFilter: readonly string[];
  workspaceFilter: readonly string[];
}

export async function workspacesFromArm(deps: ArmWorkspaceDeps, signal: AbortSignal): Promise<WorkspaceScope[]> {
  const subscriptions = (await deps.arm.listSubscriptions(signal)).filter((s) => matchesFilter(deps.subscriptionFilter, s.subscriptionId, s.displayName));
  const perSubscription = await Promise.all(subscriptions.map(async (s) => {
    const workspaces = await deps.arm.listWorkspaces(s.subscriptionId, signal);
    return workspaces.map((w) => ({ ...w, tenantId: w.tenantId ?? s.tenantId }));
  }));
  const workspaces = perSubscription.flat().filter((w) => matchesFilter(deps.workspaceFilter, w.name, w.id));
  return Promise.all(workspaces.sort((a, b) => a.name.localeCompare(b.name)).map(async (info): Promise<WorkspaceScope> => {
    const datastore = await deps.arm.getDefaultDatastore(info, signal).catch(() => undefined);
    const legacyAccount = info.storageAccountName;
    return {
      info,
      legacy: legacyAccount ? { blobs: deps.blobsFor(legacyAccount, info), container: LEGACY_CONTAINER, prefix: legacyWorkspacePrefix(info.subscriptionId, info.resourceGroup, info.name) } : undefined,
      current: datastore ? { blobs: deps.blobsFor(datastore.accountName, info), container: datastore.containerName, datastore: datastore.name } : undefined,
      deployments: () => deps.arm.listDeployments(info, signal),
      legacyServices: () => deps.arm.listLegacyServices(info, signal),
      arm: deps.arm,
    };
  }));
}
