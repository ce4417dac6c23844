// The "Azure" source: the signed-in account's subscriptions and workspaces through ARM, blob data with an
// Entra token (or, where the user chose it for an account, its key from ARM listKeys).
import type { TokenCredential } from "@azure/core-auth";
import type { DataSource } from "../tree/nodes";
import type { Azure } from "../azureLoader";
import type { BlobGateway } from "../core/gateways";
import { managementScope, STORAGE_SCOPE, studioWorkspaceUrl, type CloudEnvironment } from "../core/clouds";
import { workspacesFromArm } from "./armWorkspaces";
import { sessionCredential } from "./sessionCredential";

export interface AzureAccountSettings {
  cloud: CloudEnvironment;
  authentication: "vscode" | "azureCli";
  tenantId?: string;
  subscriptionFilter: readonly string[];
  workspaceFilter: readonly string[];
  /** Storage accounts the user chose to read with their account key. */
  keyAccounts: readonly string[];
}

export function azureAccountSource(settings: AzureAccountSettings, azure: () => Azure): DataSource {
  const { cloud } = settings;
  const credential = (): TokenCredential => settings.authentication === "azureCli"
    ? azure().createAzureCliCredential(settings.tenantId)
    : sessionCredential(cloud.authProviderId, settings.tenantId);
  const keys = new Map<string, Promise<string>>();
  return {
    id: "azure",
    kind: "azure",
    label: "Azure",
    description: [cloud.name === "AzureCloud" ? undefined : cloud.name, settings.authentication === "azureCli" ? "Azure CLI" : undefined].filter(Boolean).join(" · "),
    async listWorkspaces(signal) {
      const sdk = azure();
      const token = credential();
      const arm = sdk.createArmGateway(cloud.resourceManagerEndpoint, token, [managementScope(cloud)]);
      const gateways = new Map<string, BlobGateway>();
      return workspacesFromArm({
        arm, subscriptionFilter: settings.subscriptionFilter, workspaceFilter: settings.workspaceFilter,
        blobsFor: (accountName, workspace) => {
          let gateway = gateways.get(accountName);
          if (gateway) return gateway;
          const endpoint = `https://${accountName}.blob.${cloud.storageEndpointSuffix}`;
          const storageAccountId = workspace.storageAccountName === accountName ? workspace.storageAccountId : undefined;
          if (settings.keyAccounts.includes(accountName) && storageAccountId) {
            let key = keys.get(accountName);
            if (!key) keys.set(accountName, (key = arm.getStorageAccountKey(storageAccountId, signal)));
            gateway = sdk.createBlobGatewayWithLazyKey(endpoint, accountName, () => key);
          } else {
            gateway = sdk.createBlobGatewayWithToken(endpoint, accountName, scoped(token, STORAGE_SCOPE));
          }
          gateways.set(accountName, gateway);
          return gateway;
        },
      }, signal);
    },
    storageAuth: (accountName) => ({ kind: "entra", accountName, accountHost: cloud.storageEndpointSuffix === "core.windows.net" ? undefined : `${accountName}.blob.${cloud.storageEndpointSuffix}` }),
    studioUrl: (workspace) => studioWorkspaceUrl(cloud, workspace.id, workspace.tenantId),
  };
}

/** Blob clients ask for the storage scope themselves; this pins it in case a caller passes another. */
function scoped(credential: TokenCredential, scope: string): TokenCredential {
  return { getToken: (_scopes, options) => credential.getToken(scope, options) };
}
