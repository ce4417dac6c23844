import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activeApi, children, labels, scenario, walk } from "./helpers";
import { clearFaults, injectFault, requestBodies, requestsMatching, storedLegacyService, storedResource, storeResource } from "./emulatorAdmin";
import { REMEMBERED_TAG } from "../../src/core/collectionToggle";
import { deploymentArmId } from "../fixtures/currentData";
import type { ModelDataApi } from "../../src/extension";

const WS = ["Local emulator", scenario.workspace];
const blue = deploymentArmId(scenario, { endpoint: "credit-endpoint", deployment: "blue" });
const green = deploymentArmId(scenario, { endpoint: "credit-endpoint", deployment: "green" });
const workspaceId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`;

interface ToggleResult { ok: boolean; changed: boolean; message: string }
const toggle = (enable: boolean, target: unknown) =>
  vscode.commands.executeCommand<ToggleResult>(enable ? "modelData.enableCollection" : "modelData.disableCollection", target, { confirm: false });

/** The deployment with what the service itself updates (provisioningState, systemData), the modes and our memory tag set aside. */
function comparable(resource: Record<string, unknown>): string {
  const copy = structuredClone(resource) as { systemData?: unknown; tags?: Record<string, string>; properties: { provisioningState?: unknown; dataCollector?: { collections?: Record<string, { dataCollectionMode?: string }> } } };
  delete copy.systemData;
  delete copy.tags?.[REMEMBERED_TAG];
  delete copy.properties.provisioningState;
  for (const c of Object.values(copy.properties.dataCollector?.collections ?? {})) delete c.dataCollectionMode;
  return canonical(copy);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function modes(resource: Record<string, unknown>): Record<string, string | undefined> {
  const collections = (resource.properties as { dataCollector?: { collections?: Record<string, { dataCollectionMode?: string }> } }).dataCollector?.collections ?? {};
  return Object.fromEntries(Object.entries(collections).map(([k, v]) => [k, v.dataCollectionMode]));
}

async function serviceItem(api: ModelDataApi, label: string): Promise<vscode.TreeItem> {
  const services = await children(api, await walk(api, WS));
  const node = services.find((s) => api.tree.getTreeItem(s).label === label);
  assert.ok(node, `${label} in ${labels(api, services).join(", ")}`);
  return api.tree.getTreeItem(node);
}

describe("enable / disable data collection", function () {
  this.timeout(120_000);
  afterEach(clearFaults);

  it("disables and re-enables a managed deployment, changing nothing but the collection modes", async () => {
    const api = await activeApi();
    api.tree.refresh();
    const original = await storedResource(blue);
    assert.match(String((await serviceItem(api, "credit-endpoint/blue")).contextValue), /(^|;)collection-on(;|$)/);
    const node = (await children(api, await walk(api, WS))).find((s) => api.tree.getTreeItem(s).label === "credit-endpoint/blue");

    const pending = toggle(false, node);
    // While the operation runs, the tree says so (and offers no Enable/Disable).
    let seen = "";
    for (let i = 0; i < 100 && !/^updating…/.test(seen); i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = String(api.tree.getTreeItem(node!).description ?? "");
    }
    assert.match(seen, /^updating… · managed$/);
    assert.match(String(api.tree.getTreeItem(node!).contextValue), /(^|;)collection-updating(;|$)/);
    const off = await pending;
    assert.equal(off.ok, true, off.message);
    const disabled = await storedResource(blue);
    assert.deepEqual(modes(disabled), { model_inputs: "Disabled", model_outputs: "Disabled" });
    assert.equal(comparable(disabled), comparable(original));
    assert.equal((disabled.properties as { provisioningState: string }).provisioningState, "Succeeded");
    const item = await serviceItem(api, "credit-endpoint/blue");
    assert.equal(item.description, "collection off · managed");
    assert.match(String(item.contextValue), /(^|;)collection-off(;|$)/);

    const on = await toggle(true, blue);
    assert.equal(on.ok, true, on.message);
    const restored = await storedResource(blue);
    assert.deepEqual(modes(restored), modes(original));
    assert.equal(comparable(restored), comparable(original));
    assert.equal((await serviceItem(api, "credit-endpoint/blue")).description, "collecting inputs/outputs · managed");
  });

  it("enables a Kubernetes deployment given only its ARM id, and says when there is nothing to do", async () => {
    const api = await activeApi();
    const original = await storedResource(green);
    const on = await toggle(true, green);
    assert.equal(on.changed, true, on.message);
    assert.deepEqual(modes(await storedResource(green)), { model_inputs: "Enabled", model_outputs: "Enabled" });
    assert.equal(comparable(await storedResource(green)), comparable(original));
    assert.equal((await serviceItem(api, "credit-endpoint/green")).description, "collecting inputs/outputs · kubernetes");
    const again = await toggle(true, green);
    assert.deepEqual([again.ok, again.changed], [true, false]);
    assert.equal((await toggle(false, green)).changed, true);
  });

  it("toggles a legacy AKS web service through the v1 model-management API", async () => {
    const api = await activeApi();
    api.tree.refresh();
    const q = { subscriptionId: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace, name: "churn-aks-v1" };
    assert.equal((await storedLegacyService(q)).storageEnabled, true);
    assert.equal((await serviceItem(api, "churn-aks-v1")).description, "collecting · web service (v1)");
    const off = await toggle(false, `${workspaceId}/services/churn-aks-v1`);
    assert.equal(off.ok, true, off.message);
    assert.equal((await storedLegacyService(q)).storageEnabled, false);
    assert.equal((await serviceItem(api, "churn-aks-v1")).description, "collection off · web service (v1)");
    assert.equal((await toggle(true, `${workspaceId}/services/churn-aks-v1`)).ok, true);
    assert.equal((await storedLegacyService(q)).storageEnabled, true);
    const last = scenario.legacyServices[scenario.legacyServices.length - 1].name;
    assert.equal((await serviceItem(api, last)).description, "no longer deployed");
  });

  const faults: Array<{ name: string; fault: Parameters<typeof injectFault>[0]; expect: RegExp }> = [
    { name: "409 conflict", fault: { method: "PUT", path: "/deployments/blue", action: "respond", status: 409, code: "Conflict", message: "Another operation is in progress." }, expect: /Another operation is running/ },
    { name: "403 forbidden", fault: { method: "PUT", path: "/deployments/blue", action: "respond", status: 403, code: "AuthorizationFailed", message: "does not have authorization" }, expect: /deployments\/write/ },
    { name: "persistent 500", fault: { method: "PUT", path: "/deployments/blue", action: "respond", status: 500, code: "InternalServerError", message: "boom", times: 20 }, expect: /kept answering 500/ },
    { name: "failed operation", fault: { method: "PUT", path: "/deployments/blue", action: "failOperation", message: "Quota exceeded for Standard_DS3_v2." }, expect: /failed: Quota exceeded/ },
  ];
  for (const { name, fault, expect } of faults) {
    it(`leaves the deployment unchanged and says why on ${name}`, async () => {
      const before = await storedResource(blue);
      const putsBefore = await requestsMatching("PUT", "/deployments/blue");
      await injectFault(fault);
      const result = await toggle(false, blue);
      assert.equal(result.ok, false);
      assert.match(result.message, expect);
      const after = await storedResource(blue);
      assert.deepEqual(modes(after), modes(before));
      assert.equal(comparable(after), comparable(before));
      if (fault.status === 500) assert.ok((await requestsMatching("PUT", "/deployments/blue")) - putsBefore > 1, "the SDK retried the 500");
    });
  }

  it("resumes polling after a dropped connection and never sends the PUT twice; retries a 429", async () => {
    const putsBefore = await requestsMatching("PUT", "/deployments/blue");
    await injectFault({ method: "GET", path: "/mfeOperationsStatus/", action: "drop", times: 2 });
    const off = await toggle(false, blue);
    assert.equal(off.ok, true, off.message);
    assert.equal(await requestsMatching("PUT", "/deployments/blue"), putsBefore + 1);
    await injectFault({ method: "PUT", path: "/deployments/blue", action: "respond", status: 429, code: "TooManyRequests", message: "slow down" });
    const on = await toggle(true, blue);
    assert.equal(on.ok, true, on.message);
    assert.deepEqual(modes(await storedResource(blue)), { model_inputs: "Enabled", model_outputs: "Enabled" });
  });

  it("disable → enable restores payload logging and a custom collection exactly, sends no read-only identity ids, keeps an unknown property", async () => {
    const api = await activeApi();
    const seeded = await storedResource(blue);
    const realistic = {
      ...structuredClone(seeded), futureTopLevel: { rollout: "canary" },
      identity: { type: "SystemAssigned,UserAssigned", principalId: "11111111-1111-1111-1111-111111111111", tenantId: scenario.tenantId,
        userAssignedIdentities: { [`/subscriptions/${scenario.subscriptionId}/resourceGroups/rg.prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/scorer`]: { principalId: "33333333-3333-3333-3333-333333333333", clientId: "44444444-4444-4444-4444-444444444444" } } },
      properties: { ...(seeded.properties as object), provisioningState: "Succeeded", dataCollector: {
        collections: {
          model_inputs: { dataCollectionMode: "Disabled", samplingRate: 0.5 },
          request: { dataCollectionMode: "Enabled" }, response: { dataCollectionMode: "Enabled" },
          fraud_signals: { dataCollectionMode: "Enabled", samplingRate: 0.25, dataId: "azureml:fraud-signals:3", clientId: "55555555-5555-5555-5555-555555555555" },
        },
        requestLogging: { captureHeaders: ["x-user-id"] }, rollingRate: "Day",
      } },
    };
    await storeResource(realistic);
    try {
      api.tree.refresh();
      assert.equal((await serviceItem(api, "credit-endpoint/blue")).description, "collecting payloads, custom (fraud_signals) · managed");
      const noop = await vscode.commands.executeCommand<ToggleResult>("modelData.enableCollection", blue, { confirm: false, collections: ["request", "response", "fraud_signals"] });
      assert.deepEqual([noop.ok, noop.changed], [true, false], noop.message);

      const off = await toggle(false, blue);
      assert.equal(off.ok, true, off.message);
      const disabled = await storedResource(blue);
      assert.deepEqual(modes(disabled), { model_inputs: "Disabled", request: "Disabled", response: "Disabled", fraud_signals: "Disabled" });
      assert.equal((disabled.tags as Record<string, string>)[REMEMBERED_TAG], "request,response,fraud_signals");

      const on = await toggle(true, blue);
      assert.equal(on.ok, true, on.message);
      const restored = await storedResource(blue);
      const strip = (r: Record<string, unknown>) => {
        const copy = structuredClone(r) as { systemData?: unknown; properties: { provisioningState?: unknown } };
        delete copy.systemData;
        delete copy.properties.provisioningState;
        return canonical(copy);
      };
      assert.equal(strip(restored), strip(realistic), "equal to the original except provisioning fields");
      const puts = (await requestBodies("PUT", "/deployments/blue")).slice(-2);
      assert.equal(puts.length, 2);
      for (const body of puts) {
        const identity = body.identity as { principalId?: unknown; tenantId?: unknown; userAssignedIdentities: Record<string, object> };
        assert.equal("principalId" in identity || "tenantId" in identity, false, "no system identity ids in the PUT");
        assert.deepEqual(Object.values(identity.userAssignedIdentities), [{}], "user-assigned identities sent as empty objects");
        assert.equal("provisioningState" in (body.properties as object), false);
        assert.equal("id" in body || "systemData" in body, false);
      }
      api.tree.refresh();
      assert.equal((await serviceItem(api, "credit-endpoint/blue")).description, "collecting payloads, custom (fraud_signals) · managed");
    } finally {
      await storeResource(seeded);
      api.tree.refresh();
    }
  });

  it("menus offer Enable only when off and Disable only when on", async () => {
    const api = await activeApi();
    const menus = (vscode.extensions.getExtension("azureml-model-data.azureml-model-data")?.packageJSON.contributes.menus["view/item/context"] ?? []) as Array<{ command: string; when: string }>;
    const shown = (command: string, contextValue: string) => {
      const entry = menus.find((m) => m.command === command);
      assert.ok(entry, command);
      const regex = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(entry.when)?.[1] ?? "";
      return new RegExp(regex).test(contextValue);
    };
    const on = String((await serviceItem(api, "credit-endpoint/blue")).contextValue);
    const off = String((await serviceItem(api, "credit-endpoint/green")).contextValue);
    const orphan = String((await serviceItem(api, "retired-endpoint/default")).contextValue);
    assert.deepEqual([shown("modelData.enableCollection", on), shown("modelData.disableCollection", on)], [false, true]);
    assert.deepEqual([shown("modelData.enableCollection", off), shown("modelData.disableCollection", off)], [true, false]);
    assert.deepEqual([shown("modelData.enableCollection", orphan), shown("modelData.disableCollection", orphan)], [false, false]);
  });
});
