// The Azure ML hand-off's pure parts and its ARM contract: the monitor schedule body (checked by the local
// server's copy of the service's rules and against the REST spec's example shapes), next runs, the ground
// truth join, the spooled CSV/Parquet writer, notebook cells over assets, and the assets gateway driven
// through the real ML client's pipeline against the local ARM server.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { emailsProblem, monitorScheduleBody, monitorSummary, nextRun, scheduleName, targetsDeployment, type MonitorPlan } from "../../src/core/azureml/monitor";
import { LabelJoin } from "../../src/core/azureml/trainingColumns";
import { notebookCells } from "../../src/core/azureml/notebook";
import { Spool, writeTable } from "../../src/engine/spooledTable";
import { createMlAssets } from "../../src/azure/mlAssets";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { describeArmRefusal } from "../../src/core/errors";
import { checkSchedule } from "../servers/arm/mlValidation";
import { startArmServer, type ArmServer } from "../servers/arm/server";
import { armSeed } from "../fixtures/armSeed";
import { buildScenario, DEFAULT_SCENARIO } from "../fixtures/scenario";
import { parseCsvPrefix } from "../../src/core/table/csv";

const WS_ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";
const DEPLOYMENT_ID = `${WS_ID}/onlineEndpoints/credit-endpoint/deployments/blue`;
const INPUTS_ID = `${WS_ID}/data/credit-endpoint-blue-model_inputs/versions/1`;
const OUTPUTS_ID = `${WS_ID}/data/credit-endpoint-blue-model_outputs/versions/1`;
const TRAINING_ID = `${WS_ID}/data/credit-training/versions/3`;
/** What the service would find stored: the deployment and the data versions the plan names. */
const stored: Record<string, Record<string, unknown>> = {
  [DEPLOYMENT_ID.toLowerCase()]: { properties: { endpointComputeType: "Managed" } },
  [INPUTS_ID.toLowerCase()]: { properties: { dataType: "uri_folder" } },
  [OUTPUTS_ID.toLowerCase()]: { properties: { dataType: "uri_folder" } },
  [TRAINING_ID.toLowerCase()]: { properties: { dataType: "mltable" } },
};
const lookup = (id: string) => stored[id.toLowerCase()];

