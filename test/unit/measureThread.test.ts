// A compare's measuring thread when things go wrong: a failure there reaches the compare as an error that
// says what happened (never a compare that waits forever), and every step after it fails the same way.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ThreadMeasurer } from "../../src/engine/measurers";
import type { DayParcel } from "../../src/core/drift/measure";

const MEASURE_WORKER = join(__dirname, "..", "..", "measureWorker.js");

const day = (values: number[]): DayParcel => ({ bucket: "2030-01-01", rows: values.length, columns: ["x"],
  windows: [[0, { rows: values.length, nulls: 0, numbers: Float64Array.from(values), fractional: 0, texts: new Map(), overflowTexts: 0 }]] });

describe("a compare's measuring thread", () => {
  it("answers a step it cannot take with its error, and every later step with the same", async () => {
    const measurer = new ThreadMeasurer(MEASURE_WORKER, {});
    try {
      // A day before any reference: the measuring side refuses it.
      await assert.rejects(measurer.day(day([1, 2, 3])), /measured before the reference/);
      await assert.rejects(measurer.result({ summary: { label: "w", files: 1, rows: 3, bytes: 0 }, columns: ["x"], notices: [] }), /measured before the reference/);
    } finally {
      measurer.close();
    }
  });

  it("a thread that ends fails the days waiting on it, saying so", async () => {
    const script = join(mkdtempSync(join(tmpdir(), "measure-")), "dies.js");
    writeFileSync(script, 'require("node:worker_threads").parentPort.once("message", () => { throw new Error("boom in the measuring thread"); });');
    const measurer = new ThreadMeasurer(script, {});
    try {
      await assert.rejects(measurer.day(day([1])), /The compare's measuring thread stopped \(boom in the measuring thread\)/);
      await assert.rejects(measurer.day(day([2])), /boom in the measuring thread/, "later steps fail the same way");
    } finally {
      measurer.close();
    }
  });

  it("a close (a cancel) fails what waits on the thread at once, with the cancel's error", async () => {
    const measurer = new ThreadMeasurer(MEASURE_WORKER, {});
    const parcel = day([3, 1, 2]);
    measurer.reference({ ...parcel, summary: { label: "r", files: 1, rows: 3, bytes: 0 }, notices: [] });
    const waiting = measurer.day(day(Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 1000)));
    measurer.close(new Error("cancelled by the user"));
    await assert.rejects(waiting, /cancelled by the user/);
    await assert.rejects(measurer.result({ summary: { label: "p", files: 1, rows: 2, bytes: 0 }, columns: ["x"], notices: [] }), /cancelled by the user/);
  });

  it("moves the values' memory rather than copying it", async () => {
    const measurer = new ThreadMeasurer(MEASURE_WORKER, {});
    try {
      const parcel = day([3, 1, 2]);
      const numbers = parcel.windows[0][1].numbers;
      measurer.reference({ ...parcel, summary: { label: "r", files: 1, rows: 3, bytes: 0 }, notices: [] });
      assert.equal(numbers.length, 0, "the reference's array went to the measuring thread");
      await measurer.day(day([5, 4]));
      const result = await measurer.result({ summary: { label: "p", files: 1, rows: 2, bytes: 0 }, columns: ["x"], notices: [] });
      assert.deepEqual(result.features.map((f) => [f.name, f.values]), [["x", { reference: 3, production: 2 }]]);
    } finally {
      measurer.close();
    }
  });
});
