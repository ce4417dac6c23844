// The v1 model-management API for legacy AKS web services, on the workspace region's host (named by the
// workspace's discoveryUrl document), reached through the ML client's authenticated pipeline.
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { ServiceClient } from "@azure/core-client";
import type { LegacyServiceInfo, WorkspaceInfo } from "../core/gateways";
import { legacyCollectionPatch } from "../core/collectionToggle";
import { armGetJson } from "./armRaw";
import { isNetworkError } from "./lroPoller";

export class LegacyApiGoneError extends Error {
  readonly code = "LegacyApiGone";
}

async function serviceHost(client: ServiceClient, workspace: WorkspaceInfo, signal?: AbortSignal): Promise<string> {
  if (workspace.discoveryUrl) {
    const doc = await armGetJson<{ modelmanagement?: string; api?: string }>(client, workspace.discoveryUrl, signal).catch(() => undefined);
    const host = doc?.modelmanagement ?? doc?.api;
    if (host) return host.replace(/\/+$/, "");
  }
  return `https://${workspace.location}.api.azureml.ms`;
}

function workspacePath(workspace: WorkspaceInfo): string {
  return `/modelmanagement/v1.0/subscriptions/${workspace.subscriptionId}/resourceGroups/${workspace.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspace.name}`;
}

export async function listLegacyServices(client: ServiceClient, workspace: WorkspaceInfo, signal?: AbortSignal): Promise<LegacyServiceInfo[]> {
  const base = `${await serviceHost(client, workspace, signal)}${workspacePath(workspace)}`;
  const result: LegacyServiceInfo[] = [];
  let next: string | undefined = `${base}/services`;
  while (next) {
    const page: { value?: Array<{ name?: string; computeType?: string; dataCollection?: { storageEnabled?: boolean } }>; nextLink?: string } =
      await armGetJson<{ value?: never[]; nextLink?: string }>(client, next, signal).catch((error: unknown) => {
        if ((error as { statusCode?: number }).statusCode === 404 || (error as { statusCode?: number }).statusCode === 410) {
          throw new LegacyApiGoneError("The v1 model-management API no longer answers for this workspace (SDK v1 support ended 2026-06-30). Its collected data stays browsable.");
        }
        throw error;
      });
    for (const s of page.value ?? []) {
      if (s.name) result.push({ name: s.name, computeType: s.computeType ?? "AKS", storageEnabled: s.dataCollection?.storageEnabled === true });
    }
    next = page.nextLink;
  }
  return result;
}

export async function setLegacyServiceCollection(client: ServiceClient, workspace: WorkspaceInfo, name: string, enable: boolean,
  options: { signal?: AbortSignal; onStatus?: (status: string) => void; pollDelayMs?: number } = {}): Promise<void> {
  const base = `${await serviceHost(client, workspace, options.signal)}${workspacePath(workspace)}`;
  const request = createPipelineRequest({ url: `${base}/services/${encodeURIComponent(name)}`, method: "PATCH", abortSignal: options.signal });
  request.headers.set("content-type", "application/json");
  request.body = JSON.stringify(legacyCollectionPatch(enable));
  const response = await client.sendRequest(request);
  const body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  if (response.status === 404 || response.status === 410) {
    throw new LegacyApiGoneError(`The service '${name}' (or the v1 model-management API) is gone; its collected data stays browsable.`);
  }
  if (response.status >= 400) throw new RestError(body?.error?.message ?? body?.message ?? `Update failed with status ${response.status}`, { statusCode: response.status, code: body?.error?.code ?? body?.code });
  const operationUrl = response.headers.get("operation-location") ?? (body?.operationId ? `${base}/operations/${body.operationId}` : undefined);
  if (!operationUrl) return;
  for (let poll = 0; poll < 600; poll++) {
    await new Promise((r) => setTimeout(r, options.pollDelayMs ?? 1000));
    let status;
    try {
      status = await armGetJson<{ state?: string; error?: { code?: string; message?: string } }>(client, operationUrl, options.signal);
    } catch (error) {
      if (isNetworkError(error)) continue;
      throw error;
    }
    options.onStatus?.(status.state ?? "Running");
    if (status.state === "Succeeded") return;
    if (status.state === "Failed" || status.state === "Cancelled") throw new RestError(status.error?.message ?? "The service update failed.", { code: status.error?.code ?? "OperationFailed" });
  }
  throw new Error("The service update did not finish in time.");
}
