import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { describeChanges, legacyCollectionPatch, planCollectionToggle } from "../../src/core/collectionToggle";
import { describeToggleError } from "../../src/core/toggleErrors";

const deployment = () => ({
  id: "/subscriptions/s/.../deployments/blue", name: "blue", type: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
  location: "westeurope", kind: "Managed", tags: { team: "risk" }, sku: { name: "Default", capacity: 1 }, systemData: { createdBy: "x" },
  properties: {
    endpointComputeType: "Managed", instanceType: "Standard_DS3_v2", provisioningState: "Succeeded",
    dataCollector: {
      collections: {
        model_inputs: { dataCollectionMode: "Disabled", samplingRate: 0.5, dataId: "azureml:inputs:1" },
        request: { dataCollectionMode: "Enabled" },
      },
      requestLogging: { captureHeaders: ["x-user"] }, rollingRate: "Hour",
    },
  },
});

describe("planCollectionToggle", () => {
  it("enables model_inputs and model_outputs (creating the missing one) and keeps every other setting", () => {
    const { body, changes } = planCollectionToggle(deployment(), true);
    assert.deepEqual(changes, [{ collection: "model_inputs", from: "Disabled", to: "Enabled" }, { collection: "model_outputs", from: undefined, to: "Enabled" }]);
    const dc = (body.properties as { dataCollector: Record<string, unknown> }).dataCollector;
    assert.deepEqual(dc, {
      collections: {
        model_inputs: { dataCollectionMode: "Enabled", samplingRate: 0.5, dataId: "azureml:inputs:1" },
        request: { dataCollectionMode: "Enabled" },
        model_outputs: { dataCollectionMode: "Enabled" },
      },
      requestLogging: { captureHeaders: ["x-user"] }, rollingRate: "Hour",
    });
  });

  it("drops read-only fields from the PUT body and never touches the input", () => {
    const input = deployment();
    const { body } = planCollectionToggle(input, false);
    for (const key of ["id", "name", "type", "systemData"]) assert.equal(key in body, false, key);
    assert.equal("provisioningState" in (body.properties as object), false);
    assert.deepEqual(body.tags, { team: "risk" });
    assert.deepEqual(input, deployment());
  });

  it("disables every collection but keeps their configuration for re-enabling", () => {
    const { body, changes } = planCollectionToggle(deployment(), false);
    assert.deepEqual(changes, [{ collection: "request", from: "Enabled", to: "Disabled" }]);
    const collections = (body.properties as { dataCollector: { collections: Record<string, { dataCollectionMode: string }> } }).dataCollector.collections;
    assert.deepEqual(Object.values(collections).map((c) => c.dataCollectionMode), ["Disabled", "Disabled"]);
    assert.equal((collections.model_inputs as unknown as { samplingRate: number }).samplingRate, 0.5);
  });

  it("has nothing to disable without a dataCollector", () => {
    const d = deployment();
    (d.properties as { dataCollector?: unknown }).dataCollector = null;
    assert.deepEqual(planCollectionToggle(d, false).changes, []);
    assert.match(describeChanges([]), /Nothing to change/);
  });

  it("builds the v1 JSON Patch", () => {
    assert.deepEqual(legacyCollectionPatch(false), [{ op: "replace", path: "/dataCollection/storageEnabled", value: false }]);
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
