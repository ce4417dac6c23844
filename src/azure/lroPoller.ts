// Follows an ARM long-running operation: the Azure-AsyncOperation status URL first, then Location, until a
// terminal status. A dropped connection while polling polls again; the PUT that started it is never resent.
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { ServiceClient } from "@azure/core-client";
import { armError, type ArmErrorBody } from "./armRaw";

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
  await pollUntil(client, statusUrl ?? (locationUrl as string), headers["retry-after"], options, "The operation did not finish in time; check the deployment in Azure ML studio.", (status, body) => {
    if (status >= 400) throw armError(body, status, `Polling failed with status ${status}`);
    if (statusUrl) {
      const state = String(body?.status ?? "InProgress");
      options.onStatus?.(state);
      if (!TERMINAL.test(state)) return false;
      if (/^succeeded$/i.test(state)) return true;
      throw armError({ error: { code: "OperationFailed", message: `The operation ended ${state}.`, ...body?.error } }, 200, `The operation ended ${state}.`);
    }
    if (status === 202) return false;
    if (body?.error) throw armError({ error: { code: "OperationFailed", ...body.error } }, 200, "The operation failed.");
    return true;
  });
}

/**
 * Follows what a PUT started: its operation headers when it sent them, else the resource itself (the
 * specification lets a PUT answer 200 with the state only in `provisioningState`), polled until that state
 * is terminal. A PUT whose body is already terminal (or has no state) is done.
 */
export async function followOperation(client: ServiceClient, put: { headers: OperationHeaders; body?: unknown }, resourceUrl: string, options: PollOptions = {}): Promise<void> {
  if (put.headers["azure-asyncoperation"] || put.headers.location) return pollOperation(client, put.headers, options);
  let state = provisioningStateOf(put.body);
  if (state && !TERMINAL.test(state)) {
    options.onStatus?.(state);
    await pollUntil(client, resourceUrl, put.headers["retry-after"], options, "The operation did not finish in time; check the resource in Azure ML studio.", (status, body) => {
      if (status >= 400) throw armError(body, status, `Reading the resource failed with status ${status}`);
      state = provisioningStateOf(body);
      if (!state || TERMINAL.test(state)) return true;
      options.onStatus?.(state);
      return false;
    });
  }
  if (state && !/^succeeded$/i.test(state)) {
    throw new RestError(`The resource ended in provisioning state ${state}.`, { code: `Provisioning${state}`, statusCode: 200 });
  }
}

/**
 * GETs `url` after each wait (the last Retry-After, at least the minimum) until `done` says so (or throws);
 * a dropped connection is polled again (ten in a row end it); past maxPolls it ends with `tooLong`.
 */
async function pollUntil(client: ServiceClient, url: string, retryAfter: string | undefined, options: PollOptions, tooLong: string,
  done: (status: number, body: OperationBody | undefined) => boolean): Promise<void> {
  const minimum = options.minDelayMs ?? 1000;
  let delay = retryAfterMs(retryAfter, minimum);
  let networkFailures = 0;
  for (let poll = 0; poll < (options.maxPolls ?? 600); poll++) {
    await sleep(delay, options.signal);
    let response;
    try {
      response = await client.sendRequest(createPipelineRequest({ url, method: "GET", abortSignal: options.signal }));
    } catch (error) {
      if (options.signal?.aborted || !isNetworkError(error) || ++networkFailures > 10) throw error;
      options.onStatus?.("Connection dropped while waiting; polling again…");
      continue;
    }
    networkFailures = 0;
    delay = retryAfterMs(response.headers.get("retry-after") ?? undefined, minimum);
    if (done(response.status, parse(response.bodyAsText))) return;
  }
  throw new Error(tooLong);
}

function provisioningStateOf(body: unknown): string | undefined {
  const state = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties?.provisioningState;
  return typeof state === "string" ? state : undefined;
}

interface OperationBody extends ArmErrorBody {
  status?: string;
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
