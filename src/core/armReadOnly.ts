// Properties the REST specification marks readOnly on an online deployment (Microsoft.MachineLearningServices
// 2024-04-01: a TrackedResource with a ManagedServiceIdentity and OnlineDeploymentProperties). They are the
// service's to set: a PUT leaves them out, as the SDK's own serializer does. `*` stands for every key of a map.

export const ONLINE_DEPLOYMENT_READ_ONLY: readonly string[] = [
  "id", "name", "type", "systemData",
  "properties.provisioningState",
  "identity.principalId", "identity.tenantId",
  "identity.userAssignedIdentities.*.principalId", "identity.userAssignedIdentities.*.clientId",
];

type Json = Record<string, unknown>;

/** Every concrete path the patterns name in `resource`, with its value. */
export interface ReadOnlyValue {
  /** The keys from the root (map keys such as identity ARM ids may hold dots themselves). */
  keys: string[];
  /** For messages: the keys joined with dots. */
  path: string;
  value: unknown;
}

export function readOnlyValues(resource: Json, patterns: readonly string[] = ONLINE_DEPLOYMENT_READ_ONLY): ReadOnlyValue[] {
  const out: ReadOnlyValue[] = [];
  const visit = (value: unknown, segments: string[], at: string[]) => {
    if (segments.length === 0) {
      out.push({ keys: at, path: at.join("."), value });
      return;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) return;
    const [head, ...rest] = segments;
    const keys = head === "*" ? Object.keys(value) : Object.prototype.hasOwnProperty.call(value, head) ? [head] : [];
    for (const key of keys) visit((value as Json)[key], rest, [...at, key]);
  };
  for (const pattern of patterns) visit(resource, pattern.split("."), []);
  return out;
}

/** A copy of `resource` without the read-only properties (the input is not touched). */
export function withoutReadOnly(resource: Json, patterns: readonly string[] = ONLINE_DEPLOYMENT_READ_ONLY): Json {
  const copy = structuredClone(resource);
  for (const { keys } of readOnlyValues(copy, patterns)) {
    let parent: Json = copy;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Json;
    delete parent[keys[keys.length - 1]];
  }
  return copy;
}
