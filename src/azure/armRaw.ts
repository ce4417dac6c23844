// Requests at api-versions the typed 2.1.1 client does not speak, sent through that client's own
// authenticated pipeline (bearer token, retries, throttling) so nothing bypasses the SDK's policies.
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { ServiceClient } from "@azure/core-client";

export async function armGetJson<T>(client: ServiceClient, url: string, abortSignal?: AbortSignal): Promise<T> {
  return send<T>(client, url, "GET", undefined, abortSignal);
}

export async function armPostJson<T>(client: ServiceClient, url: string, abortSignal?: AbortSignal): Promise<T> {
  return send<T>(client, url, "POST", undefined, abortSignal);
}

export async function armPutJson<T>(client: ServiceClient, url: string, body: unknown, abortSignal?: AbortSignal): Promise<{ status: number; body: T; headers: Record<string, string | undefined> }> {
  const request = createPipelineRequest({ url, method: "PUT", abortSignal });
  request.headers.set("content-type", "application/json");
  request.body = JSON.stringify(body);
  const response = await client.sendRequest(request);
  const parsed = parseOrThrow<T>(response.status, response.bodyAsText ?? undefined, request, response);
  return { status: response.status, body: parsed, headers: { "azure-asyncoperation": response.headers.get("azure-asyncoperation") ?? undefined, location: response.headers.get("location") ?? undefined, "retry-after": response.headers.get("retry-after") ?? undefined } };
}

async function send<T>(client: ServiceClient, url: string, method: "GET" | "POST", body: unknown, abortSignal?: AbortSignal): Promise<T> {
  const request = createPipelineRequest({ url, method, abortSignal });
  if (body !== undefined) {
    request.headers.set("content-type", "application/json");
    request.body = JSON.stringify(body);
  }
  const response = await client.sendRequest(request);
  return parseOrThrow<T>(response.status, response.bodyAsText ?? undefined, request, response);
}

function parseOrThrow<T>(status: number, text: string | undefined, request: Parameters<ServiceClient["sendRequest"]>[0], response: Awaited<ReturnType<ServiceClient["sendRequest"]>>): T {
  const json = text ? safeParse(text) : undefined;
  if (status >= 400) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RestError(error?.message ?? `Request failed with status ${status}`, { statusCode: status, code: error?.code, request, response });
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
