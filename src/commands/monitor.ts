// modelData.createMonitor and the Monitors node's actions: hands the watching of a current deployment to
// Azure ML (a schedule with a CreateMonitor action running on serverless Spark), pre-filled from a drift
// report (features, each feature's metric and threshold, the reference, data quality) or from the drift
// settings. The exact JSON is shown before it is sent; the long-running operation is followed; ARM's
// refusals are shown in its own words with what to do.
import * as vscode from "vscode";
import type { ModelDataNode, WorkspaceScope } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { serviceOf, type ServiceNode } from "../tree/ancestors";
import type { DriftReport } from "../core/drift/report";
import type { DriftMetric } from "../core/drift/metricNames";
import { isDate } from "../core/drift/windows";
import { datastoreUri, dataVersionBody } from "../core/azureml/dataAsset";
import { emailsProblem, monitorScheduleBody, scheduleName, SPARK_INSTANCE_TYPES, type MonitorFeature, type MonitorPlan, type MonitorReference } from "../core/azureml/monitor";
import { nameProblem } from "../core/azureml/names";
import { collectionAsset, parseAssetRef, resolveAsset, type CollectionAsset } from "./monitorInputs";
import { withoutReadOnly } from "../core/armReadOnly";
import { studioPageUrl } from "../core/clouds";
import { describeArmRefusal } from "../core/errors";
import { showRequest } from "./requestPreview";
import { fail, missing } from "./compare";

export interface MonitorArgs {
  /** The report to pre-fill from (features, metrics, thresholds, reference window). */
  report?: DriftReport;
  name?: string;
  taskType?: "Classification" | "Regression";
  /** The reference: the report's dates (default with a report), the days before each run, or a registered data asset (its type is read from the workspace). */
  reference?: { window: { from: string; to: string } } | { rollingDays: number } | { asset: string };
  /** With a training data asset as the reference: the column holding the target, which prediction drift compares. */
  targetColumn?: string;
  emails?: string[];
  runAt?: { hour: number; minute: number };
  instanceType?: string;
  /** Data quality signal (default on). */
  dataQuality?: boolean;
  /** false: send without showing the JSON and asking (tests, automation). */
  confirm?: boolean;
  /** false: nothing asked, no notifications. */
  show?: boolean;
}

export interface MonitorResult {
  name: string;
  body: unknown;
  notes: string[];
  /** Production data assets registered on the way (none existed). */
  registered: string[];
  schedule: Record<string, unknown>;
  studioUrl?: string;
}

type MonitorsNode = Extract<ModelDataNode, { kind: "monitors" }>;
type MonitorNode = Extract<ModelDataNode, { kind: "monitor" }>;

