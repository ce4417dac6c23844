// Builds the configured sources, in tree order: Azure account, attached storage, local emulator.
import * as vscode from "vscode";
import type { DataSource } from "../tree/nodes";
import { localEmulatorSource } from "./localEmulator";
import { azureAccountSource } from "./azureAccount";
import { attachedSource } from "./attachedSource";
import type { AttachedStorageStore } from "./attachedStore";
import { loadAzure } from "../azureLoader";
import { AZURITE_DEFAULT_BLOB_ENDPOINT } from "../core/emulator";
import { resolveCloud, type CloudEnvironment, type CustomEnvironmentSetting } from "../core/clouds";

export const SETTINGS_SECTION = "modelData";
export const KEY_ACCOUNTS_STATE = "modelData.keyAccounts";

export class SourceRegistry {
  constructor(private readonly attached: AttachedStorageStore, private readonly state: vscode.Memento) {}

  cloud(): CloudEnvironment {
    const sovereign = vscode.workspace.getConfiguration("microsoft-sovereign-cloud");
    return resolveCloud(sovereign.get<string>("environment") || undefined, sovereign.get<CustomEnvironmentSetting>("customEnvironment"));
  }

  sources(): DataSource[] {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const subscriptionFilter = config.get<string[]>("azure.subscriptions", []);
    const workspaceFilter = config.get<string[]>("azure.workspaces", []);
    const sources: DataSource[] = [];
    if (config.get<boolean>("azure.enabled", true)) {
      sources.push(azureAccountSource({
        cloud: this.cloud(), authentication: config.get<"vscode" | "azureCli">("azure.authentication", "vscode"),
        tenantId: config.get<string>("azure.tenant") || undefined, subscriptionFilter, workspaceFilter,
        keyAccounts: this.state.get<string[]>(KEY_ACCOUNTS_STATE, []),
      }, loadAzure));
    }
    for (const record of this.attached.list()) sources.push(attachedSource(record, () => this.attached.secret(record.id), loadAzure));
    if (config.get<boolean>("localEmulator.enabled", false)) {
      sources.push(localEmulatorSource({
        blobEndpoint: config.get<string>("localEmulator.blobEndpoint", AZURITE_DEFAULT_BLOB_ENDPOINT) || AZURITE_DEFAULT_BLOB_ENDPOINT,
        armEndpoint: config.get<string>("localEmulator.armEndpoint", ""), subscriptionFilter, workspaceFilter,
      }, loadAzure));
    }
    return sources;
  }
}
