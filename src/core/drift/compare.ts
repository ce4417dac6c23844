// One feature's drift and data quality between a reference and a production window, from what the engine
// gathered for each window (every value of both: exact, not sampled). Types as Azure ML infers them,
// metrics and default thresholds as its model monitoring uses them.
import { binCounts, binEdges, chiSquared, jensenShannon, ksStatistic, normalizedWasserstein, psi, sampleStd } from "./metrics";

export type FeatureKind = "numerical" | "categorical";
export type NumericalMetric = "normalizedWasserstein" | "jensenShannon" | "psi" | "ksStatistic";
export type CategoricalMetric = "jensenShannon" | "psi" | "chiSquaredPValue";
export type DriftMetric = NumericalMetric | CategoricalMetric;

/** Tests drift when their p-value is below the threshold; distances when they are above it. */
export const P_VALUE_METRICS: ReadonlySet<DriftMetric> = new Set(["chiSquaredPValue"]);

export const DEFAULTS = {
  numerical: { metric: "normalizedWasserstein" as NumericalMetric, threshold: 0.1 },
  categorical: { metric: "jensenShannon" as CategoricalMetric, threshold: 0.1 },
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
}

export interface FeatureQuality {
  nullRate: number;
  /** Cells that are not of the feature's reference type. */
  typeErrorRate: number;
  /** Numbers outside the reference's min..max; categories the reference never had. */
  outOfBoundsRate: number;
}

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
  /** Why no metric could be computed (a window without values). */
  problem?: string;
}

export interface FeatureOptions {
  kind?: FeatureKind;
  metric?: DriftMetric;
  threshold?: number;
}

/** Azure ML's rule: float → numerical; string, bool, date → categorical; integer → categorical when its
 * distinct values are under 5% of its rows, else numerical. */
export function inferKind(column: ColumnWindow): FeatureKind {
  if (column.texts.size > 0 || column.numbers.length === 0) return "categorical";
  if (column.fractional > 0) return "numerical";
  return distinctCount(sorted(column.numbers)) < 0.05 * column.numbers.length ? "categorical" : "numerical";
}

export function compareFeature(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions = {}): FeatureDrift {
  const kind = options.kind ?? inferKind(reference);
  return kind === "numerical" ? numerical(name, reference, production, options) : categorical(name, reference, production, options);
}

function numerical(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions): FeatureDrift {
  const ref = sorted(reference.numbers);
  const prod = sorted(production.numbers);
  const low = ref[0];
  const high = ref[ref.length - 1];
  let outside = 0;
  for (const v of prod) if (v < low || v > high) outside += 1;
  const quality = {
    reference: { nullRate: rate(reference.nulls, reference.rows), typeErrorRate: rate(countOf(reference.texts), reference.rows), outOfBoundsRate: 0 },
    production: { nullRate: rate(production.nulls, production.rows), typeErrorRate: rate(countOf(production.texts), production.rows), outOfBoundsRate: ref.length ? rate(outside, production.rows) : 0 },
  };
  const metric = options.metric ?? DEFAULTS.numerical.metric;
  const threshold = options.threshold ?? (metric === DEFAULTS.numerical.metric ? DEFAULTS.numerical.threshold : 0.1);
  const base = { name, kind: "numerical" as const, values: { reference: ref.length, production: prod.length }, metric, threshold, quality };
  if (ref.length === 0 || prod.length === 0) return { ...base, metrics: {}, value: NaN, drifted: false, margin: NaN, problem: emptyWindow(ref.length, prod.length) };
  const edges = binEdges(ref, prod);
  const refBins = binCounts(ref, edges);
  const prodBins = binCounts(prod, edges);
  const metrics: Partial<Record<DriftMetric, number>> = {
    normalizedWasserstein: normalizedWasserstein(ref, prod, sampleStd(ref)),
    jensenShannon: jensenShannon(refBins, prodBins),
    psi: psi(refBins, prodBins, ref.length, prod.length),
    ksStatistic: ksStatistic(ref, prod),
  };
  return judged({ ...base, metrics }, metrics);
}

function categorical(name: string, reference: ColumnWindow, production: ColumnWindow, options: FeatureOptions): FeatureDrift {
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
  const metric = options.metric ?? DEFAULTS.categorical.metric;
  const threshold = options.threshold ?? (metric === DEFAULTS.categorical.metric ? DEFAULTS.categorical.threshold : metric === "chiSquaredPValue" ? 0.05 : 0.1);
  const base = { name, kind: "categorical" as const, values: { reference: refValues, production: prodValues }, metric, threshold, quality };
  if (refValues === 0 || prodValues === 0) return { ...base, metrics: {}, value: NaN, drifted: false, margin: NaN, problem: emptyWindow(refValues, prodValues) };
  const test = chiSquared(refCounts, prodCounts);
  const metrics: Partial<Record<DriftMetric, number>> = {
    jensenShannon: jensenShannon(refCounts, prodCounts),
    psi: psi(refCounts, prodCounts, refValues, prodValues),
    chiSquaredPValue: test.pValue,
  };
  return judged({ ...base, metrics, chiSquaredTest: test.test }, metrics);
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

function sorted(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
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

