// Where a code asset's files are: its codeUri (a blob folder URL) split into account, container and folder,
// for Azure (https://<account>.blob.<suffix>/<container>/<path>) and the emulator's path-style URLs
// (http://127.0.0.1:10000/<account>/<container>/<path>).
export interface CodeLocation {
  account: string;
  container: string;
  /** The folder's path in the container, without a trailing slash. */
  folder: string;
}

export function parseCodeUri(codeUri: string): CodeLocation | undefined {
  let url: URL;
  try {
    url = new URL(codeUri);
  } catch {
    return undefined;
  }
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const virtualHost = /^([a-z0-9]+)\.blob\./i.exec(url.hostname);
  const [account, container, ...rest] = virtualHost ? [virtualHost[1], ...parts] : parts;
  if (!account || !container) return undefined;
  return { account, container, folder: rest.join("/") };
}

/** The scoring script's blob name in the code folder (`scoringScript` may name a subfolder). */
export function scoringScriptBlob(location: CodeLocation, scoringScript: string): string {
  const script = scoringScript.replace(/^\.?\//, "").replace(/\\/g, "/");
  return location.folder ? `${location.folder}/${script}` : script;
}
