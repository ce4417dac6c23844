import { join } from "node:path";
import type * as AzureApi from "./azure/api";

export type Azure = typeof AzureApi;

let loaded: Azure | undefined;

/** Loads dist/azure.js (the Azure SDKs) on first call; activation must not call this. */
export function loadAzure(): Azure {
  // A computed path keeps esbuild from inlining the SDKs into extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(join(__dirname, "azure.js")) as Azure;
  return loaded;
}
