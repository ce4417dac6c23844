// Tree nodes are plain data; treeItems.ts turns them into TreeItems in one place.
import type { ArmGateway, BlobGateway, BlobInfo, DeploymentInfo, LegacyServiceInfo, WorkspaceInfo } from "../core/gateways";
import type { DateGroup } from "../core/dates";
import type { StorageAuth } from "../core/pandasSnippet";
import type { MonitorSummary } from "../core/azureml/monitor";
import type { CredentialKind } from "../core/storageConnection";

/** Where one workspace's collected data lives. */
export interface WorkspaceScope {
  info: WorkspaceInfo;
  /** Set by the tree when the workspace node is made. */
  source?: DataSource;
  /** Legacy collector data: the `modeldata` container of the workspace's storage account. */
  legacy?: { blobs: BlobGateway; container: string; prefix: string };
  /** Current collector data: the default datastore's container, under `modelDataCollector/`; its datastore's name when ARM told it. */
  current?: { blobs: BlobGateway; container: string; datastore?: string };
  /** Online deployments known to ARM, when the source can ask ARM. */
  deployments?: () => Promise<DeploymentInfo[]>;
  /** v1 AKS web services known to the workspace's model-management API. */
  legacyServices?: () => Promise<LegacyServiceInfo[]>;
  /** The ARM route for changes (collection toggles), when the source has one. */
  arm?: ArmGateway;
}

export interface DataSource {
  id: string;
  kind: "azure" | "attached" | "emulator";
  label: string;
  description: string;
  listWorkspaces(signal: AbortSignal): Promise<WorkspaceScope[]>;
  /** How generated pandas code should authenticate (never with a secret). */
  storageAuth(accountName: string): StorageAuth;
  /** Azure ML studio link for a workspace, when the source knows the cloud. */
  studioUrl?(workspace: WorkspaceInfo): string;
  /** How an attached source authenticates (a refused key and a missing role are told apart). */
  credential?: CredentialKind;
}

export type ServiceRef =
  | { layout: "legacy"; name: string; prefix: string; service?: LegacyServiceInfo; /** The v1 API answered (absence then means deleted). */ apiKnows: boolean; apiGone?: boolean }
  | { layout: "current"; endpointName: string; deploymentName: string; prefix: string; deployment?: DeploymentInfo; /** ARM was asked (absence then means deleted). */ armKnows: boolean };

export interface DataLocation {
  blobs: BlobGateway;
  container: string;
  /** How generated code should reach this account. */
  auth: StorageAuth;
}

/** A follow-up action offered on a message node (click runs it). */
export interface NodeAction {
  command: string;
  arguments?: unknown[];
}

export type ModelDataNode =
  | { kind: "source"; id: string; source: DataSource }
  | { kind: "workspace"; id: string; scope: WorkspaceScope }
  | { kind: "service"; id: string; scope: WorkspaceScope; service: ServiceRef; where: DataLocation }
  | { kind: "model"; id: string; service: ServiceRef; label: string; prefix: string; where: DataLocation }
  | { kind: "identifier"; id: string; service: ServiceRef; name: string; prefix: string; where: DataLocation }
  | { kind: "date"; id: string; service: ServiceRef; group: DateGroup; blobs: BlobInfo[]; where: DataLocation }
  | { kind: "hour"; id: string; hour: string; blobs: BlobInfo[]; where: DataLocation }
  | { kind: "file"; id: string; blob: BlobInfo; where: DataLocation }
  /** A current deployment's Azure ML model monitors (schedules with a CreateMonitor action). */
  | { kind: "monitors"; id: string; scope: WorkspaceScope; endpointName: string; deploymentName: string }
  | { kind: "monitor"; id: string; scope: WorkspaceScope; monitor: MonitorSummary }
  | { kind: "message"; id: string; text: string; detail?: string; severity: "info" | "warning" | "error" | "action"; action?: NodeAction }
  | { kind: "loadMore"; id: string; parentId: string };

export function serviceLabel(service: ServiceRef): string {
  return service.layout === "legacy" ? service.name : `${service.endpointName}/${service.deploymentName}`;
}

/**
 * The newest version of each model among a service's children (the tree lists versions newest first, so
 * the first of each name): what service-level actions read, and the version the tree calls live.
 */
export function newestModels(nodes: readonly ModelDataNode[]): Array<Extract<ModelDataNode, { kind: "model" }>> {
  const newest = new Map<string, Extract<ModelDataNode, { kind: "model" }>>();
  for (const node of nodes) {
    if (node.kind === "model" && !newest.has(node.label.split(":")[0])) newest.set(node.label.split(":")[0], node);
  }
  return [...newest.values()];
}
