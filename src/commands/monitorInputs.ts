// A monitor's inputs as the Azure ML CLI resolves them before sending: each data asset read from the
// workspace (GET), sent as its ARM id with its own dataType; the deployment's collections found through the
// data collector's `dataId` when it names one, else by Azure ML's own naming (`<endpoint>-<deployment>-<collection>`),
// registered over the collected folder when no version exists yet.
import type { MlAssetsGateway, WorkspaceInfo, DeploymentInfo } from "../core/gateways";
import type { MonitorAsset } from "../core/azureml/monitor";
import { CURRENT_ROOT } from "../core/blobLayout";

export type Collection = "model_inputs" | "model_outputs";

export interface CollectionAsset {
  asset: MonitorAsset;
  /** No version exists yet: register this one first (uri_folder over the collection's folder). */
  register?: { name: string; version: string; path: string };
}

const DATA_TYPES = ["uri_file", "uri_folder", "mltable"] as const;

/** `azureml:name:version`, `name:version`, or a data version's ARM id (with or without `azureml:`). */
export function parseAssetRef(ref: string): { name: string; version: string } | undefined {
  const text = ref.trim().replace(/^azureml:/, "");
  const arm = /\/data\/([^/]+)\/versions\/([^/]+)$/i.exec(text);
  if (arm && text.startsWith("/subscriptions/")) return { name: decodeURIComponent(arm[1]), version: decodeURIComponent(arm[2]) };
  const short = /^([^:/]+):([^:/]+)$/.exec(text);
  return short ? { name: short[1], version: short[2] } : undefined;
}

export function dataVersionId(workspace: WorkspaceInfo, name: string, version: string): string {
  return `${workspace.id}/data/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

/** A registered data asset version, read from the workspace; a clear error when it is not there. */
export async function resolveAsset(ml: MlAssetsGateway, workspace: WorkspaceInfo, ref: string, what: string): Promise<MonitorAsset> {
  const parsed = parseAssetRef(ref);
  if (!parsed) throw new Error(`${what} '${ref}' is not a data asset reference: use azureml:<name>:<version>.`);
  const stored = await ml.getDataVersion(workspace, parsed.name, parsed.version);
  if (!stored) throw new Error(`${what} ${parsed.name}:${parsed.version} does not exist in workspace ${workspace.name}. Register it first (Register as Data Asset), or name another version.`);
  const dataType = String(stored.properties?.dataType ?? "");
  const type = DATA_TYPES.find((t) => t === dataType);
  if (!type) throw new Error(`${what} ${parsed.name}:${parsed.version} is of type '${dataType}', which a monitor cannot read (uri_file, uri_folder or mltable).`);
  return { id: stored.id ?? dataVersionId(workspace, parsed.name, parsed.version), type };
}

/** A deployment collection's data asset: the collector's dataId, else the newest version of Azure ML's name, else one to register. */
export async function collectionAsset(ml: MlAssetsGateway, workspace: WorkspaceInfo, deployment: DeploymentInfo, collection: Collection): Promise<CollectionAsset> {
  const dataId = deployment.dataIds?.[collection];
  if (dataId) return { asset: await resolveAsset(ml, workspace, dataId, `The data collector's ${collection} asset`) };
  const name = `${deployment.endpointName}-${deployment.deploymentName}-${collection}`;
  const versions = await ml.listDataVersions(workspace, name);
  const numbered = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const latest = numbered[0] ?? versions[versions.length - 1];
  if (latest) return { asset: await resolveAsset(ml, workspace, `${name}:${latest}`, `The ${collection} asset`) };
  return {
    asset: { id: dataVersionId(workspace, name, "1"), type: "uri_folder" },
    register: { name, version: "1", path: `${CURRENT_ROOT}/${deployment.endpointName}/${deployment.deploymentName}/${collection}/` },
  };
}
