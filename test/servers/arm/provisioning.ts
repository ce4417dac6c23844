// Two behaviours of the ML resource provider that the specification allows and clients must meet: a
// long-running PUT answered without operation headers, whose state lives only in the resource's
// provisioningState (advanced here by GETs of the resource), and lists filtered by `listViewType` with the
// specification's defaults (schedules: EnabledOnly; data assets and their versions: ActiveOnly).
import type { ArmResource, ResourceStore } from "./store";
import type { OperationTracker } from "./operations";
import { ArmError } from "./errors";

interface Tracked {
  operations: OperationTracker;
  opId: string;
  retryAfter: number;
}

export class ProvisioningByReads {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly store: ResourceStore) {}

  /** The operation `opId` now finishes through reads of `id` rather than through its status URLs. */
  track(id: string, operations: OperationTracker, opId: string, retryAfter = 1): void {
    this.tracked.set(id.toLowerCase(), { operations, opId, retryAfter });
  }

  /** A GET of the resource: advances its operation one step and answers the resource as it now is. */
  read(resource: ArmResource): ArmResource {
    const key = resource.id.toLowerCase();
    const tracked = this.tracked.get(key);
    if (!tracked) return resource;
    const polled = tracked.operations.poll(tracked.opId);
    if (polled && polled.status !== "InProgress") this.tracked.delete(key);
    return this.store.get(resource.id) ?? resource;
  }

  retryAfter(id: string): Record<string, string> {
    const tracked = this.tracked.get(id.toLowerCase());
    return tracked ? { "retry-after": String(tracked.retryAfter) } : {};
  }
}

const VIEWS: Record<string, { values: string[]; fallback: string; keep: (properties: Record<string, unknown>, view: string) => boolean }> = {
  schedules: {
    values: ["EnabledOnly", "DisabledOnly", "All"], fallback: "EnabledOnly",
    keep: (p, view) => view === "All" || (view === "EnabledOnly") === (p.isEnabled !== false),
  },
  archivable: {
    values: ["ActiveOnly", "ArchivedOnly", "All"], fallback: "ActiveOnly",
    keep: (p, view) => view === "All" || (view === "ActiveOnly") === (p.isArchived !== true),
  },
};

/** The filter a list applies for its listViewType (the specification's default when absent). */
export function listView(collection: string, parentCollection: string | undefined, listViewType: string | null): (resource: ArmResource) => boolean {
  const kind = collection === "schedules" ? "schedules" : collection === "data" || (collection === "versions" && parentCollection === "data") ? "archivable" : undefined;
  if (!kind) return () => true;
  const view = VIEWS[kind];
  const chosen = listViewType ?? view.fallback;
  if (!view.values.includes(chosen)) throw new ArmError(400, "UserError", `listViewType must be one of ${view.values.join(", ")} (it was '${chosen}').`);
  return (resource) => view.keep((resource.properties ?? {}) as Record<string, unknown>, chosen);
}
