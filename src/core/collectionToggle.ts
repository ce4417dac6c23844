// Plans a data collection toggle on an online deployment: the whole deployment is PUT back (minus what the
// specification marks read-only) with only the collection modes and one tag of ours changed. Disable
// remembers which collections were on, in a tag on the deployment itself (so it survives a reinstall and
// another machine); Enable restores exactly those.
import { withoutReadOnly } from "./armReadOnly";

export type CollectionMode = "Enabled" | "Disabled";

export interface CollectionChange {
  collection: string;
  from: string | undefined;
  to: CollectionMode;
}

export interface TogglePlan {
  /** The PUT body: the deployment as read, minus read-only properties, with the new modes. */
  body: Record<string, unknown>;
  changes: CollectionChange[];
}

/** The collections the current collector SDK writes by default. */
export const DEFAULT_COLLECTIONS = ["model_inputs", "model_outputs"] as const;
/** Payload logging's reserved collection names: the raw HTTP requests and responses, no scoring code needed. */
export const PAYLOAD_COLLECTIONS = ["request", "response"] as const;
/** The deployment tag (ours) holding the collections a Disable turned off, comma-separated. */
export const REMEMBERED_TAG = "azureml-model-data.disabled-collections";
const TAG_VALUE_LIMIT = 256;

interface CollectionShape {
  dataCollectionMode?: string;
  [key: string]: unknown;
}
type Collections = Record<string, CollectionShape | undefined>;

function collectionsOf(deployment: Record<string, unknown>): Collections {
  const properties = deployment.properties as { dataCollector?: { collections?: Collections } | null } | undefined;
  return properties?.dataCollector?.collections ?? {};
}

const isEnabled = (c: CollectionShape | undefined) => c?.dataCollectionMode?.toLowerCase() === "enabled";

/** The collections a previous Disable turned off, if it left its tag. */
export function rememberedCollections(deployment: Record<string, unknown>): string[] | undefined {
  const value = (deployment.tags as Record<string, unknown> | undefined)?.[REMEMBERED_TAG];
  if (typeof value !== "string") return undefined;
  const names = value.split(",").map((n) => n.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

export interface EnableCandidate {
  name: string;
  /** Configured on the deployment (its settings are kept when enabled). */
  configured: boolean;
  /** Suggested when nothing is remembered: what is configured, else the SDK's two collections. */
  suggested: boolean;
}

/** What Enable can turn on when nothing is remembered: the configured collections and the SDK's defaults. */
export function enableCandidates(deployment: Record<string, unknown>): EnableCandidate[] {
  const configured = Object.keys(collectionsOf(deployment));
  const names = [...configured, ...DEFAULT_COLLECTIONS.filter((d) => !configured.includes(d))];
  return names.map((name) => ({ name, configured: configured.includes(name), suggested: configured.length > 0 ? configured.includes(name) : true }));
}

/**
 * Enable turns on `toEnable` (default: what a Disable remembered, else the suggested candidates) and clears
 * the remembered tag; Disable turns every collection off and remembers which were on.
 */
export function planCollectionToggle(deployment: Record<string, unknown>, enable: boolean, toEnable?: readonly string[]): TogglePlan {
  const body = withoutReadOnly(deployment);
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  body.properties = properties;
  const tags = { ...((body.tags as Record<string, string> | undefined) ?? {}) };
  const dataCollector = (properties.dataCollector ?? {}) as { collections?: Collections };
  const collections: Collections = { ...(dataCollector.collections ?? {}) };
  const changes: CollectionChange[] = [];

  if (enable) {
    const names = toEnable ?? rememberedCollections(deployment) ?? enableCandidates(deployment).filter((c) => c.suggested).map((c) => c.name);
    for (const name of names) {
      const current = collections[name];
      if (isEnabled(current)) continue;
      changes.push({ collection: name, from: current?.dataCollectionMode, to: "Enabled" });
      collections[name] = { ...(current ?? {}), dataCollectionMode: "Enabled" };
    }
    if (changes.length === 0) return { body, changes };
    delete tags[REMEMBERED_TAG];
    properties.dataCollector = { ...dataCollector, collections };
  } else {
    const wasOn = Object.entries(collections).filter(([, c]) => isEnabled(c)).map(([name]) => name);
    for (const [name, current] of Object.entries(collections)) {
      if (current?.dataCollectionMode === "Disabled") continue;
      changes.push({ collection: name, from: current?.dataCollectionMode, to: "Disabled" });
      collections[name] = { ...(current ?? {}), dataCollectionMode: "Disabled" };
    }
    if (changes.length === 0) return { body, changes };
    const remembered = wasOn.join(",");
    if (remembered && remembered.length <= TAG_VALUE_LIMIT) tags[REMEMBERED_TAG] = remembered;
    properties.dataCollector = { ...dataCollector, collections };
  }
  body.tags = tags;
  return { body, changes };
}

export function describeChanges(changes: readonly CollectionChange[]): string {
  if (changes.length === 0) return "Nothing to change: the collections are already in that state.";
  return changes.map((c) => `${c.collection}: ${modeWords(c.from)} → ${modeWords(c.to)}`).join("\n");
}

function modeWords(mode: string | undefined): string {
  if (mode === undefined) return "not configured";
  return /^enabled$/i.test(mode) ? "on" : /^disabled$/i.test(mode) ? "off" : mode;
}

/** What a collection records, in words, for pickers and confirmations. */
export function collectionPurpose(name: string): string {
  if (name === "model_inputs" || name === "model_outputs") return "written only when the scoring file calls azureml-ai-monitoring's Collector (Add Collector Code…)";
  if ((PAYLOAD_COLLECTIONS as readonly string[]).includes(name)) return "payload logging: the raw HTTP requests and responses, no code needed";
  return `custom collection: written by Collector(name="${name}") in the scoring file`;
}

/** The JSON Patch the v1 model-management API takes to toggle a legacy AKS web service. */
export function legacyCollectionPatch(enable: boolean): Array<{ op: "replace"; path: string; value: boolean }> {
  return [{ op: "replace", path: "/dataCollection/storageEnabled", value: enable }];
}

/** An operation status as ARM or model management reports it, in words for a progress notification. */
export function operationWords(status: string): string {
  const s = status.toLowerCase();
  if (/^(inprogress|running|updating|accepted|notstarted|creating)$/.test(s)) return "the service is applying the change (this can take a few minutes)…";
  if (s === "succeeded") return "done";
  if (/^(failed|canceled|cancelled)$/.test(s)) return `the operation ${s === "failed" ? "failed" : "was cancelled"}`;
  return status;
}
