// One feature's drift and data quality between a reference and a production window, from what the engine
// gathered for each window (every value of both: exact, not sampled). Types as Azure ML infers them,
// metrics and default thresholds as its model monitoring uses them.
import { isCategoricalMetric, isNumericalMetric, P_VALUE_METRICS, type CategoricalMetric, type DriftMetric, type NumericalMetric } from "./metricNames";
import { binCounts, binEdges, chiSquared, jensenShannon, KS_EXACT_LIMIT, ksPValueExact, ksStatistic, normalizedWasserstein, psi, sampleStd, STD_FLOOR,
  weightedBinCounts, weightedBinEdges, weightedKs, weightedStd, weightedWasserstein } from "./metrics";
import { mergeScratch, sortedNumbers } from "../table/sortKeys";
import { ksPValueAsymptotic } from "./kolmogorov";
import { weightedOf, type NumberSketch, type Weighted } from "./sketch";

export type FeatureKind = "numerical" | "categorical";
export type { CategoricalMetric, DriftMetric, NumericalMetric } from "./metricNames";
export { P_VALUE_METRICS } from "./metricNames";



export interface DriftDefaults {
  numerical: { metric: NumericalMetric; threshold: number };
  categorical: { metric: CategoricalMetric; threshold: number };
}

/** Azure ML monitoring's defaults (the SDK's): normalized Wasserstein 0.1, Jensen-Shannon 0.1. */
export const DEFAULTS: DriftDefaults = {
  numerical: { metric: "normalizedWasserstein", threshold: 0.1 },
  categorical: { metric: "jensenShannon", threshold: 0.1 },
};

/** What the engine gathers about one column in one window. */
export interface ColumnWindow {
  rows: number;
  /** Empty cells and the words pandas and JSON write for a missing value. */
  nulls: number;
  /** Every cell that reads as a number, in any order. */
  numbers: Float64Array;
  /** How many of those have a fraction or an exponent (a float column, as a schema would say). */
  fractional: number;
  /** Cells that are not numbers, by value. */
  texts: Map<string, number>;
  /** Set when the window had too many numbers to hold: then every number is here and `numbers` is empty. */
  sketch?: NumberSketch;
}

export interface FeatureQuality {
  nullRate: number;
  /** Cells that are not of the feature's reference type. */
  typeErrorRate: number;
  /** Numbers outside the reference's min..max; categories the reference never had. */
  outOfBoundsRate: number;
}

/** What the report draws: both windows' distributions (and, for numbers, their empirical CDFs). */
export type FeatureChart =
  | { kind: "numerical"; edges: number[]; reference: number[]; production: number[]; ecdf: { reference: Array<[number, number]>; production: Array<[number, number]> } }
  | { kind: "categorical"; categories: string[]; reference: number[]; production: number[]; other: { reference: number; production: number; categories: number } };

/** Categories a chart shows by name; the rest are summed as "other". */
export const CHART_CATEGORIES = 12;
const ECDF_POINTS = 65;

export interface FeatureDrift {
  name: string;
  kind: FeatureKind;
  /** Rows that count for the metrics (nulls and type errors left out), per window. */
  values: { reference: number; production: number };
  metrics: Partial<Record<DriftMetric, number>>;
  /** Which chi-squared test gave chiSquaredPValue. */
  chiSquaredTest?: "goodness-of-fit" | "contingency";
  metric: DriftMetric;
  threshold: number;
  value: number;
  drifted: boolean;
  /** How far past (positive) or short of (negative) its threshold, relative to it. */
  margin: number;
  quality: { reference: FeatureQuality; production: FeatureQuality };
  chart?: FeatureChart;
  /** Computed from a sketch (a window past EXACT_VALUES values): how many values, and how far one may be off. */
  approximate?: { values: number; resolution: number };
  /** The feature's metric per day (or hour) of the production window against the whole reference. */
  timeline?: Array<{ bucket: string; value: number | null; rows: number }>;
  /** Why no metric could be computed (a window without values). */
  problem?: string;
  /** Why the feature has its type (the 5% rule, text, fractions, a choice, or an earlier report's type). */
  kindReason?: string;
}

export interface FeatureOptions {
  kind?: FeatureKind;
  /** Why `kind` was given (a type remembered from an earlier report of the collection, say). */
  kindReason?: string;
  metric?: DriftMetric;
  threshold?: number;
  /** Only the chosen metric (a timeline's point): no other metrics, no chart. */
  metricOnly?: boolean;
}

