// Children of each node kind. Each expansion costs one listing round trip where the layout allows it;
// dates, hours and files come from the identifier's single flat listing, carried on the nodes.
import { CURRENT_ROOT, lastSegment, pad2 } from "../core/blobLayout";
import { groupByDate } from "../core/dates";
import type { BlobInfo, BlobListing, DeploymentInfo } from "../core/gateways";
import { parseResourceId } from "../core/resourceId";
import type { DataLocation, ModelDataNode, ServiceRef, WorkspaceScope } from "./nodes";
import { serviceLabel } from "./nodes";

export interface ListingContext {
  pageSize: number;
  signal: AbortSignal;
}

export async function childrenOf(node: ModelDataNode, ctx: ListingContext): Promise<ModelDataNode[]> {
  switch (node.kind) {
    case "source":
      return (await node.source.listWorkspaces(ctx.signal)).map((scope) => ({ kind: "workspace", id: `${node.id}/${scope.info.id}`, scope }));
    case "workspace":
      return servicesOf(node.id, node.scope, ctx);
    case "service":
      return modelsOf(node.id, node.service, node.where, ctx);
    case "model":
      return identifiersOf(node, ctx);
    case "identifier":
      return datesOf(node, ctx);
    case "date":
      return node.service.layout === "current" ? hoursOf(node.id, node.group.prefixes, node.blobs, node.where) : filesOf(node.id, node.blobs, node.where);
    case "hour":
      return filesOf(node.id, node.blobs, node.where);
    default:
      return [];
  }
}

async function servicesOf(parentId: string, scope: WorkspaceScope, ctx: ListingContext): Promise<ModelDataNode[]> {
  const [legacy, current, deployments] = await Promise.all([
    scope.legacy ? scope.legacy.blobs.listByHierarchy(scope.legacy.container, scope.legacy.prefix, ctx).then((l) => l.prefixes) : [],
    scope.current ? currentServicePrefixes(scope.current, ctx) : [],
    scope.deployments ? scope.deployments() : undefined,
  ]);
  const nodes: ModelDataNode[] = [];
  if (scope.legacy) {
    const where = { blobs: scope.legacy.blobs, container: scope.legacy.container };
    for (const prefix of legacy) {
      const service: ServiceRef = { layout: "legacy", name: lastSegment(prefix), prefix };
      nodes.push({ kind: "service", id: `${parentId}/legacy/${service.name}`, scope, service, where });
    }
  }
  if (scope.current) {
    const where = { blobs: scope.current.blobs, container: scope.current.container };
    const byKey = new Map<string, DeploymentInfo>((deployments ?? []).map((d) => [`${d.endpointName}/${d.deploymentName}`.toLowerCase(), d]));
    const seen = new Set<string>();
    for (const prefix of current) {
      const [, endpointName, deploymentName] = prefix.split("/");
      const key = `${endpointName}/${deploymentName}`.toLowerCase();
      seen.add(key);
      const service: ServiceRef = { layout: "current", endpointName, deploymentName, prefix, deployment: byKey.get(key) };
      nodes.push({ kind: "service", id: `${parentId}/current/${key}`, scope, service, where });
    }
    for (const [key, deployment] of byKey) {
      if (seen.has(key)) continue;
      const service: ServiceRef = { layout: "current", endpointName: deployment.endpointName, deploymentName: deployment.deploymentName,
        prefix: `${CURRENT_ROOT}/${deployment.endpointName}/${deployment.deploymentName}/`, deployment };
      nodes.push({ kind: "service", id: `${parentId}/current/${key}`, scope, service, where });
    }
  }
  return nodes.sort((a, b) => (a.kind === "service" && b.kind === "service" ? serviceLabel(a.service).localeCompare(serviceLabel(b.service)) : 0));
}

/** Current-layout services are endpoint/deployment pairs: endpoints, then their deployments in parallel. */
async function currentServicePrefixes(where: DataLocation, ctx: ListingContext): Promise<string[]> {
  const endpoints = await where.blobs.listByHierarchy(where.container, `${CURRENT_ROOT}/`, ctx);
  const deployments = await Promise.all(endpoints.prefixes.map((p) => where.blobs.listByHierarchy(where.container, p, ctx)));
  return deployments.flatMap((l) => l.prefixes);
}

