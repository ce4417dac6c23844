// The drift metrics against SciPy's numbers on the same data (test/fixtures/drift/golden.py wrote them),
// and the feature-level rules: types, thresholds, data quality, windows without values.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { binCounts, binEdges, chiSquared, jensenShannon, ksPValueExact, ksStatistic, normalizedWasserstein, psi, wasserstein } from "../../src/core/drift/metrics";
import { chiSquaredSurvival } from "../../src/core/drift/distributions";
import { compareFeature, inferKind, mergeSorted, type ColumnWindow } from "../../src/core/drift/compare";
import { releaseSortScratch, sortedNumbers, sortNumbersInPlace } from "../../src/core/table/sortKeys";
import { gatherNumbers } from "../../src/core/drift/gather";
import { EXACT_VALUES, NumberSketch } from "../../src/core/drift/sketch";
import { kolmogorovSf, ksPValueAsymptotic } from "../../src/core/drift/kolmogorov";

interface Golden {
  scipy: string;
  cases: Array<{ name: string; kind: "numerical" | "categorical"; reference: Array<number | string>; production: Array<number | string>; expected: Record<string, unknown> }>;
}

const golden = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", "drift", "golden.json"), "utf8")) as Golden;

function close(actual: number, expected: number, what: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) || Math.abs(actual - expected) <= 1e-14;
  assert.ok(ok, `${what}: ${actual} vs SciPy ${expected}`);
}

const sortedOf = (values: Array<number | string>) => Float64Array.from(values as number[]).sort();
const countsOf = (values: Array<number | string>, categories: string[]) => categories.map((c) => values.filter((v) => v === c).length);

describe(`drift metrics against SciPy ${golden.scipy}`, () => {
  for (const c of golden.cases.filter((c) => c.kind === "numerical")) {
    it(`numerical: ${c.name}`, () => {
      const ref = sortedOf(c.reference);
      const prod = sortedOf(c.production);
      const e = c.expected as Record<string, number> & { edges: number[]; referenceBins: number[]; productionBins: number[] };
      close(wasserstein(ref, prod), e.wasserstein, "Wasserstein");
      close(normalizedWasserstein(ref, prod), e.normalizedWasserstein, "normalized Wasserstein");
      assert.deepEqual(binEdges(ref, prod), e.edges, "bin edges");
      assert.deepEqual(binCounts(ref, e.edges), e.referenceBins, "reference bins");
      assert.deepEqual(binCounts(prod, e.edges), e.productionBins, "production bins");
      close(jensenShannon(e.referenceBins, e.productionBins), e.jensenShannon, "Jensen-Shannon");
      close(psi(e.referenceBins, e.productionBins, ref.length, prod.length), e.psi, "PSI");
      close(ksStatistic(ref, prod), e.ksStatistic, "KS statistic");
      // A p-value is 1 − (the probability of staying inside): both sides agree to ~1e-13 absolute, so a
      // vanishing p-value is compared absolutely.
      const p = ksPValueExact(ref.length, prod.length, ksStatistic(ref, prod));
      assert.ok(Math.abs(p - e.ksPValue) <= 1e-9 * e.ksPValue + 1e-12, `KS p-value: ${p} vs SciPy ${e.ksPValue}`);
    });
  }
  for (const c of golden.cases.filter((c) => c.kind === "categorical")) {
    it(`categorical: ${c.name}`, () => {
      const e = c.expected as Record<string, number> & { categories: string[]; referenceCounts: number[]; productionCounts: number[]; chiSquaredTest: string };
      const ref = countsOf(c.reference, e.categories);
      const prod = countsOf(c.production, e.categories);
      assert.deepEqual(ref, e.referenceCounts);
      assert.deepEqual(prod, e.productionCounts);
      close(jensenShannon(ref, prod), e.jensenShannon, "Jensen-Shannon");
      close(psi(ref, prod, c.reference.length, c.production.length), e.psi, "PSI");
      const test = chiSquared(ref, prod);
      assert.equal(test.test, e.chiSquaredTest);
      close(test.statistic, e.chiSquaredStatistic, "chi-squared statistic");
      close(test.pValue, e.chiSquaredPValue, "chi-squared p-value");
    });
  }

  it("the chi-squared tail at known points", () => {
    // Values from tables (and scipy.stats.chi2.sf): the 5% and 1% critical values.
    close(chiSquaredSurvival(3.841458820694124, 1), 0.05, "χ²(1) at 3.84");
    close(chiSquaredSurvival(11.070497693516351, 5), 0.05, "χ²(5) at 11.07");
    close(chiSquaredSurvival(37.56623478662507, 20), 0.01, "χ²(20) at 37.57");
    assert.equal(chiSquaredSurvival(0, 3), 1);
  });
});

function column(cells: string[]): ColumnWindow {
  const numbers: number[] = [];
  const texts = new Map<string, number>();
  let nulls = 0;
  let fractional = 0;
  for (const cell of cells) {
    if (cell === "") nulls += 1;
    else if (Number.isFinite(Number(cell))) {
      numbers.push(Number(cell));
      if (!Number.isInteger(Number(cell)) || /[.eE]/.test(cell)) fractional += 1;
    } else texts.set(cell, (texts.get(cell) ?? 0) + 1);
  }
  return { rows: cells.length, nulls, numbers: Float64Array.from(numbers), fractional, texts };
}

