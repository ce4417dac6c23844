// What the extension sends to Azure ML, held to the service's rules in the real host (issue 22): monitors
// target the deployment's ARM id and read data assets as the CLI resolves them (the collector's dataId
// first), disabled monitors stay in the tree, a schedule is PUT back whole, long-running operations in
// every shape the specification allows are followed, datastores belonging to others are never touched,
// names and e-mail lists are checked in our words before anything is sent, and ARM's details are kept.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activeApi, children, labels, scenario, walk } from "./helpers";
import { clearFaults, deleteResource, injectFault, requestBodies, requestsMatching, requestPaths, storedResource, storeResource } from "./emulatorAdmin";
import { deploymentArmId } from "../fixtures/currentData";
import type { MonitorResult } from "../../src/commands/monitor";
import type { RegisterResult } from "../../src/commands/dataAsset";

const WS = ["Local emulator", scenario.workspace];
const BLUE = [...WS, "credit-endpoint/blue"];
const GREEN = [...WS, "credit-endpoint/green"];
const workspaceId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`;
const blueId = deploymentArmId(scenario, { endpoint: "credit-endpoint", deployment: "blue" });
const greenId = deploymentArmId(scenario, { endpoint: "credit-endpoint", deployment: "green" });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const create = (path: string[], args: Record<string, unknown>) => walk2(path).then((node) =>
  Promise.resolve(vscode.commands.executeCommand<MonitorResult | undefined>("modelData.createMonitor", node, { taskType: "Classification", confirm: false, show: false, ...args })));

async function walk2(path: string[]) {
  return walk(await activeApi(), path);
}

async function dataVersion(name: string, version: string, dataType: string, extra: Json = {}): Promise<string> {
  const id = `${workspaceId}/data/${name}/versions/${version}`;
  await storeResource({ id: `${workspaceId}/data/${name}`, name, type: "Microsoft.MachineLearningServices/workspaces/data", properties: { dataType, isArchived: false } });
  await storeResource({ id, name: version, type: "Microsoft.MachineLearningServices/workspaces/data/versions",
    properties: { dataType, dataUri: `azureml://datastores/workspaceblobstore/paths/${name}/`, isArchived: false, ...extra } });
  return id;
}

async function deleteMonitors(path: string[]): Promise<void> {
  const api = await activeApi();
  const monitors = await walk(api, [...path, "Monitors"]);
  api.tree.refresh(monitors);
  for (const monitor of await children(api, monitors)) {
    if (monitor.kind === "monitor") await vscode.commands.executeCommand("modelData.deleteMonitor", monitor, { confirm: false, show: false });
  }
}

