// modelData.compare: drift and data quality between a production window and a reference (the window just
// before it, another date range, a local file). Takes its inputs as arguments and asks only for what is
// missing; returns the full result as plain JSON (with show: false, no UI at all).
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewFile } from "../reading/previewFile";
import { localPreviewFile } from "../reading/localFile";
import { targetPrefix } from "./preview";
import { reportActions } from "./reportActions";
import type { DriftManager, DriftReport, CollectionDrift } from "../drift/manager";
import type { FeatureOptions } from "../core/drift/compare";
import { days, describe, inRange, isDate, shiftDays, windowBefore, type DateRange } from "../core/drift/windows";
import { serviceOf } from "../tree/ancestors";
import { identifiersOf, modelFor, type IdentifierNode, type ModelNode } from "./modelCollections";

type DateNode = Extract<ModelDataNode, { kind: "date" }>;

export interface CompareArgs {
  production?: DateRange;
  reference?: DateRange | { file: string };
  /** Only these features. */
  features?: string[];
  /** Per feature: its type, metric or threshold. */
  metrics?: Record<string, FeatureOptions>;
  /** false: no progress, no report, nothing asked (everything missing is an error). "inPlace": progress, but the
   * report that asked for it redraws itself. */
  show?: boolean | "inPlace";
}

export const INPUTS = new Set(["inputs", "model_inputs"]);
export const OUTPUTS = new Set(["predictions", "model_outputs", "outputs"]);

