// "Why is no data arriving?" in the real host: every deployment of test/fixtures/checkDeployments.ts is
// checked against the local ARM server and Azurite, each problem found by the right check with the right
// fix; the fix buttons do what they say; a refused read is `unknown`, never a guess.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, scenario, walk } from "./helpers";
import { clearFaults, deleteResource, injectFault, setDeploymentLog, storedResource, storeResource } from "./emulatorAdmin";
import { emulatorConnectionString } from "../../src/core/emulator";
import { CHECK_DEPLOYMENTS, CHECK_ENDPOINT, checkDeploymentsSeed } from "../fixtures/checkDeployments";
import { deploymentArmId } from "../fixtures/currentData";
import type { CollectionCheckReport } from "../../src/check/checkTarget";
import type { CheckId } from "../../src/core/collectionCheck/checkResult";
import type { ModelDataApi } from "../../src/extension";

const seed = checkDeploymentsSeed(scenario);
const lastDate = scenario.dates[scenario.dates.length - 1];
/** The scenario's data ends on its last date: ages are judged that evening. */
const asOf = `${lastDate}T20:00:00Z`;
const idOf = (deployment: string) => deploymentArmId(scenario, { endpoint: CHECK_ENDPOINT, deployment });
const check = (id: string) => vscode.commands.executeCommand<CollectionCheckReport>("modelData.checkCollection", id, { show: false, asOf });
const byId = (report: CollectionCheckReport, id: CheckId) => {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check in ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return found;
};