describe("Azure ML requests as the service takes them", function () {
  this.timeout(180_000);
  afterEach(clearFaults);

  it("targets the deployment's ARM id and reads its data assets as the CLI does: the collector's dataId, each asset's own type", async () => {
    // Green's collector names its own inputs asset (an mltable); its outputs are found by Azure ML's naming.
    const inputsId = await dataVersion("green-collected-inputs", "4", "mltable");
    const outputsId = await dataVersion("credit-endpoint-green-model_outputs", "2", "uri_folder");
    const original = await storedResource(greenId);
    const withDataId = structuredClone(original) as Json;
    withDataId.properties.dataCollector.collections.model_inputs.dataId = `azureml:${inputsId}`;
    await storeResource(withDataId);
    const api = await activeApi();
    api.tree.refresh();
    try {
      const result = await create(GREEN, { name: "green-watch" });
      assert.ok(result);
      assert.deepEqual(result.registered, [], "nothing registered: both assets exist");
      const definition = (result.schedule.properties as Json).action.monitorDefinition;
      assert.equal(definition.monitoringTarget.deploymentId, greenId);
      const drift = definition.signals["data-drift"];
      assert.deepEqual([drift.productionData.uri, drift.productionData.jobInputType], [inputsId, "mltable"]);
      const prediction = definition.signals["prediction-drift"];
      assert.deepEqual([prediction.productionData.uri, prediction.productionData.jobInputType], [outputsId, "uri_folder"]);
      assert.equal(definition.computeConfiguration.runtimeVersion, "3.3");
    } finally {
      await storeResource(original);
      await deleteMonitors(GREEN);
      api.tree.refresh();
    }
  });

  it("refuses a reference asset that does not exist, and maps the training data's target column for prediction drift", async () => {
    await assert.rejects(create(GREEN, { name: "no-such-reference", reference: { asset: "azureml:credit-training:7" } }),
      /The reference data asset credit-training:7 does not exist in workspace Churn-Workspace/);
    const trainingId = await dataVersion("credit-training", "1", "uri_file");
    await assert.rejects(create(GREEN, { name: "untargeted", reference: { asset: "azureml:credit-training:1" } }), /needs its target column/);
    try {
      const result = await create(GREEN, { name: "against-training", reference: { asset: "azureml:credit-training:1" }, targetColumn: "approved" });
      const signals = (result?.schedule.properties as Json).action.monitorDefinition.signals;
      assert.deepEqual(signals["prediction-drift"].referenceData, { inputDataType: "Fixed", jobInputType: "uri_file", uri: trainingId, dataContext: "training", columns: { target_column: "approved" } });
      assert.equal(signals["data-drift"].referenceData.uri, trainingId);
    } finally {
      await deleteMonitors(GREEN);
    }
  });

  it("keeps a disabled monitor in the tree, enables it there, and PUTs the schedule back whole with only isEnabled changed", async () => {
    const api = await activeApi();
    await create(GREEN, { name: "7-day-watch" });
    try {
      // A property this extension does not know, as a newer service might add: it must survive the round trip.
      const stored = await storedResource(`${workspaceId}/schedules/7-day-watch`) as Json;
      stored.properties.action.monitorDefinition.futureSetting = { keep: true };
      await storeResource(stored);
      const monitors = await walk(api, [...GREEN, "Monitors"]);
      api.tree.refresh(monitors);
      const [monitor] = await children(api, monitors);
      assert.equal(await vscode.commands.executeCommand("modelData.disableMonitor", monitor, { show: false }), true);
      const [disabled] = await children(api, monitors);
      assert.equal(api.tree.getTreeItem(disabled).label, "7-day-watch", "still listed when disabled");
      assert.match(String(api.tree.getTreeItem(disabled).contextValue), /(^|;)monitor-disabled(;|$)/);
      const after = await storedResource(`${workspaceId}/schedules/7-day-watch`) as Json;
      assert.equal(after.properties.isEnabled, false);
      assert.deepEqual(after.properties.action.monitorDefinition.futureSetting, { keep: true });
      const sent = (await requestBodies("PUT", "/schedules/7-day-watch")).slice(-1)[0] as Json;
      assert.deepEqual(Object.keys(sent), ["properties"], "no read-only top-level fields sent");
      assert.equal(sent.properties.provisioningState, undefined);
      assert.equal(await vscode.commands.executeCommand("modelData.enableMonitor", disabled, { show: false }), true);
      assert.equal((await storedResource(`${workspaceId}/schedules/7-day-watch`) as Json).properties.isEnabled, true);
      const lists = await requestPaths("GET", "/schedules?");
      assert.ok(lists.length > 0 && lists.every((path) => /listViewType=All/.test(path)), "every list asks for all monitors");
    } finally {
      await deleteMonitors(GREEN);
    }
  });

  it("follows a schedule PUT answered without operation headers, a DELETE with Location only, and honours Retry-After", async () => {
    await injectFault({ method: "PUT", path: "/schedules/quiet-put", action: "shape", shape: "provisioningState", retryAfter: 2 });
    const started = Date.now();
    const result = await create(GREEN, { name: "quiet-put" });
    assert.equal((result?.schedule.properties as Json).provisioningState, "Succeeded");
    assert.ok(Date.now() - started >= 1900, `waited as Retry-After said (${Date.now() - started} ms)`);
    await injectFault({ method: "DELETE", path: "/schedules/quiet-put", action: "shape", shape: "locationOnly" });
    await deleteMonitors(GREEN);
    await assert.rejects(storedResource(`${workspaceId}/schedules/quiet-put`), /not stored/);
  });

  it("says the tree's collection state only once a deployment PUT answered without headers has finished", async () => {
    const api = await activeApi();
    const original = await storedResource(blueId);
    try {
      await toggleThroughShapes(api);
    } finally {
      await storeResource(original);
      api.tree.refresh();
    }
  });

  async function toggleThroughShapes(api: Awaited<ReturnType<typeof activeApi>>): Promise<void> {
    await injectFault({ method: "PUT", path: "/deployments/blue", action: "shape", shape: "provisioningState", times: 2 });
    const off = await vscode.commands.executeCommand<{ ok: boolean; message: string }>("modelData.disableCollection", blueId, { confirm: false });
    assert.equal(off.ok, true, off.message);
    assert.equal((await storedResource(blueId) as Json).properties.provisioningState, "Succeeded", "the command returned once the deployment had finished");
    api.tree.refresh();
    const item = (await children(api, await walk(api, WS))).map((n) => api.tree.getTreeItem(n)).find((i) => i.label === "credit-endpoint/blue");
    assert.match(String(item?.contextValue), /(^|;)collection-off(;|$)/);
    const on = await vscode.commands.executeCommand<{ ok: boolean; message: string }>("modelData.enableCollection", blueId, { confirm: false });
    assert.equal(on.ok, true, on.message);
    await injectFault({ method: "PUT", path: "/deployments/blue", action: "shape", shape: "provisioningState", code: "DeploymentFailed" });
    const failed = await vscode.commands.executeCommand<{ ok: boolean; message: string }>("modelData.disableCollection", blueId, { confirm: false });
    assert.equal(failed.ok, false);
    assert.match(failed.message, /provisioning state Failed/);
  }

  it("never repoints a datastore it did not create: a name taken by another container is said", async () => {
    const api = await activeApi();
    const theirs = { id: `${workspaceId}/datastores/modeldata`, name: "modeldata", type: "Microsoft.MachineLearningServices/workspaces/datastores",
      properties: { datastoreType: "AzureBlob", accountName: "otheraccount", containerName: "archive", credentials: { credentialsType: "AccountKey" }, isDefault: false } };
    await storeResource(theirs);
    const date = (await children(api, await walk(api, [...WS, "churn-aks-v1", "churn_model:4", "inputs"])))[0];
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand<RegisterResult>("modelData.registerDataAsset", date, { createDatastore: true, show: false })),
      /already has a datastore named 'modeldata', pointing at otheraccount\/archive/);
    assert.deepEqual((await storedResource(theirs.id) as Json).properties.containerName, "archive");
    try {
      assert.equal(await requestsMatching("PUT", "/datastores/modeldata"), 0, "no PUT over it");
      assert.equal(await requestsMatching("DELETE", "/datastores/modeldata"), 0, "no clean-up of someone else's datastore");
    } finally {
      await deleteResource(theirs.id);
    }
  });

  it("checks names and e-mail lists in our words before sending, and keeps ARM's error details", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...BLUE, "credit_model:2", "model_inputs"])))[0];
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand("modelData.registerDataAsset", date, { name: "blue.inputs", show: false })), /A data asset name is a letter or digit first.*no dots/);
    await assert.rejects(create(GREEN, { name: "bad name" }), /A monitor name is a letter or digit first/);
    const emails = Array.from({ length: 30 }, (_, i) => `analyst-number-${i}@contoso.com`);
    const before = await requestsMatching("PUT", "/schedules/");
    await assert.rejects(create(GREEN, { name: "many-emails", emails }), /at most 499 characters of alert e-mails/);
    assert.equal(await requestsMatching("PUT", "/schedules/"), before, "nothing sent");
    await injectFault({ method: "PUT", path: "/schedules/detailed", action: "respond", status: 400, code: "UserError", message: "Invalid monitor definition.",
      details: [{ code: "InvalidInstanceType", message: "standard_e4s_v3 is not available in this region.", target: "computeConfiguration.instanceType" }] });
    await assert.rejects(create(GREEN, { name: "detailed" }), /Invalid monitor definition\. \[InvalidInstanceType: standard_e4s_v3 is not available in this region\. \(computeConfiguration\.instanceType\)\]/);
    assert.deepEqual(labels(api, await children(api, await walk(api, [...GREEN, "Monitors"]))).filter((l) => l === "detailed"), []);
  });
});