/** Azure ML's rule: float → numerical; string, bool, date → categorical; integer → categorical when its
 * distinct values are under 5% of its rows, else numerical. */
export function inferKind(column: ColumnWindow): FeatureKind {
  if (column.texts.size > 0 || (column.numbers.length === 0 && !column.sketch)) return "categorical";
  if (column.fractional > 0) return "numerical";
  if (column.sketch) return column.sketch.resolution <= 1 && [...column.sketch.buckets()].length < 0.05 * column.sketch.total ? "categorical" : "numerical";
  return distinctCount(sorted(column.numbers)) < 0.05 * column.numbers.length ? "categorical" : "numerical";
}

/** The type Azure ML would give a feature (judged on the reference, as its monitors do), with why in words. */
export function inferKindWithReason(reference: ColumnWindow): { kind: FeatureKind; reason?: string } {
  const kind = inferKind(reference);
  if (reference.texts.size > 0) return { kind, reason: "text values in the reference" };
  if (reference.numbers.length === 0 && !reference.sketch) return { kind };
  if (reference.fractional > 0) return { kind, reason: "numbers with fractions" };
  if (reference.sketch) return { kind, reason: `integers, counted approximately over ${reference.sketch.total.toLocaleString("en-US")} reference values (5% rule): ${kind}` };
  const distinct = distinctCount(sorted(reference.numbers));
  const share = distinct / reference.numbers.length;
  const percent = share < 0.001 ? "<0.1" : (share * 100).toFixed(share < 0.1 ? 1 : 0);
  return { kind, reason: `integers: ${distinct.toLocaleString("en-US")} distinct of ${reference.numbers.length.toLocaleString("en-US")} reference values (${percent}% ${kind === "categorical" ? "<" : "≥"} 5%, Azure ML's rule): ${kind}` };
}

export function compareFeature(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions = {}, defaults: DriftDefaults = DEFAULTS): FeatureDrift {
  const inferred = options.kind ? { kind: options.kind, reason: options.kindReason ?? "chosen for this feature" } : inferKindWithReason(reference);
  const result = inferred.kind === "numerical" ? numerical(name, reference, production, options, defaults) : categorical(name, reference, production, options, defaults);
  return inferred.reason ? { ...result, kindReason: inferred.reason } : result;
}

/** The threshold a metric gets unless one is given: the default's for the default metric, else 0.05 for a p-value, 0.1 for a distance. */
function thresholdFor(metric: DriftMetric, given: number | undefined, fallback: { metric: DriftMetric; threshold: number }): number {
  if (given !== undefined) return given;
  if (metric === fallback.metric) return fallback.threshold;
  return P_VALUE_METRICS.has(metric) ? 0.05 : 0.1;
}

function numerical(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions, defaults: DriftDefaults): FeatureDrift {
  if (reference.sketch || production.sketch) return numericalFromSketches(name, reference, production, options, defaults);
  const ref = sorted(reference.numbers);
  const prod = sorted(production.numbers);
  const low = ref[0];
  const high = ref[ref.length - 1];
  // prod is sorted: the values outside the reference's range are at its two ends.
  let outside = 0;
  for (let i = 0; i < prod.length && prod[i] < low; i++) outside += 1;
  for (let i = prod.length - 1; i >= 0 && prod[i] > high; i--) outside += 1;
  const quality = numericalQuality(reference, production, ref.length > 0 ? outside : 0);
  // A categorical metric asked of a numerical feature falls back to the numerical default.
  const metric = options.metric && isNumericalMetric(options.metric) ? options.metric : defaults.numerical.metric;
  const threshold = thresholdFor(metric, options.metric === undefined || options.metric === metric ? options.threshold : undefined, defaults.numerical);
  const base = { name, kind: "numerical" as const, values: { reference: ref.length, production: prod.length }, metric, threshold, quality };
  if (ref.length === 0 || prod.length === 0) return { ...base, metrics: {}, value: NaN, drifted: false, margin: NaN, problem: emptyWindow(ref.length, prod.length) };
  if (options.metricOnly && metric === "normalizedWasserstein") {
    const value = normalizedWasserstein(ref, prod, standardDeviation(ref));
    return judged({ ...base, metrics: { normalizedWasserstein: value } }, { normalizedWasserstein: value });
  }
  if (options.metricOnly && metric === "ksStatistic") return judged({ ...base, metrics: { ksStatistic: ksStatistic(ref, prod) } }, { ksStatistic: ksStatistic(ref, prod) });
  const edges = binEdges(ref, prod);
  const refBins = binCounts(ref, edges);
  const prodBins = binCounts(prod, edges);
  const metrics: Partial<Record<DriftMetric, number>> = {
    normalizedWasserstein: normalizedWasserstein(ref, prod, standardDeviation(ref)),
    jensenShannon: jensenShannon(refBins, prodBins),
    psi: psi(refBins, prodBins, ref.length, prod.length),
    ksStatistic: ksStatistic(ref, prod),
  };
  // As SciPy's ks_2samp: exact up to 10,000 values a window (Azure ML refuses larger ones), asymptotic past it.
  metrics.ksPValue = Math.max(ref.length, prod.length) <= KS_EXACT_LIMIT ? ksPValueExact(ref.length, prod.length, metrics.ksStatistic as number)
    : ksPValueAsymptotic(ref.length, prod.length, metrics.ksStatistic as number);
  const chart: FeatureChart = { kind: "numerical", edges, reference: refBins, production: prodBins, ecdf: { reference: ecdf(ref), production: ecdf(prod) } };
  return judged({ ...base, metrics, chart }, metrics);
}