const plan: MonitorPlan = {
  endpointName: "credit-endpoint", deploymentName: "blue", deploymentId: DEPLOYMENT_ID, taskType: "Classification",
  inputsAsset: { id: INPUTS_ID, type: "uri_folder" }, outputsAsset: { id: OUTPUTS_ID, type: "uri_folder" },
  inputFeatures: [
    { name: "income", kind: "numerical", metric: "normalizedWasserstein", threshold: 0.1 },
    { name: "age", kind: "numerical", metric: "normalizedWasserstein", threshold: 0.1 },
    { name: "debt", kind: "numerical", metric: "psi", threshold: 0.2 },
    { name: "region", kind: "categorical", metric: "jensenShannon", threshold: 0.1 },
    { name: "tenure", kind: "numerical", metric: "ksStatistic", threshold: 0.3 },
  ],
  outputFeatures: [{ name: "approved", kind: "categorical", metric: "chiSquaredPValue", threshold: 0.05 }],
  reference: { window: { from: "2026-11-16", to: "2026-11-22" } },
  dataQuality: { nullValueRate: 0.02, dataTypeErrorRate: 0, outOfBoundsRate: 0.01 },
  runAt: { hour: 4, minute: 30 }, emails: ["ml-team@contoso.com"],
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The plan's body with one change made to a copy. */
function broken(change: (body: Json) => void): Json {
  const copy = structuredClone(monitorScheduleBody(plan).body) as Json;
  change(copy);
  return copy;
}

describe("Azure ML monitor schedule body", () => {
  it("is a CreateMonitor schedule the service's rules accept, shaped as the REST spec's example", () => {
    const { body, notes } = monitorScheduleBody(plan);
    assert.doesNotThrow(() => checkSchedule(body, lookup));
    const p = body.properties as Json;
    assert.equal(p.action.actionType, "CreateMonitor");
    assert.deepEqual(p.action.monitorDefinition.computeConfiguration, { computeType: "ServerlessSpark", instanceType: "standard_e4s_v3", runtimeVersion: "3.3", computeIdentity: { computeIdentityType: "AmlToken" } });
    assert.deepEqual(p.action.monitorDefinition.monitoringTarget, { deploymentId: DEPLOYMENT_ID, taskType: "Classification" });
    assert.deepEqual(p.trigger, { triggerType: "Recurrence", frequency: "Day", interval: 1, timeZone: "UTC", schedule: { hours: [4], minutes: [30] } });
    assert.deepEqual(p.action.monitorDefinition.alertNotificationSettings, { emailNotificationSettings: { emails: ["ml-team@contoso.com"] } });
    assert.equal(p.isEnabled, true);
    assert.match(notes.join("\n"), /tenure: Azure ML has no KS statistic threshold/);
  });

  it("gives features sharing a metric and threshold one signal, each feature's type pinned", () => {
    const signals = (monitorScheduleBody(plan).body.properties as Json).action.monitorDefinition.signals as Record<string, Json>;
    const drift = Object.values(signals).filter((s) => s.signalType === "DataDrift");
    const byFeatures = Object.fromEntries(drift.map((s) => [s.features.features.join(","), s.metricThresholds]));
    assert.deepEqual(byFeatures, {
      "income,age": [{ dataType: "Numerical", metric: "NormalizedWassersteinDistance", threshold: { value: 0.1 } }],
      debt: [{ dataType: "Numerical", metric: "PopulationStabilityIndex", threshold: { value: 0.2 } }],
      region: [{ dataType: "Categorical", metric: "JensenShannonDistance", threshold: { value: 0.1 } }],
      tenure: [{ dataType: "Numerical", metric: "TwoSampleKolmogorovSmirnovTest", threshold: { value: 0.05 } }],
    });
    for (const s of drift) {
      assert.deepEqual(s.productionData, { inputDataType: "Rolling", jobInputType: "uri_folder", uri: INPUTS_ID, dataContext: "model_inputs", windowSize: "P1D", windowOffset: "P0D" });
      assert.deepEqual(s.referenceData, { inputDataType: "Static", jobInputType: "uri_folder", uri: INPUTS_ID, dataContext: "model_inputs", windowStart: "2026-11-16T00:00:00Z", windowEnd: "2026-11-23T00:00:00Z" });
      for (const f of s.features.features) assert.equal(s.featureDataTypeOverride[f], f === "region" ? "Categorical" : "Numerical");
    }
    const prediction = signals["prediction-drift"];
    assert.deepEqual(prediction.metricThresholds, [{ dataType: "Categorical", metric: "PearsonsChiSquaredTest", threshold: { value: 0.05 } }]);
    assert.equal(prediction.productionData.dataContext, "model_outputs");
    const quality = signals["data-quality"];
    assert.equal(quality.metricThresholds.length, 6);
    assert.deepEqual(quality.metricThresholds.find((t: Json) => t.dataType === "Numerical" && t.metric === "NullValueRate"), { dataType: "Numerical", metric: "NullValueRate", threshold: { value: 0.02 } });
  });

  it("watches every feature with the settings' metrics when there is no report, against a rolling or training reference", () => {
    const { body } = monitorScheduleBody({ ...plan, inputFeatures: undefined, outputFeatures: undefined, reference: { rolling: { windowSize: "P7D", windowOffset: "P1D" } },
      defaults: { numerical: { metric: "jensenShannon", threshold: 0.2 }, categorical: { metric: "psi", threshold: 0.25 } } });
    assert.doesNotThrow(() => checkSchedule(body, lookup));
    const signals = (body.properties as Json).action.monitorDefinition.signals;
    assert.deepEqual(signals["data-drift"].features, { filterType: "AllFeatures" });
    assert.deepEqual(signals["data-drift"].metricThresholds, [
      { dataType: "Numerical", metric: "JensenShannonDistance", threshold: { value: 0.2 } },
      { dataType: "Categorical", metric: "PopulationStabilityIndex", threshold: { value: 0.25 } },
    ]);
    assert.deepEqual(signals["data-drift"].referenceData, { inputDataType: "Rolling", jobInputType: "uri_folder", uri: INPUTS_ID, dataContext: "model_inputs", windowSize: "P7D", windowOffset: "P1D" });
    // Training data: its own type, and for prediction drift the target column mapped (2024-04-01's `columns`).
    const untargeted = monitorScheduleBody({ ...plan, reference: { asset: { id: TRAINING_ID, type: "mltable" } } }).body;
    assert.throws(() => checkSchedule(untargeted, lookup), /prediction-drift\.referenceData\.columns: must name the training data's target_column/);
    const training = monitorScheduleBody({ ...plan, reference: { asset: { id: TRAINING_ID, type: "mltable", targetColumn: "approved" } } }).body;
    assert.doesNotThrow(() => checkSchedule(training, lookup));
    const trainingSignals = (training.properties as Json).action.monitorDefinition.signals;
    assert.deepEqual(trainingSignals["data-drift-1"].referenceData, { inputDataType: "Fixed", jobInputType: "mltable", uri: TRAINING_ID, dataContext: "training" });
    assert.deepEqual(trainingSignals["prediction-drift"].referenceData, { inputDataType: "Fixed", jobInputType: "mltable", uri: TRAINING_ID, dataContext: "training", columns: { target_column: "approved" } });
    assert.equal(trainingSignals["prediction-drift"].features, undefined);
  });

  it("adds no empty signal when no input feature could be judged", () => {
    const { body } = monitorScheduleBody({ ...plan, inputFeatures: [] });
    assert.doesNotThrow(() => checkSchedule(body, lookup));
    assert.deepEqual(Object.keys((body.properties as Json).action.monitorDefinition.signals), ["prediction-drift"]);
  });

  it("is refused where the service refuses: unknown metric, empty signals, bad e-mail, an end before the start", () => {
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals["data-drift-1"].metricThresholds[0].metric = "Wasserstein")), lookup), /metricThresholds\[0\]\.metric: must be one of/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals = {})), lookup), /needs at least one signal/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails = ["not an address"])), lookup), /e-mail/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals["data-drift-1"].referenceData.windowEnd = "2026-11-01T00:00:00Z")), lookup), /after windowStart/);
    assert.throws(() => checkSchedule(broken((b) => delete b.properties.trigger), lookup), /properties\.trigger: is required/);
  });

  it("is refused where a reference does not resolve, as the service resolves it", () => {
    const definition = (b: Json) => b.properties.action.monitorDefinition;
    assert.throws(() => checkSchedule(broken((b) => (definition(b).monitoringTarget.deploymentId = "azureml:credit-endpoint:blue")), lookup), /deploymentId: 'azureml:credit-endpoint:blue' is not an online deployment's ARM id/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).monitoringTarget.deploymentId = DEPLOYMENT_ID.replace("blue", "gone"))), lookup), /deploymentId: the deployment .* does not exist/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).signals["data-drift-1"].productionData.uri = "azureml:credit-endpoint-blue-model_inputs:1")), lookup), /productionData\.uri: .* cannot be resolved/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).signals["data-drift-1"].productionData.uri = INPUTS_ID.replace("/1", "/9"))), lookup), /productionData\.uri: the data asset version .* does not exist/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).signals["data-drift-1"].productionData.jobInputType = "mltable")), lookup), /is uri_folder, not mltable/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).signals["prediction-drift"].features = { filterType: "AllFeatures" })), lookup), /prediction-drift\.features: is not a property of a PredictionDrift signal/);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).computeConfiguration.runtimeVersion = "3.4")), lookup), /runtimeVersion: must be one of 3\.3/);
    const longList = Array.from({ length: 30 }, (_, i) => `analyst-number-${i}@contoso.com`);
    assert.ok(emailsProblem(longList));
    assert.equal(emailsProblem(["ml-team@contoso.com"]), undefined);
    assert.throws(() => checkSchedule(broken((b) => (definition(b).alertNotificationSettings.emailNotificationSettings.emails = longList)), lookup), /at most 499 characters/);
    // What the service accepts: a weekly rolling window.
    assert.doesNotThrow(() => checkSchedule(broken((b) => Object.assign(definition(b).signals["data-drift-1"].productionData, { windowSize: "P1W" })), lookup));
  });

  it("names schedules as Azure ML accepts and reads monitors back for the tree", () => {
    assert.equal(scheduleName("credit-endpoint/blue drift"), "credit-endpoint-blue-drift");
    assert.equal(scheduleName("9lives"), "9lives");
    assert.equal(scheduleName("-drift.v2"), "drift-v2");
    const summary = monitorSummary({ name: "m", properties: { ...(monitorScheduleBody(plan).body.properties), provisioningState: "Succeeded" } }, new Date("2026-11-30T05:00:00Z"));
    assert.deepEqual(summary, { name: "m", enabled: true, provisioningState: "Succeeded", signals: ["DataDrift", "DataDrift", "DataDrift", "DataDrift", "PredictionDrift", "DataQuality"],
      deploymentId: DEPLOYMENT_ID, nextRun: "2026-12-01T04:30:00.000Z" });
    assert.ok(summary && targetsDeployment(summary, "credit-endpoint", "blue"));
    assert.ok(summary && !targetsDeployment(summary, "credit-endpoint", "green"));
    assert.equal(monitorSummary({ name: "job", properties: { action: { actionType: "CreateJob" } } }), undefined);
  });

  it("tells the next run of daily, hourly and weekly UTC recurrences", () => {
    const now = new Date("2026-11-30T16:45:00Z"); // a Monday
    assert.equal(nextRun({ triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [3, 18], minutes: [0] } }, now), "2026-11-30T18:00:00.000Z");
    assert.equal(nextRun({ triggerType: "Recurrence", frequency: "Hour", interval: 1, schedule: { hours: [], minutes: [15] } }, now), "2026-11-30T17:15:00.000Z");
    assert.equal(nextRun({ triggerType: "Recurrence", frequency: "Week", interval: 1, schedule: { hours: [9], minutes: [0], weekDays: ["Friday"] } }, now), "2026-12-04T09:00:00.000Z");
    assert.equal(nextRun({ triggerType: "Recurrence", frequency: "Day", interval: 1, timeZone: "Pacific Standard Time" }, now), undefined);
    assert.equal(nextRun({ triggerType: "Cron", expression: "0 3 * * *" }, now), undefined);
    // startTime has no offset: it is read in the schedule's time zone (UTC), whatever the machine's zone.
    assert.equal(nextRun({ triggerType: "Recurrence", frequency: "Day", interval: 1, timeZone: "UTC", startTime: "2026-12-10T00:00:00", schedule: { hours: [3], minutes: [0] } }, now), "2026-12-10T03:00:00.000Z");
  });
});

