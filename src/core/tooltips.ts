// What a tree node's hover says beyond its label: what is there (files, bytes, the newest write, hours in
// UTC) and where it lives, so a cut-off description or a bare date is never all a user can read.
import type { BlobInfo } from "./gateways";
import { formatBytes } from "./dates";

function newestWrite(blobs: readonly BlobInfo[]): string | undefined {
  let newest: Date | undefined;
  for (const b of blobs) if (b.lastModified && (!newest || b.lastModified > newest)) newest = b.lastModified;
  return newest && `newest write ${newest.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function files(blobs: readonly BlobInfo[]): string {
  const bytes = blobs.reduce((s, b) => s + b.size, 0);
  return `${blobs.length} ${blobs.length === 1 ? "file" : "files"}, ${formatBytes(bytes)}`;
}

export function dateTooltip(date: string, blobs: readonly BlobInfo[], others: number, where: string): string {
  return [`${date} (UTC day): ${files(blobs)}`, newestWrite(blobs), others > 0 ? `${others} other file(s) beside them, not the collector's` : undefined, where].filter(Boolean).join("\n");
}

export function hourTooltip(hour: string, blobs: readonly BlobInfo[], where: string): string {
  return [`${hour}:00–${hour}:59 UTC: ${files(blobs)}`, newestWrite(blobs), where].filter(Boolean).join("\n");
}

export function collectionTooltip(name: string, where: string): string {
  const what = /^(inputs|model_inputs)$/.test(name) ? "the model's inputs" : /^(predictions|model_outputs|outputs)$/.test(name) ? "the model's predictions"
    : /^(request|response)$/.test(name) ? "raw HTTP payloads (payload logging)" : "a custom collection";
  return `Collected data '${name}': ${what}, one folder per UTC day\n${where}`;
}

export function modelTooltip(label: string, layout: "legacy" | "current", newest: boolean, where: string): string {
  const [name, version] = label.split(":");
  const what = layout === "current" ? `Model ${name}, version ${version ?? "unknown"}: what the deployment serves (ARM)`
    : `Model ${name}, version ${version}${newest ? ": the newest version with data (a service's Compare and Build Training Set use it)" : ": an older version's data"}`;
  return `${what}\n${where}`;
}

export function monitorTooltip(monitor: { name: string; enabled: boolean; provisioningState?: string; signals: string[]; nextRun?: string; deploymentId?: string }): string {
  return [
    `Azure ML monitor ${monitor.name}: ${monitor.enabled ? "enabled" : "disabled"}${monitor.provisioningState && monitor.provisioningState !== "Succeeded" ? ` (${monitor.provisioningState})` : ""}`,
    monitor.signals.length > 0 ? `signals: ${monitor.signals.join(", ")}` : undefined,
    monitor.nextRun ? `next run ${monitor.nextRun.slice(0, 16).replace("T", " ")} UTC on serverless Spark` : monitor.enabled ? "next run: see its schedule in Azure ML studio" : "does not run while disabled",
    monitor.deploymentId ? `watches ${monitor.deploymentId.split("/").slice(-3).join("/").replace("/deployments/", "/")}` : undefined,
  ].filter(Boolean).join("\n");
}
