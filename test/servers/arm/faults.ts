// Faults a test can ask the local ARM server to inject, over HTTP, so tests inside VS Code can use them.

export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Case-insensitive substring of the request path. */
  path: string;
  /**
   * respond: answer with status/code; drop: destroy the socket; failOperation: the next LRO ends Failed;
   * shape: answer the next long-running PUT or DELETE in another shape the specification allows (`shape`).
   */
  action: "respond" | "drop" | "failOperation" | "shape";
  /**
   * provisioningState: a PUT answered without Azure-AsyncOperation or Location, its state only in the resource's
   * provisioningState, terminal after a few GETs (Failed when `code` is given); locationOnly: a DELETE answered 202
   * with only Location; asyncOnly: a PUT answered 201 with only Azure-AsyncOperation.
   */
  shape?: "provisioningState" | "locationOnly" | "asyncOnly";
  /** ARM's error.details[] for a `respond` fault (where the service names the refused property). */
  details?: Array<{ code?: string; message?: string; target?: string }>;
  /** Retry-After (seconds) to send with the shaped answer and its polls. */
  retryAfter?: number;
  status?: number;
  code?: string;
  message?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

export class FaultInjector {
  private faults: Array<FaultSpec & { remaining: number }> = [];

  add(spec: FaultSpec): void {
    if (!spec.path || !["respond", "drop", "failOperation", "shape"].includes(spec.action)) throw new Error("fault needs path and a known action");
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the first matching fault (consuming one use of it). */
  take(method: string, path: string): FaultSpec | undefined {
    const lower = path.toLowerCase();
    const fault = this.faults.find((f) => (!f.method || f.method.toUpperCase() === method) && lower.includes(f.path.toLowerCase()));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}
