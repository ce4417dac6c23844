import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { describeChanges, enableCandidates, legacyCollectionPatch, operationWords, planCollectionToggle, rememberedCollections, REMEMBERED_TAG } from "../../src/core/collectionToggle";
import { ONLINE_DEPLOYMENT_READ_ONLY, readOnlyValues, withoutReadOnly } from "../../src/core/armReadOnly";
import { collectedKinds } from "../../src/core/collectionState";
import { describeToggleError } from "../../src/core/toggleErrors";

/** A deployment shaped like the specification's OnlineDeployment at 2024-04-01, with payload logging, a custom collection and identities. */
const realistic = () => ({
  id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/onlineEndpoints/e/deployments/blue",
  name: "blue", type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
  location: "westeurope", kind: "Managed", tags: { team: "risk" }, sku: { name: "Default", capacity: 2 },
  systemData: { createdBy: "x", lastModifiedAt: "2026-01-01T00:00:00Z" },
  identity: {
    type: "SystemAssigned,UserAssigned", principalId: "11111111-1111-1111-1111-111111111111", tenantId: "22222222-2222-2222-2222-222222222222",
    userAssignedIdentities: { "/subscriptions/s/resourceGroups/rg.prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/scorer": { principalId: "33333333-3333-3333-3333-333333333333", clientId: "44444444-4444-4444-4444-444444444444" } },
  },
  futureTopLevel: { enabled: true },
  properties: {
    endpointComputeType: "Managed", instanceType: "Standard_DS3_v2", provisioningState: "Succeeded",
    dataCollector: {
      collections: {
        model_inputs: { dataCollectionMode: "Disabled", samplingRate: 0.5, dataId: "azureml:inputs:1" },
        request: { dataCollectionMode: "Enabled" },
        response: { dataCollectionMode: "Enabled" },
        fraud_signals: { dataCollectionMode: "Enabled", samplingRate: 0.25, dataId: "azureml:signals:3", clientId: "55555555-5555-5555-5555-555555555555" },
      },
      requestLogging: { captureHeaders: ["x-user"] }, rollingRate: "Hour",
    },
  },
});

type Body = { tags: Record<string, string>; properties: { dataCollector: { collections: Record<string, { dataCollectionMode: string }> } } };
const modes = (body: unknown) => Object.fromEntries(Object.entries((body as Body).properties.dataCollector.collections).map(([k, v]) => [k, v.dataCollectionMode]));
/** What the service would hold after a PUT of `body`: the body with the read-only properties the service keeps. */
const applied = (before: Record<string, unknown>, body: Record<string, unknown>) => ({ ...body, id: before.id, name: before.name, type: before.type, systemData: before.systemData,
  identity: before.identity, properties: { ...(body.properties as object), provisioningState: "Succeeded" } });

