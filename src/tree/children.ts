// Children of each node kind, as pages. One hierarchical listing per expansion where the layout allows;
// dates, hours and files come from the identifier's single flat listing, carried on the nodes.
import { CURRENT_ROOT, lastSegment, pad2 } from "../core/blobLayout";
import { allPages } from "../core/blobPages";
import { groupByDate } from "../core/dates";
import type { BlobInfo, DeploymentInfo } from "../core/gateways";
import { parseResourceId } from "../core/resourceId";
import type { DataLocation, ModelDataNode, ServiceRef, WorkspaceScope } from "./nodes";
import { serviceLabel } from "./nodes";
import { monitorSummary, targetsDeployment, type MonitorSummary } from "../core/azureml/monitor";

export interface ListingContext {
  pageSize: number;
  signal: AbortSignal;
}

export interface ChildrenPage {
  nodes: ModelDataNode[];
  /** Present when the listing has more: fetches the next page. */
  more?: (ctx: ListingContext) => Promise<ChildrenPage>;
}

const page = (nodes: ModelDataNode[]): ChildrenPage => ({ nodes });

export async function childrenOf(node: ModelDataNode, ctx: ListingContext): Promise<ChildrenPage> {
  switch (node.kind) {
    case "source": {
      const scopes = await node.source.listWorkspaces(ctx.signal);
      return page(scopes.map((scope) => ({ kind: "workspace", id: `${node.id}/${scope.info.id}`, scope: { ...scope, source: node.source } })));
    }
    case "workspace":
      return servicesOf(node.id, node.scope, ctx);
    case "service": {
      const models = await modelsOf(node.id, node.service, node.where, ctx);
      // A deployment ARM knows, in a workspace whose schedules we can read, has its monitors listed.
      if (node.service.layout !== "current" || !node.service.deployment || !node.scope.arm?.ml) return models;
      const monitors: ModelDataNode = { kind: "monitors", id: `${node.id}/monitors`, scope: node.scope, endpointName: node.service.endpointName, deploymentName: node.service.deploymentName };
      return { ...models, nodes: [...models.nodes, monitors] };
    }
    case "monitors":
      return page(await monitorsOf(node, ctx));
    case "model":
      return pagedPrefixes(node.where, node.prefix, ctx, (prefix) => ({ kind: "identifier", id: `${node.id}/${lastSegment(prefix)}`, service: node.service, name: lastSegment(prefix), prefix, where: node.where }));
    case "identifier":
      return page(await datesOf(node, ctx));
    case "date":
      return page(node.service.layout === "current" ? hoursOf(node.id, node.group.prefixes, node.blobs, node.where) : filesOf(node.id, node.blobs, node.where));
    case "hour":
      return page(filesOf(node.id, node.blobs, node.where));
    default:
      return page([]);
  }
}

/** One listing of the workspace's schedules: the monitors whose target is this deployment. */
async function monitorsOf(node: Extract<ModelDataNode, { kind: "monitors" }>, ctx: ListingContext): Promise<ModelDataNode[]> {
  const ml = node.scope.arm?.ml;
  if (!ml) return [];
  const schedules = await ml.listSchedules(node.scope.info, ctx.signal);
  const monitors = schedules.map((s) => monitorSummary(s)).filter((m): m is MonitorSummary => m !== undefined && targetsDeployment(m, node.endpointName, node.deploymentName));
  if (monitors.length === 0) {
    return [{ kind: "message", id: `${node.id}/none`, severity: "action", text: "No monitors yet: create one…", action: { command: "modelData.createMonitor", arguments: [node] } }];
  }
  return monitors.sort((a, b) => a.name.localeCompare(b.name)).map((monitor) => ({ kind: "monitor", id: `${node.id}/${monitor.name}`, scope: node.scope, monitor }));
}

