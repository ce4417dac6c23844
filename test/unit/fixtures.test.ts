// The generator must write what the collectors write; later parsers are tested against it.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { buildScenario, DEFAULT_SCENARIO } from "../fixtures/scenario";
import { scenarioBlobs } from "../fixtures/generate";
import { AML_SYSTEM_COLUMNS } from "../fixtures/legacyData";
import { parseCurrentBlobName, parseLegacyBlobName } from "../../src/core/blobLayout";

const scenario = buildScenario(DEFAULT_SCENARIO);
const blobs = [...scenarioBlobs(scenario)];
const legacy = blobs.filter((b) => b.container === "modeldata");
const current = blobs.filter((b) => b.container === scenario.datastoreContainer);

describe("fixture generator", () => {
  it("is deterministic from its seed and changes with it", () => {
    assert.deepEqual([...scenarioBlobs(buildScenario(DEFAULT_SCENARIO))], blobs);
    assert.notDeepEqual([...scenarioBlobs(buildScenario({ ...DEFAULT_SCENARIO, seed: 7 }))][0].content, blobs[0].content);
  });

  it("sizes from its arguments", () => {
    const big = [...scenarioBlobs(buildScenario({ ...DEFAULT_SCENARIO, days: 10, services: 4 }))];
    assert.equal(big.filter((b) => b.container === "modeldata").length, 4 * 10 * 2);
    assert.equal(legacy.length, 2 * DEFAULT_SCENARIO.days * 2);
  });

  it("writes legacy paths lowercased, with data.csv or <identifier>.csv and unpadded dates for one service", () => {
    for (const b of legacy) {
      const address = parseLegacyBlobName(b.name);
      assert.ok(address, b.name);
      assert.equal(b.name.startsWith(`${scenario.subscriptionId}/ml-prod-rg/churn-workspace/`), true, b.name);
    }
    assert.ok(legacy.some((b) => /\/churn-aks-v1\/.*\/\d{4}\/\d{2}\/\d{2}\/data\.csv$/.test(b.name)));
    assert.ok(legacy.some((b) => b.name.includes("/fraud-aks/fraud_gbm/7/inputs/2026/3/4/inputs.csv")));
    assert.ok(legacy.some((b) => b.name.includes("/churn-aks-v1/churn_model/4/inputs/2026/03/04/data.csv")));
  });

  it("writes CRLF rows, the header only when feature names were given, and the eight system columns in order", () => {
    const churnInputs = legacy.find((b) => b.name.includes("/churn-aks-v1/") && b.name.includes("/inputs/"));
    assert.ok(churnInputs);
    const lines = churnInputs.content.split("\r\n");
    assert.equal(lines[lines.length - 1], "");
    assert.equal(churnInputs.content.replace(/\r\n/g, "").includes("\n"), false);
    assert.deepEqual(lines[0].split(",").slice(-8), [...AML_SYSTEM_COLUMNS]);
    assert.equal(lines.length - 2, DEFAULT_SCENARIO.rowsPerFile);

    // Predictions carry their input row's system columns (add_correlations): the same correlation id, row by row.
    const predictions = legacy.find((b) => b.name === churnInputs.name.replace("/inputs/", "/predictions/"));
    assert.ok(predictions);
    const predictionLines = predictions.content.split("\r\n");
    assert.equal(predictionLines[0], ["churn_probability", "churn_label", ...AML_SYSTEM_COLUMNS].join(","));
    const ids = (rows: string[]) => rows.slice(1, -1).map((l) => l.split(",").slice(-8)[0]);
    assert.deepEqual(ids(predictionLines), ids(lines));
    assert.equal(new Set(ids(lines)).size, DEFAULT_SCENARIO.rowsPerFile);

    const fraudInputs = legacy.find((b) => b.name.includes("/fraud-aks/") && b.name.endsWith("inputs.csv"));
    assert.ok(fraudInputs);
    const first = fraudInputs.content.split("\r\n")[0];
    assert.match(first, /^-?[\d.]+,[a-z]+,\d+,"\[[\d., ]+\]",[0-9a-f-]{36},\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6},1440,[0-9a-f-]+\/ml-prod-rg\/churn-workspace,fraud-aks,fraud_gbm,7,[0-9a-f-]{36}$/);
  });

  it("writes hourly JSONL records with the collector's fields and a payload stored elsewhere", () => {
    assert.ok(current.length > 0);
    const [payloads, jsonl] = [current.filter((b) => b.name.includes("/payloads/")), current.filter((b) => !b.name.includes("/payloads/"))];
    for (const b of jsonl) assert.ok(parseCurrentBlobName(b.name), b.name);
    const records = jsonl.flatMap((b) => b.content.trim().split("\n").map((l) => JSON.parse(l)));
    for (const field of ["specversion", "id", "source", "type", "datacontenttype", "time", "data", "correlationid", "xrequestid", "modelversion", "collectdatatype", "agent", "contentrange"]) {
      assert.ok(records.every((r) => field in r), field);
    }
    assert.ok(records.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.time)));
    assert.deepEqual(new Set(records.map((r) => r.type)), new Set(["azureml.inference.model_inputs", "azureml.inference.model_outputs"]));
    const linked = records.filter((r) => r.datainblob === "true" && typeof r.data === "string");
    assert.equal(linked.length, scenario.currentDeployments.length);
    // Each link points at a payload blob the generator wrote, over 4 MB, whose size the record's range gives.
    for (const record of linked) {
      const path = new URL(record.data).pathname.split("/").slice(2).join("/");
      const payload = payloads.find((b) => b.name === path);
      assert.ok(payload, record.data);
      const length = Buffer.byteLength(payload.content);
      assert.ok(length > 4 * 1024 * 1024);
      assert.equal(record.contentrange, `bytes 0-${length}/${length}`);
      assert.ok(Array.isArray(JSON.parse(payload.content)));
    }
    assert.equal(payloads.length, linked.length);
  });
});
