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
import { monitorScheduleBody, monitorSummary, nextRun, scheduleName, targetsDeployment, type MonitorPlan } from "../../src/core/azureml/monitor";
import { LabelJoin } from "../../src/core/azureml/trainingColumns";
import { notebookCells } from "../../src/core/azureml/notebook";
import { Spool, writeTable } from "../../src/preview/engine/spooledTable";
import { createMlAssets } from "../../src/azure/mlAssets";
import { checkSchedule } from "../servers/arm/mlValidation";
import { startArmServer, type ArmServer } from "../servers/arm/server";
import { armSeed } from "../fixtures/armSeed";
import { buildScenario, DEFAULT_SCENARIO } from "../fixtures/scenario";
import { parseCsvPrefix } from "../../src/core/table/csv";

const plan: MonitorPlan = {
  endpointName: "credit-endpoint", deploymentName: "blue", taskType: "Classification",
  inputsAsset: "azureml:credit-endpoint-blue-model_inputs:1", outputsAsset: "azureml:credit-endpoint-blue-model_outputs:1",
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

describe("Azure ML monitor schedule body", () => {
  it("is a CreateMonitor schedule the service's rules accept, shaped as the REST spec's example", () => {
    const { body, notes } = monitorScheduleBody(plan);
    assert.doesNotThrow(() => checkSchedule(body));
    const p = body.properties as Json;
    assert.equal(p.action.actionType, "CreateMonitor");
    assert.deepEqual(p.action.monitorDefinition.computeConfiguration, { computeType: "ServerlessSpark", instanceType: "standard_e4s_v3", runtimeVersion: "3.4", computeIdentity: { computeIdentityType: "AmlToken" } });
    assert.deepEqual(p.action.monitorDefinition.monitoringTarget, { deploymentId: "azureml:credit-endpoint:blue", taskType: "Classification" });
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
      assert.deepEqual(s.productionData, { inputDataType: "Rolling", jobInputType: "uri_folder", uri: "azureml:credit-endpoint-blue-model_inputs:1", dataContext: "model_inputs", windowSize: "P1D", windowOffset: "P0D" });
      assert.deepEqual(s.referenceData, { inputDataType: "Static", jobInputType: "uri_folder", uri: "azureml:credit-endpoint-blue-model_inputs:1", dataContext: "model_inputs", windowStart: "2026-11-16T00:00:00Z", windowEnd: "2026-11-23T00:00:00Z" });
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
    assert.doesNotThrow(() => checkSchedule(body));
    const signals = (body.properties as Json).action.monitorDefinition.signals;
    assert.deepEqual(signals["data-drift"].features, { filterType: "AllFeatures" });
    assert.deepEqual(signals["data-drift"].metricThresholds, [
      { dataType: "Numerical", metric: "JensenShannonDistance", threshold: { value: 0.2 } },
      { dataType: "Categorical", metric: "PopulationStabilityIndex", threshold: { value: 0.25 } },
    ]);
    assert.deepEqual(signals["data-drift"].referenceData, { inputDataType: "Rolling", jobInputType: "uri_folder", uri: plan.inputsAsset, dataContext: "model_inputs", windowSize: "P7D", windowOffset: "P1D" });
    const training = monitorScheduleBody({ ...plan, reference: { asset: { uri: "azureml:credit-training:3", type: "mltable" } } }).body;
    assert.doesNotThrow(() => checkSchedule(training));
    assert.deepEqual((training.properties as Json).action.monitorDefinition.signals["data-drift-1"].referenceData,
      { inputDataType: "Fixed", jobInputType: "mltable", uri: "azureml:credit-training:3", dataContext: "training" });
  });

  it("adds no empty signal when no input feature could be judged", () => {
    const { body } = monitorScheduleBody({ ...plan, inputFeatures: [] });
    assert.doesNotThrow(() => checkSchedule(body));
    assert.deepEqual(Object.keys((body.properties as Json).action.monitorDefinition.signals), ["prediction-drift"]);
  });

  it("is refused where the service refuses: unknown metric, empty signals, bad e-mail, an end before the start", () => {
    const good = monitorScheduleBody(plan).body as Json;
    const broken = (change: (b: Json) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return copy;
    };
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals["data-drift-1"].metricThresholds[0].metric = "Wasserstein"))), /metricThresholds\[0\]\.metric: must be one of/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals = {}))), /needs at least one signal/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.alertNotificationSettings.emailNotificationSettings.emails = ["not an address"]))), /e-mail/);
    assert.throws(() => checkSchedule(broken((b) => (b.properties.action.monitorDefinition.signals["data-drift-1"].referenceData.windowEnd = "2026-11-01T00:00:00Z"))), /after windowStart/);
    assert.throws(() => checkSchedule(broken((b) => delete b.properties.trigger)), /properties\.trigger: is required/);
  });

  it("names schedules as Azure ML accepts and reads monitors back for the tree", () => {
    assert.equal(scheduleName("credit-endpoint/blue drift"), "credit-endpoint-blue-drift");
    assert.equal(scheduleName("9lives"), "lives");
    const summary = monitorSummary({ name: "m", properties: { ...(monitorScheduleBody(plan).body.properties), provisioningState: "Succeeded" } }, new Date("2026-11-30T05:00:00Z"));
    assert.deepEqual(summary, { name: "m", enabled: true, provisioningState: "Succeeded", signals: ["DataDrift", "DataDrift", "DataDrift", "DataDrift", "PredictionDrift", "DataQuality"],
      deploymentId: "azureml:credit-endpoint:blue", nextRun: "2026-12-01T04:30:00.000Z" });
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
  const workspace = {
    id: `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`,
    name: scenario.workspace, subscriptionId: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, location: "eastus",
  };
  const body = monitorScheduleBody(plan).body;

  before(async () => {
    arm = await startArmServer({ ...armSeed(scenario), pollsToFinish: 2 });
    const client = new AzureMachineLearningWorkspaces(token, scenario.subscriptionId, { endpoint: arm.url, credentialScopes: [`${arm.url}/.default`] });
    ml = createMlAssets(arm.url, () => client);
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
