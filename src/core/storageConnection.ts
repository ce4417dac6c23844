// What a user can paste to attach storage: a connection string, an account SAS URL or a container SAS URL.
// Parsed here (pure) so the kind, account and container are known before anything is stored.

export type StorageConnectionKind = "connectionString" | "accountSas" | "containerSas";

export interface ParsedStorageConnection {
  kind: StorageConnectionKind;
  accountName: string;
  /** The blob service endpoint without a query string, e.g. https://acct.blob.core.windows.net */
  blobEndpoint: string;
  /** Only for a container SAS. */
  container?: string;
  /** SAS permissions (sp=) when present, e.g. "rl". */
  permissions?: string;
  /** SAS expiry (se=) when present, ISO 8601. */
  expiresOn?: string;
}

export class StorageConnectionError extends Error {}

export function parseStorageConnection(input: string): ParsedStorageConnection {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) return parseSasUrl(text);
  if (/(^|;)\s*(AccountName|BlobEndpoint|UseDevelopmentStorage)\s*=/i.test(text)) return parseConnectionString(text);
  throw new StorageConnectionError("Paste a storage connection string, an account SAS URL or a container SAS URL.");
}

function parseConnectionString(text: string): ParsedStorageConnection {
  const fields = new Map<string, string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") {
    return { kind: "connectionString", accountName: "devstoreaccount1", blobEndpoint: "http://127.0.0.1:10000/devstoreaccount1" };
  }
  const accountName = fields.get("accountname");
  const hasSecret = fields.has("accountkey") || fields.has("sharedaccesssignature");
  if (!hasSecret) throw new StorageConnectionError("The connection string has neither AccountKey nor SharedAccessSignature.");
  const key = fields.get("accountkey");
  if (key !== undefined && !isAccountKey(key)) {
    throw new StorageConnectionError("AccountKey is not a storage account key (a key is 88 characters of base64, ending in ==). Copy it again from the portal's Access keys page.");
  }
  const sas = fields.get("sharedaccesssignature");
  if (sas !== undefined) checkSasFields(new URLSearchParams(sas.replace(/^\?/, "")));
  const explicit = fields.get("blobendpoint");
  // The SDK reads a string with a key as an account string only with DefaultEndpointsProtocol, else wants a BlobEndpoint.
  if (key !== undefined && !explicit && !fields.has("defaultendpointsprotocol")) {
    throw new StorageConnectionError("The connection string needs DefaultEndpointsProtocol=https (or a BlobEndpoint=…): paste the whole string from the portal's Access keys page.");
  }
  if (sas !== undefined && !explicit) throw new StorageConnectionError("A connection string with a SharedAccessSignature needs BlobEndpoint=https://<account>.blob.core.windows.net.");
  if (explicit) {
    let url: URL;
    try {
      url = new URL(explicit);
    } catch {
      throw new StorageConnectionError(`BlobEndpoint is not a URL: ${explicit.slice(0, 80)}`);
    }
    if (!/^https?:$/.test(url.protocol)) throw new StorageConnectionError("BlobEndpoint must be an http(s) URL.");
    const name = accountName ?? accountFromHost(url) ?? url.pathname.split("/").filter(Boolean)[0];
    if (!name) throw new StorageConnectionError("Could not tell the account name from the connection string.");
    return { kind: "connectionString", accountName: name, blobEndpoint: explicit.replace(/\/+$/, "") };
  }
  if (!accountName) throw new StorageConnectionError("The connection string has no AccountName.");
  const protocol = fields.get("defaultendpointsprotocol") ?? "https";
  const suffix = fields.get("endpointsuffix") ?? "core.windows.net";
  return { kind: "connectionString", accountName, blobEndpoint: `${protocol}://${accountName}.blob.${suffix}` };
}