/** A numerical feature's data quality: text cells are type errors; `outside` production values left the reference's range. */
function numericalQuality(reference: ColumnWindow, production: ColumnWindow, outside: number): { reference: FeatureQuality; production: FeatureQuality } {
  return {
    reference: { nullRate: rate(reference.nulls, reference.rows), typeErrorRate: rate(countOf(reference.texts), reference.rows), outOfBoundsRate: 0 },
    production: { nullRate: rate(production.nulls, production.rows), typeErrorRate: rate(countOf(production.texts), production.rows), outOfBoundsRate: rate(outside, production.rows) },
  };
}

/** The numerical metrics over a window too large to hold (see sketch.ts): no KS p-value, said in the result. */
function numericalFromSketches(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions, defaults: DriftDefaults): FeatureDrift {
  const weightedOfWindow = (w: ColumnWindow): Weighted => (w.sketch ? w.sketch.weighted() : weightedOf(sorted(w.numbers)));
  const ref = weightedOfWindow(reference);
  const prod = weightedOfWindow(production);
  const low = ref.values[0];
  const high = ref.values[ref.values.length - 1];
  let outside = 0;
  for (let i = 0; i < prod.values.length; i++) if (prod.values[i] < low || prod.values[i] > high) outside += prod.weights[i];
  const quality = numericalQuality(reference, production, ref.total > 0 ? outside : 0);
  const metric = options.metric && isNumericalMetric(options.metric) && options.metric !== "ksPValue" ? options.metric : defaults.numerical.metric === "ksPValue" ? "ksStatistic" : defaults.numerical.metric;
  const threshold = thresholdFor(metric, options.metric === undefined || options.metric === metric ? options.threshold : undefined, defaults.numerical);
  const approximate = { values: Math.max(ref.total, prod.total), resolution: Math.max(reference.sketch?.resolution ?? 0, production.sketch?.resolution ?? 0) };
  const base = { name, kind: "numerical" as const, values: { reference: ref.total, production: prod.total }, metric, threshold, quality, approximate };
  if (ref.total === 0 || prod.total === 0) return { ...base, metrics: {}, value: NaN, drifted: false, margin: NaN, problem: emptyWindow(ref.total, prod.total) };
  const edges = weightedBinEdges(ref, prod);
  const refBins = weightedBinCounts(ref, edges);
  const prodBins = weightedBinCounts(prod, edges);
  const metrics: Partial<Record<DriftMetric, number>> = {
    normalizedWasserstein: weightedWasserstein(ref, prod) / Math.max(weightedStd(ref), STD_FLOOR),
    jensenShannon: jensenShannon(refBins, prodBins),
    psi: psi(refBins, prodBins, ref.total, prod.total),
    ksStatistic: weightedKs(ref, prod),
  };
  const ecdfOf = (w: Weighted): Array<[number, number]> => {
    const points: Array<[number, number]> = [];
    let seen = 0;
    let next = 0;
    for (let i = 0; i < w.values.length; i++) {
      seen += w.weights[i];
      if (seen / w.total >= next / (ECDF_POINTS - 1) || i === w.values.length - 1) {
        points.push([w.values[i], seen / w.total]);
        while (next / (ECDF_POINTS - 1) <= seen / w.total) next += 1;
      }
    }
    return points;
  };
  const chart: FeatureChart = { kind: "numerical", edges, reference: refBins, production: prodBins, ecdf: { reference: ecdfOf(ref), production: ecdfOf(prod) } };
  return judged({ ...base, metrics, chart }, metrics);
}

