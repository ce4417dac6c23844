// An Azure ML model monitor as the REST API takes it: a schedule whose action is CreateMonitor
// (`PUT …/workspaces/{ws}/schedules/{name}`, api-version 2024-04-01), pre-filled from a local drift report:
// the features with their types pinned, each feature's metric and threshold (features sharing a metric
// and threshold share a signal: a signal holds one threshold per data type), the reference window or a
// training data asset, data quality, prediction drift on the outputs, serverless Spark, a daily run.
import type { DriftMetric } from "../drift/metricNames";
import { acceptedName } from "./names";

export type MonitorDataType = "Numerical" | "Categorical";

export interface MonitorFeature {
  name: string;
  kind: "numerical" | "categorical";
  metric: DriftMetric;
  threshold: number;
}

/** A registered data asset version as a monitor input: its ARM id and its own dataType (as the CLI resolves it). */
export interface MonitorAsset {
  /** `/subscriptions/…/workspaces/<ws>/data/<name>/versions/<version>`. */
  id: string;
  type: "uri_file" | "uri_folder" | "mltable";
}

export interface MonitorReference {
  /** A past window of the same production data asset (what the report compared against)… */
  window?: { from: string; to: string };
  /** …or the days before each run (ISO durations: size, and its end's offset from the run)… */
  rolling?: { windowSize: string; windowOffset: string };
  /** …or a registered data asset (training data), with the column that holds the target (prediction drift maps it). */
  asset?: MonitorAsset & { targetColumn?: string };
}

export interface MonitorPlan {
  endpointName: string;
  deploymentName: string;
  /** The deployment's ARM id (the CLI resolves `endpoint:deployment` to it before sending). */
  deploymentId: string;
  taskType: "Classification" | "Regression";
  /** The deployment's model_inputs (and model_outputs) data assets, resolved. */
  inputsAsset: MonitorAsset;
  outputsAsset?: MonitorAsset;
  /** Each feature's type, metric and threshold (a report's); omitted: every feature, judged by `defaults`. */
  inputFeatures?: MonitorFeature[];
  outputFeatures?: MonitorFeature[];
  /** Metric and threshold per type when no features are named (the modelData.drift settings). */
  defaults?: Record<"numerical" | "categorical", { metric: DriftMetric; threshold: number }>;
  reference: MonitorReference;
  /** Data quality rates (null, type error, out of bounds) above which it alerts; omitted: no quality signal. */
  dataQuality?: { nullValueRate: number; dataTypeErrorRate: number; outOfBoundsRate: number };
  instanceType?: string;
  runtimeVersion?: string;
  /** UTC hour and minute of the daily run. */
  runAt?: { hour: number; minute: number };
  emails?: string[];
  displayName?: string;
  description?: string;
}

export const SPARK_INSTANCE_TYPES = ["standard_e4s_v3", "standard_e8s_v3", "standard_e16s_v3", "standard_e32s_v3", "standard_e64s_v3"];
/** azure-ai-ml refuses any other monitoring runtime ("Compute runtime version must be 3.3"). */
export const DEFAULT_SPARK_RUNTIME = "3.3";
/** Azure ML limits a monitor's alert e-mails to this many characters in all (comma-separated). */
export const EMAILS_LIMIT = 499;

/** Our metric names as the monitor's enums name them; the KS statistic has none (its test's p-value is used). */
const REST_METRIC: Record<DriftMetric, string> = {
  normalizedWasserstein: "NormalizedWassersteinDistance",
  jensenShannon: "JensenShannonDistance",
  psi: "PopulationStabilityIndex",
  ksStatistic: "TwoSampleKolmogorovSmirnovTest",
  ksPValue: "TwoSampleKolmogorovSmirnovTest",
  chiSquaredPValue: "PearsonsChiSquaredTest",
};

export interface MonitorBody {
  body: { properties: Record<string, unknown> };
  /** What changed on the way (a metric Azure ML lacks), for the preview. */
  notes: string[];
}

