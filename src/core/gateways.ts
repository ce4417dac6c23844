// What the extension needs from Azure, as plain types. src/azure implements these; tests and the tree
// depend only on the shapes, so the Azure SDKs stay out of activation.

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
}

export interface WorkspaceInfo {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  storageAccountName?: string;
  discoveryUrl?: string;
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
}

export interface ArmGateway {
  listSubscriptions(signal?: AbortSignal): Promise<SubscriptionInfo[]>;
  listWorkspaces(subscriptionId: string, signal?: AbortSignal): Promise<WorkspaceInfo[]>;
  getDefaultDatastore(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<DatastoreInfo | undefined>;
  listDeployments(workspace: WorkspaceInfo, signal?: AbortSignal): Promise<DeploymentInfo[]>;
}

export interface BlobInfo {
  name: string;
  size: number;
  lastModified?: Date;
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

/** One storage account's blob data plane. */
export interface BlobGateway {
  readonly accountName: string;
  listByHierarchy(container: string, prefix: string, options: ListOptions): Promise<BlobListing>;
  listFlat(container: string, prefix: string, options: ListOptions): Promise<BlobListing>;
  blobUrl(container: string, name: string): string;
}
