// Azure Resource Manager through the real SDK clients; the endpoint and credential are injected so the
// same code runs against management.azure.com and the local ARM server.
import type { TokenCredential } from "@azure/core-auth";
import { AzureMachineLearningWorkspaces, type AzureBlobDatastore, type Workspace } from "@azure/arm-machinelearning";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { ArmGateway, DatastoreInfo, DeploymentInfo, SubscriptionInfo, WorkspaceInfo } from "../core/gateways";
import { parseResourceId } from "../core/resourceId";

export function createArmGateway(endpoint: string, credential: TokenCredential): ArmGateway {
  const credentialScopes = [`${new URL(endpoint).origin}/.default`];
  const clients = new Map<string, AzureMachineLearningWorkspaces>();
  const ml = (subscriptionId: string) => {
    let client = clients.get(subscriptionId);
    if (!client) clients.set(subscriptionId, (client = new AzureMachineLearningWorkspaces(credential, subscriptionId, { endpoint, credentialScopes })));
    return client;
  };

  return {
    async listSubscriptions(abortSignal) {
      const client = new SubscriptionClient(credential, { endpoint, credentialScopes });
      const result: SubscriptionInfo[] = [];
      for await (const s of client.subscriptions.list({ abortSignal })) {
        if (s.subscriptionId) result.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId });
      }
      return result;
    },

    async listWorkspaces(subscriptionId, abortSignal) {
      const result: WorkspaceInfo[] = [];
      for await (const w of ml(subscriptionId).workspaces.listBySubscription({ abortSignal })) {
        const info = toWorkspaceInfo(w);
        if (info) result.push(info);
      }
      return result;
    },

    async getDefaultDatastore(workspace, abortSignal) {
      const client = ml(workspace.subscriptionId);
      for await (const d of client.datastores.list(workspace.resourceGroup, workspace.name, { isDefault: true, abortSignal })) {
        if (d.properties.datastoreType === "AzureBlob") return toDatastoreInfo(d.name ?? "workspaceblobstore", d.properties as AzureBlobDatastore);
      }
      return undefined;
    },

    async listDeployments(workspace, abortSignal) {
      const client = ml(workspace.subscriptionId);
      const endpoints: string[] = [];
      for await (const e of client.onlineEndpoints.list(workspace.resourceGroup, workspace.name, { abortSignal })) {
        if (e.name) endpoints.push(e.name);
      }
      const perEndpoint = await Promise.all(endpoints.map(async (endpointName) => {
        const result: DeploymentInfo[] = [];
        for await (const d of client.onlineDeployments.list(workspace.resourceGroup, workspace.name, endpointName, { abortSignal })) {
          if (!d.id || !d.name) continue;
          result.push({ id: d.id, endpointName, deploymentName: d.name, kind: d.properties.endpointComputeType,
            modelId: d.properties.model, provisioningState: d.properties.provisioningState });
        }
        return result;
      }));
      return perEndpoint.flat();
    },
  };
}

function toWorkspaceInfo(w: Workspace): WorkspaceInfo | undefined {
  if (!w.id || !w.name) return undefined;
  const id = parseResourceId(w.id);
  if (!id) return undefined;
  return {
    id: w.id, name: w.name, subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, location: w.location ?? "",
    storageAccountName: w.storageAccount ? parseResourceId(w.storageAccount)?.name : undefined,
    discoveryUrl: w.discoveryUrl,
  };
}

function toDatastoreInfo(name: string, d: AzureBlobDatastore): DatastoreInfo | undefined {
  if (!d.accountName || !d.containerName) return undefined;
  return { name, accountName: d.accountName, containerName: d.containerName, endpointSuffix: d.endpoint ?? "core.windows.net", protocol: d.protocol ?? "https" };
}
