// Data collection state of an online deployment, read from properties.dataCollector (api 2024-04-01+).

export type CollectionState = "on" | "off" | "updating" | "unknown";

export interface DataCollectorShape {
  collections?: Record<string, { dataCollectionMode?: string } | undefined>;
}

export function collectionStateOf(provisioningState: string | undefined, dataCollector: DataCollectorShape | null | undefined, known: boolean): CollectionState {
  if (provisioningState && /^(Updating|Creating|Scaling)$/i.test(provisioningState)) return "updating";
  if (!known) return "unknown";
  const collections = Object.values(dataCollector?.collections ?? {});
  return collections.some((c) => c?.dataCollectionMode?.toLowerCase() === "enabled") ? "on" : "off";
}

export function describeCollectionState(state: CollectionState): string {
  switch (state) {
    case "on": return "collecting";
    case "off": return "collection off";
    case "updating": return "updating…";
    case "unknown": return "";
  }
}