/** One hierarchical listing of `prefix`, a node per sub-prefix, with the rest behind "Load more". */
async function pagedPrefixes(where: DataLocation, prefix: string, ctx: ListingContext, toNode: (prefix: string) => ModelDataNode, continuationToken?: string): Promise<ChildrenPage> {
  const listing = await where.blobs.listByHierarchy(where.container, prefix, { ...ctx, continuationToken });
  const token = listing.continuationToken;
  return { nodes: listing.prefixes.map(toNode), more: token ? (next) => pagedPrefixes(where, prefix, next, toNode, token) : undefined };
}

async function servicesOf(parentId: string, scope: WorkspaceScope, ctx: ListingContext): Promise<ChildrenPage> {
  const legacyWhere = scope.legacy && { blobs: scope.legacy.blobs, container: scope.legacy.container, auth: authFor(scope, scope.legacy.blobs.accountName) };
  const currentWhere = scope.current && { blobs: scope.current.blobs, container: scope.current.container, auth: authFor(scope, scope.current.blobs.accountName) };
  // The v1 API may be gone (SDK v1 support ended); the data stays browsable without its state.
  const known = scope.legacy && scope.legacyServices ? scope.legacyServices().then((list) => ({ list, gone: false }), (e: { code?: string }) => ({ list: undefined, gone: e.code === "LegacyApiGone" })) : undefined;
  const [legacy, current, legacyState] = await Promise.all([
    legacyWhere && scope.legacy ? pagedPrefixes(legacyWhere, scope.legacy.prefix, ctx, (prefix) => ({ kind: "service", id: `${parentId}/legacy/${lastSegment(prefix)}`, scope,
      service: { layout: "legacy", name: lastSegment(prefix), prefix, apiKnows: false }, where: legacyWhere })) : page([]),
    currentWhere ? currentServices(parentId, scope, currentWhere, ctx) : [],
    known,
  ]);
  for (const node of legacy.nodes) {
    if (node.kind !== "service" || node.service.layout !== "legacy" || !legacyState) continue;
    const name = node.service.name.toLowerCase();
    node.service = { ...node.service, apiKnows: legacyState.list !== undefined, apiGone: legacyState.gone, service: legacyState.list?.find((s) => s.name.toLowerCase() === name) };
  }
  return { nodes: [...legacy.nodes, ...current].sort(byServiceLabel), more: legacy.more };
}

async function currentServices(parentId: string, scope: WorkspaceScope, where: DataLocation, ctx: ListingContext): Promise<ModelDataNode[]> {
  const [prefixes, deployments] = await Promise.all([currentServicePrefixes(where, ctx), scope.deployments ? scope.deployments() : Promise.resolve(undefined)]);
  const byKey = new Map<string, DeploymentInfo>((deployments ?? []).map((d) => [`${d.endpointName}/${d.deploymentName}`.toLowerCase(), d]));
  const seen = new Set<string>();
  const nodes: ModelDataNode[] = [];
  for (const prefix of prefixes) {
    const [, endpointName, deploymentName] = prefix.split("/");
    const key = `${endpointName}/${deploymentName}`.toLowerCase();
    seen.add(key);
    // Without ARM (attached storage) nothing is known about deployment; with ARM, absence means deleted.
    const service: ServiceRef = { layout: "current", endpointName, deploymentName, prefix, deployment: byKey.get(key), armKnows: deployments !== undefined };
    nodes.push({ kind: "service", id: `${parentId}/current/${key}`, scope, service, where });
  }
  for (const [key, deployment] of byKey) {
    if (seen.has(key)) continue;
    const service: ServiceRef = { layout: "current", endpointName: deployment.endpointName, deploymentName: deployment.deploymentName,
      prefix: `${CURRENT_ROOT}/${deployment.endpointName}/${deployment.deploymentName}/`, deployment, armKnows: true };
    nodes.push({ kind: "service", id: `${parentId}/current/${key}`, scope, service, where });
  }
  return nodes;
}

