import * as assert from "node:assert/strict";
import { activeApi, childByLabel, children, labels } from "./helpers";
import { buildScenario } from "../fixtures/scenario";
import { versionOnDay } from "../fixtures/legacyData";

// The same scenario the runner seeded into Azurite and the local ARM server.
const scenario = buildScenario(JSON.parse(process.env.MODELDATA_TEST_SCENARIO ?? "{}"));

describe("tree on the local emulator (Azurite + local ARM)", () => {
  it("shows the Local emulator source and the workspace ARM lists", async () => {
    const api = await activeApi();
    const [source] = await children(api);
    assert.equal(api.tree.getTreeItem(source).label, "Local emulator");
    assert.deepEqual(labels(api, await children(api, source)), [scenario.workspace]);
  });

  it("lists legacy services and current endpoint/deployment services, marking one no longer deployed", async () => {
    const api = await activeApi();
    const workspace = await childByLabel(api, (await children(api))[0], scenario.workspace);
    const services = await children(api, workspace);
    assert.deepEqual(labels(api, services), ["churn-aks-v1", "credit-endpoint/blue", "credit-endpoint/green", "fraud-aks", "retired-endpoint/default"]);
    const retired = services.find((s) => api.tree.getTreeItem(s).label === "retired-endpoint/default");
    assert.ok(retired);
    assert.match(String(api.tree.getTreeItem(retired).description), /no longer deployed/);
    assert.match(String(api.tree.getTreeItem(retired).contextValue), /(^|;)orphaned(;|$)/);
  });

  it("walks a legacy service down to dates (newest first) and files", async () => {
    const api = await activeApi();
    const workspace = await childByLabel(api, (await children(api))[0], scenario.workspace);
    const service = await childByLabel(api, workspace, "churn-aks-v1");
    assert.deepEqual(labels(api, await children(api, service)), ["churn_model:3", "churn_model:4"]);
    const model = await childByLabel(api, service, "churn_model:4");
    assert.deepEqual(labels(api, await children(api, model)), ["inputs", "predictions"]);
    const dates = await children(api, await childByLabel(api, model, "inputs"));
    const churn = scenario.legacyServices[0];
    const expected = scenario.dates.filter((_, i) => versionOnDay(churn, i, scenario.dates.length) === "4").reverse();
    assert.ok(expected.length > 0 && expected.length < scenario.dates.length);
    assert.deepEqual(labels(api, dates), expected);
    assert.match(String(api.tree.getTreeItem(dates[0]).description), /^1 file · \d+(\.\d)? KB$/);
    assert.deepEqual(labels(api, await children(api, dates[0])), ["data.csv"]);
  });

  it("reads unpadded month/day folders and <identifier>.csv names", async () => {
    const api = await activeApi();
    const workspace = await childByLabel(api, (await children(api))[0], scenario.workspace);
    const model = await childByLabel(api, await childByLabel(api, workspace, "fraud-aks"), "fraud_gbm:7");
    const dates = await children(api, await childByLabel(api, model, "predictions"));
    assert.equal(dates.length, scenario.dates.length);
    assert.deepEqual(labels(api, await children(api, dates[0])), ["predictions.csv"]);
  });

  it("walks a current deployment: model from ARM, collections, dates, hours, jsonl files", async () => {
    const api = await activeApi();
    const workspace = await childByLabel(api, (await children(api))[0], scenario.workspace);
    const service = await childByLabel(api, workspace, "credit-endpoint/blue");
    const model = await childByLabel(api, service, "credit_model:2");
    assert.deepEqual(labels(api, await children(api, model)), ["model_inputs", "model_outputs"]);
    const dates = await children(api, await childByLabel(api, model, "model_outputs"));
    assert.equal(api.tree.getTreeItem(dates[0]).label, scenario.dates[scenario.dates.length - 1]);
    const hours = await children(api, dates[0]);
    assert.deepEqual(labels(api, hours), ["19:00", "13:00", "08:00"]);
    const files = labels(api, await children(api, hours[0]));
    assert.equal(files.length, 1);
    assert.match(files[0], /^blue-[0-9a-f]+-\d{5}\.jsonl$/);
  });
});
