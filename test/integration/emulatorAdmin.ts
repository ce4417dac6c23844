// The local ARM server's test-only admin routes (/_emulator/...), reached from inside the extension host.
// node:https with the server's certificate: the host's fetch does not read NODE_EXTRA_CA_CERTS.
import { request } from "node:https";
import { readFileSync } from "node:fs";
import type { FaultSpec } from "../servers/arm/faults";

export const armUrl = process.env.MODELDATA_TEST_ARM_URL ?? "";
const ca = process.env.NODE_EXTRA_CA_CERTS ? readFileSync(process.env.NODE_EXTRA_CA_CERTS) : undefined;

interface SimpleResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

function fetch(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}


export async function injectFault(fault: FaultSpec): Promise<void> {
  const res = await fetch(`${armUrl}/_emulator/faults`, { method: "POST", body: JSON.stringify(fault), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`fault not accepted: ${res.status}`);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${armUrl}/_emulator/faults`, { method: "DELETE" });
}

export async function storedResource(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${armUrl}/_emulator/resource?id=${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`${id} not stored`);
  return (await res.json()) as Record<string, unknown>;
}

/** Stores a resource exactly as given, as the service would hold it (test setup only). */
export async function storeResource(resource: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${armUrl}/_emulator/resource`, { method: "PUT", body: JSON.stringify(resource), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`resource not stored: ${res.status}`);
}

export async function storedLegacyService(q: { subscriptionId: string; resourceGroup: string; workspace: string; name: string }): Promise<{ storageEnabled: boolean }> {
  const res = await fetch(`${armUrl}/_emulator/legacy-service?${new URLSearchParams(q)}`);
  if (!res.ok) throw new Error(`${q.name} not stored`);
  return (await res.json()) as { storageEnabled: boolean };
}

async function requestsTo(method: string, pathPart: string): Promise<Array<{ method: string; path: string; body?: unknown }>> {
  const res = await fetch(`${armUrl}/_emulator/requests`);
  const { value } = (await res.json()) as { value: Array<{ method: string; path: string; body?: unknown }> };
  return value.filter((r) => r.method === method && r.path.toLowerCase().includes(pathPart.toLowerCase()));
}

export async function requestsMatching(method: string, pathPart: string): Promise<number> {
  return (await requestsTo(method, pathPart)).length;
}

/** The paths (with query) of the requests the server received, oldest first. */
export async function requestPaths(method: string, pathPart: string): Promise<string[]> {
  return (await requestsTo(method, pathPart)).map((r) => r.path);
}

/** Removes a stored resource without a request of the extension's (test clean-up only). */
export async function deleteResource(id: string): Promise<void> {
  const res = await fetch(`${armUrl}/_emulator/resource?id=${encodeURIComponent(id)}`, { method: "DELETE" });
  if (!res.ok) throw new Error(`${id} not deleted: ${res.status}`);
}

/** The bodies the server received, oldest first. */
export async function requestBodies(method: string, pathPart: string): Promise<Array<Record<string, unknown>>> {
  return (await requestsTo(method, pathPart)).map((r) => r.body as Record<string, unknown>);
}

/** Sets an online deployment's inference-server log, as getLogs will answer it (test setup only). */
export async function setDeploymentLog(deploymentId: string, content: string): Promise<void> {
  const res = await fetch(`${armUrl}/_emulator/logs?id=${encodeURIComponent(deploymentId)}`, { method: "PUT", body: JSON.stringify({ content }), headers: { "content-type": "application/json" } });
  if (!res.ok) throw new Error(`log not set: ${res.status}`);
}