export async function createMonitor(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, args: MonitorArgs = {}): Promise<MonitorResult | undefined> {
  const show = args.show !== false;
  const service = node && (node.kind === "monitors" ? (tree.getParent(node) as ServiceNode | undefined) : serviceOf(tree, node));
  if (!service || service.service.layout !== "current" || !service.service.deployment) {
    if (show) void vscode.window.showInformationMessage("Choose a deployed online deployment (or its drift report) in the Azure ML Data view, then Create Azure ML Monitor.");
    return undefined;
  }
  const { scope } = service;
  const ml = scope.arm?.ml;
  if (!ml || !scope.current?.datastore) return fail(show, "Creating a monitor needs the workspace through Azure Resource Manager and its default datastore: sign in to Azure.");
  const { endpointName, deploymentName } = service.service;
  const report = args.report;

  const deployment = service.service.deployment;
  let reference: MonitorReference | undefined;
  let inputsAsset: CollectionAsset;
  let outputsAsset: CollectionAsset | undefined;
  try {
    const chosen = await chooseReference(report, args, show);
    if (!chosen) return undefined;
    reference = "assetRef" in chosen ? { asset: await resolveAsset(ml, scope.info, chosen.assetRef, "The reference data asset") } : chosen;
    // The deployment's collected data as Azure ML names it (registered by Azure ML when collection is on).
    const collections = report ? report.collections.map((c) => c.role) : ["inputs", "outputs"];
    inputsAsset = await collectionAsset(ml, scope.info, deployment, "model_inputs");
    outputsAsset = collections.includes("outputs") ? await collectionAsset(ml, scope.info, deployment, "model_outputs") : undefined;
  } catch (error) {
    return fail(show, `The monitor was not created: ${describeArmRefusal(error)}`);
  }
  if (reference.asset && outputsAsset) {
    const targetColumn = args.targetColumn ?? (show ? await vscode.window.showInputBox({ title: "The training data's target column",
      prompt: "Prediction drift compares the deployment's predictions with this column of the training data", value: report?.collections.find((c) => c.role === "outputs")?.result.features[0]?.name ?? "",
      validateInput: (v) => (v.trim() ? undefined : "Name the column that holds the target") }) : undefined);
    if (!targetColumn) return missing(show, "Prediction drift against training data needs its target column: { targetColumn }.");
    reference = { asset: { ...reference.asset, targetColumn } };
  }
  const taskType = args.taskType ?? (show ? await pickTaskType() : "Classification");
  if (!taskType) return undefined;
  const suggested = scheduleName(`${endpointName}-${deploymentName}-drift`);
  const name = args.name ?? (show ? await vscode.window.showInputBox({ title: "Monitor name", value: suggested, validateInput: (v) => nameProblem("monitor", v) }) : suggested);
  if (!name) return undefined;
  if (nameProblem("monitor", name)) return fail(show, `'${name}': ${nameProblem("monitor", name)}`);
  const emails = args.emails ?? (show ? parseEmails(await vscode.window.showInputBox({ title: "Alert e-mails (optional)", prompt: "Comma-separated; Azure ML e-mails them when a signal alerts",
    validateInput: (v) => emailsProblem(parseEmails(v) ?? []) })) : []);
  if (emails === undefined) return undefined;
  if (emailsProblem(emails)) return fail(show, emailsProblem(emails) as string);

  const assets = [inputsAsset, ...(outputsAsset ? [outputsAsset] : [])];
  const plan: MonitorPlan = {
    endpointName, deploymentName, deploymentId: deployment.id, taskType, reference, emails,
    inputsAsset: inputsAsset.asset,
    outputsAsset: outputsAsset?.asset,
    inputFeatures: report ? featuresOf(report, "inputs") : undefined,
    outputFeatures: report ? featuresOf(report, "outputs") : undefined,
    defaults: driftDefaults(),
    dataQuality: args.dataQuality === false ? undefined : qualityThresholds(report),
    runAt: args.runAt, instanceType: args.instanceType ?? SPARK_INSTANCE_TYPES[0],
    description: report ? `Created in VS Code from the drift report ${report.production.from} → ${report.production.to}.` : undefined,
  };
  const { body, notes } = monitorScheduleBody(plan);
  const registering = assets.flatMap((a) => (a.register ? [`${a.register.name}:${a.register.version}`] : []));
  if (args.confirm !== false && !(await confirmJson(name, scope, body, notes, registering))) return undefined;

  const registered: string[] = [];
  const send = async (progress?: vscode.Progress<{ message?: string }>): Promise<MonitorResult> => {
    for (const asset of assets) {
      if (!asset.register) continue;
      const { name: assetName, version, path } = asset.register;
      progress?.report({ message: `registering ${assetName}:${version}` });
      const uri = datastoreUri({ subscription: scope.info.subscriptionId, resourceGroup: scope.info.resourceGroup, workspace: scope.info.name, datastore: scope.current?.datastore as string, path });
      await ml.putDataVersion(scope.info, assetName, version, dataVersionBody({ kind: "uri_folder", dataUri: uri, description: "Collected by the deployment's data collector.", tags: {} }));
      registered.push(`${assetName}:${version}`);
    }
    const schedule = await ml.putSchedule(scope.info, name, body, { onStatus: (status) => progress?.report({ message: status }) });
    const studioUrl = scope.source?.studioUrl ? studioPageUrl(scope.source.studioUrl(scope.info), "monitoring") : undefined;
    return { name, body, notes, registered, schedule, studioUrl };
  };
  try {
    const result = show
      ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating Azure ML monitor ${name}` }, send)
      : await send();
    tree.refresh(service);
    if (show) void announce(`Azure ML monitor ${name} created: it runs daily on serverless Spark${registered.length ? ` (registered ${registered.join(", ")})` : ""}.`, result.studioUrl);
    return result;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const hint = status === 400 ? " The JSON sent is in the editor: the property named above is what Azure ML refused." : "";
    return fail(show, `The monitor was not created: ${describeArmRefusal(error)}${hint}${registered.length ? ` (the production data asset ${registered.join(", ")} was registered and is kept: Azure ML uses it too)` : ""}`);
  }
}

/** Enable or disable: the schedule as stored, with only isEnabled changed, PUT back and followed. */
export async function setMonitorEnabled(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, enabled: boolean, show = true): Promise<boolean> {
  if (node?.kind !== "monitor" || !node.scope.arm?.ml) return false;
  const ml = node.scope.arm.ml;
  try {
    const stored = await ml.getSchedule(node.scope.info, node.monitor.name);
    if (!stored) throw new Error(`${node.monitor.name} no longer exists.`);
    const body = withoutReadOnly(stored) as { properties: Record<string, unknown> };
    delete body.properties.provisioningState;
    body.properties.isEnabled = enabled;
    const run = () => ml.putSchedule(node.scope.info, node.monitor.name, { properties: body.properties }, {});
    if (show) await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${enabled ? "Enabling" : "Disabling"} ${node.monitor.name}` }, run);
    else await run();
    refreshMonitors(tree, node);
    return true;
  } catch (error) {
    fail(show, `${node.monitor.name} was not ${enabled ? "enabled" : "disabled"}: ${describeArmRefusal(error)}`);
    return false;
  }
}