describe("ground truth join", () => {
  it("adds labels by key, counting matches, rows without a label, repeated and unused labels", () => {
    const labels = new LabelJoin("left");
    for (const [id, label] of [["a_0", "1"], ["a_1", "0"], ["a_0", "9"], [null, "x"], ["z_0", "1"]]) labels.add(id, [id, label]);
    const found = ["a_0", "a_1", "b_0"].map((k) => labels.pair(k));
    assert.deepEqual(found.map((row) => labels.rows.cell(row ?? -1, 1)), ["1", "0", null]);
    assert.equal(found[2], -1, "a left join keeps the row, unlabelled");
    assert.deepEqual(labels.counts(), { matched: 2, unmatched: 1, duplicateKeys: 1, labelsWithoutKey: 1, unusedLabels: 1 });
    const inner = new LabelJoin("inner");
    inner.add("1", ["1", "yes"]);
    assert.equal(inner.pair("2"), undefined);
    assert.equal(inner.rows.cell(inner.pair(" 1 ") ?? -1, 1), "yes");
  });
});

describe("spooled training set writer", () => {
  const folder = mkdtempSync(join(tmpdir(), "spool-test-"));
  const columns = ["id", "income", "city", "extra"];
  const rows: Array<Array<string | null>> = [
    ["r1", "52000.5", "Zürich"],
    ["r2", null, "a,\"quoted\"\nline", "late column"],
    ["r3", "-3e2", null],
  ];
  const spoolOf = (records: Array<Array<string | null>>) => {
    const spool = new Spool();
    for (const record of records) spool.add(record);
    return spool;
  };
  const widen = (record: Array<string | null>) => columns.map((_, i) => record[i] ?? null);

  it("writes CSV with every column, late ones included, values as collected", async () => {
    const spool = spoolOf(rows);
    const path = join(folder, "set.csv");
    const written = await writeTable(path, "csv", columns, [false, true, false, false], spool.batches(widen), async () => undefined);
    spool.dispose();
    assert.equal(written.rows, 3);
    const parsed = parseCsvPrefix(readFileSync(path, "utf8"), true);
    assert.deepEqual(parsed, [columns, ["r1", "52000.5", "Zürich", ""], ["r2", "", "a,\"quoted\"\nline", "late column"], ["r3", "-3e2", "", ""]]);
  });

  it("writes Parquet that reads back with typed numbers and nulls (hyparquet)", async () => {
    const spool = spoolOf([...rows, ...Array.from({ length: 120_000 }, (_, i) => [`n${i}`, String(i / 4), i % 3 === 0 ? "Bern" : "Genf"])]);
    const path = join(folder, "set.parquet");
    let turns = 0;
    await writeTable(path, "parquet", columns, [false, true, false, false], spool.batches(widen), async () => void (turns += 1));
    spool.dispose();
    assert.ok(turns >= 3, "a turn per row group");
    const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
    const bytes = readFileSync(path);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const metadata = parquetMetadata(buffer);
    assert.equal(Number(metadata.num_rows), 120_003);
    assert.deepEqual(metadata.schema.slice(1).map((s) => [s.name, s.type]), [["id", "BYTE_ARRAY"], ["income", "DOUBLE"], ["city", "BYTE_ARRAY"], ["extra", "BYTE_ARRAY"]]);
    const read = await parquetReadObjects({ file: buffer, rowStart: 0, rowEnd: 3 });
    assert.deepEqual(read, [
      { id: "r1", income: 52000.5, city: "Zürich", extra: null },
      { id: "r2", income: null, city: "a,\"quoted\"\nline", extra: "late column" },
      { id: "r3", income: -300, city: null, extra: null },
    ]);
    const last = await parquetReadObjects({ file: buffer, rowStart: 120_002, rowEnd: 120_003 });
    assert.deepEqual(last, [{ id: "n119999", income: 29999.75, city: "Genf", extra: null }]);
  });

  it("leaves nothing at the path, nor a partial file, when stopped while writing", async () => {
    const spool = spoolOf(Array.from({ length: 60_000 }, (_, i) => [String(i)]));
    const path = join(folder, "stopped.parquet");
    await assert.rejects(writeTable(path, "parquet", columns, [false, false, false, false], spool.batches(widen), async () => {
      throw Object.assign(new Error("cancelled"), { name: "AbortError" });
    }), /cancelled/);
    spool.dispose();
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(folder).filter((f) => f.startsWith("stopped")), []);
  });
});

