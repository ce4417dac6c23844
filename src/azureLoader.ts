import { join } from "node:path";
import * as vscode from "vscode";
import type { BlobGateway } from "./core/gateways";
import { withTimeouts } from "./core/networkTimeouts";
import type * as AzureApi from "./azure/api";

export type Azure = typeof AzureApi;

let loaded: Azure | undefined;

/** Per-call timeout for storage (setting modelData.network.timeoutSeconds); downloads count it from their last byte. */
export function networkTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration("modelData").get<number>("network.timeoutSeconds", 30);
  return Math.max(1, Number.isFinite(seconds) ? seconds : 30) * 1000;
}

/** Loads dist/azure.js (the Azure SDKs) on first call; activation must not call this. Blob gateways come timed. */
export function loadAzure(): Azure {
  if (loaded) return loaded;
  // A computed path keeps esbuild from inlining the SDKs into extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require(join(__dirname, "azure.js")) as Azure;
  const timedGateway = <A extends unknown[]>(create: (...args: A) => BlobGateway) => (...args: A) => withTimeouts(create(...args), networkTimeoutMs);
  loaded = {
    ...sdk,
    createBlobGatewayFromConnectionString: timedGateway(sdk.createBlobGatewayFromConnectionString),
    createBlobGatewayFromSasUrl: timedGateway(sdk.createBlobGatewayFromSasUrl),
    createBlobGatewayWithKey: timedGateway(sdk.createBlobGatewayWithKey),
    createBlobGatewayWithLazyKey: timedGateway(sdk.createBlobGatewayWithLazyKey),
    createBlobGatewayWithToken: timedGateway(sdk.createBlobGatewayWithToken),
  };
  return loaded;
}
