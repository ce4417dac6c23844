// The drift metrics each feature type can be judged by: one list for the engine, both protocols' checks
// and the report's choices.
export const NUMERICAL_METRICS = ["normalizedWasserstein", "jensenShannon", "psi", "ksStatistic", "ksPValue"] as const;
export const CATEGORICAL_METRICS = ["jensenShannon", "psi", "chiSquaredPValue"] as const;

export type NumericalMetric = (typeof NUMERICAL_METRICS)[number];
export type CategoricalMetric = (typeof CATEGORICAL_METRICS)[number];
export type DriftMetric = NumericalMetric | CategoricalMetric;

/** Tests drift when their p-value is below the threshold; distances when they are above it. */
export const P_VALUE_METRICS: ReadonlySet<DriftMetric> = new Set(["chiSquaredPValue", "ksPValue"]);

const ALL: ReadonlySet<string> = new Set<string>([...NUMERICAL_METRICS, ...CATEGORICAL_METRICS]);

export function isDriftMetric(value: unknown): value is DriftMetric {
  return typeof value === "string" && ALL.has(value);
}

export function isNumericalMetric(value: DriftMetric): value is NumericalMetric {
  return (NUMERICAL_METRICS as readonly string[]).includes(value);
}

export function isCategoricalMetric(value: DriftMetric): value is CategoricalMetric {
  return (CATEGORICAL_METRICS as readonly string[]).includes(value);
}
