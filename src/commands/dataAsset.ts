// modelData.registerDataAsset: a data asset version in the workspace through ARM over collected data (a
// file → uri_file, a date or hour folder → uri_folder, a date range → mltable with an MLTable file written
// beside the data) or over a built training set (uri_file). Data URIs name a datastore, never a key or SAS;
// legacy data's `modeldata` container gets an identity-based datastore when none points at it. A refused
// step undoes the ones before it (the MLTable file, a datastore made for this), so nothing is half-made.
import * as vscode from "vscode";
import type { ModelDataNode, WorkspaceScope } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { ArmJson, BlobGateway } from "../core/gateways";
import { acceptedName, nameProblem } from "../core/azureml/names";
import { assetName, datastoreUri, dataVersionBody, mltableFolder, mltableText, nextVersion, type DataAssetKind } from "../core/azureml/dataAsset";
import { studioPageUrl } from "../core/clouds";
import type { DataAssetRef } from "../core/azureml/notebook";
import { inRange, isDate, type DateRange } from "../core/drift/windows";
import { askRange } from "./preview";
import { fail, missing } from "./compare";
import { describeArmRefusal } from "../core/errors";
import { serviceOf } from "../tree/ancestors";

type DateNode = Extract<ModelDataNode, { kind: "date" }>;

export interface RegisterArgs {
  name?: string;
  version?: string;
  description?: string;
  tags?: Record<string, string>;
  /** A collection's date range (an mltable). */
  from?: string;
  to?: string;
  /** A training set uploaded to the default datastore (Build Training Set's result). */
  trainingSet?: { container: string; name: string };
  /** Make the identity-based datastore for legacy data without asking. */
  createDatastore?: boolean;
  /** false: nothing asked, no notifications. */
  show?: boolean;
}

export interface RegisterResult {
  id?: string;
  name: string;
  version: string;
  kind: DataAssetKind;
  dataUri: string;
  referencedUris?: string[];
  datastore: string;
  /** The MLTable file written for a range. */
  mltable?: { container: string; name: string; text: string };
  /** The datastore made for legacy data by this call. */
  createdDatastore?: string;
  studioUrl?: string;
}

interface Target {
  kind: DataAssetKind;
  container: string;
  blobs: BlobGateway;
  /** Blob path (uri_file), folder (uri_folder) or the day folders an MLTable reads. */
  path?: string;
  days?: string[];
  layout: "current" | "legacy";
  defaultName: string;
  range?: DateRange;
}

