// What the ML resource provider refuses in a datastore or schedule body, checked as the service checks
// it (required properties, enum values and patterns from the REST specification at 2024-04-01, references
// that must resolve to existing resources), answered with the service's UserError and a message naming the
// property.
import { ArmError } from "./errors";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function refuse(path: string, problem: string): never {
  throw new ArmError(400, "UserError", `${path}: ${problem}`);
}

function required(object: Json, key: string, path: string): unknown {
  const value = object[key];
  if (value === undefined || value === null || value === "") refuse(`${path}.${key}`, "is required.");
  return value;
}

function oneOf(value: unknown, allowed: readonly string[], path: string): string {
  if (typeof value !== "string" || !allowed.includes(value)) refuse(path, `must be one of ${allowed.join(", ")} (it was ${JSON.stringify(value)}).`);
  return value as string;
}

export function checkDatastore(body: unknown): Json {
  const properties = isObject(body) && isObject(body.properties) ? body.properties : refuse("properties", "is required.");
  const type = oneOf(properties.datastoreType, ["AzureBlob", "AzureDataLakeGen1", "AzureDataLakeGen2", "AzureFile", "OneLake"], "properties.datastoreType");
  const credentials = isObject(properties.credentials) ? properties.credentials : refuse("properties.credentials", "is required.");
  oneOf(credentials.credentialsType, ["AccountKey", "Certificate", "None", "Sas", "ServicePrincipal"], "properties.credentials.credentialsType");
  if (type === "AzureBlob") {
    required(properties, "accountName", "properties");
    required(properties, "containerName", "properties");
  }
  if (properties.serviceDataAccessAuthIdentity !== undefined) {
    oneOf(properties.serviceDataAccessAuthIdentity, ["None", "WorkspaceSystemAssignedIdentity", "WorkspaceUserAssignedIdentity"], "properties.serviceDataAccessAuthIdentity");
  }
  return properties;
}

/** The resource-name pattern the specification gives data assets, datastores and schedules. */
export const RESOURCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
/** ISO 8601 durations as the service parses them (P7D, P1W, PT12H…). */
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
/** Serverless Spark runtimes a monitor runs on (azure-ai-ml refuses any other: "Compute runtime version must be 3.3"). */
const SPARK_RUNTIMES = ["3.3"];
const EMAILS_LIMIT = 499;

/** Looks up a stored resource by its ARM id (case-insensitive), for references that must resolve. */
export type Lookup = (id: string) => Json | undefined;

const SIGNAL_TYPES = ["DataDrift", "PredictionDrift", "DataQuality", "FeatureAttributionDrift", "Custom"];
const INPUT_TYPES = ["Fixed", "Rolling", "Static"];
const JOB_INPUT_TYPES = ["literal", "uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"];
const DRIFT_METRICS: Record<string, readonly string[]> = {
  Numerical: ["JensenShannonDistance", "NormalizedWassersteinDistance", "PopulationStabilityIndex", "TwoSampleKolmogorovSmirnovTest"],
  Categorical: ["JensenShannonDistance", "PearsonsChiSquaredTest", "PopulationStabilityIndex"],
};
const QUALITY_METRICS = ["NullValueRate", "DataTypeErrorRate", "OutOfBoundsRate"];

function checkInputData(value: unknown, path: string, lookup: Lookup): Json {
  const data = isObject(value) ? value : refuse(path, "is required.");
  const kind = oneOf(data.inputDataType, INPUT_TYPES, `${path}.inputDataType`);
  const jobInputType = oneOf(data.jobInputType, JOB_INPUT_TYPES, `${path}.jobInputType`);
  checkInputUri(String(required(data, "uri", path)), jobInputType, `${path}.uri`, lookup);
  if (data.columns !== undefined && (!isObject(data.columns) || !Object.values(data.columns).every((c) => typeof c === "string"))) refuse(`${path}.columns`, "must map column roles to column names.");
  if (kind === "Rolling") {
    for (const key of ["windowSize", "windowOffset"]) if (!DURATION.test(String(required(data, key, path)))) refuse(`${path}.${key}`, "must be an ISO 8601 duration such as P7D.");
  }
  if (kind === "Static") {
    const start = Date.parse(String(required(data, "windowStart", path)));
    const end = Date.parse(String(required(data, "windowEnd", path)));
    if (Number.isNaN(start) || Number.isNaN(end)) refuse(`${path}.windowStart`, "windowStart and windowEnd must be RFC 3339 date-times.");
    if (start >= end) refuse(`${path}.windowEnd`, "must be after windowStart.");
  }
  return data;
}

