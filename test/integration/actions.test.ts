import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, scenario, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";

const WS = ["Local emulator", scenario.workspace];

describe("actions on nodes", () => {
  it("copies the blob path and a URL without credentials", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "churn-aks-v1", "churn_model:4", "inputs"])))[0];
    const path = await vscode.commands.executeCommand<string>("modelData.copyPath", date);
    assert.match(path, new RegExp(`^modeldata/${scenario.subscriptionId}/ml-prod-rg/churn-workspace/churn-aks-v1/churn_model/4/inputs/\\d{4}/\\d\\d/\\d\\d/$`));
    assert.equal(await vscode.env.clipboard.readText(), path);
    const file = (await children(api, date))[0];
    const url = await vscode.commands.executeCommand<string>("modelData.copyUrl", file);
    assert.equal(url, `${blobEndpoint}/modeldata/${path.slice("modeldata/".length)}data.csv`);
    assert.equal(/sig=|AccountKey/i.test(url), false);
  });

  it("copies pandas code that names the date's files and no secret", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2", "model_inputs"])))[0];
    const code = await vscode.commands.executeCommand<string>("modelData.copyPandasCode", date);
    assert.match(code, /import pandas as pd/);
    assert.match(code, new RegExp(`${scenario.datastoreContainer}/modelDataCollector/credit-endpoint/blue/model_inputs/\\d{4}/\\d\\d/\\d\\d/\\*/\\*\\.jsonl`));
    assert.equal(await vscode.env.clipboard.readText(), code);
    assert.match(code, /df\["time"\] = pd\.to_datetime\(df\["time"\]\)/);
    assert.match(code, /payload_links\.append\(data\)/);
  });

  it("copies pandas code for an identifier over the asked date range only", async () => {
    const api = await activeApi();
    const identifier = await walk(api, [...WS, "fraud-aks", "fraud_gbm:7", "inputs"]);
    const from = scenario.dates[scenario.dates.length - 2];
    const code = await vscode.commands.executeCommand<string>("modelData.copyPandasCode", identifier, { from, to: scenario.dates[scenario.dates.length - 1] });
    const patterns = /patterns = \[(.*)\]/.exec(code)?.[1] ?? "";
    assert.equal((patterns.match(/\*\.csv"/g) ?? []).length, 2, patterns);
    assert.match(code, /pd\.to_datetime\(df\["\$aml_dc_scoring_timestamp"\]\)/);
  });

  it("downloads a whole date to a folder with the bytes of every file", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2", "model_outputs"])))[0];
    const folder = mkdtempSync(join(tmpdir(), "modeldata-download-"));
    const result = await vscode.commands.executeCommand<{ files: string[]; cancelled: boolean }>("modelData.download", date, folder);
    assert.equal(result.cancelled, false);
    assert.equal(result.files.length, 3);
    // The blob path is mirrored below the folder.
    const dayPrefix = date.kind === "date" ? date.group.prefixes[0] : "";
    const dateFolder = join(folder, scenario.datastoreContainer, ...dayPrefix.split("/").filter(Boolean));
    assert.deepEqual(readdirSync(dateFolder).sort(), ["08", "13", "19"]);
    const service = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient(scenario.datastoreContainer);
    for (const file of result.files) {
      const blobName = date.kind === "date" ? date.blobs.find((b) => file === join(folder, scenario.datastoreContainer, ...b.name.split("/")))?.name : undefined;
      assert.ok(blobName, file);
      const expected = await service.getBlobClient(blobName).downloadToBuffer();
      assert.equal(statSync(file).size, expected.length);
      assert.deepEqual(readFileSync(file), expected);
    }
  });
});