describe("notebook cells over a training set and a data asset", () => {
  it("loads a local training set with pandas, and an asset with mltable through MLClient, no secret in any cell", () => {
    const set = notebookCells({ title: "Training set", production: { label: "set", file: "/data/training.parquet" } });
    assert.match(set[1].text, /pd\.read_parquet\("\/data\/training\.parquet"\)/);
    const asset = notebookCells({ title: "Asset", production: { label: "a", asset: { subscription: "sub", resourceGroup: "rg", workspace: "ws", name: "credit-inputs", version: "3", kind: "mltable" } } });
    assert.match(asset[1].text, /MLClient\(DefaultAzureCredential\(\), "sub", "rg", "ws"\)/);
    assert.match(asset[1].text, /ml_client\.data\.get\("credit-inputs", version="3"\)/);
    assert.match(asset[1].text, /mltable\.load\(asset\.path\)\.to_pandas_dataframe\(\)/);
    const folder = notebookCells({ title: "Folder", production: { label: "f", asset: { subscription: "s", resourceGroup: "r", workspace: "w", name: "day", version: "1", kind: "uri_folder", format: "jsonl" } } });
    assert.match(folder[1].text, /from_json_lines_files\(paths=\[\{"pattern": asset\.path\.rstrip\("\/"\) \+ "\/\*\*\/\*\.jsonl"\}\]\)/);
    for (const cell of [...set, ...asset, ...folder]) assert.doesNotMatch(cell.text, /AccountKey|sig=|SharedAccessSignature/);
  });
});

