// Data collection state of an online deployment, read from properties.dataCollector (api 2024-04-01+).

export type CollectionState = "on" | "off" | "updating" | "unknown";

export interface DataCollectorShape {
  collections?: Record<string, { dataCollectionMode?: string; dataId?: string } | undefined>;
}

export function collectionStateOf(provisioningState: string | undefined, dataCollector: DataCollectorShape | null | undefined, known: boolean): CollectionState {
  if (provisioningState && /^(Updating|Creating|Scaling)$/i.test(provisioningState)) return "updating";
  if (!known) return "unknown";
  const collections = Object.values(dataCollector?.collections ?? {});
  return collections.some((c) => c?.dataCollectionMode?.toLowerCase() === "enabled") ? "on" : "off";
}

/** What an online deployment collects, in words: inputs/outputs, payloads, or its custom collections. */
export function collectedKinds(dataCollector: DataCollectorShape | null | undefined): string[] {
  const on = Object.entries(dataCollector?.collections ?? {}).filter(([, c]) => c?.dataCollectionMode?.toLowerCase() === "enabled").map(([name]) => name);
  const kinds: string[] = [];
  const sdk = on.filter((n) => n === "model_inputs" || n === "model_outputs");
  if (sdk.length === 2) kinds.push("inputs/outputs");
  else if (sdk.length === 1) kinds.push(sdk[0] === "model_inputs" ? "inputs" : "outputs");
  if (on.some((n) => n === "request" || n === "response")) kinds.push("payloads");
  const custom = on.filter((n) => !["model_inputs", "model_outputs", "request", "response"].includes(n));
  if (custom.length > 0) kinds.push(`custom (${custom.join(", ")})`);
  return kinds;
}

export function describeCollectionState(state: CollectionState, kinds: readonly string[] = []): string {
  switch (state) {
    case "on": return kinds.length > 0 ? `collecting ${kinds.join(", ")}` : "collecting";
    case "off": return "collection off";
    case "updating": return "updating…";
    case "unknown": return "";
  }
}
