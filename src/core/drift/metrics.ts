// Drift metrics between a reference and a production window, defined as Azure ML's model monitoring
// computes them (azureml-assets data_drift_compute_metrics) so our numbers equal theirs and SciPy's on
// the same data. Nulls are left out before any metric (they are a data-quality signal).
import { chiSquaredSurvival } from "./distributions";
import type { Weighted } from "./sketch";

/** Below this the reference's standard deviation does not divide (a constant column). */
export const STD_FLOOR = 0.001;

/** Sample standard deviation (ddof = 1, as Spark's stddev); 0 for fewer than two values. */
export function sampleStd(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (values[i] - mean) / (i + 1);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/**
 * Wasserstein-1 between two samples, both sorted ascending: the area between their empirical CDFs
 * (scipy.stats.wasserstein_distance).
 */
export function wasserstein(reference: Float64Array, production: Float64Array): number {
  const n = reference.length;
  const m = production.length;
  let i = 0;
  let j = 0;
  let area = 0;
  let previous = Math.min(reference[0], production[0]);
  // Walk every value of both samples in order; between two consecutive values both CDFs are flat.
  while (i < n || j < m) {
    const next = j >= m || (i < n && reference[i] <= production[j]) ? reference[i] : production[j];
    area += Math.abs(i / n - j / m) * (next - previous);
    previous = next;
    while (i < n && reference[i] === next) i += 1;
    while (j < m && production[j] === next) j += 1;
  }
  return area;
}

export function normalizedWasserstein(reference: Float64Array, production: Float64Array, referenceStd = sampleStd(reference)): number {
  return wasserstein(reference, production) / Math.max(referenceStd, STD_FLOOR);
}

/** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs (sorted inputs). */
export function ksStatistic(reference: Float64Array, production: Float64Array): number {
  const n = reference.length;
  const m = production.length;
  let i = 0;
  let j = 0;
  let gap = 0;
  while (i < n && j < m) {
    const next = reference[i] <= production[j] ? reference[i] : production[j];
    while (i < n && reference[i] === next) i += 1;
    while (j < m && production[j] === next) j += 1;
    gap = Math.max(gap, Math.abs(i / n - j / m));
  }
  return gap;
}

/** Equal-width bins over both windows' range: ceil(log2(n) + 1) of them, n the smaller window's size. */
export function binEdges(reference: Float64Array, production: Float64Array): number[] {
  return equalWidthEdges(Math.min(reference[0], production[0]), Math.max(reference[reference.length - 1], production[production.length - 1]),
    Math.min(reference.length, production.length));
}

/** ceil(log2(rows) + 1) equal-width bins over low..high (one bin when they are equal). */
function equalWidthEdges(low: number, high: number, rows: number): number[] {
  if (low === high) return [low, high];
  const bins = Math.ceil(Math.log2(rows) + 1);
  // Written as Azure ML (and our golden-value script) writes it, so the edges are the same doubles.
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + (i * (high - low)) / bins));
}

/** Counts per bin of a sorted sample; each bin is [edge, next edge) but the last, which is closed. */
export function binCounts(sorted: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < counts.length - 1 && sorted[i] >= edges[bin + 1]) bin += 1;
    counts[bin] += 1;
  }
  return counts;
}

/** Jensen–Shannon distance, base 2, of two count vectors over the same bins or categories. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sumP = p.reduce((s, v) => s + v, 0);
  const sumQ = q.reduce((s, v) => s + v, 0);
  let divergence = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k] / sumP;
    const b = q[k] / sumQ;
    const mid = (a + b) / 2;
    if (a > 0) divergence += a * Math.log(a / mid);
    if (b > 0) divergence += b * Math.log(b / mid);
  }
  return Math.sqrt(Math.max(0, divergence / Math.LN2 / 2));
}

/** Population stability index; each ratio is (count + 1) / that window's rows, as Azure ML computes it. */
export function psi(reference: readonly number[], production: readonly number[], referenceRows: number, productionRows: number): number {
  let total = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = (reference[k] + 1) / referenceRows;
    const p = (production[k] + 1) / productionRows;
    total += (p - r) * Math.log(p / r);
  }
  return total;
}

export interface ChiSquaredResult {
  statistic: number;
  pValue: number;
  degrees: number;
  /** goodness-of-fit: production against the reference's proportions (Azure ML's test); contingency: the
   * two-sample test, used where the first is undefined (production has a category the reference never had). */
  test: "goodness-of-fit" | "contingency";
}