describe("Check Data Collection", function () {
  this.timeout(120_000);
  let api: ModelDataApi;
  const container = () => BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient(scenario.datastoreContainer);

  before(async () => {
    api = await activeApi();
    for (const resource of seed.resources) await storeResource(resource);
    for (const [id, text] of Object.entries(seed.logs)) await setDeploymentLog(id, text);
    await Promise.all(seed.blobs.map((b) => container().getBlockBlobClient(b.name).upload(b.content, Buffer.byteLength(b.content))));
    api.tree.refresh();
  });

  after(async () => {
    await clearFaults();
    for (const resource of [...seed.resources].reverse()) await deleteResource(resource.id).catch(() => undefined);
    await Promise.all(seed.blobs.map((b) => container().getBlockBlobClient(b.name).deleteIfExists()));
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    // The suites after this one see the tree as it was: no check badges, collection-off as it was seeded.
    api.tree.forgetCheckStatuses();
    api.tree.refresh();
  });

  for (const fixture of CHECK_DEPLOYMENTS) {
    it(`${fixture.deployment} (${fixture.broken}): ${Object.entries(fixture.expect).filter(([, s]) => s !== "ok").map(([c, s]) => `${c} ${s}`).join(", ") || "all ok"}`, async () => {
      const report = await check(idOf(fixture.deployment));
      assert.ok(report, "the check returned a report");
      assert.deepEqual(Object.fromEntries(report.checks.map((c) => [c.id, c.status])), fixture.expect, JSON.stringify(report.checks, null, 1));
      assert.deepEqual(report.checks.map((c) => c.id), ["configuration", "code", "traffic", "log", "storage", "monitoring"], "in the order data flows");
      assert.equal(report.worst, Object.values(fixture.expect).includes("problem") ? "problem" : Object.values(fixture.expect).includes("warning") ? "warning" : "ok");
      assert.equal("deployedFile" in report, false, "scripts get plain JSON");
    });
  }

  it("says what it saw and the fix for each problem", async () => {
    const mismatch = await check(idOf("name-mismatch"));
    assert.match(byId(mismatch, "code").seen.join("\n"), /Collector\(name="model_input"\).*did you mean "model_inputs"/);
    assert.match(byId(mismatch, "code").seen.join("\n"), /deployment collects "model_inputs", but no Collector\(name="model_inputs"\)/);
    assert.equal(byId(mismatch, "code").fix?.kind, "showCorrectedCode");
    assert.match(byId(mismatch, "storage").seen.join("\n"), /model_inputs has no data at all/);

    const noGlobal = await check(idOf("no-global"));
    assert.deepEqual(byId(noGlobal, "log").quotes, ['  File "/var/azureml-app/src/score.py", line 17, in run', "    context = inputs_collector.collect(input_df)", "NameError: name 'inputs_collector' is not defined"]);
    assert.match(byId(noGlobal, "log").seen.join("\n"), /run\(\) uses inputs_collector.*→ Deployed scoring code/);
    assert.match(byId(noGlobal, "code").seen.join("\n"), /inputs_collector is made in init\(\) but not declared global/);
    assert.match(byId(noGlobal, "monitoring").seen.join("\n"), /no data asset diag-endpoint-no-global-model_inputs yet/);

    const branch = await check(idOf("init-branch"));
    assert.match(byId(branch, "code").seen.join("\n"), /Line 14: inputs_collector is made on only some paths through init\(\)/);

    const keyword = await check(idOf("identifier-keyword"));
    assert.match(byId(keyword, "code").seen.join("\n"), /identifier= is the 2018 preview's keyword/);
    assert.match(byId(keyword, "code").seen.join("\n"), /ModelDataCollector, which writes only for SDK v1 web services: model_inputs, model_outputs get nothing/);
    assert.equal(byId(keyword, "log").quotes?.at(-1), "TypeError: __init__() got an unexpected keyword argument 'identifier'");

    const stopped = await check(idOf("stopped"));
    assert.match(byId(stopped, "storage").seen.join("\n"), /data stopped 3 days ago/);

    const off = await check(idOf("collection-off"));
    assert.equal(byId(off, "configuration").fix?.kind, "enable");
    assert.match(byId(off, "configuration").seen.join("\n"), /model_inputs: off/);

    const zero = await check(idOf("zero-traffic"));
    assert.match(byId(zero, "traffic").seen.join("\n"), /zero-traffic gets 0% of the endpoint's traffic \(healthy 20%, name-mismatch 20%, no-global 20%, stopped 20%, init-branch 10%, identifier-keyword 10%\)/);
    const storage = byId(zero, "storage").seen.join("\n");
    assert.match(storage, /numbers written as text in score/);
    assert.match(storage, /export-notes\.txt/);

    const healthy = await check(idOf("healthy"));
    assert.match(byId(healthy, "code").seen.join("\n"), /LocalUpload\/.*\/src\/score\.py/);
    assert.match(byId(healthy, "monitoring").seen.join("\n"), /Default datastore workspaceblobstore: credentials AccountKey/);
  });

  it("marks the tree node with the worst status of its last check", async () => {
    await check(idOf("no-global"));
    const node = await walk(api, ["Local emulator", scenario.workspace, `${CHECK_ENDPOINT}/no-global`]);
    const item = api.tree.getTreeItem(node);
    assert.match(String(item.description), /check: problem/);
    assert.match(String(item.contextValue), /(^|;)checked(;|$)/);
    assert.match(String(item.tooltip), /Last collection check: problem/);
  });

  it("a refused read is unknown with the reason; the other links are still judged", async () => {
    await injectFault({ method: "POST", path: "/deployments/healthy/getLogs", action: "respond", status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/getLogs/action'.", times: 1 });
    try {
      const report = await check(idOf("healthy"));
      const log = byId(report, "log");
      assert.equal(log.status, "unknown");
      assert.match(log.seen.join("\n"), /AuthorizationFailed.*lacks a role on the workspace/);
      assert.deepEqual(report.checks.filter((c) => c.id !== "log").map((c) => c.status), ["ok", "ok", "ok", "ok", "ok"]);
    } finally {
      await clearFaults();
    }
  });

  it("a credential-less default datastore makes monitoring a problem", async () => {
    const id = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}/datastores/workspaceblobstore`;
    const original = await storedResource(id);
    await storeResource({ ...original, properties: { ...(original.properties as object), credentials: { credentialsType: "None" } } });
    try {
      const monitoring = byId(await check(idOf("healthy")), "monitoring");
      assert.equal(monitoring.status, "problem");
      assert.match(monitoring.seen.join("\n"), /workspaceblobstore has no credentials.*preprocessing job fails/);
    } finally {
      await storeResource(original);
    }
  });

  it("Enable turns collection on and the check then passes its configuration", async () => {
    const id = idOf("collection-off");
    await check(id);
    const done = await api.checks.fixLast(id, "configuration", { confirm: false }) as { changed?: boolean } | undefined;
    assert.equal(done?.changed, true);
    const stored = await storedResource(id);
    const collections = ((stored.properties as Record<string, unknown>).dataCollector as { collections: Record<string, { dataCollectionMode: string }> }).collections;
    assert.deepEqual(Object.values(collections).map((c) => c.dataCollectionMode), ["Enabled", "Enabled"]);
    assert.equal(byId(await check(id), "configuration").status, "ok");
  });

  it("Show Corrected Code opens the deployed file beside the planner's corrected copy", async () => {
    const id = idOf("name-mismatch");
    await check(id);
    const shown = await api.checks.fixLast(id, "code") as { deployed: vscode.Uri; corrected: vscode.Uri };
    const deployed = (await vscode.workspace.openTextDocument(shown.deployed)).getText();
    const corrected = (await vscode.workspace.openTextDocument(shown.corrected)).getText();
    assert.match(deployed, /Collector\(name="model_input"\)/);
    assert.equal(corrected, deployed.replace('Collector(name="model_input")', 'Collector(name="model_inputs")'));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, "a diff editor is open");
    assert.equal((tab.input as vscode.TabInputTextDiff).modified.toString(), shown.corrected.toString());
  });

  it("a legacy service: its collection setting is judged, links it does not expose say so", async () => {
    const [on, off] = scenario.legacyServices;
    const workspaceId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`;
    const enabled = await vscode.commands.executeCommand<CollectionCheckReport>("modelData.checkCollection", `${workspaceId}/services/${on.name}`, { show: false, asOf });
    assert.equal(byId(enabled, "configuration").status, "ok");
    assert.equal(byId(enabled, "code").status, "unknown");
    assert.match(byId(enabled, "storage").seen.join("\n"), /inputs: newest file/);
    assert.doesNotMatch(byId(enabled, "storage").seen.join("\n"), /the collector does not write/, "the newest data.csv is the collector's own file");
    const disabled = await vscode.commands.executeCommand<CollectionCheckReport>("modelData.checkCollection", `${workspaceId}/services/${off.name}`, { show: false, asOf });
    assert.equal(byId(disabled, "configuration").status, "problem");
    assert.equal(byId(disabled, "configuration").fix?.kind, "enable");
  });
});