/**
 * A monitor input's uri: a registered data version by its ARM id (as the CLI resolves `azureml:name:version`
 * before sending), which must exist and be of the stated type; or a datastore or web URI of the data itself.
 */
function checkInputUri(uri: string, jobInputType: string, path: string, lookup: Lookup): void {
  const armId = uri.replace(/^azureml:/, "");
  if (/^\/subscriptions\//i.test(armId)) {
    if (!/\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/data\/[^/]+\/versions\/[^/]+$/i.test(armId)) refuse(path, `'${uri}' is not a data asset version's ARM id.`);
    const stored = lookup(armId);
    if (!stored) refuse(path, `the data asset version '${uri}' does not exist.`);
    const dataType = (stored.properties as { dataType?: string } | undefined)?.dataType;
    if (dataType !== jobInputType) refuse(path, `the data asset version '${uri}' is ${dataType}, not ${jobInputType} as jobInputType says.`);
    return;
  }
  if (/^(azureml|https|wasbs|abfss):\/\//i.test(uri)) return;
  refuse(path, `'${uri}' cannot be resolved: give a data asset version's ARM id (/subscriptions/…/data/<name>/versions/<version>) or a datastore URI.`);
}

function checkThresholds(value: unknown, path: string, metrics: (dataType: string) => readonly string[]): void {
  if (!Array.isArray(value) || value.length === 0) refuse(path, "needs at least one metric threshold.");
  value.forEach((t, i) => {
    const item = isObject(t) ? t : refuse(`${path}[${i}]`, "must be an object.");
    const dataType = oneOf(item.dataType, ["Numerical", "Categorical"], `${path}[${i}].dataType`);
    oneOf(item.metric, metrics(dataType), `${path}[${i}].metric`);
    if (item.threshold !== undefined && (!isObject(item.threshold) || typeof item.threshold.value !== "number" || !Number.isFinite(item.threshold.value))) {
      refuse(`${path}[${i}].threshold.value`, "must be a number.");
    }
  });
}

function checkSignal(value: unknown, path: string, lookup: Lookup): void {
  const signal = isObject(value) ? value : refuse(path, "must be an object.");
  const type = oneOf(signal.signalType, SIGNAL_TYPES, `${path}.signalType`);
  // A PredictionDriftMonitoringSignal has no `features`: it watches every prediction column.
  if (type === "PredictionDrift" && signal.features !== undefined) refuse(`${path}.features`, "is not a property of a PredictionDrift signal.");
  if (signal.notificationTypes !== undefined && (!Array.isArray(signal.notificationTypes) || !signal.notificationTypes.every((n) => n === "AmlNotification"))) {
    refuse(`${path}.notificationTypes`, "must list AmlNotification only.");
  }
  if (signal.features !== undefined) {
    const features = isObject(signal.features) ? signal.features : refuse(`${path}.features`, "must be an object.");
    const filter = oneOf(features.filterType, ["AllFeatures", "FeatureSubset", "TopNByAttribution"], `${path}.features.filterType`);
    if (filter === "FeatureSubset" && (!Array.isArray(features.features) || features.features.length === 0 || !features.features.every((f) => typeof f === "string"))) {
      refuse(`${path}.features.features`, "must name at least one feature.");
    }
  }
  if (signal.featureDataTypeOverride !== undefined) {
    if (!isObject(signal.featureDataTypeOverride)) refuse(`${path}.featureDataTypeOverride`, "must be an object.");
    for (const [feature, t] of Object.entries(signal.featureDataTypeOverride)) oneOf(t, ["Numerical", "Categorical"], `${path}.featureDataTypeOverride.${feature}`);
  }
  if (type === "DataDrift" || type === "PredictionDrift" || type === "DataQuality") {
    checkInputData(signal.productionData, `${path}.productionData`, lookup);
    const reference = checkInputData(signal.referenceData, `${path}.referenceData`, lookup);
    // Predictions compare with training data's target column, which only the reference's `columns` can name.
    if (type === "PredictionDrift" && reference.dataContext === "training" && !(isObject(reference.columns) && typeof reference.columns.target_column === "string")) {
      refuse(`${path}.referenceData.columns`, "must name the training data's target_column for prediction drift.");
    }
    checkThresholds(signal.metricThresholds, `${path}.metricThresholds`, (t) => (type === "DataQuality" ? QUALITY_METRICS : DRIFT_METRICS[t]));
  }
}

/** A schedule body with a CreateMonitor (or CreateJob) action, as the service validates it. */
export function checkSchedule(body: unknown, lookup: Lookup = () => undefined): Json {
  const properties = isObject(body) && isObject(body.properties) ? body.properties : refuse("properties", "is required.");
  const trigger = isObject(properties.trigger) ? properties.trigger : refuse("properties.trigger", "is required.");
  const triggerType = oneOf(trigger.triggerType, ["Recurrence", "Cron"], "properties.trigger.triggerType");
  if (triggerType === "Recurrence") {
    oneOf(trigger.frequency, ["Minute", "Hour", "Day", "Week", "Month"], "properties.trigger.frequency");
    if (!Number.isInteger(trigger.interval) || (trigger.interval as number) < 1) refuse("properties.trigger.interval", "must be a positive integer.");
    if (trigger.schedule !== undefined) {
      const schedule = isObject(trigger.schedule) ? trigger.schedule : refuse("properties.trigger.schedule", "must be an object.");
      const hours = schedule.hours;
      const minutes = schedule.minutes;
      if (!Array.isArray(hours) || !hours.every((h) => Number.isInteger(h) && h >= 0 && h <= 23)) refuse("properties.trigger.schedule.hours", "must list hours 0-23.");
      if (!Array.isArray(minutes) || !minutes.every((m) => Number.isInteger(m) && m >= 0 && m <= 59)) refuse("properties.trigger.schedule.minutes", "must list minutes 0-59.");
    }
  } else required(trigger, "expression", "properties.trigger");
  const action = isObject(properties.action) ? properties.action : refuse("properties.action", "is required.");
  const actionType = oneOf(action.actionType, ["CreateJob", "InvokeBatchEndpoint", "CreateMonitor"], "properties.action.actionType");
  if (actionType !== "CreateMonitor") return properties;
  const definition = isObject(action.monitorDefinition) ? action.monitorDefinition : refuse("properties.action.monitorDefinition", "is required.");
  const compute = isObject(definition.computeConfiguration) ? definition.computeConfiguration : refuse("properties.action.monitorDefinition.computeConfiguration", "is required.");
  oneOf(compute.computeType, ["ServerlessSpark"], "properties.action.monitorDefinition.computeConfiguration.computeType");
  required(compute, "instanceType", "properties.action.monitorDefinition.computeConfiguration");
  oneOf(required(compute, "runtimeVersion", "properties.action.monitorDefinition.computeConfiguration"), SPARK_RUNTIMES, "properties.action.monitorDefinition.computeConfiguration.runtimeVersion");
  const identity = isObject(compute.computeIdentity) ? compute.computeIdentity : refuse("properties.action.monitorDefinition.computeConfiguration.computeIdentity", "is required.");
  oneOf(identity.computeIdentityType, ["AmlToken", "ManagedIdentity"], "properties.action.monitorDefinition.computeConfiguration.computeIdentity.computeIdentityType");
  if (definition.monitoringTarget !== undefined) {
    const target = isObject(definition.monitoringTarget) ? definition.monitoringTarget : refuse("properties.action.monitorDefinition.monitoringTarget", "must be an object.");
    oneOf(target.taskType, ["Classification", "Regression"], "properties.action.monitorDefinition.monitoringTarget.taskType");
    if (target.deploymentId !== undefined) {
      const id = String(target.deploymentId);
      if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/onlineEndpoints\/[^/]+\/deployments\/[^/]+$/i.test(id)) {
        refuse("properties.action.monitorDefinition.monitoringTarget.deploymentId", `'${id}' is not an online deployment's ARM id.`);
      }
      if (!lookup(id)) refuse("properties.action.monitorDefinition.monitoringTarget.deploymentId", `the deployment '${id}' does not exist.`);
    }
  }
  const signals = isObject(definition.signals) ? definition.signals : refuse("properties.action.monitorDefinition.signals", "is required.");
  if (Object.keys(signals).length === 0) refuse("properties.action.monitorDefinition.signals", "needs at least one signal.");
  for (const [name, signal] of Object.entries(signals)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/.test(name)) refuse(`properties.action.monitorDefinition.signals.${name}`, "signal names are letters, digits, '-' and '_'.");
    checkSignal(signal, `properties.action.monitorDefinition.signals.${name}`, lookup);
  }
  const emails = (definition.alertNotificationSettings as Json | undefined)?.emailNotificationSettings as Json | undefined;
  if (emails?.emails !== undefined && (!Array.isArray(emails.emails) || !emails.emails.every((e) => typeof e === "string" && /^[^@\s]+@[^@\s]+$/.test(e)))) {
    refuse("properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails", "must be e-mail addresses.");
  }
  if (Array.isArray(emails?.emails) && emails.emails.join(",").length > EMAILS_LIMIT) {
    refuse("properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails", `may hold at most ${EMAILS_LIMIT} characters in all.`);
  }
  return properties;
}