export function monitorScheduleBody(plan: MonitorPlan): MonitorBody {
  const notes: string[] = [];
  const production = (asset: MonitorAsset, context: string) => ({ inputDataType: "Rolling", jobInputType: asset.type, uri: asset.id, dataContext: context, windowSize: "P1D", windowOffset: "P0D" });
  const training = plan.reference.asset;
  // Training data names its target column (2024-04-01's `columns`), which prediction drift compares against.
  const reference = (asset: MonitorAsset, context: string, withTarget = false) => training
    ? { inputDataType: "Fixed", jobInputType: training.type, uri: training.id, dataContext: "training",
      ...(withTarget && training.targetColumn ? { columns: { target_column: training.targetColumn } } : {}) }
    : plan.reference.rolling
      ? { inputDataType: "Rolling", jobInputType: asset.type, uri: asset.id, dataContext: context, ...plan.reference.rolling }
      : { inputDataType: "Static", jobInputType: asset.type, uri: asset.id, dataContext: context,
        windowStart: `${plan.reference.window?.from}T00:00:00Z`, windowEnd: endOfDay(plan.reference.window?.to ?? "") };
  const signals: Record<string, unknown> = {};
  const defaultThresholds = (["numerical", "categorical"] as const).flatMap((kind) => {
    const d = plan.defaults?.[kind];
    const group = d && groupFeatures([{ name: "*", kind, metric: d.metric, threshold: d.threshold }], notes)[0];
    return group ? [{ dataType: dataType(kind), metric: group.metric, threshold: { value: group.threshold } }] : [];
  });
  if (!plan.inputFeatures) {
    signals["data-drift"] = {
      signalType: "DataDrift", notificationTypes: ["AmlNotification"], features: { filterType: "AllFeatures" }, metricThresholds: defaultThresholds,
      productionData: production(plan.inputsAsset, "model_inputs"), referenceData: reference(plan.inputsAsset, "model_inputs"),
    };
  }
  const groups = groupFeatures(plan.inputFeatures ?? [], notes);
  groups.forEach((group, i) => {
    signals[groups.length === 1 ? "data-drift" : `data-drift-${i + 1}`] = {
      signalType: "DataDrift",
      notificationTypes: ["AmlNotification"],
      features: { filterType: "FeatureSubset", features: group.features },
      featureDataTypeOverride: Object.fromEntries(group.features.map((f) => [f, dataType(group.kind)])),
      metricThresholds: [{ dataType: dataType(group.kind), metric: group.metric, threshold: { value: group.threshold } }],
      productionData: production(plan.inputsAsset, "model_inputs"),
      referenceData: reference(plan.inputsAsset, "model_inputs"),
    };
  });
  if (plan.outputsAsset && (!plan.outputFeatures || plan.outputFeatures.length > 0)) {
    // Prediction drift takes every prediction column: one threshold per type (the most common the report used).
    const thresholds = plan.outputFeatures ? (["numerical", "categorical"] as const).flatMap((kind) => {
      const group = groupFeatures((plan.outputFeatures ?? []).filter((f) => f.kind === kind), notes)[0];
      return group ? [{ dataType: dataType(kind), metric: group.metric, threshold: { value: group.threshold } }] : [];
    }) : defaultThresholds;
    signals["prediction-drift"] = {
      signalType: "PredictionDrift",
      notificationTypes: ["AmlNotification"],
      ...(plan.outputFeatures ? { featureDataTypeOverride: Object.fromEntries(plan.outputFeatures.map((f) => [f.name, dataType(f.kind)])) } : {}),
      metricThresholds: thresholds,
      productionData: production(plan.outputsAsset, "model_outputs"),
      referenceData: reference(plan.outputsAsset, "model_outputs", true),
    };
  }
  if (plan.dataQuality && plan.inputFeatures?.length !== 0) {
    const named = plan.inputFeatures;
    const rates = [["NullValueRate", plan.dataQuality.nullValueRate], ["DataTypeErrorRate", plan.dataQuality.dataTypeErrorRate], ["OutOfBoundsRate", plan.dataQuality.outOfBoundsRate]] as const;
    signals["data-quality"] = {
      signalType: "DataQuality",
      notificationTypes: ["AmlNotification"],
      features: named ? { filterType: "FeatureSubset", features: named.map((f) => f.name) } : { filterType: "AllFeatures" },
      ...(named ? { featureDataTypeOverride: Object.fromEntries(named.map((f) => [f.name, dataType(f.kind)])) } : {}),
      metricThresholds: (["Numerical", "Categorical"] as const).filter((t) => !named || named.some((f) => dataType(f.kind) === t))
        .flatMap((t) => rates.map(([metric, value]) => ({ dataType: t, metric, threshold: { value } }))),
      productionData: production(plan.inputsAsset, "model_inputs"),
      referenceData: reference(plan.inputsAsset, "model_inputs"),
    };
  }
  const runAt = plan.runAt ?? { hour: 3, minute: 0 };
  const monitorDefinition: Record<string, unknown> = {
    computeConfiguration: { computeType: "ServerlessSpark", instanceType: plan.instanceType ?? SPARK_INSTANCE_TYPES[0], runtimeVersion: plan.runtimeVersion ?? DEFAULT_SPARK_RUNTIME,
      computeIdentity: { computeIdentityType: "AmlToken" } },
    monitoringTarget: { deploymentId: plan.deploymentId, taskType: plan.taskType },
    signals,
  };
  if (plan.emails && plan.emails.length > 0) monitorDefinition.alertNotificationSettings = { emailNotificationSettings: { emails: plan.emails } };
  return {
    notes,
    body: { properties: {
      displayName: plan.displayName ?? `${plan.endpointName}/${plan.deploymentName} drift`,
      description: plan.description ?? "Created from a drift report in VS Code (Azure ML Data).",
      isEnabled: true,
      tags: {},
      properties: {},
      trigger: { triggerType: "Recurrence", frequency: "Day", interval: 1, timeZone: "UTC", schedule: { hours: [runAt.hour], minutes: [runAt.minute] } },
      action: { actionType: "CreateMonitor", monitorDefinition },
    } },
  };
}