async function modelsOf(parentId: string, service: ServiceRef, where: DataLocation, ctx: ListingContext): Promise<ModelDataNode[]> {
  if (service.layout === "current") {
    const label = modelLabelFromId(service.deployment?.modelId) ?? "model (not known to ARM)";
    return [{ kind: "model", id: `${parentId}/model`, service, label, prefix: service.prefix, where }];
  }
  const models = await where.blobs.listByHierarchy(where.container, service.prefix, ctx);
  const versions = await Promise.all(models.prefixes.map((p) => where.blobs.listByHierarchy(where.container, p, ctx)));
  return versions.flatMap((listing, i) => listing.prefixes.map((prefix): ModelDataNode => {
    const label = `${lastSegment(models.prefixes[i])}:${lastSegment(prefix)}`;
    return { kind: "model", id: `${parentId}/${label}`, service, label, prefix, where };
  }));
}

/** `azureml:/subscriptions/.../models/<name>/versions/<v>` or `azureml:<name>:<v>` to `name:version`. */
export function modelLabelFromId(modelId: string | undefined): string | undefined {
  if (!modelId) return undefined;
  const id = parseResourceId(modelId.replace(/^azureml:/, ""));
  if (id && id.segments.length >= 3) return `${id.segments[id.segments.length - 2].name}:${id.name}`;
  const short = modelId.replace(/^azureml:/, "");
  return short.includes(":") ? short : undefined;
}

async function identifiersOf(node: Extract<ModelDataNode, { kind: "model" }>, ctx: ListingContext): Promise<ModelDataNode[]> {
  const listing = await node.where.blobs.listByHierarchy(node.where.container, node.prefix, ctx);
  return listing.prefixes.map((prefix) => ({ kind: "identifier", id: `${node.id}/${lastSegment(prefix)}`, service: node.service, name: lastSegment(prefix), prefix, where: node.where }));
}

async function datesOf(node: Extract<ModelDataNode, { kind: "identifier" }>, ctx: ListingContext): Promise<ModelDataNode[]> {
  const blobs = await listAllFlat(node.where, node.prefix, ctx);
  return groupByDate(node.prefix, blobs).map((group) => ({
    kind: "date", id: `${node.id}/${group.date}`, service: node.service, group, where: node.where,
    blobs: blobs.filter((b) => group.prefixes.some((p) => b.name.startsWith(p))),
  }));
}

async function listAllFlat(where: DataLocation, prefix: string, ctx: ListingContext): Promise<BlobInfo[]> {
  const blobs: BlobInfo[] = [];
  let page: BlobListing | undefined;
  do {
    page = await where.blobs.listFlat(where.container, prefix, { ...ctx, pageSize: 5000, continuationToken: page?.continuationToken });
    blobs.push(...page.blobs);
  } while (page.continuationToken);
  return blobs;
}

function hoursOf(parentId: string, dayPrefixes: string[], blobs: BlobInfo[], where: DataLocation): ModelDataNode[] {
  const hours = new Map<string, BlobInfo[]>();
  for (const blob of blobs) {
    const dayPrefix = dayPrefixes.find((p) => blob.name.startsWith(p));
    if (!dayPrefix) continue;
    const hour = pad2(blob.name.slice(dayPrefix.length).split("/")[0]);
    hours.set(hour, [...(hours.get(hour) ?? []), blob]);
  }
  return [...hours.entries()].sort(([a], [b]) => b.localeCompare(a))
    .map(([hour, hourBlobs]) => ({ kind: "hour", id: `${parentId}/${hour}`, hour, blobs: hourBlobs, where }));
}

function filesOf(parentId: string, blobs: BlobInfo[], where: DataLocation): ModelDataNode[] {
  return blobs.map((blob) => ({ kind: "file", id: `${parentId}/${blob.name}`, blob, where }));
}
