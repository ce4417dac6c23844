// A TokenCredential backed by VS Code's Microsoft authentication provider (or the sovereign-cloud one).
// Silent: when there is no session it throws SignInRequiredError and the tree offers a sign-in node.
import * as vscode from "vscode";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { SignInRequiredError } from "./errors";

export function sessionCredential(providerId: string, tenantId: string | undefined): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const requested = (Array.isArray(scopes) ? scopes : [scopes]).filter((s) => s.length > 0);
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await vscode.authentication.getSession(providerId, withTenant(requested, tenantId), { silent: true });
      } catch (error) {
        // Hosts without Microsoft sign-in (code-server, some forks) have no such provider at all.
        throw new SignInRequiredError(`VS Code's '${providerId}' sign-in is not available here (${error instanceof Error ? error.message : String(error)}). Set modelData.azure.authentication to "azureCli" and run az login, or attach storage.`);
      }
      if (!session) throw new SignInRequiredError();
      // VS Code refreshes the session itself; a short lifetime makes the SDK ask again rather than cache.
      return { token: session.accessToken, expiresOnTimestamp: Date.now() + 5 * 60 * 1000 };
    },
  };
}

export async function signIn(providerId: string, scope: string, tenantId: string | undefined): Promise<boolean> {
  const session = await vscode.authentication.getSession(providerId, withTenant([scope], tenantId), { createIfNone: true });
  return session !== undefined;
}

function withTenant(scopes: string[], tenantId: string | undefined): string[] {
  return tenantId ? [...scopes, `VSCODE_TENANT:${tenantId}`] : scopes;
}
