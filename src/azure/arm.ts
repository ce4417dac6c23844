// Azure Resource Manager through the real SDK clients; the endpoint and credential are injected so the
// same code runs against management.azure.com and the local ARM server.
import type { TokenCredential } from "@azure/core-auth";
import { AzureMachineLearningWorkspaces, type AzureBlobDatastore, type Workspace } from "@azure/arm-machinelearning";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { ArmGateway, DatastoreInfo, DeploymentInfo, SubscriptionInfo, WorkspaceInfo } from "../core/gateways";
import { parseResourceId } from "../core/resourceId";
import { collectedKinds, collectionStateOf, type DataCollectorShape } from "../core/collectionState";
import { armGetJson, armPostJson, armPutJson } from "./armRaw";
import { followOperation } from "./lroPoller";
import { listLegacyServices, setLegacyServiceCollection } from "./modelManagement";
import { createMlAssets } from "./mlAssets";

/** 2.1.1 speaks 2022-10-01, which has no dataCollector; deployments are read at this version instead. */
export const DATA_COLLECTOR_API_VERSION = "2024-04-01";
const STORAGE_API_VERSION = "2023-05-01";

interface RawDeployment {
  id?: string;
  name?: string;
  properties?: { endpointComputeType?: string; model?: string; provisioningState?: string; dataCollector?: DataCollectorShape | null };
}

export function createArmGateway(endpoint: string, credential: TokenCredential, credentialScopes: string[]): ArmGateway {
  const clients = new Map<string, AzureMachineLearningWorkspaces>();
  const ml = (subscriptionId: string) => {
    let client = clients.get(subscriptionId);
    if (!client) clients.set(subscriptionId, (client = new AzureMachineLearningWorkspaces(credential, subscriptionId, { endpoint, credentialScopes })));
    return client;
  };

  return {
    ml: createMlAssets(endpoint, ml),

    async listSubscriptions(abortSignal) {
      const client = new SubscriptionClient(credential, { endpoint, credentialScopes });
      const result: SubscriptionInfo[] = [];
      for await (const s of client.subscriptions.list({ abortSignal })) {
        if (s.subscriptionId) result.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId, tenantId: s.tenantId });
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
        const path = `${workspace.id}/onlineEndpoints/${encodeURIComponent(endpointName)}/deployments`;
        const result: DeploymentInfo[] = [];
        let next: string | undefined = `${endpoint}${path}?api-version=${DATA_COLLECTOR_API_VERSION}`;
        while (next) {
          const page: { value?: RawDeployment[]; nextLink?: string } = await armGetJson(client, next, abortSignal);
          for (const d of page.value ?? []) {
            if (!d.id || !d.name) continue;
            const p = d.properties ?? {};
            result.push({ id: d.id, endpointName, deploymentName: d.name, kind: p.endpointComputeType ?? "Managed", modelId: p.model,
              provisioningState: p.provisioningState, collectionState: collectionStateOf(p.provisioningState, p.dataCollector, true), collecting: collectedKinds(p.dataCollector),
              dataIds: dataIdsOf(p.dataCollector) });
          }
          next = page.nextLink;
        }
        return result;
      }));
      return perEndpoint.flat();
    },

    async getDeploymentJson(deploymentId, abortSignal) {
      const client = ml(subscriptionOf(deploymentId));
      return armGetJson<Record<string, unknown>>(client, `${endpoint}${deploymentId}?api-version=${DATA_COLLECTOR_API_VERSION}`, abortSignal);
    },

    async putDeploymentJson(deploymentId, body, options) {
      const client = ml(subscriptionOf(deploymentId));
      const url = `${endpoint}${deploymentId}?api-version=${DATA_COLLECTOR_API_VERSION}`;
      const put = await armPutJson<RawDeployment>(client, url, body, options.signal);
      options.onStatus?.("Updating");
      await followOperation(client, put, url, { signal: options.signal, onStatus: options.onStatus });
    },

    listLegacyServices: (workspace, abortSignal) => listLegacyServices(ml(workspace.subscriptionId), workspace, abortSignal),

    setLegacyServiceCollection: (workspace, name, enable, options) => setLegacyServiceCollection(ml(workspace.subscriptionId), workspace, name, enable, options),

    async getStorageAccountKey(storageAccountId, abortSignal) {
      const id = parseResourceId(storageAccountId);
      if (!id) throw new Error(`Not a storage account id: ${storageAccountId}`);
      const result: { keys?: Array<{ value?: string }> } = await armPostJson(ml(id.subscriptionId),
        `${endpoint}${storageAccountId}/listKeys?api-version=${STORAGE_API_VERSION}`, abortSignal);
      const key = result.keys?.find((k) => k.value)?.value;
      if (!key) throw new Error("The storage account returned no keys.");
      return key;
    },
  };
}

/** Each collection's `dataId` (the data asset the collector writes to), where the deployment sets one. */
function dataIdsOf(dataCollector: DataCollectorShape | null | undefined): Record<string, string> | undefined {
  const entries = Object.entries(dataCollector?.collections ?? {}).flatMap(([name, c]) => (c?.dataId ? [[name, c.dataId] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function subscriptionOf(resourceId: string): string {
  const id = parseResourceId(resourceId);
  if (!id) throw new Error(`Not an ARM resource id: ${resourceId}`);
  return id.subscriptionId;
}

function toWorkspaceInfo(w: Workspace): WorkspaceInfo | undefined {
  if (!w.id || !w.name) return undefined;
  const id = parseResourceId(w.id);
  if (!id) return undefined;
  return {
    id: w.id, name: w.name, subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, location: w.location ?? "",
    storageAccountName: w.storageAccount ? parseResourceId(w.storageAccount)?.name : undefined,
    storageAccountId: w.storageAccount,
    discoveryUrl: w.discoveryUrl,
    tenantId: w.identity?.tenantId,
  };
}

function toDatastoreInfo(name: string, d: AzureBlobDatastore): DatastoreInfo | undefined {
  if (!d.accountName || !d.containerName) return undefined;
  return { name, accountName: d.accountName, containerName: d.containerName, endpointSuffix: d.endpoint ?? "core.windows.net", protocol: d.protocol ?? "https" };
}
