import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, labels, scenario, setSetting, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";
import { legacyBlobName } from "../../src/core/blobLayout";

const WS = ["Local emulator", scenario.workspace];

describe("listing: paging, refresh, shared requests", () => {
  afterEach(async () => {
    await setSetting("listing.pageSize", undefined);
  });

  it("pages a level with a page size of 2 behind a Load more node", async () => {
    await setSetting("listing.pageSize", 2);
    const api = await activeApi();
    api.tree.refresh();
    const workspace = await walk(api, WS);
    const first = await children(api, workspace);
    const legacyNames = scenario.legacyServices.map((s) => s.name).sort();
    assert.ok(legacyNames.length > 2, "the scenario has more legacy services than a page");
    const firstLegacy = labels(api, first).filter((l) => legacyNames.includes(l));
    assert.equal(firstLegacy.length, 2);
    let all = first;
    for (let guard = 0; guard < 10 && all[all.length - 1].kind === "loadMore"; guard++) {
      await vscode.commands.executeCommand("modelData.loadMore", all[all.length - 1]);
      all = await children(api, workspace);
    }
    assert.notEqual(all[all.length - 1].kind, "loadMore");
    assert.deepEqual(labels(api, all).filter((l) => legacyNames.includes(l)).sort(), legacyNames);
  });

  it("shows new blobs only after Refresh of the node", async () => {
    const api = await activeApi();
    api.tree.refresh();
    const identifierPath = [...WS, "churn-aks-v1", "churn_model:4", "predictions"];
    const identifier = await walk(api, identifierPath);
    const before = labels(api, await children(api, identifier));
    const newDate = "2030-01-02";
    const service = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint));
    const name = legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
      service: "churn-aks-v1", model: "churn_model", version: "4", identifier: "predictions", date: newDate, file: "data.csv" });
    await service.getContainerClient("modeldata").getBlockBlobClient(name).upload("churn_probability,churn_label\r\n0.5,1\r\n", 36);
    try {
      assert.deepEqual(labels(api, await children(api, identifier)), before, "cached until refreshed");
      await vscode.commands.executeCommand("modelData.refresh", identifier);
      assert.deepEqual(labels(api, await children(api, identifier)), [newDate, ...before]);
    } finally {
      await service.getContainerClient("modeldata").deleteBlob(name);
      api.tree.refresh();
    }
  });

  it("shares one request between two expansions of the same node", async () => {
    const api = await activeApi();
    api.tree.refresh();
    const workspace = await walk(api, WS);
    const [a, b] = await Promise.all([api.tree.getChildren(workspace), api.tree.getChildren(workspace)]);
    assert.deepEqual(a, b);
    assert.ok(a.length > 0);
    assert.equal(a[0], b[0], "the same node objects: one listing served both");
  });
});
