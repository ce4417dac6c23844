// Azure clouds: the ARM endpoint, the storage suffix and the studio URL each uses. VS Code's sovereign
// cloud provider names them by `microsoft-sovereign-cloud.environment`.

export interface CloudEnvironment {
  name: string;
  authProviderId: "microsoft" | "microsoft-sovereign-cloud";
  resourceManagerEndpoint: string;
  storageEndpointSuffix: string;
  studioUrl: string;
}

export const AZURE_CLOUD: CloudEnvironment = {
  name: "AzureCloud", authProviderId: "microsoft", resourceManagerEndpoint: "https://management.azure.com",
  storageEndpointSuffix: "core.windows.net", studioUrl: "https://ml.azure.com",
};

const SOVEREIGN: Record<string, Omit<CloudEnvironment, "authProviderId">> = {
  ChinaCloud: { name: "AzureChinaCloud", resourceManagerEndpoint: "https://management.chinacloudapi.cn", storageEndpointSuffix: "core.chinacloudapi.cn", studioUrl: "https://studio.ml.azure.cn" },
  USGovernment: { name: "AzureUSGovernment", resourceManagerEndpoint: "https://management.usgovcloudapi.net", storageEndpointSuffix: "core.usgovcloudapi.net", studioUrl: "https://ml.azure.us" },
};

export interface CustomEnvironmentSetting {
  name?: string;
  resourceManagerEndpointUrl?: string;
  storageEndpointSuffix?: string;
  portalUrl?: string;
}

/** Resolves the cloud from the `microsoft-sovereign-cloud.*` settings; public Azure when none is set. */
export function resolveCloud(environment: string | undefined, custom: CustomEnvironmentSetting | undefined): CloudEnvironment {
  if (!environment) return AZURE_CLOUD;
  const known = SOVEREIGN[environment];
  if (known) return { ...known, authProviderId: "microsoft-sovereign-cloud" };
  if (environment === "custom" && custom?.resourceManagerEndpointUrl) {
    return {
      name: custom.name ?? "custom", authProviderId: "microsoft-sovereign-cloud",
      resourceManagerEndpoint: custom.resourceManagerEndpointUrl.replace(/\/+$/, ""),
      storageEndpointSuffix: (custom.storageEndpointSuffix ?? "core.windows.net").replace(/^\./, ""),
      studioUrl: AZURE_CLOUD.studioUrl,
    };
  }
  return AZURE_CLOUD;
}

/** The management scope for a cloud, e.g. https://management.azure.com/.default */
export function managementScope(cloud: CloudEnvironment): string {
  return `${cloud.resourceManagerEndpoint}/.default`;
}

export const STORAGE_SCOPE = "https://storage.azure.com/.default";

export function studioWorkspaceUrl(cloud: CloudEnvironment, workspaceId: string, tenantId?: string): string {
  return `${cloud.studioUrl}/home?wsid=${encodeURIComponent(workspaceId)}${tenantId ? `&tid=${encodeURIComponent(tenantId)}` : ""}`;
}

/** Another studio page of the same workspace (`data/<name>/<version>/details`, `monitoring`): the workspace link with its path swapped. */
export function studioPageUrl(workspaceUrl: string, page: string): string {
  return workspaceUrl.replace(/\/home\?/, `/${page}?`);
}
