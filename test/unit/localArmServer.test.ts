// Contract tests: the real @azure/arm-machinelearning client against the local ARM server.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { AzureMachineLearningWorkspaces, type OnlineDeployment } from "@azure/arm-machinelearning";
import { createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { startArmServer, type ArmServer } from "../servers/arm/server";
import { armSeed } from "../fixtures/armSeed";
import { buildScenario, DEFAULT_SCENARIO } from "../fixtures/scenario";
import { deploymentArmId } from "../fixtures/currentData";

const scenario = buildScenario(DEFAULT_SCENARIO);
const token = { getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const blue = scenario.currentDeployments[0];

describe("local ARM server with the real ML client", () => {
  let arm: ArmServer;
  let client: AzureMachineLearningWorkspaces;
  const rg = scenario.resourceGroup;
  const ws = scenario.workspace;

  before(async () => {
    arm = await startArmServer({ ...armSeed(scenario), pollsToFinish: 2 });
    client = new AzureMachineLearningWorkspaces(token, scenario.subscriptionId, { endpoint: arm.url, credentialScopes: [`${arm.url}/.default`] });
  });
  after(() => arm.stop());

  /** GET at any api-version through the client's own authenticated pipeline. */
  async function rawGet(path: string, apiVersion: string): Promise<PipelineResponse> {
    const request = createPipelineRequest({ url: `${arm.url}${path}?api-version=${apiVersion}`, method: "GET" });
    return client.pipeline.sendRequest(client, request);
  }

  it("lists workspaces by subscription with their storage account", async () => {
    const workspaces = [];
    for await (const w of client.workspaces.listBySubscription()) workspaces.push(w);
    assert.equal(workspaces.length, 1);
    assert.equal(workspaces[0].name, ws);
    assert.match(workspaces[0].storageAccount ?? "", /\/providers\/Microsoft\.Storage\/storageAccounts\/devstoreaccount1$/);
  });

  it("lists only the default datastore when isDefault=true", async () => {
    const names = [];
    for await (const d of client.datastores.list(rg, ws, { isDefault: true })) names.push(d.name);
    assert.deepEqual(names, ["workspaceblobstore"]);
  });

  it("answers in the schema of the api-version: dataCollector only from 2024-04-01", async () => {
    const id = deploymentArmId(scenario, blue);
    const old = JSON.parse((await rawGet(id, "2022-10-01")).bodyAsText ?? "{}");
    const current = JSON.parse((await rawGet(id, "2024-04-01")).bodyAsText ?? "{}");
    assert.equal("dataCollector" in old.properties, false);
    assert.equal(current.properties.dataCollector.collections.model_inputs.dataCollectionMode, "Enabled");
  });

  it("refuses unknown api-versions and missing bearer tokens with ARM error bodies", async () => {
    const refused = await rawGet(`/subscriptions/${scenario.subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces`, "2019-01-01");
    assert.equal(refused.status, 400);
    assert.equal(JSON.parse(refused.bodyAsText ?? "{}").error.code, "InvalidApiVersionParameter");
    const anonymous = await fetch(`${arm.url}/subscriptions?api-version=2022-12-01`);
    assert.equal(anonymous.status, 401);
    assert.equal((await anonymous.json()).error.code, "AuthenticationFailed");
  });

  it("runs PUT as a long-running operation the SDK polls to Succeeded", async () => {
    const before = await client.onlineDeployments.get(rg, ws, blue.endpoint, blue.deployment);
    const updated: OnlineDeployment = { ...before, tags: { ...before.tags, touched: "yes" } };
    const requestsBefore = arm.requests.length;
    const result = await client.onlineDeployments.beginCreateOrUpdateAndWait(rg, ws, blue.endpoint, blue.deployment, updated, { updateIntervalInMs: 10 });
    assert.equal(result.properties.provisioningState, "Succeeded");
    assert.equal(result.tags?.touched, "yes");
    const polls = arm.requests.slice(requestsBefore).filter((r) => /mfeOperationsStatus/i.test(r.path));
    assert.ok(polls.length >= 2, `polled the Azure-AsyncOperation URL (${polls.length} times)`);
    // The old api-version cannot carry dataCollector; the stored one survives the PUT.
    const stored = arm.store.get(deploymentArmId(scenario, blue)) as unknown as { properties: { dataCollector?: unknown } };
    assert.ok(stored.properties.dataCollector);
  });

  it("injects a 409 and a failed operation without changing the stored deployment", async () => {
    const id = deploymentArmId(scenario, blue);
    const original = arm.store.get(id);
    const deployment = await client.onlineDeployments.get(rg, ws, blue.endpoint, blue.deployment);
    arm.faults.add({ method: "PUT", path: `/deployments/${blue.deployment}`, action: "respond", status: 409, code: "Conflict", message: "Another operation is in progress." });
    await assert.rejects(client.onlineDeployments.beginCreateOrUpdateAndWait(rg, ws, blue.endpoint, blue.deployment, deployment, { updateIntervalInMs: 10 }),
      (e: { statusCode?: number; code?: string }) => e.statusCode === 409 && e.code === "Conflict");
    assert.deepEqual(arm.store.get(id), original);

    arm.faults.add({ method: "PUT", path: `/deployments/${blue.deployment}`, action: "failOperation", message: "Quota exceeded for Standard_DS3_v2." });
    await assert.rejects(client.onlineDeployments.beginCreateOrUpdateAndWait(rg, ws, blue.endpoint, blue.deployment, { ...deployment, tags: { changed: "1" } }, { updateIntervalInMs: 10 }),
      /Quota exceeded/);
    const afterFailure = arm.store.get(id) as unknown as { tags: unknown; properties: { provisioningState: string } };
    assert.deepEqual(afterFailure.tags, original?.tags);
    assert.equal(afterFailure.properties.provisioningState, "Failed");
  });
});
