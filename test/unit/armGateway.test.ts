// The extension's own ARM gateway (src/azure/arm.ts, real SDK clients) against the local ARM server.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { startArmServer, type ArmServer } from "../servers/arm/server";
import { armSeed } from "../fixtures/armSeed";
import { buildScenario, DEFAULT_SCENARIO } from "../fixtures/scenario";
import { createArmGateway } from "../../src/azure/arm";
import { emulatorTokenCredential } from "../../src/azure/credentials";
import { freePort } from "../servers/ports";
import { AZURITE_KEY } from "../../src/core/emulator";
import type { ArmGateway, WorkspaceInfo } from "../../src/core/gateways";

const scenario = buildScenario(DEFAULT_SCENARIO);

describe("ARM gateway against the local ARM server", () => {
  let arm: ArmServer;
  let gateway: ArmGateway;
  let workspace: WorkspaceInfo;

  before(async () => {
    const port = await freePort();
    arm = await startArmServer({ ...armSeed(scenario, `https://127.0.0.1:${port}`), pollsToFinish: 1, port });
    gateway = createArmGateway(arm.url, emulatorTokenCredential(), [`${arm.url}/.default`]);
    const [subscription] = await gateway.listSubscriptions();
    [workspace] = await gateway.listWorkspaces(subscription.subscriptionId);
  });
  after(() => arm.stop());

  it("reads the workspace, its storage account and default datastore", async () => {
    assert.equal(workspace.name, scenario.workspace);
    assert.equal(workspace.storageAccountName, "devstoreaccount1");
    const datastore = await gateway.getDefaultDatastore(workspace);
    assert.deepEqual([datastore?.name, datastore?.containerName], ["workspaceblobstore", scenario.datastoreContainer]);
  });

  it("lists deployments with their collection state (read at an api-version that has dataCollector)", async () => {
    const deployments = await gateway.listDeployments(workspace);
    assert.deepEqual(deployments.map((d) => [d.deploymentName, d.kind, d.collectionState]).sort(), [["blue", "Managed", "on"], ["green", "Kubernetes", "off"]]);
    assert.ok(arm.requests.some((r) => /\/deployments\?api-version=2024-04-01$/.test(r.path)));
  });

  it("lists legacy AKS services through the workspace's discovery document", async () => {
    const services = await gateway.listLegacyServices(workspace);
    assert.deepEqual(services.map((s) => [s.name, s.storageEnabled]), [["churn-aks-v1", true]]);
  });

  it("fetches the storage account key through Microsoft.Storage listKeys", async () => {
    assert.equal(await gateway.getStorageAccountKey(workspace.storageAccountId ?? ""), AZURITE_KEY);
  });
});
