// Follows an ARM long-running operation: the Azure-AsyncOperation status URL first, then Location, until a
// terminal status. A dropped connection while polling polls again; the PUT that started it is never resent.
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { ServiceClient } from "@azure/core-client";

export interface PollOptions {
  signal?: AbortSignal;
  onStatus?: (status: string) => void;
  /** Upper bound on polls (a stuck operation ends with an error rather than spinning forever). */
  maxPolls?: number;
  minDelayMs?: number;
}

export interface OperationHeaders {
  "azure-asyncoperation"?: string;
  location?: string;
  "retry-after"?: string;
}

const TERMINAL = /^(succeeded|failed|canceled|cancelled)$/i;

export async function pollOperation(client: ServiceClient, headers: OperationHeaders, options: PollOptions = {}): Promise<void> {
  const statusUrl = headers["azure-asyncoperation"];
  const locationUrl = headers.location;
  if (!statusUrl && !locationUrl) return;
  let delay = retryAfterMs(headers["retry-after"], options.minDelayMs ?? 1000);
  const maxPolls = options.maxPolls ?? 600;
  let networkFailures = 0;
  for (let poll = 0; poll < maxPolls; poll++) {
    await sleep(delay, options.signal);
    let response;
    try {
      response = await client.sendRequest(createPipelineRequest({ url: statusUrl ?? (locationUrl as string), method: "GET", abortSignal: options.signal }));
    } catch (error) {
      if (options.signal?.aborted || !isNetworkError(error) || ++networkFailures > 10) throw error;
      options.onStatus?.("Connection dropped while waiting; polling again…");
      continue;
    }
    networkFailures = 0;
    delay = retryAfterMs(response.headers.get("retry-after") ?? undefined, options.minDelayMs ?? 1000);
    const body = parse(response.bodyAsText);
    if (response.status >= 400) throw armError(body, response.status, `Polling failed with status ${response.status}`);
    if (statusUrl) {
      const status = String(body?.status ?? "InProgress");
      options.onStatus?.(status);
      if (!TERMINAL.test(status)) continue;
      if (/^succeeded$/i.test(status)) return;
      throw armError({ error: { code: "OperationFailed", message: `The operation ended ${status}.`, ...body?.error } }, 200, `The operation ended ${status}.`);
    }
    if (response.status === 202) continue;
    if (body?.error) throw armError({ error: { code: "OperationFailed", ...body.error } }, 200, "The operation failed.");
    return;
  }
  throw new Error("The operation did not finish in time; check the deployment in Azure ML studio.");
}

/**
 * Follows what a PUT started: its operation headers when it sent them, else the resource itself (the
 * specification lets a PUT answer 200 with the state only in `provisioningState`), polled until that state
 * is terminal. A PUT whose body is already terminal (or has no state) is done.
 */
export async function followOperation(client: ServiceClient, put: { headers: OperationHeaders; body?: unknown }, resourceUrl: string, options: PollOptions = {}): Promise<void> {
  if (put.headers["azure-asyncoperation"] || put.headers.location) return pollOperation(client, put.headers, options);
  let state = provisioningStateOf(put.body);
  let delay = retryAfterMs(put.headers["retry-after"], options.minDelayMs ?? 1000);
  const maxPolls = options.maxPolls ?? 600;
  for (let poll = 0; state && !TERMINAL.test(state); poll++) {
    if (poll >= maxPolls) throw new Error("The operation did not finish in time; check the resource in Azure ML studio.");
    options.onStatus?.(state);
    await sleep(delay, options.signal);
    let response;
    try {
      response = await client.sendRequest(createPipelineRequest({ url: resourceUrl, method: "GET", abortSignal: options.signal }));
    } catch (error) {
      if (options.signal?.aborted || !isNetworkError(error)) throw error;
      options.onStatus?.("Connection dropped while waiting; polling again…");
      continue;
    }
    const body = parse(response.bodyAsText);
    if (response.status >= 400) throw armError(body, response.status, `Reading the resource failed with status ${response.status}`);
    delay = retryAfterMs(response.headers.get("retry-after") ?? undefined, options.minDelayMs ?? 1000);
    state = provisioningStateOf(body);
  }
  if (state && !/^succeeded$/i.test(state)) {
    throw new RestError(`The resource ended in provisioning state ${state}.`, { code: `Provisioning${state}`, statusCode: 200 });
  }
}

function provisioningStateOf(body: unknown): string | undefined {
  const state = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties?.provisioningState;
  return typeof state === "string" ? state : undefined;
}

/** An ARM error body as a RestError that keeps `details` and `additionalInfo` (where the service names what it refused). */
export function armError(body: OperationBody | undefined, statusCode: number, fallback: string): RestError {
  const error = body?.error;
  return Object.assign(new RestError(error?.message ?? fallback, { statusCode, code: error?.code }), { armDetails: error?.details, armAdditionalInfo: error?.additionalInfo });
}

interface OperationBody {
  status?: string;
  error?: { code?: string; message?: string; details?: unknown; additionalInfo?: unknown };
}

function parse(text: string | undefined | null): OperationBody | undefined {
  try {
    return text ? (JSON.parse(text) as OperationBody) : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(value: string | undefined, minimum: number): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(seconds * 1000, minimum) : minimum;
}

export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === "ECONNRESET" || code === "ECONNREFUSED" || code === "ETIMEDOUT" || code === "EPIPE" || code === "ENOTFOUND" || code === "REQUEST_SEND_ERROR" || code === "UND_ERR_SOCKET";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("Cancelled"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new Error("Cancelled"));
    }, { once: true });
  });
}