interface FeatureGroup {
  kind: "numerical" | "categorical";
  metric: string;
  threshold: number;
  features: string[];
}

/** Features sharing a type, metric and threshold, largest group first. */
function groupFeatures(features: MonitorFeature[], notes: string[]): FeatureGroup[] {
  const groups = new Map<string, FeatureGroup>();
  for (const f of features) {
    let metric = REST_METRIC[f.metric];
    let threshold = f.threshold;
    if (f.metric === "ksStatistic") {
      threshold = 0.05;
      notes.push(`${f.name === "*" ? `${f.kind} features` : f.name}: Azure ML has no KS statistic threshold; its two-sample KS test alerts when the p-value is below 0.05.`);
    }
    if (f.kind === "categorical" && metric === "TwoSampleKolmogorovSmirnovTest") metric = "JensenShannonDistance";
    const key = `${f.kind}\u0000${metric}\u0000${threshold}`;
    const group = groups.get(key) ?? { kind: f.kind, metric, threshold, features: [] };
    group.features.push(f.name);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.features.length - a.features.length);
}

function dataType(kind: "numerical" | "categorical"): MonitorDataType {
  return kind === "numerical" ? "Numerical" : "Categorical";
}

function endOfDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return Number.isNaN(next.getTime()) ? `${date}T23:59:59Z` : next.toISOString().replace(".000Z", "Z");
}

/** A schedule name Azure ML accepts (names.ts). */
export function scheduleName(text: string): string {
  return acceptedName(text, "model-monitor");
}