export async function deleteMonitor(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, options: { confirm?: boolean; show?: boolean } = {}): Promise<boolean> {
  if (node?.kind !== "monitor" || !node.scope.arm?.ml) return false;
  const show = options.show !== false;
  if (options.confirm !== false) {
    const remove = "Delete Monitor";
    const picked = await vscode.window.showWarningMessage(`Delete the Azure ML monitor ${node.monitor.name}?`, { modal: true, detail: "Its schedule stops; past runs and their results stay in the workspace." }, remove);
    if (picked !== remove) return false;
  }
  const ml = node.scope.arm.ml;
  try {
    const run = () => ml.deleteSchedule(node.scope.info, node.monitor.name, {});
    if (show) await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${node.monitor.name}` }, run);
    else await run();
    refreshMonitors(tree, node);
    return true;
  } catch (error) {
    fail(show, `${node.monitor.name} was not deleted: ${describeArmRefusal(error)}`);
    return false;
  }
}

export async function openMonitorInStudio(node: ModelDataNode | undefined): Promise<string | undefined> {
  if (node?.kind !== "monitor" || !node.scope.source?.studioUrl) return undefined;
  const url = studioPageUrl(node.scope.source.studioUrl(node.scope.info), "monitoring");
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}

function refreshMonitors(tree: ModelDataTreeProvider, node: MonitorNode): void {
  const parent = tree.getParent(node) as MonitorsNode | undefined;
  tree.refresh(parent);
}

async function announce(message: string, studioUrl: string | undefined): Promise<void> {
  const picked = await vscode.window.showInformationMessage(message, ...(studioUrl ? ["Open in Studio"] : []));
  if (picked && studioUrl) await vscode.env.openExternal(vscode.Uri.parse(studioUrl));
}

/** Each feature's type, metric and threshold as the report judged it (features without a value are left out). */
function featuresOf(report: DriftReport, role: "inputs" | "outputs"): MonitorFeature[] | undefined {
  const collection = report.collections.find((c) => c.role === role) ?? (role === "inputs" ? report.collections.find((c) => c.role === "data") : undefined);
  // A report without inputs (a compare of the outputs alone): the inputs are watched with the settings' metrics.
  if (!collection) return undefined;
  return collection.result.features.filter((f) => !f.problem).map((f) => ({ name: f.name, kind: f.kind, metric: f.metric, threshold: f.threshold }));
}

/**
 * Each data-quality rate's threshold: the settings' tolerance, or with a report the reference's highest rate
 * (rounded up) when that is higher, so a monitor alerts when production is worse than both.
 */
function qualityThresholds(report: DriftReport | undefined): MonitorPlan["dataQuality"] {
  const settings = vscode.workspace.getConfiguration("modelData.dataQuality");
  const features = report?.collections.filter((c) => c.role !== "outputs").flatMap((c) => c.result.features) ?? [];
  const threshold = (setting: string, fallback: number, pick: (q: { nullRate: number; typeErrorRate: number; outOfBoundsRate: number }) => number) =>
    Math.max(settings.get<number>(setting, fallback), Math.ceil(Math.max(0, ...features.map((f) => pick(f.quality.reference))) * 1000) / 1000);
  return {
    nullValueRate: threshold("nullValueRate", 0.01, (q) => q.nullRate),
    dataTypeErrorRate: threshold("dataTypeErrorRate", 0.01, (q) => q.typeErrorRate),
    outOfBoundsRate: threshold("outOfBoundsRate", 0.05, (q) => q.outOfBoundsRate),
  };
}

function driftDefaults(): MonitorPlan["defaults"] {
  const drift = vscode.workspace.getConfiguration("modelData.drift");
  return {
    numerical: { metric: drift.get<DriftMetric>("numericalMetric", "normalizedWasserstein"), threshold: drift.get<number>("numericalThreshold", 0.1) },
    categorical: { metric: drift.get<DriftMetric>("categoricalMetric", "jensenShannon"), threshold: drift.get<number>("categoricalThreshold", 0.1) },
  };
}

/** The reference as chosen: a window, rolling days, or a data asset reference still to be read from the workspace. */
type ChosenReference = MonitorReference | { assetRef: string };

async function chooseReference(report: DriftReport | undefined, args: MonitorArgs, show: boolean): Promise<ChosenReference | undefined> {
  const given = args.reference;
  if (given && "window" in given) return isDate(given.window.from) && isDate(given.window.to) ? { window: given.window } : fail(show, `The reference window ${JSON.stringify(given.window)} is not a yyyy-mm-dd range.`);
  if (given && "rollingDays" in given) return { rolling: { windowSize: `P${Math.max(1, Math.round(given.rollingDays))}D`, windowOffset: "P1D" } };
  if (given && "asset" in given) return { assetRef: given.asset };
  const reportWindow = report && !("file" in report.reference) ? report.reference : undefined;
  if (!show) return reportWindow ? { window: reportWindow } : { rolling: { windowSize: "P7D", windowOffset: "P1D" } };
  const picked = await vscode.window.showQuickPick([
    ...(reportWindow ? [{ label: "The report's reference dates", description: `${reportWindow.from} → ${reportWindow.to}`, choice: "window" }] : []),
    { label: "The 7 days before each run", description: "rolling", choice: "rolling" },
    { label: "A registered data asset (training data)…", description: "azureml:<name>:<version>", choice: "asset" },
  ], { title: report && "file" in report.reference ? "Reference: a local file cannot be one; register it as a data asset first, or choose:" : "What does the monitor compare production with?" });
  if (!picked) return undefined;
  if (picked.choice === "window" && reportWindow) return { window: reportWindow };
  if (picked.choice === "rolling") return { rolling: { windowSize: "P7D", windowOffset: "P1D" } };
  const text = await vscode.window.showInputBox({ title: "Reference data asset", prompt: "azureml:<name>:<version> (Register as Data Asset makes one from a training set)",
    validateInput: (v) => (parseAssetRef(v) ? undefined : "azureml:<name>:<version>") });
  return text ? { assetRef: text.trim() } : undefined;
}

async function pickTaskType(): Promise<"Classification" | "Regression" | undefined> {
  const picked = await vscode.window.showQuickPick([{ label: "Classification" }, { label: "Regression" }], { title: "What does the model do? (Azure ML monitoring asks)" });
  return picked?.label as "Classification" | "Regression" | undefined;
}

function parseEmails(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean);
}

/**
 * The exact body first, in a full editor tab the user can read and scroll; then the question as a
 * notification (not a modal, which would cover the JSON): what will be sent is what the user reads.
 */
async function confirmJson(name: string, scope: WorkspaceScope, body: unknown, notes: string[], registering: string[]): Promise<boolean> {
  await showRequest(`PUT schedules-${name}`, body);
  const create = "Create Monitor";
  const message = [`Create the Azure ML monitor ${name}? The request is open in the editor: PUT …/workspaces/${scope.info.name}/schedules/${name}.`,
    registering.length ? `It first registers ${registering.join(" and ")} over the collected data (none exists yet).` : "",
    ...notes].filter(Boolean).join(" ");
  return (await vscode.window.showInformationMessage(message, create, "Cancel")) === create;
}