function categorical(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions, defaults: DriftDefaults): FeatureDrift {
  const ref = categories(reference);
  const prod = categories(production);
  // The union of both windows' categories: one seen in only one window counts everywhere else as 0.
  const names = [...new Set([...ref.keys(), ...prod.keys()])].sort();
  const refCounts = names.map((c) => ref.get(c) ?? 0);
  const prodCounts = names.map((c) => prod.get(c) ?? 0);
  const refValues = countOf(ref);
  const prodValues = countOf(prod);
  // A category column whose reference is numbers (integer codes) calls a text cell a type error.
  const numericReference = reference.texts.size === 0 && reference.numbers.length > 0;
  let unseen = 0;
  for (const [category, count] of prod) if (!ref.has(category)) unseen += count;
  const quality = {
    reference: { nullRate: rate(reference.nulls, reference.rows), typeErrorRate: 0, outOfBoundsRate: 0 },
    production: { nullRate: rate(production.nulls, production.rows), typeErrorRate: numericReference ? rate(countOf(production.texts), production.rows) : 0, outOfBoundsRate: refValues ? rate(unseen, production.rows) : 0 },
  };
  const metric = options.metric && isCategoricalMetric(options.metric) ? options.metric : defaults.categorical.metric;
  const threshold = thresholdFor(metric, options.metric === undefined || options.metric === metric ? options.threshold : undefined, defaults.categorical);
  const base = { name, kind: "categorical" as const, values: { reference: refValues, production: prodValues }, metric, threshold, quality };
  if (refValues === 0 || prodValues === 0) return { ...base, metrics: {}, value: NaN, drifted: false, margin: NaN, problem: emptyWindow(refValues, prodValues) };
  const test = chiSquared(refCounts, prodCounts);
  const metrics: Partial<Record<DriftMetric, number>> = {
    jensenShannon: jensenShannon(refCounts, prodCounts),
    psi: psi(refCounts, prodCounts, refValues, prodValues),
    chiSquaredPValue: test.pValue,
  };
  const top = names.map((c, i) => ({ c, i, n: refCounts[i] + prodCounts[i] })).sort((a, b) => b.n - a.n || (a.c < b.c ? -1 : 1)).slice(0, CHART_CATEGORIES);
  const shown = new Set(top.map((t) => t.i));
  const rest = (counts: number[]) => counts.reduce((s, v, i) => s + (shown.has(i) ? 0 : v), 0);
  const chart: FeatureChart = { kind: "categorical", categories: top.map((t) => t.c), reference: top.map((t) => refCounts[t.i]), production: top.map((t) => prodCounts[t.i]),
    other: { reference: rest(refCounts), production: rest(prodCounts), categories: names.length - top.length } };
  return judged({ ...base, metrics, chiSquaredTest: test.test, chart }, metrics);
}

function judged<T extends { metric: DriftMetric; threshold: number }>(feature: T, metrics: Partial<Record<DriftMetric, number>>): T & { value: number; drifted: boolean; margin: number } {
  const value = metrics[feature.metric] ?? NaN;
  const isTest = P_VALUE_METRICS.has(feature.metric);
  const drifted = isTest ? value < feature.threshold : value > feature.threshold;
  // A distance's margin is how far above its threshold; a p-value's how far below.
  const margin = feature.threshold === 0 ? (drifted ? Infinity : -Infinity) : isTest ? (feature.threshold - value) / feature.threshold : (value - feature.threshold) / feature.threshold;
  return { ...feature, value, drifted, margin };
}

