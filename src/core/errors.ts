// Turns an SDK or network error into a short message for a tree node, without leaking secrets.
import type { CredentialKind } from "./storageConnection";

export interface DescribedError {
  message: string;
  detail: string;
  retryable: boolean;
  /** The way out the tree should offer besides retry. */
  suggestion?: "signIn" | "useAccountKey" | "reattach";
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
}

/** The error a cancelled read or parse ends with (describeError and the preview know it by its name). */
export function cancelledError(): Error {
  return Object.assign(new Error("Cancelled"), { name: "AbortError" });
}

export function describeError(error: unknown, credential?: CredentialKind, now = new Date()): DescribedError {
  const e = (typeof error === "object" && error !== null ? error : { message: String(error) }) as ErrorLike;
  const detail = redactSecrets(`${e.code ?? e.name ?? "Error"}${e.statusCode ? ` (${e.statusCode})` : ""}: ${e.message ?? ""}`);
  if (e.name === "AbortError") return { message: "Listing cancelled.", detail, retryable: true };
  if (e.code === "NoAnswer") return { message: `${firstLine(e.message ?? "No answer.")} Check the network (or the storage firewall) and retry.`, detail, retryable: true };
  if (e.code === "SignInRequired" || e.name === "CredentialUnavailableError") {
    return { message: e.code === "SignInRequired" ? firstLine(e.message ?? "Sign in to Azure.") : `Azure CLI: ${firstLine(e.message ?? "")}`, detail, retryable: true, suggestion: "signIn" };
  }
  if (e.code === "KeyBasedAuthenticationNotPermitted") {
    return { message: "Shared-key access is disabled on this storage account. Sign in with Microsoft Entra ID instead.", detail, retryable: false };
  }
  // A 403 means something else for each credential (Azurite answers a bad key or SAS with AuthorizationFailure
  // where Azure answers AuthenticationFailed): a SAS past its expiry, a refused key, a missing role.
  if (e.statusCode === 403 && credential?.kind === "sas") {
    const expires = credential.expiresOn ? new Date(credential.expiresOn) : undefined;
    if (expires && !Number.isNaN(expires.getTime()) && expires < now) {
      return { message: `The SAS expired on ${expires.toISOString().slice(0, 16).replace("T", " ")} UTC. Attach the storage again with a new SAS.`, detail, retryable: false, suggestion: "reattach" };
    }
    if (credential.permissions !== undefined && !credential.permissions.includes("l")) {
      return { message: `This SAS cannot list blobs (its permissions are sp=${credential.permissions}); browsing needs read and list (sp=rl). Enter a SAS with both.`, detail, retryable: true, suggestion: "reattach" };
    }
    return { message: "The storage account refused this SAS: it may lack read or list permission (sp=rl), be revoked, or be for another account or container. Enter a valid SAS.", detail, retryable: true, suggestion: "reattach" };
  }
  if (e.statusCode === 403 && credential?.kind === "key") {
    return { message: "The storage account refused the account key of this connection string (it may have been rotated). Enter the current connection string, or sign in with Microsoft Entra ID.", detail, retryable: true, suggestion: "reattach" };
  }
  if (e.statusCode === 403 && /^(AuthorizationFailure|AuthorizationPermissionMismatch|AuthorizationResourceTypeMismatch)$/.test(e.code ?? "")) {
    return { message: "Access denied: listing needs the Storage Blob Data Reader role on this storage account (or a SAS with list permission).", detail, retryable: true, suggestion: "useAccountKey" };
  }
  if (e.statusCode === 403 && e.code === "AuthenticationFailed") {
    return { message: "The storage account refused the credentials (expired SAS or wrong key). Attach it again with a valid one.", detail, retryable: true, suggestion: "reattach" };
  }
  if (e.statusCode === 403) {
    return { message: "Access denied: you need the Storage Blob Data Reader role on this storage account.", detail, retryable: true, suggestion: "useAccountKey" };
  }
  if (e.statusCode === 401) return { message: "Not authorised: sign in again.", detail, retryable: true, suggestion: "signIn" };
  if (e.statusCode === 429 || e.code === "ServerBusy") return { message: "The service is throttling requests. Wait a moment and retry.", detail, retryable: true };
  if (e.statusCode === 404) return { message: "Not found: the container or resource does not exist (any more).", detail, retryable: true };
  const unresolved = e.code === "ENOTFOUND" || /getaddrinfo ENOTFOUND/.test(e.message ?? "") ? /ENOTFOUND\s+(\S+)/.exec(e.message ?? "")?.[1] ?? (e as { hostname?: string }).hostname : undefined;
  if (unresolved) {
    return { message: `The host ${unresolved} does not resolve (DNS): check the account name in the connection string or SAS URL, or the network's DNS.`, detail, retryable: true, suggestion: "reattach" };
  }
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "ECONNRESET" || e.code === "ETIMEDOUT" || e.name === "RestError" && !e.statusCode) {
    return { message: "Could not reach the service. Check your network and retry.", detail, retryable: true };
  }
  return { message: `Listing failed: ${firstLine(e.message ?? "unknown error")}`, detail, retryable: true };
}