/** Why an alert list cannot be sent (Azure ML's limit on the list's length), or undefined. */
export function emailsProblem(emails: readonly string[]): string | undefined {
  const length = emails.join(",").length;
  return length > EMAILS_LIMIT ? `Azure ML takes at most ${EMAILS_LIMIT} characters of alert e-mails in all; these are ${length}. Send to a group address instead.` : undefined;
}

export interface MonitorSummary {
  name: string;
  enabled: boolean;
  provisioningState?: string;
  signals: string[];
  deploymentId?: string;
  nextRun?: string;
}

/** What the Monitors node shows of a schedule; undefined for schedules that are not monitors. */
export function monitorSummary(schedule: { name?: string; properties?: Record<string, unknown> }, now = new Date()): MonitorSummary | undefined {
  const p = schedule.properties ?? {};
  const action = p.action as { actionType?: string; monitorDefinition?: { signals?: Record<string, { signalType?: string }>; monitoringTarget?: { deploymentId?: string } } } | undefined;
  if (action?.actionType !== "CreateMonitor") return undefined;
  const enabled = p.isEnabled !== false;
  return {
    name: String(schedule.name ?? ""),
    enabled,
    provisioningState: typeof p.provisioningState === "string" ? p.provisioningState : undefined,
    signals: Object.values(action.monitorDefinition?.signals ?? {}).map((s) => String(s.signalType ?? "?")),
    deploymentId: action.monitorDefinition?.monitoringTarget?.deploymentId,
    nextRun: enabled ? nextRun(p.trigger as Trigger | undefined, now) : undefined,
  };
}

/** Whether a monitor's target is this deployment (`azureml:<endpoint>:<deployment>` or its ARM id). */
export function targetsDeployment(summary: MonitorSummary, endpointName: string, deploymentName: string): boolean {
  const id = (summary.deploymentId ?? "").toLowerCase();
  return id === `azureml:${endpointName}:${deploymentName}`.toLowerCase()
    || id.endsWith(`/onlineendpoints/${endpointName}/deployments/${deploymentName}`.toLowerCase());
}

interface Trigger {
  triggerType?: string;
  frequency?: string;
  interval?: number;
  timeZone?: string;
  startTime?: string;
  expression?: string;
  schedule?: { hours?: number[]; minutes?: number[]; weekDays?: string[] };
}

const WEEK_DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The next run of a daily, hourly or weekly UTC recurrence (ISO), or undefined when it cannot be told here. */
export function nextRun(trigger: Trigger | undefined, now: Date): string | undefined {
  if (!trigger || trigger.triggerType !== "Recurrence" || (trigger.timeZone ?? "UTC") !== "UTC" || (trigger.interval ?? 1) !== 1) return undefined;
  const hours = trigger.schedule?.hours?.length ? trigger.schedule.hours : [0];
  const minutes = trigger.schedule?.minutes?.length ? trigger.schedule.minutes : [0];
  const days = trigger.schedule?.weekDays?.map((d) => WEEK_DAYS.indexOf(d.toLowerCase())).filter((d) => d >= 0);
  // startTime carries no offset: it is a time in the schedule's timeZone (UTC here), not the reader's.
  const start = trigger.startTime ? new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(trigger.startTime) ? trigger.startTime : `${trigger.startTime}Z`) : undefined;
  const from = start && start > now ? start : now;
  for (let day = 0; day < 8; day++) {
    const candidates: number[] = [];
    const base = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + day);
    const weekday = new Date(base).getUTCDay();
    if (trigger.frequency === "Week" && days && days.length > 0 && !days.includes(weekday)) continue;
    const hourList = trigger.frequency === "Hour" ? Array.from({ length: 24 }, (_, h) => h) : hours;
    for (const h of hourList) for (const m of minutes) candidates.push(base + h * 3_600_000 + m * 60_000);
    const next = candidates.sort((a, b) => a - b).find((t) => t > from.getTime());
    if (next !== undefined) return new Date(next).toISOString();
  }
  return undefined;
}