/** A column's values as categories: numbers by their value (1 and 1.0 are one category), texts as written. */
function categories(column: ColumnWindow): Map<string, number> {
  const out = new Map(column.texts);
  for (const [value, count] of column.sketch?.buckets() ?? []) out.set(String(value), (out.get(String(value)) ?? 0) + count);
  for (const v of column.numbers) {
    const key = String(v);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function emptyWindow(reference: number, production: number): string {
  const which = reference === 0 && production === 0 ? "Neither window has values" : reference === 0 ? "The reference window has no values" : "The production window has no values";
  return `${which} for this feature (every cell empty or not of its type): choose dates that hold data for it.`;
}

/** The empirical CDF at evenly spaced quantiles: enough points to draw, not every value. */
function ecdf(sortedValues: Float64Array): Array<[number, number]> {
  const n = sortedValues.length;
  if (n <= ECDF_POINTS) return Array.from(sortedValues, (v, i) => [v, (i + 1) / n]);
  return Array.from({ length: ECDF_POINTS }, (_, k) => {
    const i = Math.round((k / (ECDF_POINTS - 1)) * (n - 1));
    return [sortedValues[i], (i + 1) / n];
  });
}

/** Sorted copies, made once per array: the timeline compares every day with the same reference. */
const sortedCopies = new WeakMap<Float64Array, Float64Array>();

const deviations = new WeakMap<Float64Array, number>();

/** The sample standard deviation of a (sorted) reference, computed once: every day of a timeline uses it. */
function standardDeviation(values: Float64Array): number {
  let std = deviations.get(values);
  if (std === undefined) {
    std = sampleStd(values);
    deviations.set(values, std);
  }
  return std;
}

/** Tells sorted() what `values` sorted is (the production window from its sorted days). */
export function knownSorted(values: Float64Array, sortedValues: Float64Array): void {
  sortedCopies.set(values, sortedValues);
}

/**
 * Sorted arrays merged into one, two at a time: the levels between in reused working memory, only the last
 * into the new array (an array per level cost more in fresh memory's page faults than the merging).
 */
export function mergeSorted(parts: Float64Array[]): Float64Array {
  const runs = parts.filter((p) => p.length > 0);
  if (runs.length === 0) return new Float64Array(0);
  if (runs.length === 1) return runs[0];
  const total = runs.reduce((sum, r) => sum + r.length, 0);
  const out = new Float64Array(total);
  if (runs.length === 2) {
    mergeRuns(runs[0], 0, runs[0].length, runs[1], 0, runs[1].length, out, 0);
    return out;
  }
  let [from, to] = mergeScratch(total);
  let bounds = [0];
  for (const run of runs) {
    from.set(run, bounds[bounds.length - 1]);
    bounds.push(bounds[bounds.length - 1] + run.length);
  }
  while (bounds.length > 3) {
    const next = [0];
    for (let k = 0; k + 1 < bounds.length; k += 2) {
      if (k + 2 < bounds.length) mergeRuns(from, bounds[k], bounds[k + 1], from, bounds[k + 1], bounds[k + 2], to, bounds[k]);
      else to.set(from.subarray(bounds[k], bounds[k + 1]), bounds[k]);
      next.push(bounds[Math.min(k + 2, bounds.length - 1)]);
    }
    [from, to] = [to, from];
    bounds = next;
  }
  mergeRuns(from, 0, bounds[1], from, bounds[1], bounds[2], out, 0);
  return out;
}

/** a[i, iEnd) and b[j, jEnd) merged into out from o. */
function mergeRuns(a: Float64Array, i: number, iEnd: number, b: Float64Array, j: number, jEnd: number, out: Float64Array, o: number): void {
  while (i < iEnd && j < jEnd) out[o++] = a[i] <= b[j] ? a[i++] : b[j++];
  if (i < iEnd) out.set(a.subarray(i, iEnd), o);
  else if (j < jEnd) out.set(b.subarray(j, jEnd), o);
}

export function sorted(values: Float64Array): Float64Array {
  let copy = sortedCopies.get(values);
  if (!copy) {
    copy = sortedNumbers(values);
    sortedCopies.set(values, copy);
  }
  return copy;
}

function distinctCount(sortedValues: Float64Array): number {
  let distinct = 0;
  for (let i = 0; i < sortedValues.length; i++) if (i === 0 || sortedValues[i] !== sortedValues[i - 1]) distinct += 1;
  return distinct;
}

function countOf(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

const rate = (count: number, rows: number) => (rows === 0 ? 0 : count / rows);

