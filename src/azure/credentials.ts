import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { AzureCliCredential } from "@azure/identity";

/**
 * The local emulator's ARM credential: a fixed development token, like Azurite's well-known key. The
 * local ARM server checks that a bearer token is present, as ARM does, but not what it says.
 */
export function emulatorTokenCredential(): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token: "local-emulator-development-token", expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

/** `az login` as a fallback for users who do not want a VS Code session. */
export function createAzureCliCredential(tenantId: string | undefined): TokenCredential {
  return new AzureCliCredential(tenantId ? { tenantId } : {});
}