describe("ML assets gateway through the real client's pipeline, against the local ARM server", () => {
  const scenario = buildScenario(DEFAULT_SCENARIO);
  const token = { getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  let arm: ArmServer;
  let ml: ReturnType<typeof createMlAssets>;
  let mlClient: AzureMachineLearningWorkspaces;
  const client = () => mlClient;
  const workspace = {
    id: `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`,
    name: scenario.workspace, subscriptionId: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, location: "eastus",
  };
  // The plan's references in this server's workspace: its blue deployment and two registered versions.
  const body = monitorScheduleBody({ ...plan, deploymentId: `${workspace.id}/onlineEndpoints/credit-endpoint/deployments/blue`,
    inputsAsset: { id: `${workspace.id}/data/blue-inputs/versions/1`, type: "uri_folder" }, outputsAsset: { id: `${workspace.id}/data/blue-outputs/versions/1`, type: "uri_folder" } }).body;

  before(async () => {
    arm = await startArmServer({ ...armSeed(scenario), pollsToFinish: 2 });
    const client = new AzureMachineLearningWorkspaces(token, scenario.subscriptionId, { endpoint: arm.url, credentialScopes: [`${arm.url}/.default`] });
    mlClient = client;
    ml = createMlAssets(arm.url, () => client);
    for (const name of ["blue-inputs", "blue-outputs"]) {
      await ml.putDataVersion(workspace, name, "1", { properties: { dataType: "uri_folder", dataUri: `azureml://datastores/workspaceblobstore/paths/modelDataCollector/credit-endpoint/blue/${name}/` } });
    }
  });
  after(() => arm.stop());

  it("creates a monitor through its long-running operation, lists, disables and deletes it", async () => {
    const statuses: string[] = [];
    const made = await ml.putSchedule(workspace, "credit-drift", body, { onStatus: (s) => statuses.push(s) });
    assert.equal((made.properties as Json).provisioningState, "Succeeded");
    assert.equal(statuses[0], "Creating");
    const polls = arm.requests.filter((r) => /mfeOperationsStatus/.test(r.path)).length;
    assert.ok(polls >= 2, `polled ${polls} times`);
    const listed = await ml.listSchedules(workspace);
    assert.deepEqual(listed.map((s) => s.name), ["credit-drift"]);
    const disabled = await ml.putSchedule(workspace, "credit-drift", { properties: { ...(made.properties as Json), provisioningState: undefined, isEnabled: false } }, {});
    assert.equal((disabled.properties as Json).isEnabled, false);
    await ml.deleteSchedule(workspace, "credit-drift", {});
    assert.deepEqual(await ml.listSchedules(workspace), []);
    assert.equal(await ml.getSchedule(workspace, "credit-drift"), undefined);
  });

  it("leaves nothing behind when ARM refuses: 400 naming the property, 403, a failed operation", async () => {
    const bad = structuredClone(body) as Json;
    bad.properties.action.monitorDefinition.computeConfiguration.computeType = "AmlCompute";
    await assert.rejects(ml.putSchedule(workspace, "bad-body", bad, {}), (e: { statusCode?: number; code?: string; message?: string }) =>
      e.statusCode === 400 && e.code === "UserError" && /computeConfiguration\.computeType: must be one of ServerlessSpark/.test(e.message ?? ""));
    arm.faults.add({ method: "PUT", path: "/schedules/forbidden", action: "respond", status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/schedules/write'." });
    await assert.rejects(ml.putSchedule(workspace, "forbidden", body, {}), (e: { statusCode?: number; message?: string }) => e.statusCode === 403 && /schedules\/write/.test(e.message ?? ""));
    arm.faults.add({ method: "PUT", path: "/schedules/failing", action: "failOperation", code: "UserError", message: "Production data asset not found." });
    await assert.rejects(ml.putSchedule(workspace, "failing", body, {}), /Production data asset not found/);
    assert.deepEqual(await ml.listSchedules(workspace), []);
  });

  it("lists disabled monitors and archived versions (listViewType=All) where the service's defaults hide them", async () => {
    await ml.putSchedule(workspace, "9-disabled", { properties: { ...(body.properties as Json), isEnabled: false } }, {});
    const raw = async (path: string) => JSON.parse((await client().sendRequest(createPipelineRequest({ url: `${arm.url}${workspace.id}/${path}`, method: "GET" }))).bodyAsText ?? "{}") as { value: Json[] };
    assert.deepEqual((await raw("schedules?api-version=2024-04-01")).value.map((v) => v.name), [], "the service's default is EnabledOnly");
    assert.deepEqual((await ml.listSchedules(workspace)).map((v) => v.name), ["9-disabled"]);
    await ml.deleteSchedule(workspace, "9-disabled", {});
    await ml.putDataVersion(workspace, "archived", "1", { properties: { dataType: "uri_file", dataUri: "azureml://datastores/workspaceblobstore/paths/a.csv", isArchived: true } });
    assert.deepEqual((await raw("data/archived/versions?api-version=2024-04-01")).value, [], "the service's default is ActiveOnly");
    assert.deepEqual(await ml.listDataVersions(workspace, "archived"), ["1"]);
    await assert.rejects(raw("schedules?api-version=2024-04-01&listViewType=Everything").then((r) => (r as unknown as { error?: Json }).error ? Promise.reject(new Error(JSON.stringify(r))) : r), /listViewType must be one of/);
  });

  it("follows a PUT answered with no operation headers through provisioningState, and a DELETE answered with Location only", async () => {
    arm.faults.add({ method: "PUT", path: "/schedules/by-state", action: "shape", shape: "provisioningState" });
    const before = arm.requests.length;
    const statuses: string[] = [];
    const made = await ml.putSchedule(workspace, "by-state", body, { onStatus: (s) => statuses.push(s) });
    assert.equal((made.properties as Json).provisioningState, "Succeeded");
    const sent = arm.requests.slice(before);
    assert.ok(sent.filter((r) => r.method === "GET" && /\/schedules\/by-state\?/.test(r.path)).length >= 2, "the resource itself was polled");
    assert.equal(sent.some((r) => /mfeOperation/.test(r.path)), false);
    assert.ok(statuses.includes("Creating"));
    arm.faults.add({ method: "PUT", path: "/schedules/by-state-failing", action: "shape", shape: "provisioningState", code: "UserError" });
    await assert.rejects(ml.putSchedule(workspace, "by-state-failing", body, {}), /ended in provisioning state Failed/);
    arm.faults.add({ method: "DELETE", path: "/schedules/by-state", action: "shape", shape: "locationOnly", retryAfter: 2 });
    const started = Date.now();
    await ml.deleteSchedule(workspace, "by-state", {});
    assert.ok(Date.now() - started >= 1900, `Retry-After of 2 s honoured (${Date.now() - started} ms)`);
    assert.equal(await ml.getSchedule(workspace, "by-state"), undefined);
    await ml.deleteSchedule(workspace, "by-state-failing", {});
    // A 201 with Azure-AsyncOperation alone (no Location) is followed through its status document.
    arm.faults.add({ method: "PUT", path: "/schedules/async-only", action: "shape", shape: "asyncOnly" });
    const polledBefore = arm.requests.filter((r) => /mfeOperationsStatus/.test(r.path)).length;
    assert.equal(((await ml.putSchedule(workspace, "async-only", body, {})).properties as Json).provisioningState, "Succeeded");
    assert.ok(arm.requests.filter((r) => /mfeOperationsStatus/.test(r.path)).length > polledBefore);
    await ml.deleteSchedule(workspace, "async-only", {});
  });

  it("keeps ARM's error details in what is said, and sends skipValidation for an identity datastore the service could not validate", async () => {
    arm.faults.add({ method: "PUT", path: "/schedules/detailed", action: "respond", status: 400, code: "UserError", message: "Invalid monitor definition.",
      details: [{ code: "InvalidProperty", message: "Instance type is not supported.", target: "computeConfiguration.instanceType" }] });
    const refused = await ml.putSchedule(workspace, "detailed", body, {}).catch((e: unknown) => e);
    assert.equal(describeArmRefusal(refused), "UserError: Invalid monitor definition. [InvalidProperty: Instance type is not supported. (computeConfiguration.instanceType)]");
    const identity = { properties: { datastoreType: "AzureBlob", accountName: "devstoreaccount1", containerName: "modeldata", credentials: { credentialsType: "None" } } };
    const direct = await client().sendRequest(createPipelineRequest({ url: `${arm.url}${workspace.id}/datastores/no-skip?api-version=2024-04-01`, method: "PUT", body: JSON.stringify(identity),
      headers: createHttpHeaders({ "content-type": "application/json" }) }));
    assert.equal(direct.status, 400, "without skipValidation the service tries to validate and cannot");
    await ml.putDatastore(workspace, "legacy-model-data", identity);
    assert.ok(arm.requests.some((r) => r.method === "PUT" && /\/datastores\/legacy-model-data\?.*skipValidation=true/.test(r.path)));
    await ml.deleteDatastore(workspace, "legacy-model-data");
    // The specification's other datastore kinds are accepted too (OneLake, identity-based).
    await ml.putDatastore(workspace, "fabric-lake", { properties: { datastoreType: "OneLake", oneLakeWorkspaceName: "analytics", endpoint: "onelake.dfs.fabric.microsoft.com",
      artifact: { artifactType: "LakeHouse", artifactName: "telemetry" }, credentials: { credentialsType: "None" } } });
    await ml.deleteDatastore(workspace, "fabric-lake");
    await assert.rejects(ml.putDataVersion(workspace, "has.dot", "1", { properties: { dataType: "uri_file", dataUri: "azureml://datastores/workspaceblobstore/paths/a.csv" } }), /does not match/);
  });

  it("registers data versions, lists them, and makes and removes an identity-based datastore", async () => {
    assert.deepEqual(await ml.listDataVersions(workspace, "nothing-yet"), []);
    await ml.putDataVersion(workspace, "day", "1", { properties: { dataType: "uri_folder", dataUri: "azureml://datastores/workspaceblobstore/paths/x/" } });
    assert.deepEqual(await ml.listDataVersions(workspace, "day"), ["1"]);
    const made = await ml.putDatastore(workspace, "modeldata", { properties: { datastoreType: "AzureBlob", accountName: "devstoreaccount1", containerName: "modeldata", credentials: { credentialsType: "None" } } });
    assert.deepEqual((made.properties as Json).credentials, { credentialsType: "None" });
    assert.ok((await ml.listDatastores(workspace)).some((d) => d.name === "modeldata"));
    await assert.rejects(ml.putDatastore(workspace, "broken", { properties: { datastoreType: "AzureBlob", containerName: "c", credentials: { credentialsType: "None" } } }), /accountName: is required/);
    await ml.deleteDatastore(workspace, "modeldata");
    assert.ok(!(await ml.listDatastores(workspace)).some((d) => d.name === "modeldata"));
  });
});
