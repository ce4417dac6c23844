// Reads the configured sources. Later sources (Azure account, attached storage) join here.
import type * as vscode from "vscode";
import type { DataSource } from "../tree/nodes";
import { localEmulatorSource } from "./localEmulator";
import { loadAzure } from "../azureLoader";
import { AZURITE_DEFAULT_BLOB_ENDPOINT } from "../core/emulator";

export const SETTINGS_SECTION = "modelData";

export function readSources(config: vscode.WorkspaceConfiguration): DataSource[] {
  const sources: DataSource[] = [];
  if (config.get<boolean>("localEmulator.enabled", false)) {
    sources.push(localEmulatorSource({
      blobEndpoint: config.get<string>("localEmulator.blobEndpoint", AZURITE_DEFAULT_BLOB_ENDPOINT) || AZURITE_DEFAULT_BLOB_ENDPOINT,
      armEndpoint: config.get<string>("localEmulator.armEndpoint", ""),
    }, loadAzure));
  }
  return sources;
}
