import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { AZURE_CLOUD, managementScope, resolveCloud, studioWorkspaceUrl } from "../../src/core/clouds";
import { collectionStateOf, describeCollectionState } from "../../src/core/collectionState";
import { matchesFilter } from "../../src/core/filters";

describe("clouds", () => {
  it("uses public Azure unless the sovereign-cloud setting names another", () => {
    assert.equal(resolveCloud(undefined, undefined), AZURE_CLOUD);
    const china = resolveCloud("ChinaCloud", undefined);
    assert.deepEqual([china.authProviderId, china.resourceManagerEndpoint, china.storageEndpointSuffix], ["microsoft-sovereign-cloud", "https://management.chinacloudapi.cn", "core.chinacloudapi.cn"]);
    const custom = resolveCloud("custom", { resourceManagerEndpointUrl: "https://management.local/", storageEndpointSuffix: ".core.local" });
    assert.deepEqual([custom.resourceManagerEndpoint, custom.storageEndpointSuffix], ["https://management.local", "core.local"]);
    assert.equal(managementScope(AZURE_CLOUD), "https://management.azure.com/.default");
  });

  it("links a workspace in studio with its tenant", () => {
    assert.equal(studioWorkspaceUrl(AZURE_CLOUD, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w", "t"),
      "https://ml.azure.com/home?wsid=%2Fsubscriptions%2Fs%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.MachineLearningServices%2Fworkspaces%2Fw&tid=t");
  });
});

describe("collection state", () => {
  it("is on when any collection is enabled, off when none or no dataCollector, updating while provisioning", () => {
    assert.equal(collectionStateOf("Succeeded", { collections: { model_inputs: { dataCollectionMode: "Enabled" }, model_outputs: { dataCollectionMode: "Disabled" } } }, true), "on");
    assert.equal(collectionStateOf("Succeeded", { collections: { model_inputs: { dataCollectionMode: "Disabled" } } }, true), "off");
    assert.equal(collectionStateOf("Succeeded", null, true), "off");
    assert.equal(collectionStateOf("Updating", null, true), "updating");
    assert.equal(collectionStateOf("Succeeded", undefined, false), "unknown");
    assert.equal(describeCollectionState("unknown"), "");
  });
});

describe("filters", () => {
  it("shows everything when empty and matches ids or names case-insensitively", () => {
    assert.equal(matchesFilter([], "x"), true);
    assert.equal(matchesFilter(["ML Production"], "0000", "ml production"), true);
    assert.equal(matchesFilter(["other"], "0000", "ML Production"), false);
  });
});
