// In-memory ARM resources keyed by lowercased id, with collection listing by parent path.

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  [key: string]: unknown;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
}

export class ResourceStore {
  private readonly resources = new Map<string, ArmResource>();

  constructor(readonly subscriptions: SubscriptionRecord[], resources: ArmResource[]) {
    for (const r of resources) this.put(r);
  }

  get(id: string): ArmResource | undefined {
    const found = this.resources.get(normalise(id));
    return found && structuredClone(found);
  }

  put(resource: ArmResource): void {
    this.resources.set(normalise(resource.id), structuredClone(resource));
  }

  delete(id: string): boolean {
    return this.resources.delete(normalise(id));
  }

  /** Direct children of a collection path such as `.../workspaces/ws/onlineEndpoints`. */
  children(collectionPath: string): ArmResource[] {
    const prefix = `${normalise(collectionPath)}/`;
    return [...this.resources.entries()]
      .filter(([id]) => id.startsWith(prefix) && !id.slice(prefix.length).includes("/"))
      .map(([, r]) => structuredClone(r));
  }

  /** Every resource of a type in a subscription (for subscription-wide lists). */
  ofType(subscriptionId: string, type: string): ArmResource[] {
    const prefix = `/subscriptions/${subscriptionId.toLowerCase()}/`;
    return [...this.resources.entries()]
      .filter(([id, r]) => id.startsWith(prefix) && r.type.toLowerCase() === type.toLowerCase())
      .map(([, r]) => structuredClone(r));
  }
}

function normalise(id: string): string {
  return id.replace(/\/+$/, "").toLowerCase();
}
