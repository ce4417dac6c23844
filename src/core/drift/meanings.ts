// What each drift metric and data-quality rate means, in one line with the direction that is bad: the
// report's hovers (column headers, metric names) and its data-quality line read them from here.
import type { CollectionDrift } from "./report";
import type { FeatureDrift, FeatureQuality } from "./compare";
import { percent } from "./export";

export const METRIC_MEANINGS: Record<string, string> = {
  normalizedWasserstein: "How far the values moved, in reference standard deviations. 0 is no change; higher is more drift.",
  jensenShannon: "How different the two distributions are, from 0 (the same) to 1 (no overlap). Higher is more drift.",
  psi: "Population stability index: 0 is no change, past 0.1 a shift, past 0.25 a large one. Higher is more drift.",
  ksStatistic: "The largest gap between the two cumulative distributions, from 0 to 1. Higher is more drift.",
  ksPValue: "How likely a gap this large is if nothing changed (two-sample KS test). Lower is more drift: it drifts below its threshold.",
  chiSquaredPValue: "How likely category counts this different are if nothing changed (Pearson's chi-squared). Lower is more drift: it drifts below its threshold.",
};

export const QUALITY_MEANINGS = {
  nullRate: "Share of empty or null cells (empty, nan, None, null). Higher is worse.",
  typeErrorRate: "Share of cells that are not of the feature's reference type (text in a number column). Higher is worse.",
  outOfBoundsRate: "Share of values outside the reference: numbers beyond its min..max, categories it never had. Higher is worse.",
} as const;

export const COLUMN_MEANINGS: Record<string, string> = {
  Feature: "A data column of the collection (system columns such as $aml_* and correlationid are not features).",
  Type: "Numerical or categorical, by Azure ML's rule on the reference (fractions numerical, text categorical, integers categorical when their distinct values are under 5% of its values), then kept for the collection's later reports (hover a type for why).",
  Metric: "The drift metric this feature is judged by (hover a metric's name for what it means).",
  Value: "The metric's value for production against the reference.",
  Threshold: "Where the metric counts as drift: above it for distances, below it for p-values.",
  Drift: "Whether the feature drifted, sorted by how far past its threshold.",
  "Data quality": "The data-quality rate that changed most from reference to production (null, type error or out of bounds). Higher in production is worse.",
  Distribution: "Reference (blue) and production (orange) shares per bin or category.",
  Timeline: "The metric per day (or hour) of the production window, with the threshold.",
};

type Rate = keyof typeof QUALITY_MEANINGS;
const RATE_NAMES: Record<Rate, string> = { nullRate: "null rate", typeErrorRate: "type error rate", outOfBoundsRate: "out-of-bounds rate" };

/** The rate that got worse the most from reference to production (the null rate when none did). */
export function worstRate(quality: { reference: FeatureQuality; production: FeatureQuality }): { rate: Rate; name: string; reference: number; production: number } {
  let worst: Rate = "nullRate";
  let rise = -Infinity;
  for (const rate of Object.keys(RATE_NAMES) as Rate[]) {
    const change = quality.production[rate] - quality.reference[rate];
    if (change > rise + 1e-12) {
      rise = change;
      worst = rate;
    }
  }
  if (rise <= 0) worst = "nullRate";
  return { rate: worst, name: RATE_NAMES[worst], reference: quality.reference[worst], production: quality.production[worst] };
}

export function worstRateText(feature: FeatureDrift): string {
  const w = worstRate(feature.quality);
  return `${w.name} ${percent(w.reference)} → ${percent(w.production)}`;
}

/** Features whose data quality got worse, and which rate: the report's and the Markdown's data-quality line. */
export function qualitySummary(collection: CollectionDrift): string | undefined {
  const worse = collection.result.features.filter((f) => f.quality.production.nullRate > f.quality.reference.nullRate + 0.01 || f.quality.production.typeErrorRate > 0 || f.quality.production.outOfBoundsRate > 0);
  if (worse.length === 0) return undefined;
  const shown = worse.slice(0, 6).map((f) => `${f.name} (${worstRateText(f)})`);
  return `Data quality: ${worse.length} feature(s) with more nulls, type errors or values outside the reference's range: ${shown.join(", ")}${worse.length > 6 ? ", …" : ""}.`;
}
