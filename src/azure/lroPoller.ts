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
    if (response.status >= 400) {
      throw new RestError(body?.error?.message ?? `Polling failed with status ${response.status}`, { statusCode: response.status, code: body?.error?.code });
    }
    if (statusUrl) {
      const status = String(body?.status ?? "InProgress");
      options.onStatus?.(status);
      if (!TERMINAL.test(status)) continue;
      if (/^succeeded$/i.test(status)) return;
      throw new RestError(body?.error?.message ?? `The operation ended ${status}.`, { code: body?.error?.code ?? "OperationFailed", statusCode: 200 });
    }
    if (response.status === 202) continue;
    if (body?.error) throw new RestError(body.error.message ?? "The operation failed.", { code: body.error.code ?? "OperationFailed" });
    return;
  }
  throw new Error("The operation did not finish in time; check the deployment in Azure ML studio.");
}

interface OperationBody {
  status?: string;
  error?: { code?: string; message?: string };
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
