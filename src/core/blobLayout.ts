// The two blob layouts Azure ML has written, parsed to and from one address type.
//   legacy : modeldata/<sub>/<rg>/<ws>/<service>/<model>/<version>/<identifier>/<yyyy>/<m>/<d>/<file>.csv
//   current: <datastore container>/modelDataCollector/<endpoint>/<deployment>/<collection>/<yyyy>/<MM>/<dd>/<HH>/<file>.jsonl

export const LEGACY_CONTAINER = "modeldata";
export const CURRENT_ROOT = "modelDataCollector";

export interface LegacyAddress {
  layout: "legacy";
  subscription: string;
  resourceGroup: string;
  workspace: string;
  service: string;
  model: string;
  version: string;
  identifier: string;
  date: string; // yyyy-mm-dd, zero padded whatever the blob path used
  file: string;
}

export interface CurrentAddress {
  layout: "current";
  endpoint: string;
  deployment: string;
  collection: string;
  date: string;
  hour: string; // HH
  file: string;
}

export type BlobAddress = LegacyAddress | CurrentAddress;

const YEAR = /^\d{4}$/;
const MONTH_OR_DAY = /^\d{1,2}$/;
const HOUR = /^\d{1,2}$/;

/** Normalises year/month/day path segments (padded or not) to yyyy-mm-dd; undefined when not a date. */
export function toIsoDate(year: string, month: string, day: string): string | undefined {
  if (!YEAR.test(year) || !MONTH_OR_DAY.test(month) || !MONTH_OR_DAY.test(day)) return undefined;
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const iso = `${year}-${pad2(m)}-${pad2(d)}`;
  // Date.parse rolls 02-30 over to 03-02; a real day formats back to itself.
  const parsed = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== iso ? undefined : iso;
}

export function pad2(n: number | string): string {
  return String(n).padStart(2, "0");
}

/** Parses a blob name in the legacy `modeldata` container. */
export function parseLegacyBlobName(name: string): LegacyAddress | undefined {
  const parts = name.split("/");
  if (parts.length !== 11) return undefined;
  const [subscription, resourceGroup, workspace, service, model, version, identifier, y, m, d, file] = parts;
  const date = toIsoDate(y, m, d);
  if (!date || !file.toLowerCase().endsWith(".csv")) return undefined;
  return { layout: "legacy", subscription, resourceGroup, workspace, service, model, version, identifier, date, file };
}

/** Parses a blob name in a datastore container (current collector layout). */
export function parseCurrentBlobName(name: string): CurrentAddress | undefined {
  const parts = name.split("/");
  if (parts.length !== 9 || parts[0] !== CURRENT_ROOT) return undefined;
  const [, endpoint, deployment, collection, y, m, d, hour, file] = parts;
  const date = toIsoDate(y, m, d);
  if (!date || !HOUR.test(hour) || Number(hour) > 23 || !file.toLowerCase().endsWith(".jsonl")) return undefined;
  return { layout: "current", endpoint, deployment, collection, date, hour: pad2(hour), file };
}

/** Legacy prefix for a workspace; Azure ML writes sub/rg/ws lowercased. */
export function legacyWorkspacePrefix(subscription: string, resourceGroup: string, workspace: string): string {
  return `${subscription.toLowerCase()}/${resourceGroup.toLowerCase()}/${workspace.toLowerCase()}/`;
}

/** Builds the blob name the legacy collector writes for one day's file. */
export function legacyBlobName(a: Omit<LegacyAddress, "layout">, padDates = true): string {
  const [y, m, d] = a.date.split("-");
  const month = padDates ? m : String(Number(m));
  const day = padDates ? d : String(Number(d));
  return `${legacyWorkspacePrefix(a.subscription, a.resourceGroup, a.workspace)}${a.service}/${a.model}/${a.version}/${a.identifier}/${y}/${month}/${day}/${a.file}`;
}

/** Builds the blob name the current collector writes for one hour's file. */
export function currentBlobName(a: Omit<CurrentAddress, "layout">): string {
  const [y, m, d] = a.date.split("-");
  return `${CURRENT_ROOT}/${a.endpoint}/${a.deployment}/${a.collection}/${y}/${m}/${d}/${a.hour}/${a.file}`;
}

/** The last non-empty segment of a virtual-directory prefix such as `a/b/c/`. */
export function lastSegment(prefix: string): string {
  const parts = prefix.split("/").filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? "";
}
