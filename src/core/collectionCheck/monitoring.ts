// Check 6: could Azure ML's own monitor read this data? The workspace's default datastore must carry
// credentials (a monitor's preprocessing job reads through it), each collection needs a data asset, and a
// collection writing to a custom data asset does so with the deployment's identity.
import { result, type CheckResult } from "./checkResult";

export interface MonitoringFacts {
  defaultDatastore?: { name: string; credentialsType: string };
  /** Per collection that is on: its data asset (dataId or the name Azure ML registers) and whether it exists. */
  assets: Array<{ collection: string; asset: string; custom: boolean; exists: boolean | undefined }>;
  /** The deployment's managed identity, when it has one. */
  identity?: string;
}

export function judgeMonitoring(facts: MonitoringFacts): CheckResult {
  const seen: string[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  const store = facts.defaultDatastore;
  if (!store) warnings.push("The workspace's default datastore could not be found.");
  else {
    seen.push(`Default datastore ${store.name}: credentials ${store.credentialsType}.`);
    if (/^none$/i.test(store.credentialsType)) problems.push(`${store.name} has no credentials (identity-based): a monitor's preprocessing job fails reading the collected data through it. Give the datastore an account key or SAS, or grant the monitor's compute identity Storage Blob Data Reader on the account.`);
  }
  for (const a of facts.assets) {
    seen.push(`${a.collection}: data asset ${a.asset} ${a.exists === undefined ? "(could not be read)" : a.exists ? "exists" : "does not exist"}${a.custom ? " (a custom dataId)" : ""}.`);
    if (a.exists === false) warnings.push(`${a.collection}: no data asset ${a.asset} yet; a monitor has nothing to read until Azure ML registers it with the first data${a.custom ? ", or you register it" : ""}.`);
  }
  const custom = facts.assets.filter((a) => a.custom);
  if (custom.length > 0) {
    if (facts.identity) seen.push(`${custom.map((a) => a.collection).join(", ")} write${custom.length === 1 ? "s" : ""} to a custom data asset with the deployment's identity (${facts.identity}): it needs Storage Blob Data Contributor on that asset's storage.`);
    else warnings.push(`${custom.map((a) => a.collection).join(", ")} write${custom.length === 1 ? "s" : ""} to a custom data asset, but the deployment has no managed identity to write with.`);
  }
  if (problems.length > 0) return result("monitoring", "problem", [...seen, ...problems, ...warnings], "Fix the datastore before creating a monitor.");
  if (warnings.length > 0) return result("monitoring", "warning", [...seen, ...warnings]);
  return result("monitoring", "ok", seen);
}