describe("feature drift", () => {
  it("types features as Azure ML does, the 5% integer rule both ways", () => {
    assert.equal(inferKind(column(["1.5", "2", "3"])), "numerical", "a float");
    assert.equal(inferKind(column(["a", "1", "2"])), "categorical", "strings");
    assert.equal(inferKind(column(["true", "false"])), "categorical", "booleans");
    const fewCodes = Array.from({ length: 1000 }, (_, i) => String(i % 49));
    const manyCodes = Array.from({ length: 1000 }, (_, i) => String(i % 50));
    assert.equal(inferKind(column(fewCodes)), "categorical", "49 distinct integers in 1,000 rows (4.9%)");
    assert.equal(inferKind(column(manyCodes)), "numerical", "50 distinct integers in 1,000 rows (5%)");
  });

  it("identical windows do not drift; nulls are left out of the metric and reported as quality", () => {
    const cells = Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? "" : String((i * 37) % 101 / 7)));
    const drift = compareFeature("x", column(cells), column(cells));
    assert.equal(drift.kind, "numerical");
    assert.equal(drift.value, 0);
    assert.equal(drift.drifted, false);
    assert.equal(drift.values.reference, 360);
    assert.equal(drift.quality.reference.nullRate, 0.1);
    assert.equal(drift.quality.production.outOfBoundsRate, 0);
  });

  it("a null burst on one side only, type errors and values out of the reference's range", () => {
    const reference = column(Array.from({ length: 100 }, (_, i) => String(i / 10)));
    const production = column([...Array.from({ length: 50 }, () => ""), "oops", "n/a?", "200.5", "-3.5", ...Array.from({ length: 46 }, (_, i) => String(i / 10))]);
    const drift = compareFeature("x", reference, production);
    assert.equal(drift.quality.reference.nullRate, 0);
    assert.equal(drift.quality.production.nullRate, 0.5);
    assert.equal(drift.quality.production.typeErrorRate, 0.02);
    assert.equal(drift.quality.production.outOfBoundsRate, 0.02);
    assert.equal(drift.values.production, 48);
  });

  it("a constant reference divides by the 0.001 floor", () => {
    const drift = compareFeature("c", column(Array.from({ length: 10 }, () => "2.5")), column(["2.5", "2.6"]));
    close(drift.metrics.normalizedWasserstein!, 0.05 / 0.001, "normalized by the floor");
    assert.equal(drift.drifted, true);
  });

  it("categories: a new one counts, is out of bounds, and the contingency test answers", () => {
    const reference = column([...Array(60).fill("a"), ...Array(40).fill("b")]);
    const production = column([...Array(30).fill("a"), ...Array(30).fill("b"), ...Array(40).fill("Zürich ✓")]);
    const drift = compareFeature("city", reference, production);
    assert.equal(drift.kind, "categorical");
    assert.equal(drift.metric, "jensenShannon");
    assert.equal(drift.chiSquaredTest, "contingency");
    assert.equal(drift.quality.production.outOfBoundsRate, 0.4);
    assert.equal(drift.drifted, true);
    assert.ok(drift.margin > 0);
    const asTest = compareFeature("city", reference, production, { metric: "chiSquaredPValue" });
    assert.equal(asTest.threshold, 0.05);
    assert.ok(asTest.drifted && asTest.value < 1e-6, String(asTest.value));
  });

  it("a window without values says so instead of a number", () => {
    const drift = compareFeature("x", column(["1.5", "2.5"]), column(["", ""]));
    assert.ok(Number.isNaN(drift.value));
    assert.equal(drift.drifted, false);
    assert.match(drift.problem ?? "", /production window has no values/);
  });
});

