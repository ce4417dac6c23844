// The "Local emulator" source: Azurite's development account and, optionally, a local ARM endpoint.
// It is a user-visible source (the demo uses it), not a test backdoor.
import type { DataSource, WorkspaceScope } from "../tree/nodes";
import { emulatorConnectionString } from "../core/emulator";
import { LEGACY_CONTAINER, legacyWorkspacePrefix } from "../core/blobLayout";
import type { Azure } from "../azureLoader";

export interface LocalEmulatorSettings {
  blobEndpoint: string;
  armEndpoint: string;
}

export function localEmulatorSource(settings: LocalEmulatorSettings, azure: () => Azure): DataSource {
  return {
    id: "local-emulator",
    label: "Local emulator",
    description: new URL(settings.blobEndpoint).host,
    async listWorkspaces(signal) {
      if (!settings.armEndpoint) {
        throw new Error("Set modelData.localEmulator.armEndpoint to the local ARM server to list workspaces.");
      }
      const sdk = azure();
      const blobs = sdk.createBlobGatewayFromConnectionString(emulatorConnectionString(settings.blobEndpoint));
      const arm = sdk.createArmGateway(settings.armEndpoint, sdk.emulatorTokenCredential());
      const subscriptions = await arm.listSubscriptions(signal);
      const workspaces = (await Promise.all(subscriptions.map((s) => arm.listWorkspaces(s.subscriptionId, signal)))).flat();
      // Every storage account of the emulator is Azurite's single development account.
      return Promise.all(workspaces.map(async (info): Promise<WorkspaceScope> => {
        const datastore = await arm.getDefaultDatastore(info, signal);
        return {
          info,
          legacy: { blobs, container: LEGACY_CONTAINER, prefix: legacyWorkspacePrefix(info.subscriptionId, info.resourceGroup, info.name) },
          current: datastore ? { blobs, container: datastore.containerName } : undefined,
          deployments: () => arm.listDeployments(info, signal),
        };
      }));
    },
  };
}
