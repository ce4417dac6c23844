// What the tree's hovers say (core/tooltips.ts): what is there and when, in UTC.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { dateTooltip, hourTooltip, modelTooltip, monitorTooltip } from "../../src/core/tooltips";

describe("tree tooltips", () => {
  const blobs = [
    { name: "a/2026/03/04/08/x.jsonl", size: 2048, lastModified: new Date("2026-03-04T08:59:10Z") },
    { name: "a/2026/03/04/19/y.jsonl", size: 1024, lastModified: new Date("2026-03-04T19:58:00Z") },
  ];

  it("says a date's and an hour's files, bytes and newest write in UTC", () => {
    assert.equal(dateTooltip("2026-03-04", blobs, 1, "c/a/2026/03/04/"), "2026-03-04 (UTC day): 2 files, 3.0 KB\nnewest write 2026-03-04 19:58 UTC\n1 other file(s) beside them, not the collector's\nc/a/2026/03/04/");
    assert.equal(hourTooltip("08", blobs.slice(0, 1), "c/a/2026/03/04/08/"), "08:00–08:59 UTC: 1 file, 2.0 KB\nnewest write 2026-03-04 08:59 UTC\nc/a/2026/03/04/08/");
  });

  it("says which model version a service's actions read", () => {
    assert.match(modelTooltip("churn_model:4", "legacy", true, "modeldata/x/"), /^Model churn_model, version 4: the newest version with data/);
    assert.match(modelTooltip("churn_model:3", "legacy", false, "modeldata/x/"), /^Model churn_model, version 3: an older version's data\n/);
    assert.match(modelTooltip("credit_model:2", "current", false, "c/x/"), /^Model credit_model, version 2: what the deployment serves/);
  });

  it("says a monitor's state, signals, next run and target", () => {
    const text = monitorTooltip({ name: "blue-drift", enabled: true, signals: ["DataDrift", "DataQuality"], nextRun: "2026-12-06T03:00:00.000Z",
      deploymentId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/onlineEndpoints/credit-endpoint/deployments/blue" });
    assert.equal(text, "Azure ML monitor blue-drift: enabled\nsignals: DataDrift, DataQuality\nnext run 2026-12-06 03:00 UTC on serverless Spark\nwatches credit-endpoint/blue");
    assert.match(monitorTooltip({ name: "m", enabled: false, signals: [] }), /^Azure ML monitor m: disabled\ndoes not run while disabled$/);
  });
});