export async function compare(tree: ModelDataTreeProvider, drift: DriftManager, target: ModelDataNode | undefined, args: CompareArgs = {}): Promise<DriftReport | undefined> {
  const show = args.show !== false;
  const newPanel = args.show !== "inPlace";
  if (!target || !["identifier", "date", "service"].includes(target.kind)) {
    if (show) void vscode.window.showInformationMessage("Choose a collection (inputs, predictions, model_inputs…), a date or a service in the Azure ML Data view, then Compare Data.");
    return undefined;
  }
  const identifiers = await compareCollections(tree, target, show);
  if (identifiers.length === 0) {
    if (show) void vscode.window.showInformationMessage("This service has no collected inputs or predictions to compare.");
    return undefined;
  }
  const dates = await datesOf(tree, identifiers[0]);
  const production = args.production ?? (target.kind === "date" ? { from: target.group.date, to: target.group.date } : show ? await askProduction(dates) : undefined);
  if (!production) return missing(show, "Say which dates are the production window: { production: { from, to } }.");
  if (!isDate(production.from) || !isDate(production.to) || production.from > production.to) return fail(show, `The production window ${JSON.stringify(production)} is not a yyyy-mm-dd range.`);
  const reference = args.reference ?? (show ? await askReference(production, dates) : windowBefore(production));
  if (!reference) return undefined;
  const referenceFile = "file" in reference ? await localPreviewFile(reference.file).catch((error: Error) => fail(show, `The reference file cannot be read: ${error.message}`)) : undefined;
  if ("file" in reference && !referenceFile) return undefined;

  const collections: CollectionDrift[] = [];
  const controller = new AbortController();
  const tracked = drift.track(controller);
  const run = async (progress?: vscode.Progress<{ message?: string; increment?: number }>) => {
    for (const identifier of identifiers) {
      const collectionKey = `${identifier.where.blobs.accountName}/${identifier.where.container}/${identifier.prefix}`;
      // Types remembered from the collection's earlier reports; what the caller asks for wins.
      const perFeature = { ...drift.kinds.options(collectionKey), ...args.metrics };
      const all = await datesOf(tree, identifier);
      const { files: productionFiles, buckets } = windowFiles(all.filter((d) => inRange(d.group.date, production)), identifier, days(production) <= 2);
      if (productionFiles.length === 0) throw new Error(`${identifier.name} has no collected data from ${describe(production)}.`);
      const referenceFiles = referenceFile ? [referenceFile] : filesOf(all.filter((d) => inRange(d.group.date, reference as DateRange)), identifier);
      if (referenceFiles.length === 0) throw new Error(`${identifier.name} has no collected data from ${describe(reference as DateRange)} to compare with. Choose another reference.`);
      const result = await drift.run({
        reference: { label: referenceFile ? referenceFile.label : describe(reference as DateRange), files: referenceFiles,
          format: referenceFile && /\.parquet$/i.test(referenceFile.name) ? "parquet" : formatOf(referenceFiles) },
        production: { label: describe(production), files: productionFiles, format: formatOf(productionFiles), buckets },
        features: args.features, perFeature, signal: controller.signal,
        onProgress: (p) => progress?.report({ message: `${identifier.name}: ${p.window} ${Math.round((100 * p.bytesLoaded) / Math.max(1, p.bytesTotal))}% (${p.rowsLoaded.toLocaleString("en-US")} rows)` }),
      });
      await drift.kinds.remember(collectionKey, result.features, new Set(Object.entries(args.metrics ?? {}).filter(([, o]) => o.kind).map(([name]) => name)));
      collections.push({ name: identifier.name, role: INPUTS.has(identifier.name) ? "inputs" : OUTPUTS.has(identifier.name) ? "outputs" : "data", result });
    }
  };
  // A service's report names the model version it read (the live one).
  const title = targetPrefix(tree, identifiers.length === 1 ? identifiers[0] : tree.getParent(identifiers[0]) ?? target);
  try {
    if (show) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${title}`, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return run(progress);
      });
    } else await run();
  } catch (error) {
    if ((error as Error).name === "AbortError") {
      if (show) void vscode.window.showInformationMessage("Compare cancelled.");
      return undefined;
    }
    return fail(show, (error as Error).message);
  } finally {
    tracked.dispose();
  }
  const service = serviceOf(tree, target);
  const monitorable = service?.service.layout === "current" && !!service.service.deployment && !!service.scope.arm?.ml;
  const report: DriftReport = { title, production, reference: referenceFile ? { file: referenceFile.name } : (reference as DateRange), collections, ...(monitorable ? { monitorable } : {}) };
  if (show && newPanel) drift.show(report, reportActions(tree, drift, target, { ...args, production, reference }, identifiers), target.id);
  return report;
}

/** Two dates selected together: the older is the reference. */
export async function compareSelectedDates(tree: ModelDataTreeProvider, drift: DriftManager, nodes: readonly ModelDataNode[]): Promise<DriftReport | undefined> {
  const dates = nodes.filter((n): n is DateNode => n.kind === "date").sort((a, b) => a.group.date.localeCompare(b.group.date));
  if (dates.length !== 2 || tree.getParent(dates[0])?.id !== tree.getParent(dates[1])?.id) {
    void vscode.window.showInformationMessage("Select two dates of the same collection (Ctrl+click), then Compare Selected Dates.");
    return undefined;
  }
  const [older, newer] = dates;
  return compare(tree, drift, newer, { production: { from: newer.group.date, to: newer.group.date }, reference: { from: older.group.date, to: older.group.date } });
}

/**
 * Something a flow needs and did not get: an API caller (show: false) is told what to pass; a user who
 * pressed Escape on the question asked for it has ended the flow, and hears nothing.
 */
export function missing(show: boolean, message: string): undefined {
  return show ? undefined : fail(false, message);
}

export function fail(show: boolean, message: string): undefined {
  if (show) void vscode.window.showErrorMessage(message);
  else throw new Error(message);
  return undefined;
}

/** What a compare on `target` reads: a service's inputs and outputs, a collection, or a date's collection. */
export async function compareCollections(tree: ModelDataTreeProvider, target: ModelDataNode, show = false): Promise<IdentifierNode[]> {
  if (target.kind === "service") return collectionsOf(tree, target, show);
  const identifier = target.kind === "date" ? tree.getParent(target) : target;
  return identifier?.kind === "identifier" ? [identifier] : [];
}

/**
 * The inputs and outputs an action on `node` reads, once each: its model's, or for a service its live model's
 * (the newest version; asked when `show` and the service serves several models).
 */
export async function collectionsOf(tree: ModelDataTreeProvider, node: ModelDataNode, show = false): Promise<IdentifierNode[]> {
  const model = await modelFor(tree, node, show ? askModel : undefined);
  // One model's collections are distinct folders: each name once.
  return model ? (await identifiersOf(tree, model)).filter((i) => INPUTS.has(i.name) || OUTPUTS.has(i.name)) : [];
}

async function askModel(models: ModelNode[]): Promise<ModelNode | undefined> {
  const picked = await vscode.window.showQuickPick(models.map((model) => ({ label: model.label, description: "newest version", model })), { title: "This service serves several models: which one?" });
  return picked?.model;
}

export async function datesOf(tree: ModelDataTreeProvider, identifier: IdentifierNode): Promise<DateNode[]> {
  return (await tree.getChildren(identifier)).filter((d): d is DateNode => d.kind === "date");
}

/** A window's files in date order (legacy day folders are not zero-padded: names alone do not sort). */
export function filesOf(dates: DateNode[], identifier: IdentifierNode): PreviewFile[] {
  return windowFiles(dates, identifier, false).files;
}

/**
 * Files with the day each holds (yyyy-mm-dd), or its hour (yyyy-mm-dd HH:00) when the window spans two days
 * or less and the layout has hour folders: the timeline's buckets.
 */
function windowFiles(dates: DateNode[], identifier: IdentifierNode, hourly: boolean): { files: PreviewFile[]; buckets: string[] } {
  const entries = [...dates].sort((a, b) => a.group.date.localeCompare(b.group.date)).flatMap((d) =>
    [...d.blobs].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true })).map((blob) => {
      const hour = hourly ? hourOf(blob.name, d.group.prefixes) : undefined;
      return { blob, bucket: hour !== undefined ? `${d.group.date} ${hour.padStart(2, "0")}:00` : d.group.date };
    }));
  return {
    files: entries.map(({ blob }) => ({ blobs: identifier.where.blobs, container: identifier.where.container, name: blob.name, size: blob.size,
      label: blob.name.startsWith(identifier.prefix) ? blob.name.slice(identifier.prefix.length) : blob.name })),
    buckets: entries.map((e) => e.bucket),
  };
}

export function formatOf(files: PreviewFile[]): "csv" | "jsonl" {
  return files.every((f) => /\.jsonl$/i.test(f.name)) ? "jsonl" : "csv";
}

/** The hour folder a file sits in under its day folder (the current collector's yyyy/MM/dd/HH/). */
function hourOf(name: string, dayPrefixes: readonly string[]): string | undefined {
  const day = dayPrefixes.find((p) => name.startsWith(p));
  return day === undefined ? undefined : /^\/?(\d{1,2})\/[^/]+$/.exec(name.slice(day.length))?.[1];
}

async function askProduction(dates: DateNode[]): Promise<DateRange | undefined> {
  const newest = dates[0]?.group.date;
  if (!newest) return undefined;
  const picked = await vscode.window.showQuickPick([
    { label: "Newest day with data", description: newest, range: { from: newest, to: newest } },
    { label: "Last 7 days of data", description: `${shiftDays(newest, -6)} → ${newest}`, range: { from: shiftDays(newest, -6), to: newest } },
    { label: "Custom range…", range: undefined },
  ], { title: "Compare: which dates are production?" });
  if (!picked) return undefined;
  return picked.range ?? askDates("Production window", `${shiftDays(newest, -6)}..${newest}`);
}

async function askReference(production: DateRange, dates: DateNode[]): Promise<DateRange | { file: string } | undefined> {
  const before = windowBefore(production);
  const oldest = dates[dates.length - 1]?.group.date;
  const picked = await vscode.window.showQuickPick([
    { label: "The window just before", description: describe(before), choice: "before" },
    { label: "Another date range…", description: oldest ? `data since ${oldest}` : undefined, choice: "range" },
    { label: "A collected date…", description: "one day of this collection", choice: "date" },
    { label: "A local file (training data)…", description: "CSV, JSONL or Parquet", choice: "file" },
  ], { title: `Compare ${describe(production)} with…` });
  if (!picked) return undefined;
  if (picked.choice === "before") return before;
  if (picked.choice === "range") return askDates("Reference window", `${before.from}..${before.to}`);
  if (picked.choice === "date") {
    const day = await vscode.window.showQuickPick(dates.filter((d) => !inRange(d.group.date, production)).map((d) => ({ label: d.group.date, description: `${d.group.fileCount} file(s)` })),
      { title: "Reference: which collected date?" });
    return day && { from: day.label, to: day.label };
  }
  const uri = await vscode.window.showOpenDialog({ title: "Reference data", canSelectMany: false, filters: { "CSV, JSONL or Parquet": ["csv", "jsonl", "txt", "parquet"] } });
  return uri?.[0] ? { file: uri[0].fsPath } : undefined;
}

export async function askDates(title: string, value: string): Promise<DateRange | undefined> {
  const text = await vscode.window.showInputBox({ title, prompt: "from..to as yyyy-mm-dd..yyyy-mm-dd", value,
    validateInput: (v) => (/^\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d$/.test(v.trim()) ? undefined : "Use yyyy-mm-dd..yyyy-mm-dd, e.g. 2026-03-01..2026-03-07") });
  if (!text) return undefined;
  const [from, to] = text.trim().split("..");
  return from <= to ? { from, to } : { from: to, to: from };
}
