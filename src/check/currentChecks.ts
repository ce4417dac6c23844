// The chain for an online deployment: each link read (ARM, the code asset, the log, storage) and judged by
// the pure checks in core/collectionCheck. A link that cannot be read is `unknown` with the reason.
import { describeArmRefusal, describeError } from "../core/errors";
import { judgeCurrentConfiguration, collectionSettings, PAYLOAD_COLLECTIONS, type CollectionSetting } from "../core/collectionCheck/configuration";
import { judgeCode } from "../core/collectionCheck/code";
import { judgeTraffic } from "../core/collectionCheck/traffic";
import { judgeLog } from "../core/collectionCheck/runtimeLog";
import { judgeStorage, type CollectionStorage } from "../core/collectionCheck/storage";
import { judgeMonitoring, type MonitoringFacts } from "../core/collectionCheck/monitoring";
import { parseCodeUri, scoringScriptBlob } from "../core/collectionCheck/codeLocation";
import { sampleJsonlTypes } from "../core/collectionCheck/sampleTypes";
import { CHECK_IDS, unknownCheck, type CheckResult } from "../core/collectionCheck/checkResult";
import type { DataCollectorShape } from "../core/collectionState";
import { analyseCollectors, correctedText } from "../snippets/collectorAnalysis";
import { newestFolderFiles } from "./newestBlobs";
import type { CheckOptions, CheckTarget, DeployedFile } from "./checkTarget";

type Json = Record<string, unknown>;
const MAX_SCRIPT_BYTES = 1 << 20;
const SAMPLE_BYTES = 256 * 1024;

export async function checkCurrentDeployment(target: CheckTarget, deploymentId: string, options: CheckOptions): Promise<{ checks: CheckResult[]; deployedFile?: DeployedFile; newest?: { container: string; blob: string } }> {
  const service = target.service;
  if (service.layout !== "current") throw new Error("not an online deployment");
  const arm = target.arm;
  const ml = arm?.ml;
  const signal = options.signal;
  const why = (error: unknown) => describeArmRefusal(error);
  const whyStorage = (error: unknown) => describeError(error).message;
  if (!arm || !ml) return { checks: CHECK_IDS.map((id) => unknownCheck(id, "This source does not reach Azure Resource Manager (sign in, or set the local emulator's ARM endpoint).")) };

  let deployment: Json | undefined;
  let deploymentError = "";
  try {
    deployment = await arm.getDeploymentJson(deploymentId, signal) as Json;
  } catch (error) {
    deploymentError = why(error);
  }
  const properties = (deployment?.properties ?? {}) as Json;
  const settings = collectionSettings(properties.dataCollector as DataCollectorShape | undefined);
  const on = settings.filter((s) => s.on);
  const sdkCollections = on.filter((s) => !PAYLOAD_COLLECTIONS.has(s.name)).map((s) => s.name);
  const updatedAt = dateOf((deployment?.systemData as Json | undefined)?.lastModifiedAt);
  const endpointId = deploymentId.replace(/\/deployments\/[^/]+$/i, "");

  // Read once: its traffic for one link, its identity for another.
  const endpointRead: Promise<{ endpoint?: Json; error?: unknown }> = ml.getResource(endpointId, signal).then((endpoint) => ({ endpoint }), (error) => ({ error }));
  const [configuration, code, traffic, log, storage, monitoring] = await Promise.all([
    deployment ? judgeCurrentConfiguration(settings, properties.provisioningState as string | undefined) : unknownCheck("configuration", `The deployment could not be read: ${deploymentError}`),
    deployment ? readCode(target, properties, sdkCollections, signal).catch((error) => ({ check: unknownCheck("code", `The scoring code could not be read: ${why(error)}`) })) : { check: unknownCheck("code", "Needs the deployment, which could not be read.") },
    endpointRead.then(({ endpoint, error }) => error ? unknownCheck("traffic", `The endpoint could not be read: ${why(error)}`) : endpoint
      ? judgeTraffic(service.deploymentName, (endpoint.properties as Json | undefined)?.traffic as Record<string, number>, (endpoint.properties as Json | undefined)?.mirrorTraffic as Record<string, number>)
      : unknownCheck("traffic", `The endpoint ${service.endpointName} was not found.`)),
    ml.getDeploymentLogs(deploymentId, options.tail ?? 500, signal).then((text) => judgeLog(options.tail ?? 500, text), (error) => unknownCheck("log", `The deployment's log could not be read: ${why(error)}`)),
    deployment ? readStorage(target, on, updatedAt, options).catch((error) => ({ check: unknownCheck("storage", `Storage could not be listed: ${whyStorage(error)}`) })) : { check: unknownCheck("storage", "Needs the deployment's collections, which could not be read.") },
    deployment ? readMonitoring(target, on, endpointRead.then((r) => r.endpoint), signal).then(judgeMonitoring, (error) => unknownCheck("monitoring", `Could not be read: ${why(error)}`)) : unknownCheck("monitoring", "Needs the deployment, which could not be read."),
  ]);
  return { checks: [configuration, code.check, traffic, log, storage.check, monitoring], deployedFile: "file" in code ? code.file : undefined, newest: "newest" in storage ? storage.newest : undefined };

  function dateOf(value: unknown): Date | undefined {
    const time = typeof value === "string" ? Date.parse(value) : NaN;
    return Number.isNaN(time) ? undefined : new Date(time);
  }
}