export async function registerDataAsset(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, args: RegisterArgs = {}): Promise<RegisterResult | undefined> {
  const show = args.show !== false;
  const service = node && serviceOf(tree, node);
  if (!node || !service) {
    if (show) void vscode.window.showInformationMessage("Choose a date, an hour, a file or a collection in the Azure ML Data view, then Register as Data Asset.");
    return undefined;
  }
  const scope = service.scope;
  const ml = scope.arm?.ml;
  if (!ml || !scope.info.subscriptionId) return fail(show, "Registering a data asset needs the workspace through Azure Resource Manager: sign in to Azure (this storage was attached without its workspace).");
  const target = await targetOf(tree, node, service, args, show);
  if (!target) return undefined;

  const datastores = await ml.listDatastores(scope.info);
  const existingDatastore = datastoreFor(datastores, scope, target);
  let datastore = existingDatastore;
  if (!datastore && target.container !== scope.current?.container) {
    const wanted = legacyDatastoreName(target.container);
    // A datastore of that name pointing elsewhere is someone's: never repointed, said instead.
    const taken = datastores.find((d) => d.name?.toLowerCase() === wanted.toLowerCase());
    if (taken) {
      const p = (taken.properties ?? {}) as { accountName?: string; containerName?: string };
      return fail(show, `The workspace already has a datastore named '${taken.name}', pointing at ${p.accountName ?? "another account"}/${p.containerName ?? "another container"}, not at '${target.container}'. It is left as it is: create a datastore for ${target.blobs.accountName}/${target.container} under another name in Azure ML studio, then register again.`);
    }
    const create = args.createDatastore ?? (show && await askCreateDatastore(target.container));
    if (!create) return fail(show, `No datastore points at the '${target.container}' container. Create one (identity-based) to register this data.`);
    datastore = wanted;
  }
  if (!datastore) return fail(show, "The workspace's default datastore is not known; refresh the view and try again.");

  const name = args.name ?? (show ? await vscode.window.showInputBox({ title: "Data asset name", value: target.defaultName, validateInput: (v) => nameProblem("data asset", v) }) : target.defaultName);
  if (!name) return undefined;
  if (nameProblem("data asset", name)) return fail(show, `'${name}': ${nameProblem("data asset", name)}`);
  const existingVersions = await ml.listDataVersions(scope.info, name);
  const next = nextVersion(existingVersions);
  const version = args.version ?? (show ? await vscode.window.showInputBox({ title: `Version of ${name}`, value: next, prompt: existingVersions.length ? `Existing: ${existingVersions.slice(-5).join(", ")}` : "The first version" }) : next);
  if (!version) return undefined;
  if (existingVersions.includes(version)) return fail(show, `${name}:${version} already exists and a version's data cannot change. Register version ${next}.`);
  const description = args.description ?? (show ? await vscode.window.showInputBox({ title: "Description (optional)", value: describeTarget(target, service.service) }) : describeTarget(target, service.service));
  if (description === undefined) return undefined;
  const tags = args.tags ?? (show ? parseTags(await vscode.window.showInputBox({ title: "Tags (optional)", prompt: "key=value, separated by commas", value: "source=vscode-model-data" })) : { source: "vscode-model-data" });
  if (tags === undefined) return undefined;

  const uri = (path: string) => datastoreUri({ subscription: scope.info.subscriptionId, resourceGroup: scope.info.resourceGroup, workspace: scope.info.name, datastore: datastore as string, path });
  const undo: Array<() => Promise<unknown>> = [];
  try {
    let createdDatastore: string | undefined;
    if (!existingDatastore) {
      await ml.putDatastore(scope.info, datastore, identityDatastoreBody(target.blobs.accountName, target.container, storageSuffix(target.blobs)));
      createdDatastore = datastore;
      undo.push(() => ml.deleteDatastore(scope.info, datastore as string));
    }
    let dataUri: string;
    let referencedUris: string[] | undefined;
    let mltable: RegisterResult["mltable"];
    if (target.kind === "mltable") {
      if (!target.blobs.uploadText) throw new Error("This storage cannot be written from here, so the MLTable file cannot be placed beside the data.");
      const patterns = (target.days ?? []).map((day) => `${uri(day)}**/*.${target.layout === "current" ? "jsonl" : "csv"}`);
      const folder = mltableFolder(target.path ?? "", target.range?.from ?? "", target.range?.to ?? "");
      mltable = { container: target.container, name: `${folder}MLTable`, text: mltableText({ layout: target.layout, patterns }) };
      await target.blobs.uploadText(target.container, mltable.name, mltable.text);
      const written = mltable;
      undo.push(() => target.blobs.deleteBlob?.(written.container, written.name) ?? Promise.resolve());
      dataUri = uri(folder);
      referencedUris = (target.days ?? []).map((day) => uri(day));
    } else dataUri = uri(target.path ?? "");
    const stored: ArmJson = await ml.putDataVersion(scope.info, name, version, dataVersionBody({ kind: target.kind, dataUri, referencedUris, description: description || undefined, tags }));
    const studioUrl = scope.source?.studioUrl ? studioPageUrl(scope.source.studioUrl(scope.info), `data/${encodeURIComponent(name)}/${encodeURIComponent(version)}/details`) : undefined;
    const result: RegisterResult = { id: stored.id, name, version, kind: target.kind, dataUri, referencedUris, datastore, mltable, createdDatastore, studioUrl };
    if (show) void announce(result, { subscription: scope.info.subscriptionId, resourceGroup: scope.info.resourceGroup, workspace: scope.info.name, name, version, kind: target.kind,
      format: target.path?.endsWith(".parquet") ? "parquet" : target.layout === "current" ? "jsonl" : "csv" });
    return result;
  } catch (error) {
    // Undo in reverse: the MLTable file, then a datastore made for this call.
    for (const step of undo.reverse()) await step().catch(() => undefined);
    return fail(show, `${name}:${version} was not registered (nothing was left behind): ${describeArmRefusal(error)}`);
  }
}

/** The new version opens in Azure ML studio; the notification offers it again and a notebook over it. */
async function announce(result: RegisterResult, asset: DataAssetRef): Promise<void> {
  if (result.studioUrl) void vscode.env.openExternal(vscode.Uri.parse(result.studioUrl));
  const open = result.studioUrl ? "Open in Studio" : undefined;
  const picked = await vscode.window.showInformationMessage(`Registered ${result.name}:${result.version} (${result.kind})${result.createdDatastore ? `, with the datastore '${result.createdDatastore}'` : ""}.`, ...(open ? [open] : []), "Open in Notebook");
  if (picked === open && result.studioUrl) await vscode.env.openExternal(vscode.Uri.parse(result.studioUrl));
  if (picked === "Open in Notebook") await vscode.commands.executeCommand("modelData.openInNotebook", undefined, { asset });
}

