// Contract tests: the real @azure/arm-machinelearning client against the local ARM server.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { AzureMachineLearningWorkspaces, type OnlineDeployment } from "@azure/arm-machinelearning";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { withoutReadOnly } from "../../src/core/armReadOnly";
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

  async function rawPut(path: string, body: unknown, apiVersion = "2024-04-01"): Promise<PipelineResponse> {
    const request = createPipelineRequest({ url: `${arm.url}${path}?api-version=${apiVersion}`, method: "PUT", body: JSON.stringify(body), headers: createHttpHeaders({ "content-type": "application/json" }) });
    return client.pipeline.sendRequest(client, request);
  }

  /** A copy of blue, stored under another name, with a system- and a user-assigned identity. */
  function withIdentity(name: string): { id: string; original: Record<string, unknown> } {
    const blueId = deploymentArmId(scenario, blue);
    const id = blueId.replace(/\/deployments\/[^/]+$/, `/deployments/${name}`);
    const original = { ...structuredClone(arm.store.get(blueId)) as Record<string, unknown>, id, name,
      identity: { type: "SystemAssigned,UserAssigned", principalId: "11111111-1111-1111-1111-111111111111", tenantId: scenario.tenantId,
        userAssignedIdentities: { [`/subscriptions/${scenario.subscriptionId}/resourceGroups/rg.prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/scorer`]: { principalId: "33333333-3333-3333-3333-333333333333", clientId: "44444444-4444-4444-4444-444444444444" } } } };
    arm.store.put(original as never);
    return { id, original };
  }

  it("replaces the whole deployment on PUT, as ARM does: a dropped property is gone, an unknown one is kept", async () => {
    const { id, original } = withIdentity("replaced");
    const { identity: _dropped, ...rest } = withoutReadOnly(original);
    void _dropped;
    const response = await rawPut(id, { ...rest, futureTopLevel: { mode: "x" } });
    assert.equal(response.status, 200, response.bodyAsText ?? "");
    const stored = arm.store.get(id) as Record<string, unknown>;
    assert.equal("identity" in stored, false, "a PUT without identity removes it");
    assert.deepEqual(stored.futureTopLevel, { mode: "x" });
    const restored = await rawPut(id, withoutReadOnly(original));
    assert.equal(restored.status, 200);
    const back = arm.store.get(id) as unknown as { identity: { principalId: string; userAssignedIdentities: Record<string, { clientId: string }> } };
    assert.notEqual(back.identity.principalId, (original.identity as { principalId: string }).principalId, "a new system identity gets a new principal id");
    assert.equal(Object.values(back.identity.userAssignedIdentities).length, 1);
  });

  it("accepts read-only properties sent back unchanged and refuses them changed, leaving the deployment as it was", async () => {
    const { id, original } = withIdentity("readonly");
    const same = await rawPut(id, original);
    assert.equal(same.status, 200, same.bodyAsText ?? "");
    const before = structuredClone(arm.store.get(id));
    const changed = structuredClone(original) as { identity: { principalId: string } };
    changed.identity.principalId = "99999999-9999-9999-9999-999999999999";
    const refused = await rawPut(id, changed);
    assert.equal(refused.status, 400);
    assert.match(JSON.parse(refused.bodyAsText ?? "{}").error.message, /'identity\.principalId' is read-only/);
    assert.deepEqual(arm.store.get(id), before);
    const client = structuredClone(original) as { identity: { userAssignedIdentities: Record<string, { clientId: string }> } };
    for (const u of Object.values(client.identity.userAssignedIdentities)) u.clientId = "00000000-0000-0000-0000-00000000000c";
    const refusedClient = await rawPut(id, client);
    assert.equal(refusedClient.status, 400);
    assert.match(JSON.parse(refusedClient.bodyAsText ?? "{}").error.message, /userAssignedIdentities\..*rg\.prod.*\.clientId' is read-only/);
    assert.deepEqual(arm.store.get(id), before);
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

  it("registers data asset versions as the service does: checked bodies, immutable data, the container with the first version", async () => {
    const uri = "azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/workspaceblobstore/paths/modelDataCollector/ep/blue/model_inputs/2026/11/30/";
    const made = await client.dataVersions.createOrUpdate(rg, ws, "credit-inputs", "1", { properties: { dataType: "uri_folder", dataUri: uri, description: "one day", tags: { source: "vscode" } } });
    assert.equal(made.name, "1");
    assert.equal(made.properties.dataUri, uri);
    assert.equal(made.properties.description, "one day");
    const versions = [];
    for await (const v of client.dataVersions.list(rg, ws, "credit-inputs")) versions.push(v.name);
    assert.deepEqual(versions, ["1"]);
    const containers = [];
    for await (const c of client.dataContainers.list(rg, ws)) containers.push(c.name);
    assert.ok(containers.includes("credit-inputs"));
    // The same data again is fine (tags may change); other data under the same version is refused.
    await client.dataVersions.createOrUpdate(rg, ws, "credit-inputs", "1", { properties: { dataType: "uri_folder", dataUri: uri, tags: { source: "again" } } });
    await assert.rejects(client.dataVersions.createOrUpdate(rg, ws, "credit-inputs", "1", { properties: { dataType: "uri_folder", dataUri: `${uri}x/` } }),
      (error: { statusCode?: number; message?: string }) => error.statusCode === 409 && /cannot change/.test(error.message ?? ""));
    await assert.rejects(client.dataVersions.createOrUpdate(rg, ws, "credit-inputs", "2", { properties: { dataType: "table" as never, dataUri: uri } }),
      (error: { statusCode?: number; message?: string }) => error.statusCode === 400 && /dataType/.test(error.message ?? ""));
    await assert.rejects(client.dataVersions.createOrUpdate(rg, ws, "-bad", "1", { properties: { dataType: "uri_file", dataUri: uri } }),
      (error: { statusCode?: number }) => error.statusCode === 400);
  });
});
