import * as assert from "node:assert/strict";
import { activeApi, childByLabel, children, labels, scenario, walk } from "./helpers";
import { versionOnDay } from "../fixtures/legacyData";

const WS = ["Local emulator", scenario.workspace];

describe("tree on the local emulator (Azurite + local ARM)", () => {
  it("shows the sources in order and the workspace ARM lists", async () => {
    const api = await activeApi();
    assert.deepEqual(labels(api, await children(api)), ["Azure", "Local emulator"]);
    assert.deepEqual(labels(api, await children(api, await walk(api, ["Local emulator"]))), [scenario.workspace]);
  });

  it("lists legacy services and current endpoint/deployment services with their collection state", async () => {
    const api = await activeApi();
    const services = await children(api, await walk(api, WS));
    const expected = [...scenario.legacyServices.map((s) => s.name), "credit-endpoint/blue", "credit-endpoint/green", "retired-endpoint/default"].sort();
    assert.deepEqual(labels(api, services), expected);
    const item = (label: string) => api.tree.getTreeItem(services.find((s) => api.tree.getTreeItem(s).label === label) ?? services[0]);
    assert.equal(item("credit-endpoint/blue").description, "collecting inputs/outputs · managed");
    assert.equal(item("credit-endpoint/green").description, "collection off · kubernetes");
    assert.match(String(item("credit-endpoint/blue").contextValue), /(^|;)collection-on(;|$)/);
    assert.equal(item("retired-endpoint/default").description, "no longer deployed");
    assert.match(String(item("retired-endpoint/default").contextValue), /(^|;)orphaned(;|$)/);
    assert.equal(item("churn-aks-v1").description, "collecting · web service (v1)");
    assert.equal(item(scenario.legacyServices[1].name).description, "collection off · web service (v1)");
    // Screen readers hear the name, what it is and its state (not the tooltip).
    assert.equal(item("credit-endpoint/blue").accessibilityInformation?.label, "credit-endpoint/blue, online deployment, collecting inputs/outputs · managed");
    assert.equal(item("churn-aks-v1").accessibilityInformation?.label, "churn-aks-v1, web service, collecting · web service (v1)");
    const azure = await children(api, await walk(api, ["Azure"]));
    assert.match(String(api.tree.getTreeItem(azure[0]).accessibilityInformation?.label), /^Action: Sign in to Azure/);
  });

  it("walks a legacy service down to dates (newest first, count and size) and files", async () => {
    const api = await activeApi();
    const service = await walk(api, [...WS, "churn-aks-v1"]);
    assert.deepEqual(labels(api, await children(api, service)), ["churn_model:4", "churn_model:3"]);
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
    const dates = await children(api, await walk(api, [...WS, "fraud-aks", "fraud_gbm:7", "predictions"]));
    assert.deepEqual(labels(api, dates), [...scenario.dates].reverse());
    assert.deepEqual(labels(api, await children(api, dates[0])), ["predictions.csv"]);
  });

  it("walks a current deployment: model from ARM, collections, dates, hours, jsonl files", async () => {
    const api = await activeApi();
    const model = await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2"]);
    assert.deepEqual(labels(api, await children(api, model)), ["model_inputs", "model_outputs"]);
    const dates = await children(api, await childByLabel(api, model, "model_outputs"));
    assert.equal(api.tree.getTreeItem(dates[0]).label, scenario.dates[scenario.dates.length - 1]);
    assert.match(String(api.tree.getTreeItem(dates[0]).description), /^3 files · /);
    const hours = await children(api, dates[0]);
    assert.deepEqual(labels(api, hours), ["19:00", "13:00", "08:00"]);
    // Hours offer what dates offer: preview, download, copy path/URL, pandas code.
    for (const tag of ["previewable", "downloadable", "copyable", "pandas"]) assert.match(String(api.tree.getTreeItem(hours[0]).contextValue), new RegExp(`(^|;)${tag}(;|$)`));
    const files = labels(api, await children(api, hours[0]));
    assert.equal(files.length, 1);
    assert.match(files[0], /^blue-[0-9a-f]+-\d{5}\.jsonl$/);
  });

  it("keeps a deleted deployment's data browsable", async () => {
    const api = await activeApi();
    const model = await walk(api, [...WS, "retired-endpoint/default"]);
    const collections = await children(api, (await children(api, model))[0]);
    assert.deepEqual(labels(api, collections), ["model_inputs", "model_outputs"]);
    assert.ok((await children(api, collections[0])).length > 0);
  });

  it("offers sign-in on the Azure source when there is no session", async () => {
    const api = await activeApi();
    const [first] = await children(api, await walk(api, ["Azure"]));
    const item = api.tree.getTreeItem(first);
    assert.equal(item.label, "Sign in to Azure…");
    assert.equal(item.command?.command, "modelData.signIn");
  });
});