/** Pearson's chi-squared p-value as Azure ML computes it, or the contingency test where that is undefined. */
export function chiSquared(reference: readonly number[], production: readonly number[]): ChiSquaredResult {
  const referenceRows = reference.reduce((s, v) => s + v, 0);
  const productionRows = production.reduce((s, v) => s + v, 0);
  const k = reference.length;
  if (reference.every((count, i) => count > 0 || production[i] === 0)) {
    // scipy.stats.chisquare(production, reference proportions × production rows); categories neither window
    // has add nothing.
    let statistic = 0;
    let used = 0;
    for (let i = 0; i < k; i++) {
      if (reference[i] === 0) continue;
      const expected = (reference[i] / referenceRows) * productionRows;
      statistic += (production[i] - expected) ** 2 / expected;
      used += 1;
    }
    const degrees = used - 1;
    return { statistic, pValue: degrees > 0 ? chiSquaredSurvival(statistic, degrees) : 1, degrees, test: "goodness-of-fit" };
  }
  // scipy.stats.chi2_contingency on the 2 × k table, with Yates' correction when it has one degree of freedom.
  const total = referenceRows + productionRows;
  const degrees = k - 1;
  let statistic = 0;
  for (const [row, rows] of [[reference, referenceRows], [production, productionRows]] as const) {
    for (let i = 0; i < k; i++) {
      const expected = (rows * (reference[i] + production[i])) / total;
      let observed = row[i];
      if (degrees === 1) {
        const difference = expected - observed;
        observed += Math.sign(difference) * Math.min(0.5, Math.abs(difference));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: degrees > 0 ? chiSquaredSurvival(statistic, degrees) : 1, degrees, test: "contingency" };
}

/** Largest window (values) for which the KS p-value is computed exactly, as SciPy's ks_2samp does by default. */
export const KS_EXACT_LIMIT = 10_000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The two-sided two-sample KS p-value P(D ≥ d), exactly: one minus the probability that a uniformly random
 * lattice path from (0, 0) to (n1, n2) stays strictly inside the band the statistic d allows (the method
 * SciPy's ks_2samp uses for windows up to 10,000 values). The path is walked as the sequential draw it is,
 * so every number stays a probability (no huge path counts to rescale). Undefined (NaN) past the limit.
 */
export function ksPValueExact(n1: number, n2: number, d: number): number {
  if (Math.max(n1, n2) > KS_EXACT_LIMIT || n1 === 0 || n2 === 0) return NaN;
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  // d·lcm is an integer in exact arithmetic (d = a/n1 − b/n2): rounding only removes float error.
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  // Inside: |x·n − y·m| < h·g at every point (x, y) of the path.
  const limit = h * g;
  let previous = new Float64Array(n + 1);
  let current = new Float64Array(n + 1);
  let lo = 0;
  let hi = 0;
  previous[0] = 1;
  for (let y = 1; y <= n && y * m < limit; y++) {
    previous[y] = previous[y - 1] * (n - y + 1) / (m + n - y + 1);
    hi = y;
  }
  for (let x = 1; x <= m; x++) {
    const newLo = Math.max(0, Math.floor((x * n - limit) / m) + 1);
    const newHi = Math.min(n, Math.ceil((x * n + limit) / m) - 1);
    current.fill(0, Math.min(lo, newLo), Math.max(hi, newHi) + 1);
    for (let y = newLo; y <= newHi; y++) {
      // From the left (x − 1, y): a step in x, drawn with probability (m − x + 1) / (what is left).
      const left = y >= lo && y <= hi ? previous[y] * (m - x + 1) / (m - x + 1 + n - y) : 0;
      // From below (x, y − 1): a step in y.
      const below = y > newLo ? current[y - 1] * (n - y + 1) / (m - x + n - y + 1) : 0;
      current[y] = left + below;
    }
    [previous, current] = [current, previous];
    lo = newLo;
    hi = newHi;
  }
  const inside = hi === n && lo <= n ? previous[n] : 0;
  return Math.min(1, Math.max(0, 1 - inside));
}

// The same metrics over weighted samples (a sketch's buckets, or exact values with weight 1), for windows
// too large to hold exactly.

export function weightedStd(sample: Weighted): number {
  const { values, weights, total } = sample;
  if (total < 2) return 0;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += (values[i] * weights[i]) / total;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += weights[i] * (values[i] - mean) ** 2;
  return Math.sqrt(squares / (total - 1));
}

/** Walks both samples' distinct values in order, with each one's CDF after it. */
function walkCdfs(a: Weighted, b: Weighted, visit: (value: number, previous: number, cdfA: number, cdfB: number) => void): void {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let previous = Math.min(a.values[0], b.values[0]);
  while (i < a.values.length || j < b.values.length) {
    const next = j >= b.values.length || (i < a.values.length && a.values[i] <= b.values[j]) ? a.values[i] : b.values[j];
    visit(next, previous, fa / a.total, fb / b.total);
    while (i < a.values.length && a.values[i] === next) fa += a.weights[i++];
    while (j < b.values.length && b.values[j] === next) fb += b.weights[j++];
    previous = next;
  }
}

export function weightedWasserstein(a: Weighted, b: Weighted): number {
  let area = 0;
  walkCdfs(a, b, (value, previous, fa, fb) => (area += Math.abs(fa - fb) * (value - previous)));
  return area;
}

export function weightedKs(a: Weighted, b: Weighted): number {
  // The CDFs before each value are the CDFs after the one before: every step's gap is seen (the last, 1 − 1, is 0).
  let gap = 0;
  walkCdfs(a, b, (_value, _previous, fa, fb) => (gap = Math.max(gap, Math.abs(fa - fb))));
  return gap;
}

export function weightedBinCounts(sample: Weighted, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sample.values.length; i++) {
    while (bin < counts.length - 1 && sample.values[i] >= edges[bin + 1]) bin += 1;
    counts[bin] += sample.weights[i];
  }
  return counts;
}

/** Equal-width bins over both samples' range, as binEdges makes them. */
export function weightedBinEdges(a: Weighted, b: Weighted): number[] {
  return equalWidthEdges(Math.min(a.values[0], b.values[0]), Math.max(a.values[a.values.length - 1], b.values[b.values.length - 1]), Math.min(a.total, b.total));
}
