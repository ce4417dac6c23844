// What the extension needs from Azure, as plain types. src/azure implements these; tests and the tree
// depend only on the shapes, so the Azure SDKs stay out of activation.

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
  tenantId?: string;
}

import type { CollectionState } from "./collectionState";
import type { CredentialKind } from "./storageConnection";

export interface WorkspaceInfo {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  storageAccountName?: string;
  storageAccountId?: string;
  discoveryUrl?: string;
  tenantId?: string;
}

export interface DatastoreInfo {
  name: string;
  accountName: string;
  containerName: string;
  endpointSuffix: string;
  protocol: string;
}

export interface DeploymentInfo {
  id: string;
  endpointName: string;
  deploymentName: string;
  kind: string;
  modelId?: string;
  provisioningState?: string;
  collectionState: CollectionState;
  /** What is collected when on, in words (collectedKinds). */
  collecting?: string[];
  /** Each collection's data asset as the data collector names it (`dataId`), when set. */
  dataIds?: Record<string, string>;
}

export interface LegacyServiceInfo {
  name: string;
  computeType: string;
  storageEnabled: boolean;
}

export interface ToggleOptions {
  signal?: AbortSignal;
  onStatus?: (status: string) => void;
}

export interface ArmGateway {
  listSubscriptions(signal?: AbortSignal): Promise<SubscriptionInfo[]>;
  listWorkspaces(subscriptionId: string, signal?: AbortSignal): Promise<WorkspaceInfo[]>;
  getDefaultDatastore(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<DatastoreInfo | undefined>;
  listDeployments(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<DeploymentInfo[]>;
  /** The deployment as ARM returns it at an api-version that has dataCollector. */
  getDeploymentJson(deploymentId: string, signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** GET then PUT of the whole deployment with only collection modes changed; follows the LRO. */
  putDeploymentJson(deploymentId: string, body: Record<string, unknown>, options: ToggleOptions): Promise<void>;
  listLegacyServices(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<LegacyServiceInfo[]>;
  setLegacyServiceCollection(workspace: WorkspaceInfo, name: string, enable: boolean, options: ToggleOptions): Promise<void>;
  /** The first key of a storage account (Microsoft.Storage listKeys); refused where shared keys are disabled. */
  getStorageAccountKey(storageAccountId: string, signal?: AbortSignal): Promise<string>;
  /** Azure ML assets and schedules (data versions, datastores, monitors), as ARM returns them. */
  ml?: MlAssetsGateway;
}

/** A workspace child resource as ARM returns it (id, name, properties…). */
export type ArmJson = Record<string, unknown> & { id?: string; name?: string; properties?: Record<string, unknown> };

export interface MlAssetsGateway {
  /** The versions of a data asset, archived ones included (none when the asset does not exist). */
  listDataVersions(workspace: WorkspaceInfo, name: string, signal?: AbortSignal): Promise<string[]>;
  /** One data asset version as stored, or undefined when it does not exist. */
  getDataVersion(workspace: WorkspaceInfo, name: string, version: string, signal?: AbortSignal): Promise<ArmJson | undefined>;
  putDataVersion(workspace: WorkspaceInfo, name: string, version: string, body: unknown, signal?: AbortSignal): Promise<ArmJson>;
  listDatastores(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<ArmJson[]>;
  putDatastore(workspace: WorkspaceInfo, name: string, body: unknown, signal?: AbortSignal): Promise<ArmJson>;
  deleteDatastore(workspace: WorkspaceInfo, name: string, signal?: AbortSignal): Promise<void>;
  /** Every schedule, disabled ones included. */
  listSchedules(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<ArmJson[]>;
  getSchedule(workspace: WorkspaceInfo, name: string, signal?: AbortSignal): Promise<ArmJson | undefined>;
  /** PUT, then the long-running operation followed to its end; answers the schedule as stored. */
  putSchedule(workspace: WorkspaceInfo, name: string, body: unknown, options: ToggleOptions): Promise<ArmJson>;
  deleteSchedule(workspace: WorkspaceInfo, name: string, options: ToggleOptions): Promise<void>;
  /** Any Azure ML resource by its ARM id (an endpoint, a code version), or undefined when it does not exist. */
  getResource(id: string, signal?: AbortSignal): Promise<ArmJson | undefined>;
  /** The last `tail` lines of an online deployment's inference-server log. */
  getDeploymentLogs(deploymentId: string, tail: number, signal?: AbortSignal): Promise<string>;
}

export interface BlobInfo {
  name: string;
  size: number;
  lastModified?: Date;
  /** Changes whenever the blob's content does (the query cache keys on it). */
  etag?: string;
}

export interface BlobListing {
  prefixes: string[];
  blobs: BlobInfo[];
  continuationToken?: string;
}

export interface ListOptions {
  pageSize: number;
  continuationToken?: string;
  signal?: AbortSignal;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (bytesReceived: number) => void;
}

/** A bearer token source (structurally @azure/core-auth's TokenCredential, which src/core may not import). */
export interface TokenSource {
  getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/**
 * How to make the same gateway again on another thread (the query cache's downloads run off the extension
 * host's thread). It carries the secret it was made with: handed over in memory only, never written or logged.
 */
export type GatewayRecipe =
  | { kind: "connectionString"; connectionString: string }
  | { kind: "sasUrl"; sasUrl: string; accountName: string; container?: string }
  | { kind: "key"; blobEndpoint: string; accountName: string; key: () => Promise<string> }
  | { kind: "token"; blobEndpoint: string; accountName: string; credential: TokenSource };

/** One storage account's blob data plane. */
export interface BlobGateway {
  readonly accountName: string;
  /** How to make it again elsewhere; absent for gateways that only exist here (local files, tests' fakes). */
  readonly recipe?: GatewayRecipe;
  /** How it authenticates (for what a 403 means); undefined when unknown. */
  readonly credential?: CredentialKind;
  listByHierarchy(container: string, prefix: string, options: ListOptions): Promise<BlobListing>;
  listFlat(container: string, prefix: string, options: ListOptions): Promise<BlobListing>;
  /** Container names (account-wide access only; a container SAS lists none). */
  listContainers(prefix: string | undefined, signal?: AbortSignal): Promise<string[]>;
  /** The blob's URL without any SAS or key. */
  blobUrl(container: string, name: string): string;
  /** Reads up to `count` bytes from `offset` (one ranged GET). */
  readRange(container: string, name: string, offset: number, count: number, signal?: AbortSignal): Promise<Buffer>;
  /** Opens the blob as a stream from `offset` (to the end, or `count` bytes); nothing is buffered whole. */
  openStream(container: string, name: string, offset: number, signal?: AbortSignal, count?: number): Promise<{ stream: NodeJS.ReadableStream; contentLength: number }>;
  /** Streams a blob to a local file; returns the bytes written. */
  download(container: string, name: string, targetPath: string, options: DownloadOptions): Promise<number>;
  /** Uploads a local file as a block blob (in blocks, several at once); the blob appears only when complete. */
  uploadFile?(container: string, name: string, sourcePath: string, options: DownloadOptions & { contentType?: string }): Promise<void>;
  /** Writes a small text blob (an MLTable file). */
  uploadText?(container: string, name: string, text: string, signal?: AbortSignal): Promise<void>;
  /** Deletes a blob (what we wrote, when the step after it was refused); a missing blob is not an error. */
  deleteBlob?(container: string, name: string, signal?: AbortSignal): Promise<void>;
}
