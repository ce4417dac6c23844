import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { currentBlobName, legacyBlobName, legacyWorkspacePrefix, parseCurrentBlobName, parseLegacyBlobName, toIsoDate, lastSegment } from "../../src/core/blobLayout";

describe("legacy layout", () => {
  it("parses the documented example path", () => {
    const a = parseLegacyBlobName("1a2b3c4d-5e6f-7g8h-9i10-j11k12l13m14/myresourcegrp/myworkspace/aks-w-collv9/best_model/10/inputs/2018/12/31/data.csv");
    assert.deepEqual(a, { layout: "legacy", subscription: "1a2b3c4d-5e6f-7g8h-9i10-j11k12l13m14", resourceGroup: "myresourcegrp", workspace: "myworkspace",
      service: "aks-w-collv9", model: "best_model", version: "10", identifier: "inputs", date: "2018-12-31", file: "data.csv" });
  });

  it("accepts unpadded month/day and <identifier>.csv names", () => {
    assert.equal(parseLegacyBlobName("s/rg/ws/svc/m/1/predictions/2020/3/7/predictions.csv")?.date, "2020-03-07");
  });

  it("rejects non-csv files, impossible dates and wrong depths", () => {
    assert.equal(parseLegacyBlobName("s/rg/ws/svc/m/1/inputs/2020/03/07/notes.txt"), undefined);
    assert.equal(parseLegacyBlobName("s/rg/ws/svc/m/1/inputs/2020/13/07/data.csv"), undefined);
    assert.equal(parseLegacyBlobName("s/rg/ws/svc/m/1/inputs/2020/03/data.csv"), undefined);
  });

  it("round-trips through legacyBlobName, padded or not, lowercasing sub/rg/ws", () => {
    const address = { subscription: "ABC", resourceGroup: "My-RG", workspace: "WS", service: "svc", model: "m", version: "2", identifier: "inputs", date: "2026-01-05", file: "data.csv" };
    assert.equal(legacyBlobName(address), "abc/my-rg/ws/svc/m/2/inputs/2026/01/05/data.csv");
    assert.equal(legacyBlobName(address, false), "abc/my-rg/ws/svc/m/2/inputs/2026/1/5/data.csv");
    assert.deepEqual(parseLegacyBlobName(legacyBlobName(address, false)), { layout: "legacy", ...address, subscription: "abc", resourceGroup: "my-rg", workspace: "ws" });
    assert.equal(legacyWorkspacePrefix("ABC", "My-RG", "WS"), "abc/my-rg/ws/");
  });
});

describe("current layout", () => {
  it("parses an hourly jsonl path and pads the hour", () => {
    assert.deepEqual(parseCurrentBlobName("modelDataCollector/ep/blue/model_inputs/2026/11/20/8/blue-1.jsonl"),
      { layout: "current", endpoint: "ep", deployment: "blue", collection: "model_inputs", date: "2026-11-20", hour: "08", file: "blue-1.jsonl" });
  });

  it("rejects other roots, hours past 23 and non-jsonl files", () => {
    assert.equal(parseCurrentBlobName("other/ep/blue/model_inputs/2026/11/20/08/x.jsonl"), undefined);
    assert.equal(parseCurrentBlobName("modelDataCollector/ep/blue/model_inputs/2026/11/20/24/x.jsonl"), undefined);
    assert.equal(parseCurrentBlobName("modelDataCollector/ep/blue/model_inputs/2026/11/20/08/x.csv"), undefined);
  });

  it("round-trips through currentBlobName", () => {
    const a = { endpoint: "e", deployment: "d", collection: "model_outputs", date: "2026-02-03", hour: "23", file: "i.jsonl" };
    assert.deepEqual(parseCurrentBlobName(currentBlobName(a)), { layout: "current", ...a });
  });
});

describe("helpers", () => {
  it("normalises dates and names the last prefix segment", () => {
    assert.equal(toIsoDate("2026", "2", "3"), "2026-02-03");
    assert.equal(toIsoDate("2026", "02", "30"), undefined);
    assert.equal(toIsoDate("2024", "2", "29"), "2024-02-29");
    assert.equal(toIsoDate("26", "2", "3"), undefined);
    assert.equal(lastSegment("a/b/c/"), "c");
    assert.equal(lastSegment(""), "");
  });
});
