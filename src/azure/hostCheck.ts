// A storage host that does not resolve is a typo in an account name, not a network blip: the SDK would
// retry it for ten seconds before saying "could not reach". One DNS lookup per host, remembered, says so
// at once and names the host. Skipped behind a proxy (the proxy resolves names, not this machine).
import { lookup } from "node:dns/promises";

const checked = new Map<string, Promise<void>>();

export function checkHostResolves(url: string): Promise<void> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return Promise.resolve();
  }
  if (process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy) return Promise.resolve();
  let pending = checked.get(host);
  if (!pending) {
    pending = lookup(host).then(() => undefined, (error: { code?: string }) => {
      // Only a definite "no such name" fails fast; a temporary DNS failure is left to the SDK's retries.
      if (error.code !== "ENOTFOUND") return;
      checked.delete(host);
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND", hostname: host });
    });
    checked.set(host, pending);
  }
  return pending;
}
