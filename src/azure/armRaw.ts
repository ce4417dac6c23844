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
  if (status >= 400) throw armError(json as ArmErrorBody | undefined, status, `Request failed with status ${status}`, { request, response });
  return json as T;
}

/** An ARM error body (`{ error: { code, message, details, additionalInfo } }`). */
export interface ArmErrorBody {
  error?: { code?: string; message?: string; details?: unknown; additionalInfo?: unknown };
}

/**
 * An ARM error body as a RestError that keeps `details` and `additionalInfo` (where the service names the
 * property it refused) for the message.
 */
export function armError(body: ArmErrorBody | undefined, statusCode: number, fallback: string,
  exchange: { request?: Parameters<ServiceClient["sendRequest"]>[0]; response?: Awaited<ReturnType<ServiceClient["sendRequest"]>> } = {}): RestError {
  const error = body?.error;
  return Object.assign(new RestError(error?.message ?? fallback, { statusCode, code: error?.code, ...exchange }), { armDetails: error?.details, armAdditionalInfo: error?.additionalInfo });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
