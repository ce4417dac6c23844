// The demo's sample data tells the story a new user should see: three input features of the churn service
// drift during the last week, its predictions follow, and nothing else drifts. Computed by the same engine
// thread the extension uses, over the demo's own generated files.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { buildScenario, DEFAULT_SCENARIO, demoDrift } from "../fixtures/scenario";
import { legacyBlobs } from "../fixtures/legacyData";
import { currentBlobs } from "../fixtures/currentData";
import { runCompare } from "../../src/engine/compareClient";
import type { BlobGateway } from "../../src/core/gateways";
import type { PreviewFile } from "../../src/reading/previewFile";
import type { GeneratedBlob } from "../fixtures/generate";

const WORKER = join(__dirname, "..", "..", "previewWorker.js");
const END = "2026-11-30";
const scenario = buildScenario({ ...DEFAULT_SCENARIO, days: 14, rowsPerFile: 200, services: 3, endDate: END, drift: demoDrift(END) });

function file(blob: GeneratedBlob): PreviewFile {
  const bytes = Buffer.from(blob.content);
  const blobs = {
    accountName: "demo",
    readRange: async (_c: string, _n: string, offset: number, count: number) => bytes.subarray(offset, offset + count),
    openStream: async () => ({ stream: Readable.from([bytes]), contentLength: bytes.length }),
  } as unknown as BlobGateway;
  return { blobs, container: blob.container, name: blob.name, size: bytes.length, label: blob.name };
}

function window(blobs: GeneratedBlob[], match: RegExp, dates: string[], format: "csv" | "jsonl") {
  const files = blobs.filter((b) => match.test(b.name) && dates.some((d) => b.name.includes(d.replace(/-/g, "/")))).map(file);
  assert.ok(files.length > 0, `files for ${match}`);
  return { label: `${dates[0]}..${dates[dates.length - 1]}`, files, format };
}

const production = scenario.dates.slice(-7);
const reference = scenario.dates.slice(-14, -7);

describe("the demo's sample data", () => {
  it("churn service: three inputs drift in the last week, predictions follow, nothing else", async () => {
    const legacy = [...legacyBlobs(scenario)];
    const compare = (identifier: string) => runCompare({
      worker: new Worker(WORKER),
      reference: window(legacy, new RegExp(`/churn-aks-v1/churn_model/\\d+/${identifier}/`), reference, "csv"),
      production: window(legacy, new RegExp(`/churn-aks-v1/churn_model/\\d+/${identifier}/`), production, "csv"),
      maxColumns: 200, parallelRanges: 4, rangeBytes: 4 << 20,
    });
    const inputs = await compare("inputs");
    assert.deepEqual([...inputs.drifted].sort(), ["contract", "monthly_charges", "total_charges"]);
    assert.equal(inputs.features.length, 6);
    const predictions = await compare("predictions");
    assert.deepEqual(predictions.drifted, ["churn_probability"]);
  });

  it("credit deployment: three inputs drift, the score follows", async () => {
    const current = [...currentBlobs(scenario)];
    const compare = (collection: string) => runCompare({
      worker: new Worker(WORKER),
      reference: window(current, new RegExp(`/credit-endpoint/blue/${collection}/`), reference, "jsonl"),
      production: window(current, new RegExp(`/credit-endpoint/blue/${collection}/`), production, "jsonl"),
      maxColumns: 200, parallelRanges: 4, rangeBytes: 4 << 20,
    });
    const inputs = await compare("model_inputs");
    assert.deepEqual([...inputs.drifted].sort(), ["income", "loan_amount", "purpose"]);
    const outputs = await compare("model_outputs");
    assert.deepEqual(outputs.drifted, ["score"]);
  });
});
