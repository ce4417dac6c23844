// The production window folded in day by day (its days are not kept to the end) against the plain way:
// every row in one window for the report, each day gathered on its own for the timeline. The measuring
// half runs on the reading thread and on its own thread (measureWorker.js): the same result either way.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { BucketedGatherer, WindowGatherer } from "../../src/core/drift/gather";
import { buildResult, type CompareOptions, type CompareResult, type GatheredWindow } from "../../src/core/drift/report";
import type { WindowParcel } from "../../src/core/drift/measure";
import { LocalMeasurer, ThreadMeasurer, type Measurer } from "../../src/engine/measurers";
import { compareFeature } from "../../src/core/drift/compare";
import { EXACT_VALUES } from "../../src/core/drift/sketch";

const COLUMNS = ["time", "income", "segment", "score", "late"];
const isFeature = (i: number) => i > 0 && i < COLUMNS.length;
const noTurn = () => Promise.resolve();

/** Rows of one day: income drifts upward day by day, segment gains a category, `late` appears on day 2. */
function dayRows(day: number, count: number): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const income = String(((i * 7919 + day * 104729) % 5000) / 10 + day * 40);
    const segment = i % 11 === 0 ? "" : ["a", "b", "c", day > 1 ? "d" : "a"][i % 4];
    const score = String((i * 31 + day) % 97);
    const row = [`2030-01-0${day + 1}T00:00:00`, income, segment, score];
    return day >= 2 ? [...row, i % 5 === 0 ? "NaN" : String(i % 7)] : row;
  });
}

function windowOf(gatherer: { window(i: number): ReturnType<WindowGatherer["window"]>; rows: number }, extra: Partial<GatheredWindow> = {}): GatheredWindow {
  return { summary: { label: "w", files: 1, rows: gatherer.rows, bytes: 0 }, columns: COLUMNS, notices: [], column: (i) => gatherer.window(i), ...extra };
}

const MEASURE_WORKER = join(__dirname, "..", "..", "measureWorker.js");

/** A gathered window as the reading thread hands it over (its arrays move when the measurer is a thread). */
function parcelOf(gatherer: WindowGatherer): WindowParcel {
  return { summary: { label: "w", files: 1, rows: gatherer.rows, bytes: 0 }, rows: gatherer.rows, columns: COLUMNS, notices: [],
    windows: gatherer.featureIndexes().map((i) => [i, gatherer.window(i)]) };
}

/** The compare of `reference` (rows) against `days` (rows each), the production window handed over day by day. */
async function folded(measurer: Measurer, reference: string[][], days: string[][][]): Promise<CompareResult> {
  try {
    const ref = new WindowGatherer(isFeature);
    for (const row of reference) ref.textRow(row);
    measurer.reference(parcelOf(ref));
    const buckets = days.map((_, d) => `2030-01-0${d + 1}`);
    const gatherer = new BucketedGatherer(buckets, isFeature, (bucket, day) =>
      measurer.day({ bucket, rows: day.rows, columns: COLUMNS, windows: day.featureIndexes().map((i) => [i, day.window(i)]) }));
    for (const [d, rows] of days.entries()) {
      await gatherer.beginFile(d);
      for (const row of rows) gatherer.textRow(row);
    }
    await gatherer.end();
    return await measurer.result({ summary: { label: "w", files: days.length, rows: gatherer.rows, bytes: 0 }, columns: COLUMNS, notices: [] });
  } finally {
    measurer.close();
  }
}

const local = (options: CompareOptions) => new LocalMeasurer(options, noTurn);
const thread = (options: CompareOptions) => new ThreadMeasurer(MEASURE_WORKER, options);

describe("production window folded day by day", () => {
  it("gives the report of one window of every row, and each day's timeline point as that day alone gives it", async () => {
    const referenceRows = dayRows(0, 3000).map((row) => [...row, "1"]);
    const ref = new WindowGatherer(isFeature);
    for (const row of referenceRows) ref.textRow(row);
    const reference = windowOf(ref);
    const days = [0, 1, 2, 3].map((d) => dayRows(d, 2500 + d * 100));
    const options: CompareOptions = { perFeature: { score: { metric: "psi" } } };
    const result = await folded(local(options), referenceRows, days);
    const whole = new WindowGatherer(isFeature);
    for (const row of days.flat()) whole.textRow(row);
    const plain = buildResult(reference, windowOf(whole), options);
    assert.deepEqual(result.features.map(({ timeline: _, ...f }) => f), plain.features);
    assert.deepEqual(await folded(thread(options), referenceRows, days), result, "measured on its own thread");
    assert.equal(result.production.rows, days.flat().length);
    for (const feature of result.features) {
      assert.deepEqual(feature.timeline?.map((t) => t.bucket), ["2030-01-01", "2030-01-02", "2030-01-03", "2030-01-04"]);
      days.forEach((rows, d) => {
        const alone = new WindowGatherer(isFeature);
        for (const row of rows) alone.textRow(row);
        const j = COLUMNS.indexOf(feature.name);
        const value = compareFeature(feature.name, reference.column(j), alone.window(j), { kind: feature.kind, metric: feature.metric, threshold: feature.threshold, metricOnly: true }).value;
        assert.equal(feature.timeline![d].value, Number.isFinite(value) ? value : null, `${feature.name} on day ${d}`);
        assert.equal(feature.timeline![d].rows, rows.length);
      });
    }
    const income = result.features.find((f) => f.name === "income")!;
    assert.ok(income.timeline![3].value! > income.timeline![0].value!, "the drift grows day by day");
    assert.equal(result.features.find((f) => f.name === "late")!.timeline![0].value, null, "no value before the column existed");
  });

  it(`goes on in one sketch past ${EXACT_VALUES.toLocaleString("en-US")} values, its metrics as close to the exact ones as a sketch promises`, async () => {
    const referenceRows = Array.from({ length: 20_000 }, (_, i) => ["t", String((i * 7919) % 10007 / 7)]);
    const ref = new WindowGatherer(isFeature);
    for (const row of referenceRows) ref.textRow(row);
    const reference = windowOf(ref);
    // Three days of 300,000 values, then one of 1,050,000 (a sketch of its own): the fourth crosses the exact limit.
    const days = [0, 1, 2, 3].map((d) => Array.from({ length: d === 3 ? 1_050_000 : 300_000 }, (_, i) => ["t", String(((i * 104729 + d) % 10007) / 7 + d * 3)]));
    const result = await folded(local({}), referenceRows, days);
    // The day that is a sketch crosses to the measuring thread as one.
    assert.deepEqual(await folded(thread({}), referenceRows, days), result, "measured on its own thread");
    const income = result.features.find((f) => f.name === "income")!;
    assert.ok(income.approximate, "a sketch past the limit");
    assert.equal(income.values.production, 1_950_000);
    // The exact metric from all values, sorted once, as the metrics module computes it over arrays.
    const all = Float64Array.from(days.flat().map((r) => Number(r[1]))).sort();
    const exact = compareFeature("income", reference.column(1), { rows: all.length, nulls: 0, numbers: all, fractional: all.length, texts: new Map() }, { metric: income.metric, metricOnly: true }).value;
    assert.ok(Math.abs(income.value - exact) <= 0.005, `${income.value} vs exact ${exact}`);
  });
});
