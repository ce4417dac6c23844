// Requests at api-versions the typed 2.1.1 client does not speak, sent through that client's own
// authenticated pipeline (bearer token, retries, throttling) so nothing bypasses the SDK's policies.
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { ServiceClient } from "@azure/core-client";

interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | undefined>;
}

export async function armGetJson<T>(client: ServiceClient, url: string, abortSignal?: AbortSignal): Promise<T> {
  return (await send<T>(client, url, "GET", undefined, abortSignal)).body;
}

export async function armPostJson<T>(client: ServiceClient, url: string, abortSignal?: AbortSignal): Promise<T> {
  return (await send<T>(client, url, "POST", undefined, abortSignal)).body;
}

/** PUT, keeping the headers a long-running operation is followed by. */
export async function armPutJson<T>(client: ServiceClient, url: string, body: unknown, abortSignal?: AbortSignal): Promise<JsonResponse<T>> {
  return send<T>(client, url, "PUT", body, abortSignal);
}

/** DELETE, keeping the headers a long-running operation is followed by (202 with Location). */
export async function armDelete(client: ServiceClient, url: string, abortSignal?: AbortSignal): Promise<JsonResponse<unknown>> {
  return send<unknown>(client, url, "DELETE", undefined, abortSignal);
}

async function send<T>(client: ServiceClient, url: string, method: "GET" | "POST" | "PUT" | "DELETE", body: unknown, abortSignal?: AbortSignal): Promise<JsonResponse<T>> {
  const request = createPipelineRequest({ url, method, abortSignal });
  if (body !== undefined) {
    request.headers.set("content-type", "application/json");
    request.body = JSON.stringify(body);
  }
  const response = await client.sendRequest(request);
  const header = (name: string) => response.headers.get(name) ?? undefined;
  return {
    status: response.status,
    body: parseOrThrow<T>(response.status, response.bodyAsText ?? undefined, request, response),
    headers: { "azure-asyncoperation": header("azure-asyncoperation"), location: header("location"), "retry-after": header("retry-after") },
  };
}

function parseOrThrow<T>(status: number, text: string | undefined, request: Parameters<ServiceClient["sendRequest"]>[0], response: Awaited<ReturnType<ServiceClient["sendRequest"]>>): T {
  const json = text ? safeParse(text) : undefined;
  if (status >= 400) {
    const error = (json as { error?: { code?: string; message?: string; details?: unknown; additionalInfo?: unknown } } | undefined)?.error;
    // details[] and additionalInfo are where the service names the refused property: kept for the message.
    throw Object.assign(new RestError(error?.message ?? `Request failed with status ${status}`, { statusCode: status, code: error?.code, request, response }),
      { armDetails: error?.details, armAdditionalInfo: error?.additionalInfo });
  }
  return json as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
