// Plans a data collection toggle on an online deployment: the whole deployment is PUT back with only the
// collection modes changed, so every other collection and setting survives.

export type CollectionMode = "Enabled" | "Disabled";

export interface CollectionChange {
  collection: string;
  from: string | undefined;
  to: CollectionMode;
}

export interface TogglePlan {
  /** The PUT body: the deployment as read, minus read-only fields, with the new modes. */
  body: Record<string, unknown>;
  changes: CollectionChange[];
}

/** The collections the current collector writes by default; enabling creates them when missing. */
export const DEFAULT_COLLECTIONS = ["model_inputs", "model_outputs"] as const;

const READ_ONLY_TOP = ["id", "name", "type", "systemData"];
const READ_ONLY_PROPERTIES = ["provisioningState"];

interface CollectionShape {
  dataCollectionMode?: string;
  [key: string]: unknown;
}

export function planCollectionToggle(deployment: Record<string, unknown>, enable: boolean): TogglePlan {
  const body = structuredClone(deployment);
  for (const key of READ_ONLY_TOP) delete body[key];
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  for (const key of READ_ONLY_PROPERTIES) delete properties[key];
  body.properties = properties;

  const changes: CollectionChange[] = [];
  const existing = properties.dataCollector as { collections?: Record<string, CollectionShape> } | null | undefined;
  if (enable) {
    const dataCollector = (existing ?? {}) as { collections?: Record<string, CollectionShape> };
    const collections = { ...(dataCollector.collections ?? {}) };
    for (const name of DEFAULT_COLLECTIONS) {
      const current = collections[name];
      if (current?.dataCollectionMode === "Enabled") continue;
      changes.push({ collection: name, from: current?.dataCollectionMode, to: "Enabled" });
      collections[name] = { ...(current ?? {}), dataCollectionMode: "Enabled" };
    }
    properties.dataCollector = { ...dataCollector, collections };
  } else if (existing?.collections) {
    const collections: Record<string, CollectionShape> = {};
    for (const [name, current] of Object.entries(existing.collections)) {
      if (current?.dataCollectionMode !== "Disabled") changes.push({ collection: name, from: current?.dataCollectionMode, to: "Disabled" });
      collections[name] = { ...(current ?? {}), dataCollectionMode: "Disabled" };
    }
    properties.dataCollector = { ...existing, collections };
  }
  return { body, changes };
}

export function describeChanges(changes: readonly CollectionChange[]): string {
  if (changes.length === 0) return "Nothing to change: the collections are already in that state.";
  return changes.map((c) => `${c.collection}: ${c.from ?? "not configured"} → ${c.to}`).join("\n");
}

/** The JSON Patch the v1 model-management API takes to toggle a legacy AKS web service. */
export function legacyCollectionPatch(enable: boolean): Array<{ op: "replace"; path: string; value: boolean }> {
  return [{ op: "replace", path: "/dataCollection/storageEnabled", value: enable }];
}
