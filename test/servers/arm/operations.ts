// Long-running operations as the ML resource provider runs them: Azure-AsyncOperation status documents
// (mfeOperationsStatus) and Location results (mfeOperationResults), finishing after a few polls.
import { randomUUID } from "node:crypto";

export type OperationStatus = "InProgress" | "Succeeded" | "Failed";

interface Operation {
  id: string;
  resourceId: string;
  pollsLeft: number;
  startTime: string;
  outcome: { status: "Succeeded" } | { status: "Failed"; code: string; message: string };
  onDone: (status: "Succeeded" | "Failed") => void;
  done?: { status: "Succeeded" | "Failed"; endTime: string };
}

export class OperationTracker {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly pollsToFinish: number) {}

  start(resourceId: string, outcome: Operation["outcome"], onDone: Operation["onDone"]): string {
    const id = randomUUID();
    this.operations.set(id, { id, resourceId, pollsLeft: this.pollsToFinish, startTime: new Date().toISOString(), outcome, onDone });
    return id;
  }

  /** One poll: advances the operation and reports its status document. */
  poll(id: string): { status: OperationStatus; resourceId: string; body: object } | undefined {
    const op = this.operations.get(id);
    if (!op) return undefined;
    if (!op.done) {
      op.pollsLeft -= 1;
      if (op.pollsLeft <= 0) {
        op.done = { status: op.outcome.status, endTime: new Date().toISOString() };
        op.onDone(op.outcome.status);
      }
    }
    const status: OperationStatus = op.done?.status ?? "InProgress";
    const body: Record<string, unknown> = { id, name: id, status, startTime: op.startTime };
    if (op.done) body.endTime = op.done.endTime;
    if (op.outcome.status === "Failed" && op.done) body.error = { code: op.outcome.code, message: op.outcome.message };
    return { status, resourceId: op.resourceId, body };
  }
}
