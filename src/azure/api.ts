// Entry of dist/azure.js, loaded on first use (see src/azureLoader.ts) so activation never loads the SDKs.
export { createArmGateway } from "./arm";
export {
  createBlobGatewayFromConnectionString, createBlobGatewayFromSasUrl, createBlobGatewayWithKey, createBlobGatewayWithLazyKey, createBlobGatewayWithToken,
} from "./blob";
export { createAzureCliCredential, emulatorTokenCredential } from "./credentials";
