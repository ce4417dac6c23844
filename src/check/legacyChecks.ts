// The chain for a v1 web service (SDK v1 on AKS): its collection setting and what reached the modeldata
// container. The links a v1 service does not expose here (its image's code, its log, v2 monitors) say so.
import { describeError } from "../core/errors";
import { judgeLegacyConfiguration } from "../core/collectionCheck/configuration";
import { judgeStorage, type CollectionStorage } from "../core/collectionCheck/storage";
import { result, unknownCheck, type CheckResult } from "../core/collectionCheck/checkResult";
import { newestFolderFiles } from "./newestBlobs";
import type { CheckOptions, CheckTarget } from "./checkTarget";

export async function checkLegacyService(target: CheckTarget, options: CheckOptions): Promise<{ checks: CheckResult[]; newest?: { container: string; blob: string } }> {
  const service = target.service;
  if (service.layout !== "legacy") throw new Error("not a legacy service");
  const configuration = service.service
    ? judgeLegacyConfiguration(service.service.storageEnabled, undefined)
    : unknownCheck("configuration", "The workspace's model-management API does not list this service (it may have been deleted); its data stays in storage.");
  const code = unknownCheck("code", "A v1 web service's scoring script is inside its image and cannot be read here. Open your local score.py: the editor flags collector problems in it (Problems panel).");
  const traffic = result("traffic", "ok", ["A v1 web service has no traffic split: every request to its scoring URI reaches it."]);
  const log = unknownCheck("log", "v1 web services' logs are not read here; run `az ml service get-logs` (CLI v1) or service.get_logs() in the SDK v1.");
  const storage = await readLegacyStorage(target, options).catch((error) => ({ check: unknownCheck("storage", `Storage could not be listed: ${describeError(error).message}`), newest: undefined }));
  const monitoring = unknownCheck("monitoring", "Azure ML model monitors read the current collector's data; for v1 data, register its files as a data asset (Register as Data Asset) and compare from there.");
  return { checks: [configuration, code, traffic, log, storage.check, monitoring], newest: storage.newest };
}

async function readLegacyStorage(target: CheckTarget, options: CheckOptions): Promise<{ check: CheckResult; newest?: { container: string; blob: string } }> {
  const store = target.legacy;
  const service = target.service;
  if (!store || service.layout !== "legacy") return { check: unknownCheck("storage", "The workspace's modeldata container is not reachable from this source.") };
  const root = `${store.prefix}${service.name}/`;
  const models = await store.blobs.listByHierarchy(store.container, root, { pageSize: 1000, signal: options.signal });
  const collections: CollectionStorage[] = [];
  let newest: { container: string; blob: string } | undefined;
  for (const model of models.prefixes) {
    const versions = await store.blobs.listByHierarchy(store.container, model, { pageSize: 1000, signal: options.signal });
    const version = versions.prefixes.sort((a, b) => Number(a.split("/").at(-2)) - Number(b.split("/").at(-2))).pop();
    if (!version) continue;
    const identifiers = await store.blobs.listByHierarchy(store.container, version, { pageSize: 1000, signal: options.signal });
    for (const identifier of identifiers.prefixes) {
      const label = `${model.split("/").at(-2)}:${version.split("/").at(-2)} ${identifier.split("/").at(-2)}`;
      const found = await newestFolderFiles(store.blobs, store.container, identifier, 3, options.signal);
      const files = found?.files ?? [];
      const data = files.filter((f) => /\.csv$/i.test(f.name));
      const latest = [...data].sort((a, b) => a.name.localeCompare(b.name)).at(-1);
      const entry: CollectionStorage = { collection: label, folder: `${store.container}/${identifier}`, foreign: files.filter((f) => !data.includes(f)).map((f) => f.name.split("/").pop() ?? f.name) };
      const day = found && /(\d{4})\/(\d{1,2})\/(\d{1,2})\/$/.exec(found.folder);
      if (latest && day) {
        // A legacy file holds a day: its folder's day is when (to the end of it).
        entry.newest = { name: latest.name.slice(identifier.length), lastModified: new Date(Date.UTC(+day[1], +day[2] - 1, +day[3], 23, 59)), size: latest.size };
        newest ??= { container: store.container, blob: latest.name };
      }
      collections.push(entry);
    }
  }
  if (collections.length === 0) return { check: result("storage", "problem", [`No model folder under ${store.container}/${root}.`], "Nothing was ever collected: enable collection on the service and make sure the scoring code collects.") };
  return { check: judgeStorage(collections, undefined, options.asOf ?? new Date()), newest };
}
