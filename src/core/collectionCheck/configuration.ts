// Check 1: is collection configured? A deployment's dataCollector (which collections, on or off, sampling,
// where each writes), or a legacy service's collection setting.
import type { DataCollectorShape } from "../collectionState";
import { result, type CheckResult } from "./checkResult";

/** Collections the server logs itself (payloads); the others need a collector in the scoring file. */
export const PAYLOAD_COLLECTIONS = new Set(["request", "response"]);

export interface CollectionSetting {
  name: string;
  on: boolean;
  samplingRate?: number;
  dataId?: string;
}

export function collectionSettings(dataCollector: (DataCollectorShape & { collections?: Record<string, { samplingRate?: number } | undefined> }) | null | undefined): CollectionSetting[] {
  return Object.entries(dataCollector?.collections ?? {}).map(([name, c]) => ({
    name, on: c?.dataCollectionMode?.toLowerCase() === "enabled", samplingRate: typeof c?.samplingRate === "number" ? c.samplingRate : undefined, dataId: c?.dataId,
  }));
}

export function judgeCurrentConfiguration(settings: CollectionSetting[], provisioningState: string | undefined): CheckResult {
  const on = settings.filter((s) => s.on);
  const seen = settings.length === 0 ? ["The deployment has no dataCollector section."] : settings.map((s) => {
    const parts = [`${s.name}: ${s.on ? "on" : "off"}`];
    if (s.on && s.samplingRate !== undefined) parts.push(`sampling ${Math.round(s.samplingRate * 1000) / 10}%`);
    if (s.dataId) parts.push(`writes to ${s.dataId}`);
    return parts.join(", ");
  });
  if (provisioningState && !/^Succeeded$/i.test(provisioningState)) seen.push(`Provisioning state: ${provisioningState}.`);
  if (on.length === 0) return result("configuration", "problem", seen, "Data collection is off on this deployment: nothing is written. Enable it (a redeploy of the same deployment).", { kind: "enable", label: "Enable Data Collection" });
  const sampled = on.filter((s) => s.samplingRate !== undefined && s.samplingRate <= 0);
  if (sampled.length > 0) return result("configuration", "problem", seen, `${sampled.map((s) => s.name).join(", ")} sample${sampled.length === 1 ? "s" : ""} 0% of requests: nothing is kept. Set samplingRate above 0.`);
  const low = on.filter((s) => s.samplingRate !== undefined && s.samplingRate < 0.05);
  if (low.length > 0) return result("configuration", "warning", seen, `${low.map((s) => s.name).join(", ")} keep${low.length === 1 ? "s" : ""} under 5% of requests: days with little traffic may have no file at all.`);
  if (provisioningState && /^Failed$/i.test(provisioningState)) return result("configuration", "problem", seen, "The deployment's last update failed; it may still run the previous configuration. Look at the deployment in studio.", { kind: "openStudio", label: "Open in Studio" });
  return result("configuration", "ok", seen);
}

export function judgeLegacyConfiguration(storageEnabled: boolean | undefined, codeUsesCollector: boolean | undefined): CheckResult {
  if (storageEnabled === undefined) return result("configuration", "unknown", ["The model-management API did not say whether collection is enabled."]);
  if (storageEnabled) return result("configuration", "ok", ["Model data collection is enabled on the service."]);
  const seen = ["Model data collection is disabled on the service (collect_model_data = false)."];
  if (codeUsesCollector) seen.push("The scoring code makes ModelDataCollector objects: with collection disabled they never initialise, and collect() fails with \"'ModelDataCollector' object has no attribute '_handle'\".");
  return result("configuration", "problem", seen, "Enable model data collection on the service (an update of the service).", { kind: "enable", label: "Enable Data Collection" });
}