const SECRET_PATTERNS: RegExp[] = [
  /(AccountKey=)[^;]+/gi,
  /(SharedAccessSignature=)[^;]+/gi,
  /([?&]sig=)[^&\s"]+/gi,
  /(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/g,
];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, "$1<redacted>"), text);
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 200);
}

/** ARM's own words (code and message, secrets redacted), with what to do for the refusals users meet. */
export function describeArmRefusal(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  const said = redactSecrets(`${e.code ? `${e.code}: ` : ""}${e.message ?? String(error)}${armDetailsText(error)}`);
  if (e.statusCode === 403) return `${said} — your account lacks a role on the workspace (AzureML Data Scientist or Contributor).`;
  if (e.statusCode === 409) return `${said} — choose another name or version.`;
  return said;
}

interface ArmErrorDetail {
  code?: string;
  message?: string;
  target?: string;
  details?: ArmErrorDetail[];
  additionalInfo?: Array<{ type?: string; info?: unknown }>;
}

/**
 * ARM's `error.details[]` and `additionalInfo`, where the service names the property it refused: kept from
 * our own requests (armDetails) and from the typed client's RestError (its parsed body), nested details too.
 */
function armDetailsText(error: unknown): string {
  const e = error as { armDetails?: unknown; armAdditionalInfo?: unknown; details?: { error?: ArmErrorDetail } };
  const details = (Array.isArray(e.armDetails) ? e.armDetails : e.details?.error?.details ?? []) as ArmErrorDetail[];
  const info = (Array.isArray(e.armAdditionalInfo) ? e.armAdditionalInfo : e.details?.error?.additionalInfo ?? []) as ArmErrorDetail["additionalInfo"];
  const lines: string[] = [];
  const walk = (list: ArmErrorDetail[], depth: number) => {
    for (const d of list.slice(0, 10)) {
      lines.push(`${d.code ? `${d.code}: ` : ""}${d.message ?? ""}${d.target ? ` (${d.target})` : ""}`.trim());
      if (depth < 2 && Array.isArray(d.details)) walk(d.details, depth + 1);
      for (const i of d.additionalInfo ?? []) lines.push(additionalInfoText(i));
    }
  };
  walk(details, 0);
  for (const i of info ?? []) lines.push(additionalInfoText(i));
  const shown = lines.filter(Boolean);
  return shown.length > 0 ? ` [${shown.join("; ")}]` : "";
}

function additionalInfoText(info: { type?: string; info?: unknown }): string {
  const text = typeof info.info === "string" ? info.info : JSON.stringify(info.info ?? {});
  return `${info.type ?? "info"}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