function parseSasUrl(text: string): ParsedStorageConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StorageConnectionError("That is not a valid URL.");
  }
  if (!url.searchParams.get("sig")) throw new StorageConnectionError("The URL has no SAS signature (sig=). Generate a SAS URL and paste all of it.");
  checkSasFields(url.searchParams);
  const pathParts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  // Path-style endpoints (Azurite, some private clouds) carry the account as the first path segment.
  const hostAccount = accountFromHost(url);
  if (!hostAccount && !isPathStyleHost(url.hostname)) {
    throw new StorageConnectionError(`${url.hostname} is not a storage blob endpoint: paste the SAS URL of the account's blob service (https://<account>.blob.core.windows.net/…).`);
  }
  const accountName = hostAccount ?? pathParts.shift();
  if (!accountName) throw new StorageConnectionError("Could not tell the storage account from the URL.");
  const blobEndpoint = hostAccount ? url.origin : `${url.origin}/${accountName}`;
  const base = { accountName, blobEndpoint, permissions: url.searchParams.get("sp") ?? undefined, expiresOn: url.searchParams.get("se") ?? undefined };
  const signedResource = url.searchParams.get("sr");
  if (pathParts.length > 0 || signedResource === "c") {
    if (pathParts.length === 0) throw new StorageConnectionError("A container SAS URL must name the container in its path.");
    return { kind: "containerSas", container: pathParts[0], ...base };
  }
  return { kind: "accountSas", ...base };
}

/** Base64 of a key: Azure's are 64 bytes (88 characters); anything decoding to under 32 bytes is not one. */
function isAccountKey(key: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0 && key.length >= 44;
}

/** A SAS has a version and a signature, and says what it grants: an account SAS (ss, srt) or a service SAS (sr). */
function checkSasFields(params: URLSearchParams): void {
  if (!params.get("sv") || !params.get("sig")) throw new StorageConnectionError("The SAS lacks its version (sv=) or signature (sig=): generate it again and paste all of it.");
  const account = params.has("ss") && params.has("srt");
  if (!account && !params.has("sr")) throw new StorageConnectionError("The SAS says neither what account services it grants (ss=, srt=) nor which resource (sr=): it is not a storage SAS.");
  if (account && !(params.get("ss") ?? "").includes("b")) throw new StorageConnectionError("This account SAS does not include the Blob service (ss= lacks b).");
  const expires = params.get("se");
  if (expires && !Number.isNaN(Date.parse(expires)) && Date.parse(expires) < Date.now()) {
    throw new StorageConnectionError(`This SAS expired on ${new Date(expires).toISOString().slice(0, 16).replace("T", " ")} UTC: generate a new one.`);
  }
}

/** Hosts where the account is the first path segment: the emulator and IP addresses. */
function isPathStyleHost(host: string): boolean {
  return host === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith("[");
}

function accountFromHost(url: URL): string | undefined {
  const match = /^([a-z0-9]{3,24})\.blob\./i.exec(url.hostname);
  return match?.[1].toLowerCase();
}

/** A label for the attached source that shows no secret. */
export function describeConnection(c: ParsedStorageConnection): string {
  return c.kind === "containerSas" ? `${c.accountName}/${c.container}` : c.accountName;
}

/** Whether a SAS can list blobs (sp contains l); undefined when unknown (connection strings with keys). */
export function sasCanList(c: ParsedStorageConnection): boolean | undefined {
  return c.permissions === undefined ? undefined : c.permissions.includes("l");
}

/** How a gateway authenticates, for error messages: a refused SAS, key or Entra sign-in each mean something else. */
export type CredentialKind = { kind: "sas"; expiresOn?: string; /** sp=, when known */ permissions?: string } | { kind: "key" } | { kind: "entra" };

/** The credential a connection string or SAS URL carries (its SAS expiry read from se=). */
export function credentialOf(input: string): CredentialKind {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      return { kind: "sas", expiresOn: new URL(text).searchParams.get("se") ?? undefined };
    } catch {
      return { kind: "sas" };
    }
  }
  const sas = /(?:^|;)\s*SharedAccessSignature\s*=([^;]*)/i.exec(text);
  if (sas) return { kind: "sas", expiresOn: new URLSearchParams(sas[1].replace(/^\?/, "")).get("se") ?? undefined };
  return { kind: "key" };
}
