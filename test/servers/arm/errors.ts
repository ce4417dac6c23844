// ARM's error body shape: { "error": { "code", "message", "details"? } }.
import type { ServerResponse } from "node:http";

export class ArmError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ArmError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } });
}

export const notFound = (type: string, name: string, resourceGroup?: string) =>
  new ArmError(404, "ResourceNotFound", `The Resource '${type}/${name}'${resourceGroup ? ` under resource group '${resourceGroup}'` : ""} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
