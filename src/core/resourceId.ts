// ARM resource ids: /subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}...]

export interface ResourceId {
  subscriptionId: string;
  resourceGroup: string;
  provider: string;
  /** The last resource name in the id. */
  name: string;
  /** type/name pairs after the provider, in order. */
  segments: Array<{ type: string; name: string }>;
}

export function parseResourceId(id: string): ResourceId | undefined {
  const parts = id.split("/").filter((p) => p.length > 0);
  if (parts.length < 6 || parts[0].toLowerCase() !== "subscriptions" || parts[2].toLowerCase() !== "resourcegroups" || parts[4].toLowerCase() !== "providers") {
    return undefined;
  }
  const rest = parts.slice(6);
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const segments: Array<{ type: string; name: string }> = [];
  for (let i = 0; i < rest.length; i += 2) segments.push({ type: rest[i], name: decodeURIComponent(rest[i + 1]) });
  return { subscriptionId: parts[1], resourceGroup: parts[3], provider: parts[5], name: segments[segments.length - 1].name, segments };
}