/** Current-layout services are endpoint/deployment pairs: endpoints, then their deployments in parallel. */
async function currentServicePrefixes(where: DataLocation, ctx: ListingContext): Promise<string[]> {
  const endpoints = await listAllPrefixes(where, `${CURRENT_ROOT}/`, ctx);
  const deployments = await Promise.all(endpoints.map((p) => listAllPrefixes(where, p, ctx)));
  return deployments.flat();
}

function listAllPrefixes(where: DataLocation, prefix: string, ctx: ListingContext): Promise<string[]> {
  return allPages((options) => where.blobs.listByHierarchy(where.container, prefix, options), (l) => l.prefixes, ctx.signal);
}

async function modelsOf(parentId: string, service: ServiceRef, where: DataLocation, ctx: ListingContext): Promise<ChildrenPage> {
  if (service.layout === "current") {
    const label = modelLabelFromId(service.deployment?.modelId) ?? "model (not known to ARM)";
    return page([{ kind: "model", id: `${parentId}/model`, service, label, prefix: service.prefix, where }]);
  }
  return legacyModels(parentId, service, where, ctx);
}

/** Legacy paths carry model then version: a page of models, then each model's versions in parallel. */
async function legacyModels(parentId: string, service: ServiceRef, where: DataLocation, ctx: ListingContext, continuationToken?: string): Promise<ChildrenPage> {
  const models = await where.blobs.listByHierarchy(where.container, service.prefix, { ...ctx, continuationToken });
  const versions = await Promise.all(models.prefixes.map((p) => listAllPrefixes(where, p, ctx)));
  // Newest version first (10 after 9, not before 2): the live model is the first of its name.
  const nodes = versions.flatMap((prefixes, i) => [...prefixes].sort(newestVersionFirst).map((prefix): ModelDataNode => {
    const label = `${lastSegment(models.prefixes[i])}:${lastSegment(prefix)}`;
    return { kind: "model", id: `${parentId}/${label}`, service, label, prefix, where };
  }));
  const token = models.continuationToken;
  return { nodes, more: token ? (next) => legacyModels(parentId, service, where, next, token) : undefined };
}

function newestVersionFirst(a: string, b: string): number {
  return lastSegment(b).localeCompare(lastSegment(a), "en", { numeric: true });
}

/** `azureml:/subscriptions/.../models/<name>/versions/<v>` or `azureml:<name>:<v>` to `name:version`. */
export function modelLabelFromId(modelId: string | undefined): string | undefined {
  if (!modelId) return undefined;
  const id = parseResourceId(modelId.replace(/^azureml:/, ""));
  if (id && id.segments.length >= 3) return `${id.segments[id.segments.length - 2].name}:${id.name}`;
  const short = modelId.replace(/^azureml:/, "");
  return short.includes(":") ? short : undefined;
}

async function datesOf(node: Extract<ModelDataNode, { kind: "identifier" }>, ctx: ListingContext): Promise<ModelDataNode[]> {
  const blobs = await listAllFlat(node.where, node.prefix, ctx);
  return groupByDate(node.prefix, blobs, node.service.layout === "legacy" ? ".csv" : ".jsonl").map((group) => ({ kind: "date", id: `${node.id}/${group.date}`, service: node.service, group, where: node.where, blobs: group.blobs }));
}

function listAllFlat(where: DataLocation, prefix: string, ctx: ListingContext): Promise<BlobInfo[]> {
  return allPages((options) => where.blobs.listFlat(where.container, prefix, options), (l) => l.blobs, ctx.signal);
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

function authFor(scope: WorkspaceScope, accountName: string) {
  return scope.source ? scope.source.storageAuth(accountName) : { kind: "entra" as const, accountName };
}

function byServiceLabel(a: ModelDataNode, b: ModelDataNode): number {
  return a.kind === "service" && b.kind === "service" ? serviceLabel(a.service).localeCompare(serviceLabel(b.service)) : 0;
}