async function readCode(target: CheckTarget, properties: Json, sdkCollections: string[], signal?: AbortSignal): Promise<{ check: CheckResult; file?: DeployedFile }> {
  const configuration = properties.codeConfiguration as { codeId?: string; scoringScript?: string } | undefined;
  if (!configuration?.codeId || !configuration.scoringScript) {
    return { check: unknownCheck("code", "The deployment has no codeConfiguration (a no-code MLflow or custom-container deployment): its scoring code cannot be read here. Payload logging (request/response) needs no code.") };
  }
  const version = await target.arm!.ml!.getResource(configuration.codeId, signal);
  const codeUri = (version?.properties as Json | undefined)?.codeUri;
  if (!version || typeof codeUri !== "string") return { check: unknownCheck("code", `The code asset ${configuration.codeId.split("/codes/")[1] ?? configuration.codeId} was not found.`) };
  const location = parseCodeUri(codeUri);
  const blobs = target.current?.blobs;
  if (!location || !blobs) return { check: unknownCheck("code", `The code is at ${codeUri}, which this source cannot read.`) };
  if (location.account.toLowerCase() !== blobs.accountName.toLowerCase()) return { check: unknownCheck("code", `The code is in storage account ${location.account}, not the workspace's (${blobs.accountName}); attach that account to read it.`) };
  const name = scoringScriptBlob(location, configuration.scoringScript);
  let bytes: Buffer;
  try {
    bytes = await blobs.readRange(location.container, name, 0, MAX_SCRIPT_BYTES, signal);
  } catch (error) {
    return { check: unknownCheck("code", `${location.container}/${name} could not be read: ${describeError(error).message}`) };
  }
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  // With nothing on, the configuration check says so; the code is judged by itself.
  const analysis = analyseCollectors(text, { collectionsOn: sdkCollections.length > 0 ? sdkCollections : undefined });
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const check = judgeCode({ path: `${location.container}/${name}`, sdk: analysis.sdk, findings: analysis.findings.map((f) => ({ severity: f.severity, message: f.message, line: f.to > f.from ? lineOf(f.from) : 0, fixable: !!f.fix })) }, sdkCollections, "current");
  const corrected = correctedText(text, analysis);
  return { check, file: check.status === "ok" ? undefined : { name: configuration.scoringScript, original: text, corrected } };
}

async function readStorage(target: CheckTarget, on: CollectionSetting[], updatedAt: Date | undefined, options: CheckOptions): Promise<{ check: CheckResult; newest?: { container: string; blob: string } }> {
  const store = target.current;
  const service = target.service;
  if (!store || service.layout !== "current") return { check: unknownCheck("storage", "The workspace's default datastore is not reachable from this source.") };
  let newest: { container: string; blob: string } | undefined;
  const collections: CollectionStorage[] = [];
  for (const setting of on) {
    // A custom dataId writes elsewhere; the default datastore holds the rest.
    const root = `modelDataCollector/${service.endpointName}/${service.deploymentName}/${setting.name}/`;
    const found = await newestFolderFiles(store.blobs, store.container, root, 4, options.signal);
    const files = found?.files ?? [];
    const data = files.filter((f) => /\.jsonl(\.gz)?$/i.test(f.name));
    const latest = [...data].sort((a, b) => a.name.localeCompare(b.name)).at(-1);
    const entry: CollectionStorage = { collection: setting.name, folder: `${store.container}/${root}`, foreign: files.filter((f) => !data.includes(f)).map((f) => f.name.split("/").pop() ?? f.name) };
    if (latest && found) {
      // The collector writes each record into the hour folder it was collected in: that hour is when.
      const hour = /(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/$/.exec(found.folder);
      const written = hour ? new Date(Date.UTC(+hour[1], +hour[2] - 1, +hour[3], +hour[4], 59)) : latest.lastModified ?? new Date(0);
      entry.newest = { name: latest.name.split("/").slice(-5).join("/"), lastModified: written, size: latest.size };
      newest ??= { container: store.container, blob: latest.name };
      if (!/\.gz$/i.test(latest.name)) {
        const head = await store.blobs.readRange(store.container, latest.name, 0, SAMPLE_BYTES, options.signal);
        const sample = sampleJsonlTypes(head.toString("utf8"));
        entry.numbersAsText = sample.numbersAsText;
        entry.mixedTypes = sample.mixedTypes;
      }
    }
    collections.push(entry);
  }
  return { check: judgeStorage(collections, updatedAt, options.asOf ?? new Date()), newest };
}

async function readMonitoring(target: CheckTarget, on: CollectionSetting[], endpointRead: Promise<Json | undefined>, signal?: AbortSignal): Promise<MonitoringFacts> {
  const ml = target.arm!.ml!;
  const service = target.service;
  if (service.layout !== "current") throw new Error("not an online deployment");
  const stores = await ml.listDatastores(target.workspace, signal);
  const store = stores.find((d) => (d.properties as Json | undefined)?.isDefault === true);
  const credentials = ((store?.properties as Json | undefined)?.credentials as Json | undefined)?.credentialsType;
  const endpoint = await endpointRead;
  const identity = (endpoint?.identity as Json | undefined)?.type;
  const assets = await Promise.all(on.filter((s) => !PAYLOAD_COLLECTIONS.has(s.name)).map(async (s) => {
    // Azure ML registers <endpoint>-<deployment>-<collection> unless the collection names its own dataId.
    const custom = !!s.dataId;
    const asset = s.dataId ?? `${service.endpointName}-${service.deploymentName}-${s.name}`;
    const name = asset.replace(/^azureml:/, "").split(/\/data\//i).pop()!.split(/[:/]/)[0];
    const exists = await ml.listDataVersions(target.workspace, name, signal).then((v) => v.length > 0, () => undefined);
    return { collection: s.name, asset, custom, exists };
  }));
  return { defaultDatastore: store ? { name: String(store.name ?? ""), credentialsType: String(credentials ?? "unknown") } : undefined, assets, identity: typeof identity === "string" && identity !== "None" ? identity : undefined };
}