describe("sorting a window's numbers", () => {
  it("the radix sort orders exactly as the native sort: negatives, -0, ties, huge and tiny values", () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const special = [-0, 0, -1e308, 1e308, -5e-324, 5e-324, 0.1, -0.1, 3, 3, 3, Infinity, -Infinity];
    const values = Float64Array.from({ length: 50_000 }, (_, i) => (i < special.length ? special[i] : (next() - 0.4) * 10 ** Math.floor(next() * 12 - 6)));
    const expected = Float64Array.from(values).sort();
    const got = sortedNumbers(values);
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) assert.ok(Object.is(got[i], expected[i]), `at ${i}: ${got[i]} vs ${expected[i]}`);
    assert.deepEqual([...values.subarray(0, 3)], [-0, 0, -1e308], "the input is left as it was");
  });

  it("sorts a view in place, larger and smaller than the sort before it, leaving the rest of its array alone", () => {
    let state = 11;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    // A gatherer's numbers: an array with room to grow, its first `count` values sorted where they are.
    for (const count of [9_000, 70_000, 5_000, 3_000]) {
      const array = Float64Array.from({ length: count + 100 }, (_, i) => (i < count ? Math.round((next() - 0.5) * 2000) / 8 : 7777));
      const view = array.subarray(0, count);
      const expected = Float64Array.from(view).sort();
      sortNumbersInPlace(view);
      assert.deepEqual([...view], [...expected], `${count} values`);
      assert.ok(array.subarray(count).every((v) => v === 7777), "past the view untouched");
    }
    releaseSortScratch();
    const after = Float64Array.from({ length: 6_000 }, () => next() - 0.5);
    const expected = Float64Array.from(after).sort();
    sortNumbersInPlace(after);
    assert.deepEqual([...after], [...expected], "after the working arrays were let go");
  });

  it("merges any number of sorted parts into one sorted array, the parts left as they were", () => {
    let state = 5;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const count of [1, 2, 3, 5, 7, 8, 9, 28]) {
      const parts = Array.from({ length: count }, (_, k) => Float64Array.from({ length: k % 4 === 3 ? 0 : 1 + Math.floor(next() * 3000) }, () => Math.floor(next() * 500) - 250).sort());
      const copies = parts.map((p) => p.slice());
      const expected = Float64Array.from(parts.flatMap((p) => [...p])).sort();
      const merged = mergeSorted(parts);
      assert.deepEqual([...merged], [...expected], `${count} parts`);
      parts.forEach((p, k) => assert.deepEqual([...p], [...copies[k]], `part ${k} of ${count} unchanged`));
    }
  });
});

describe("windows too large to hold: the sketch", () => {
  it(`stays within 0.005 of SciPy on every metric at 5,000,000 values a window`, () => {
    const { n, expected } = (golden as unknown as { sketched: { n: number; expected: Record<string, number> } }).sketched;
    const reference = new Float64Array(n);
    const production = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const u = ((k + 1) * 0.6180339887498949) % 1;
      const v = ((k + 1) * 0.7548776662466927) % 1;
      reference[k] = 100 * u * u;
      production[k] = 5 + 85.5 * v * v + 10 * v;
    }
    const ref = gatherNumbers(reference);
    const prod = gatherNumbers(production);
    assert.ok(ref.sketch && prod.sketch && ref.numbers.length === 0, `past ${EXACT_VALUES.toLocaleString("en-US")} values the window is a sketch`);
    const drift = compareFeature("x", ref, prod);
    assert.ok(drift.approximate, "the result says it is approximate");
    assert.equal(drift.metrics.ksPValue, undefined, "no KS p-value from a sketch");
    for (const metric of ["normalizedWasserstein", "jensenShannon", "psi", "ksStatistic"] as const) {
      const got = drift.metrics[metric]!;
      assert.ok(Math.abs(got - expected[metric]) <= 0.005, `${metric}: ${got} vs SciPy ${expected[metric]} (exact values)`);
    }
  });

  it("merges sketches and exact windows, widening its range for values outside it", () => {
    const a = NumberSketch.of(Float64Array.from({ length: 1000 }, (_, i) => i / 10));
    a.add(-500);
    a.add(1e6);
    const b = NumberSketch.of(Float64Array.from([3, 4, 5]));
    a.merge(b);
    assert.equal(a.total, 1005);
    assert.equal(a.min, -500);
    assert.equal(a.max, 1e6);
    const values = [...a.buckets()].map(([v]) => v);
    assert.deepEqual(values, [...values].sort((x, y) => x - y), "buckets ascending");
    assert.ok(a.resolution <= 2 ** Math.ceil(Math.log2(1e6 + 500)) / 2 ** 19, "one doubling past the range");
  });
});

describe("the KS p-value past 10,000 values a window (SciPy's asymptotic route)", () => {
  const data = golden as unknown as { kolmogorov: Array<[number, number, number]>; largeKs: Array<{ n1: number; n2: number; shift: number; ksStatistic: number; ksPValue: number }> };

  it(`the one-sample tail equals scipy.stats.kstwo.sf at ${data.kolmogorov.length} points across its methods`, () => {
    for (const [n, x, expected] of data.kolmogorov) {
      const got = kolmogorovSf(n, x);
      assert.ok(Math.abs(got - expected) <= 1e-9 * Math.abs(expected) + 1e-14, `n=${n} x=${x}: ${got} vs SciPy ${expected}`);
    }
  });

  it("ks_2samp's p-value on large windows", () => {
    for (const c of data.largeKs) {
      const u = Float64Array.from({ length: c.n1 }, (_, i) => ((i + 1) * 0.6180339887498949) % 1).sort();
      const v = Float64Array.from({ length: c.n2 }, (_, i) => c.shift + (((i + 1) * 0.7548776662466927) % 1)).sort();
      const d = ksStatistic(u, v);
      close(d, c.ksStatistic, `KS statistic ${c.n1}×${c.n2}`);
      const p = ksPValueAsymptotic(c.n1, c.n2, d);
      assert.ok(Math.abs(p - c.ksPValue) <= 1e-9 * c.ksPValue + 1e-14, `KS p-value ${c.n1}×${c.n2}: ${p} vs SciPy ${c.ksPValue}`);
    }
  });
});