async function targetOf(tree: ModelDataTreeProvider, node: ModelDataNode, service: Extract<ModelDataNode, { kind: "service" }>, args: RegisterArgs, show: boolean): Promise<Target | undefined> {
  const layout = service.service.layout;
  const base = assetName(serviceLabel(service.service).replace("/", "-"));
  if (args.trainingSet) {
    const current = service.scope.current;
    if (!current || current.container !== args.trainingSet.container) return fail(show, "The training set is not in this workspace's default datastore.");
    return { kind: "uri_file", container: current.container, blobs: current.blobs, path: args.trainingSet.name, layout, defaultName: `${base}-training` };
  }
  switch (node.kind) {
    case "file":
      return { kind: "uri_file", container: node.where.container, blobs: node.where.blobs, path: node.blob.name, layout, defaultName: assetName(`${base}-${fileStem(node.blob.name)}`) };
    case "hour": {
      const folder = node.blobs[0]?.name.replace(/[^/]+$/, "") ?? "";
      return { kind: "uri_folder", container: node.where.container, blobs: node.where.blobs, path: folder, layout, defaultName: assetName(`${base}-${folder.split("/").slice(-5, -1).join("")}`) };
    }
    case "date": {
      const identifier = tree.getParent(node);
      const collection = identifier?.kind === "identifier" ? identifier.name : "data";
      const name = assetName(`${base}-${collection}-${node.group.date}`);
      // A day in one folder is a folder; a legacy day split over folders (2026/3/5 and 2026/03/05) is a table.
      if (node.group.prefixes.length === 1) return { kind: "uri_folder", container: node.where.container, blobs: node.where.blobs, path: node.group.prefixes[0], layout, defaultName: name };
      return { kind: "mltable", container: node.where.container, blobs: node.where.blobs, path: identifier?.kind === "identifier" ? identifier.prefix : node.group.prefixes[0],
        days: node.group.prefixes, layout, defaultName: name, range: { from: node.group.date, to: node.group.date } };
    }
    case "identifier": {
      const dates = (await tree.getChildren(node)).filter((d): d is DateNode => d.kind === "date");
      const all = dates.map((d) => d.group.date);
      const chosen = args.from && args.to ? { from: args.from, to: args.to } : show ? await askRange(all, "Register which dates as one data asset?") : undefined;
      if (!chosen) return missing(show, "Say which dates: { from, to } as yyyy-mm-dd.");
      const range = { from: chosen.from ?? all[all.length - 1] ?? "", to: chosen.to ?? all[0] ?? "" };
      if (!isDate(range.from) || !isDate(range.to)) return fail(show, `The date range ${JSON.stringify(range)} is not a yyyy-mm-dd range.`);
      const days = dates.filter((d) => inRange(d.group.date, range)).sort((a, b) => a.group.date.localeCompare(b.group.date)).flatMap((d) => d.group.prefixes);
      if (days.length === 0) return fail(show, `${node.name} has no collected data from ${range.from} to ${range.to}.`);
      return { kind: "mltable", container: node.where.container, blobs: node.where.blobs, path: node.prefix, days, layout, range,
        defaultName: assetName(`${base}-${node.name}-${range.from}-${range.to}`) };
    }
    default:
      return fail(show, "Register a date, an hour, a file, a collection's date range or a built training set.");
  }
}

/** The datastore whose container holds the data: the default one for current data, else one pointing at the container. */
function datastoreFor(datastores: ArmJson[], scope: WorkspaceScope, target: Target): string | undefined {
  if (scope.current && scope.current.container === target.container && scope.current.blobs.accountName === target.blobs.accountName && scope.current.datastore) return scope.current.datastore;
  const match = datastores.find((d) => {
    const p = (d.properties ?? {}) as { datastoreType?: string; accountName?: string; containerName?: string };
    return p.datastoreType === "AzureBlob" && p.containerName === target.container && p.accountName?.toLowerCase() === target.blobs.accountName.toLowerCase();
  });
  return match?.name;
}

async function askCreateDatastore(container: string): Promise<boolean> {
  const create = `Create Datastore '${legacyDatastoreName(container)}'`;
  const picked = await vscode.window.showWarningMessage(`No datastore of this workspace points at the '${container}' container, where the legacy collector writes.`,
    { modal: true, detail: "The datastore is identity-based: no account key or SAS is stored, and reading the data uses the identity of whoever reads it (give it Storage Blob Data Reader on the account)." }, create);
  return picked === create;
}

export function legacyDatastoreName(container: string): string {
  return acceptedName(container, "modeldata");
}

/** An Azure Blob datastore without credentials: data is read with the caller's identity. */
export function identityDatastoreBody(accountName: string, container: string, endpoint: string): unknown {
  return { properties: { datastoreType: "AzureBlob", accountName, containerName: container, endpoint, protocol: "https", credentials: { credentialsType: "None" },
    serviceDataAccessAuthIdentity: "None", description: "Legacy model data collection (created by the Azure ML Data extension; identity-based, no secrets stored)." } };
}

function storageSuffix(blobs: BlobGateway): string {
  try {
    const host = new URL(blobs.blobUrl("c", "b")).host;
    const match = /\.blob\.(.+)$/.exec(host);
    return match?.[1] ?? "core.windows.net";
  } catch {
    return "core.windows.net";
  }
}

function describeTarget(target: Target, service: Extract<ModelDataNode, { kind: "service" }>["service"]): string {
  const what = target.kind === "mltable" && target.range ? `${target.range.from} to ${target.range.to}` : target.path ?? "";
  return `Collected data of ${serviceLabel(service)}: ${what}`;
}

function fileStem(name: string): string {
  return (name.split("/").pop() ?? name).replace(/\.[^.]+$/, "");
}

export function parseTags(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const part of text.split(",")) {
    const [key, ...rest] = part.split("=");
    if (key?.trim()) tags[key.trim()] = rest.join("=").trim();
  }
  return tags;
}
