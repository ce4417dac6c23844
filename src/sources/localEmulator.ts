// The "Local emulator" source: Azurite's development account and, optionally, a local ARM endpoint.
// It is a user-visible source (the demo uses it), not a test backdoor.
import type { DataSource } from "../tree/nodes";
import { emulatorConnectionString } from "../core/emulator";
import type { Azure } from "../azureLoader";
import { workspacesFromArm } from "./armWorkspaces";
import { workspacesFromPaths } from "./pathWorkspaces";

export interface LocalEmulatorSettings {
  blobEndpoint: string;
  armEndpoint: string;
  subscriptionFilter: readonly string[];
  workspaceFilter: readonly string[];
}

export function localEmulatorSource(settings: LocalEmulatorSettings, azure: () => Azure): DataSource {
  return {
    id: "local-emulator",
    kind: "emulator",
    label: "Local emulator",
    description: new URL(settings.blobEndpoint).host,
    async listWorkspaces(signal) {
      const sdk = azure();
      // Every storage account of the emulator is Azurite's single development account.
      const blobs = sdk.createBlobGatewayFromConnectionString(emulatorConnectionString(settings.blobEndpoint));
      if (!settings.armEndpoint) return workspacesFromPaths(blobs, undefined, signal);
      const arm = sdk.createArmGateway(settings.armEndpoint, sdk.emulatorTokenCredential(), [`${settings.armEndpoint}/.default`]);
      return workspacesFromArm({ arm, blobsFor: () => blobs, subscriptionFilter: settings.subscriptionFilter, workspaceFilter: settings.workspaceFilter }, signal);
    },
    storageAuth: () => ({ kind: "emulator", connectionString: emulatorConnectionString(settings.blobEndpoint) }),
  };
}