describe("planCollectionToggle", () => {
  it("disable then enable restores exactly the collections that were on, and clears its tag", () => {
    const original = realistic();
    const off = planCollectionToggle(original, false);
    assert.deepEqual(off.changes.map((c) => c.collection), ["request", "response", "fraud_signals"]);
    assert.equal((off.body as Body).tags[REMEMBERED_TAG], "request,response,fraud_signals");
    assert.deepEqual(rememberedCollections(applied(original, off.body)), ["request", "response", "fraud_signals"]);
    const on = planCollectionToggle(applied(original, off.body), true);
    assert.deepEqual(on.changes.map((c) => c.collection), ["request", "response", "fraud_signals"]);
    assert.deepEqual(modes(on.body), modes(original), "model_inputs stays off: it was off before the disable");
    assert.deepEqual((on.body as Body).tags, { team: "risk" });
    assert.deepEqual(withoutReadOnly(applied(original, on.body)), withoutReadOnly(original), "every other property survives the round trip");
  });

  it("a payload-logging-only deployment gets its payloads back, not model_inputs/model_outputs", () => {
    const d = realistic();
    d.properties.dataCollector.collections = { request: { dataCollectionMode: "Enabled" }, response: { dataCollectionMode: "Enabled" } } as never;
    const off = planCollectionToggle(d, false);
    const on = planCollectionToggle(applied(d, off.body), true);
    assert.deepEqual(modes(on.body), { request: "Enabled", response: "Enabled" });
  });

  it("with nothing remembered, enables what the caller chose, else the configured collections, else the SDK's two", () => {
    const d = realistic();
    assert.deepEqual(modes(planCollectionToggle(d, true, ["model_inputs", "model_outputs"]).body).model_outputs, "Enabled");
    assert.deepEqual(planCollectionToggle(d, true, ["model_inputs"]).changes, [{ collection: "model_inputs", from: "Disabled", to: "Enabled" }]);
    assert.deepEqual(enableCandidates(d).filter((c) => c.suggested).map((c) => c.name), ["model_inputs", "request", "response", "fraud_signals"]);
    const empty = realistic();
    (empty.properties as { dataCollector: unknown }).dataCollector = null;
    assert.deepEqual(enableCandidates(empty), [{ name: "model_inputs", configured: false, suggested: true }, { name: "model_outputs", configured: false, suggested: true }]);
    assert.deepEqual(modes(planCollectionToggle(empty, true).body), { model_inputs: "Enabled", model_outputs: "Enabled" });
  });

  it("leaves out every property the specification marks read-only, and never touches the input", () => {
    const input = realistic();
    const { body } = planCollectionToggle(input, false);
    assert.deepEqual(readOnlyValues(body), [], "no read-only property in the PUT body");
    const identity = body.identity as { type: string; userAssignedIdentities: Record<string, object> };
    assert.equal(identity.type, "SystemAssigned,UserAssigned");
    assert.deepEqual(Object.values(identity.userAssignedIdentities), [{}], "the user-assigned identity stays, as an empty object");
    assert.deepEqual(body.futureTopLevel, { enabled: true }, "unknown properties are sent back");
    assert.deepEqual(body.sku, { name: "Default", capacity: 2 });
    assert.deepEqual(input, realistic());
  });

  it("finds read-only values under map keys that hold dots", () => {
    const paths = readOnlyValues(realistic()).map((r) => r.keys);
    assert.deepEqual(paths.find((k) => k[2]?.includes("rg.prod") && k[3] === "clientId")?.length, 4);
    assert.equal(ONLINE_DEPLOYMENT_READ_ONLY.length, readOnlyValues(realistic()).length, "each listed property is found once in this deployment");
  });

  it("has nothing to disable without a dataCollector, and says so in words", () => {
    const d = realistic();
    (d.properties as { dataCollector?: unknown }).dataCollector = null;
    assert.deepEqual(planCollectionToggle(d, false).changes, []);
    assert.match(describeChanges([]), /Nothing to change/);
    assert.equal(describeChanges([{ collection: "request", from: "Enabled", to: "Disabled" }, { collection: "model_outputs", from: undefined, to: "Enabled" }]),
      "request: on → off\nmodel_outputs: not configured → on");
  });

  it("puts operation statuses in words", () => {
    assert.match(operationWords("InProgress"), /applying the change/);
    assert.equal(operationWords("Succeeded"), "done");
    assert.equal(operationWords("Failed"), "the operation failed");
  });

  it("builds the v1 JSON Patch", () => {
    assert.deepEqual(legacyCollectionPatch(false), [{ op: "replace", path: "/dataCollection/storageEnabled", value: false }]);
  });
});

describe("collectedKinds", () => {
  it("names what is collected: inputs/outputs, payloads, custom collections", () => {
    assert.deepEqual(collectedKinds(realistic().properties.dataCollector), ["payloads", "custom (fraud_signals)"]);
    assert.deepEqual(collectedKinds({ collections: { model_inputs: { dataCollectionMode: "Enabled" }, model_outputs: { dataCollectionMode: "enabled" } } }), ["inputs/outputs"]);
    assert.deepEqual(collectedKinds(null), []);
  });
});

describe("describeToggleError", () => {
  it("says what to do for conflicts, permissions, throttling and failed operations", () => {
    assert.match(describeToggleError({ statusCode: 409, message: "busy" }, "e/d"), /Another operation is running on e\/d/);
    assert.match(describeToggleError({ statusCode: 403, message: "no" }, "e/d"), /deployments\/write/);
    assert.match(describeToggleError({ statusCode: 503, message: "down" }, "e/d"), /kept answering 503/);
    assert.match(describeToggleError({ code: "OperationFailed", message: "Quota exceeded" }, "e/d"), /failed: Quota exceeded/);
  });
});
