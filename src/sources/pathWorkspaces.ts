// Workspaces read from blob paths alone (attached storage, or the emulator without ARM): the legacy
// container names sub/rg/ws in its paths; a datastore container holding modelDataCollector/ is one workspace.
import type { BlobGateway, ListOptions } from "../core/gateways";
import { CURRENT_ROOT, LEGACY_CONTAINER, lastSegment } from "../core/blobLayout";
import type { WorkspaceScope } from "../tree/nodes";

const DATASTORE_CONTAINER_PREFIX = "azureml-blobstore-";

/** `containers`: the one container a container SAS grants, or undefined to discover them. */
export async function workspacesFromPaths(blobs: BlobGateway, containers: string[] | undefined, signal: AbortSignal): Promise<WorkspaceScope[]> {
  const options: ListOptions = { pageSize: 5000, signal };
  const names = containers ?? (await blobs.listContainers(undefined, signal)).filter((c) => c === LEGACY_CONTAINER || c.startsWith(DATASTORE_CONTAINER_PREFIX));
  const legacy = names.includes(LEGACY_CONTAINER) ? await legacyWorkspaces(blobs, options) : [];
  const current = await Promise.all(names.filter((c) => c !== LEGACY_CONTAINER).map(async (container): Promise<WorkspaceScope | undefined> => {
    const probe = await blobs.listByHierarchy(container, `${CURRENT_ROOT}/`, { ...options, pageSize: 1 });
    if (probe.prefixes.length === 0 && probe.blobs.length === 0) return undefined;
    return { info: { id: `container:${container}`, name: container, subscriptionId: "", resourceGroup: "", location: "" }, current: { blobs, container } };
  }));
  return [...legacy, ...current.filter((w): w is WorkspaceScope => w !== undefined)];
}

async function legacyWorkspaces(blobs: BlobGateway, options: ListOptions): Promise<WorkspaceScope[]> {
  const subscriptions = await blobs.listByHierarchy(LEGACY_CONTAINER, "", options);
  const groups = (await Promise.all(subscriptions.prefixes.map((p) => blobs.listByHierarchy(LEGACY_CONTAINER, p, options)))).flatMap((l) => l.prefixes);
  const workspaces = (await Promise.all(groups.map((p) => blobs.listByHierarchy(LEGACY_CONTAINER, p, options)))).flatMap((l) => l.prefixes);
  return workspaces.map((prefix): WorkspaceScope => {
    const [subscriptionId, resourceGroup, name] = prefix.split("/");
    return {
      info: { id: `modeldata:${prefix}`, name, subscriptionId, resourceGroup, location: "" },
      legacy: { blobs, container: LEGACY_CONTAINER, prefix },
    };
  }).sort((a, b) => lastSegment(a.info.name).localeCompare(lastSegment(b.info.name)));
}
