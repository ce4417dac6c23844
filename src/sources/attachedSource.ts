// A source per attached connection string / SAS URL; workspaces come from the blob paths.
import type { DataSource } from "../tree/nodes";
import type { Azure } from "../azureLoader";
import type { BlobGateway } from "../core/gateways";
import type { AttachedRecord } from "./attachedStore";
import { workspacesFromPaths } from "./pathWorkspaces";

const KIND_LABEL = { connectionString: "connection string", accountSas: "account SAS", containerSas: "container SAS" } as const;

export function attachedSource(record: AttachedRecord, secret: () => Promise<string | undefined>, azure: () => Azure): DataSource {
  return {
    id: `attached:${record.id}`,
    kind: "attached",
    label: record.label,
    description: `${KIND_LABEL[record.kind]}${record.expiresOn ? ` · expires ${record.expiresOn.slice(0, 10)}` : ""}`,
    async listWorkspaces(signal) {
      const value = await secret();
      if (!value) throw Object.assign(new Error("The saved connection for this storage is gone. Detach it and attach it again."), { code: "SecretMissing" });
      return workspacesFromPaths(gatewayFor(record, value, azure()), record.container ? [record.container] : undefined, signal);
    },
    storageAuth: () => ({ kind: "connectionStringEnv", variable: "AZURE_STORAGE_CONNECTION_STRING" }),
    credential: record.kind === "connectionString" && record.permissions === undefined ? { kind: "key" } : { kind: "sas", expiresOn: record.expiresOn, permissions: record.permissions },
  };
}

function gatewayFor(record: AttachedRecord, secret: string, sdk: Azure): BlobGateway {
  return record.kind === "connectionString"
    ? sdk.createBlobGatewayFromConnectionString(secret)
    : sdk.createBlobGatewayFromSasUrl(secret, record.accountName, record.container);
}
