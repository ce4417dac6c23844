// What a collection check needs to know about the service it checks, and what it hands back.
import type { CheckResult, CheckStatus } from "../core/collectionCheck/checkResult";
import type { ArmGateway, BlobGateway, DeploymentInfo, LegacyServiceInfo, WorkspaceInfo } from "../core/gateways";

export interface CheckTarget {
  workspace: WorkspaceInfo;
  arm?: ArmGateway;
  /** The workspace's collected-data storage for each layout, when the source reaches it. */
  current?: { blobs: BlobGateway; container: string };
  legacy?: { blobs: BlobGateway; container: string; prefix: string };
  service:
    | { layout: "current"; endpointName: string; deploymentName: string; deployment?: DeploymentInfo }
    | { layout: "legacy"; name: string; service?: LegacyServiceInfo };
}

export interface CheckOptions {
  /** Lines of the inference-server log to read (default 500). */
  tail?: number;
  /** Judge ages as of this time (default now). */
  asOf?: Date;
  signal?: AbortSignal;
}

/** The deployed scoring file and the planner's corrected copy, for the "Show Corrected Code" fix. */
export interface DeployedFile {
  name: string;
  original: string;
  corrected: string;
}

export interface CollectionCheckReport {
  target: { id: string; label: string; layout: "current" | "legacy"; workspace: string };
  checkedAt: string;
  worst: CheckStatus;
  checks: CheckResult[];
  /** Not part of the JSON a script gets: what the panel's fix buttons act on. */
  deployedFile?: DeployedFile;
  newest?: { container: string; blob: string };
}
