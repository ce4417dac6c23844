// Azure ML data assets, datastores and schedules (monitors) through the typed client's authenticated
// pipeline at an api-version that has monitors (the 2.1.1 client's 2022-10-01 has none).
import type { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { RestError } from "@azure/core-rest-pipeline";
import type { ArmJson, MlAssetsGateway, WorkspaceInfo } from "../core/gateways";
import { armDelete, armGetJson, armPutJson } from "./armRaw";
import { followOperation, pollOperation } from "./lroPoller";
import { parseResourceId } from "../core/resourceId";

export const ASSETS_API_VERSION = "2024-04-01";

export function createMlAssets(endpoint: string, ml: (subscriptionId: string) => AzureMachineLearningWorkspaces): MlAssetsGateway {
  const url = (workspace: WorkspaceInfo, path: string, query = "") => `${endpoint}${workspace.id}/${path}?api-version=${ASSETS_API_VERSION}${query}`;
  const client = (workspace: WorkspaceInfo) => ml(workspace.subscriptionId);
  const all = async (workspace: WorkspaceInfo, path: string, signal?: AbortSignal, query = ""): Promise<ArmJson[]> => {
    const items: ArmJson[] = [];
    let next: string | undefined = url(workspace, path, query);
    while (next) {
      const page: { value?: ArmJson[]; nextLink?: string } = await armGetJson(client(workspace), next, signal);
      items.push(...(page.value ?? []));
      next = page.nextLink;
    }
    return items;
  };
  /** A GET whose 404 means "there is none". */
  const getOrNoneAt = async (typed: AzureMachineLearningWorkspaces, resourceUrl: string, signal?: AbortSignal): Promise<ArmJson | undefined> => {
    try {
      return await armGetJson<ArmJson>(typed, resourceUrl, signal);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  };
  const getOrNone = (workspace: WorkspaceInfo, path: string, signal?: AbortSignal) => getOrNoneAt(client(workspace), url(workspace, path), signal);
  const byId = (id: string) => {
    const parsed = parseResourceId(id);
    if (!parsed) throw new Error(`Not an ARM resource id: ${id}`);
    return { parsed, client: ml(parsed.subscriptionId) };
  };
  return {
    getResource: (id, signal) => getOrNoneAt(byId(id).client, `${endpoint}${id}?api-version=${ASSETS_API_VERSION}`, signal),
    async getDeploymentLogs(deploymentId, tail, signal) {
      const { parsed, client: typed } = byId(deploymentId);
      const [workspace, endpointName, deploymentName] = parsed.segments.map((s) => s.name);
      const logs = await typed.onlineDeployments.getLogs(parsed.resourceGroup, workspace, endpointName, deploymentName, { containerType: "InferenceServer", tail }, { abortSignal: signal });
      return logs.content ?? "";
    },
    async listDataVersions(workspace, name, signal) {
      try {
        // The list's default (ActiveOnly) hides archived versions, whose numbers are still taken.
        return (await all(workspace, `data/${encodeURIComponent(name)}/versions`, signal, "&listViewType=All")).map((v) => String(v.name ?? ""));
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) return [];
        throw error;
      }
    },
    getDataVersion: (workspace, name, version, signal) => getOrNone(workspace, `data/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, signal),
    async putDataVersion(workspace, name, version, body, signal) {
      return (await armPutJson<ArmJson>(client(workspace), url(workspace, `data/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`), body, signal)).body;
    },
    listDatastores: (workspace, signal) => all(workspace, "datastores", signal),
    async putDatastore(workspace, name, body, signal) {
      // As the CLI: an identity-based datastore has no credential the service could validate it with.
      return (await armPutJson<ArmJson>(client(workspace), url(workspace, `datastores/${encodeURIComponent(name)}`, "&skipValidation=true"), body, signal)).body;
    },
    async deleteDatastore(workspace, name, signal) {
      await armDelete(client(workspace), url(workspace, `datastores/${encodeURIComponent(name)}`), signal);
    },
    // The list's default (EnabledOnly) would hide a monitor disabled from the tree.
    listSchedules: (workspace, signal) => all(workspace, "schedules", signal, "&listViewType=All"),
    getSchedule: (workspace, name, signal) => getOrNone(workspace, `schedules/${encodeURIComponent(name)}`, signal),
    async putSchedule(workspace, name, body, options) {
      const scheduleUrl = url(workspace, `schedules/${encodeURIComponent(name)}`);
      const put = await armPutJson<ArmJson>(client(workspace), scheduleUrl, body, options.signal);
      options.onStatus?.(String(put.body?.properties?.provisioningState ?? "Creating"));
      await followOperation(client(workspace), put, scheduleUrl, { signal: options.signal, onStatus: options.onStatus });
      return (await getOrNone(workspace, `schedules/${encodeURIComponent(name)}`, options.signal)) ?? put.body;
    },
    async deleteSchedule(workspace, name, options) {
      const deleted = await armDelete(client(workspace), url(workspace, `schedules/${encodeURIComponent(name)}`), options.signal);
      options.onStatus?.("Deleting");
      await pollOperation(client(workspace), deleted.headers, { signal: options.signal, onStatus: options.onStatus });
    },
  };
}
