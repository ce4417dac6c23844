// The v1 model-management routes (AKS web services) the workspace's region host serves, on the local server:
// list services, PATCH /dataCollection/storageEnabled with a JSON Patch, and operations to poll.
import type { ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { ArmError, sendJson } from "./errors";
import type { FaultSpec } from "./faults";

export interface LegacyServiceRecord {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  name: string;
  storageEnabled: boolean;
  [key: string]: unknown;
}

interface Operation {
  id: string;
  pollsLeft: number;
  fail?: string;
  apply: () => void;
  state?: "Succeeded" | "Failed";
}

export class ModelManagement {
  private readonly services = new Map<string, LegacyServiceRecord>();
  private readonly operations = new Map<string, Operation>();

  constructor(records: LegacyServiceRecord[], private readonly pollsToFinish: number) {
    for (const r of records) this.services.set(key(r.subscriptionId, r.resourceGroup, r.workspace, r.name), structuredClone(r));
  }

  get(subscriptionId: string, resourceGroup: string, workspace: string, name: string): LegacyServiceRecord | undefined {
    const found = this.services.get(key(subscriptionId, resourceGroup, workspace, name));
    return found && structuredClone(found);
  }

  /** segments: after /modelmanagement/v1.0/ — subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}/... */
  handle(method: string, segments: string[], body: unknown, origin: string, res: ServerResponse, fault: FaultSpec | undefined): void {
    const [, sub, , rg, , , , ws, collection, name] = segments;
    if (segments[0]?.toLowerCase() !== "subscriptions" || !ws) throw new ArmError(404, "NotFound", "Unknown model-management route.");
    const base = `${origin}/modelmanagement/v1.0/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}`;
    if (collection === "services" && !name && method === "GET") {
      const value = [...this.services.values()].filter((s) => key(s.subscriptionId, s.resourceGroup, s.workspace, "") === key(sub, rg, ws, "")).map(view);
      return sendJson(res, 200, { value });
    }
    if (collection === "services" && name) {
      const record = this.services.get(key(sub, rg, ws, name));
      if (!record) throw new ArmError(404, "ServiceNotFound", `No service with name ${name} found in workspace ${ws}.`);
      if (method === "GET") return sendJson(res, 200, view(record));
      if (method === "PATCH") {
        const patch = body as Array<{ op?: string; path?: string; value?: unknown }>;
        const op = Array.isArray(patch) && patch.length === 1 ? patch[0] : undefined;
        if (!op || op.op !== "replace" || op.path !== "/dataCollection/storageEnabled" || typeof op.value !== "boolean") {
          throw new ArmError(400, "BadRequest", "Only [{op: replace, path: /dataCollection/storageEnabled, value: bool}] is supported here.");
        }
        const id = randomUUID();
        const value = op.value;
        this.operations.set(id, { id, pollsLeft: this.pollsToFinish, fail: fault?.action === "failOperation" ? fault.message ?? "Service update failed." : undefined,
          apply: () => (record.storageEnabled = value) });
        return sendJson(res, 202, undefined, { "operation-location": `${base}/operations/${id}` });
      }
    }
    if (collection === "operations" && name && method === "GET") {
      const op = this.operations.get(name);
      if (!op) throw new ArmError(404, "OperationNotFound", `Operation ${name} not found.`);
      if (!op.state && --op.pollsLeft <= 0) {
        op.state = op.fail ? "Failed" : "Succeeded";
        if (!op.fail) op.apply();
      }
      return sendJson(res, 200, { id: op.id, operationType: "ServiceUpdate", state: op.state ?? "Running", ...(op.state === "Failed" ? { error: { code: "ServiceUpdateFailed", message: op.fail } } : {}) });
    }
    throw new ArmError(405, "MethodNotAllowed", `The method '${method}' is not supported on this route.`);
  }
}

function view(r: LegacyServiceRecord): object {
  const { subscriptionId: _s, resourceGroup: _r, workspace: _w, storageEnabled, ...rest } = r;
  void _s; void _r; void _w;
  return { ...rest, computeType: "AKS", state: "Healthy", dataCollection: { eventHubEnabled: false, storageEnabled } };
}

function key(...parts: string[]): string {
  return parts.map((p) => p.toLowerCase()).join("/");
}
