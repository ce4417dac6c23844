// A compare's result: both windows, every feature's drift (most drifted first) and the verdict. Plain
// JSON (no NaN: a metric that could not be computed is null), so commands, notebooks and other extensions
// can take it as it is.
import { compareFeature, DEFAULTS, type ColumnWindow, type DriftDefaults, type FeatureDrift, type FeatureOptions } from "./compare";
import { isSystemColumn } from "../table/legacyColumns";
import { EXACT_VALUES } from "./sketch";
import type { DateRange } from "./windows";

export interface CollectionDrift {
  /** The collection's folder name (inputs, model_outputs, …). */
  name: string;
  /** Outputs drift is prediction drift. */
  role: "inputs" | "outputs" | "data";
  result: CompareResult;
}

/** What modelData.compare returns and the report shows: one compare per collection (a service has two). */
export interface DriftReport {
  title: string;
  /** The windows are a current deployment's, in a workspace reached through ARM: an Azure ML monitor can take over. */
  monitorable?: boolean;
  production: DateRange;
  reference: DateRange | { file: string };
  collections: CollectionDrift[];
}

export interface WindowSummary {
  label: string;
  files: number;
  rows: number;
  bytes: number;
}

export interface CompareResult {
  reference: WindowSummary;
  production: WindowSummary;
  /** Most drifted first (by how far past their threshold); features without a value last. */
  features: FeatureDrift[];
  drifted: string[];
  /** Things the user must know (a feature only one window has, categories cut off). */
  notices: string[];
}

/** Columns that are not features: the collector's own ($aml_*, correlationid, time) and ours. */
export function isFeatureName(name: string): boolean {
  return !isSystemColumn(name) && !["correlationid", "time", "source", "$payload", "(more cells)"].includes(name);
}

export interface GatheredWindow {
  summary: WindowSummary;
  /** The production window's days (or hours), with each feature's timeline point (see timelinePoints). */
  buckets?: Array<{ bucket: string; rows: number; values: ReadonlyMap<string, number> }>;
  columns: string[];
  /** What reading the window found (encodings, broken records, skipped files). */
  notices: string[];
  column(index: number): ColumnWindow & { overflowTexts: number };
}

/**
 * One day (or hour) of the production window against the whole reference, per feature both windows have:
 * the feature's metric, as its own type, metric and threshold choose them (from the reference and the
 * options, as buildResult does). Computed as each day completes, so the days need not be kept.
 * `turn` yields between features (the engine reads the next days meanwhile).
 */
export async function timelinePoints(reference: GatheredWindow, dayColumns: readonly string[], day: (index: number) => ColumnWindow, options: CompareOptions, turn: () => Promise<void>): Promise<Map<string, number>> {
  const points = new Map<string, number>();
  for (const [j, name] of dayColumns.entries()) {
    if (!wantedFeature(name, options)) continue;
    const i = reference.columns.indexOf(name);
    if (i < 0) continue;
    await turn();
    points.set(name, compareFeature(name, reference.column(i), day(j), { ...options.perFeature?.[name], metricOnly: true }, options.defaults ?? DEFAULTS).value);
  }
  return points;
}

export interface CompareOptions {
  features?: string[];
  perFeature?: Record<string, FeatureOptions>;
  defaults?: DriftDefaults;
}

/** A column the compare measures: a feature, and one of the features asked for (all when none are). */
export function wantedFeature(name: string, options: CompareOptions): boolean {
  return isFeatureName(name) && (!options.features || options.features.includes(name));
}

export function buildResult(reference: GatheredWindow, production: GatheredWindow, options: CompareOptions = {}): CompareResult {
  const notices: string[] = [...reference.notices, ...production.notices];
  const wanted = (name: string) => wantedFeature(name, options);
  const features: FeatureDrift[] = [];
  for (const [i, name] of reference.columns.entries()) {
    if (!wanted(name)) continue;
    const j = production.columns.indexOf(name);
    if (j < 0) {
      notices.push(`"${name}" is in the reference only: the production window has no such column.`);
      continue;
    }
    const ref = reference.column(i);
    const prod = production.column(j);
    if (ref.overflowTexts + prod.overflowTexts > 0) notices.push(`"${name}" has more than 100,000 distinct values (free text or ids): its categories past those are not counted.`);
    const feature = compareFeature(name, ref, prod, options.perFeature?.[name], options.defaults ?? DEFAULTS);
    if (production.buckets && production.buckets.length > 1) {
      feature.timeline = production.buckets.map((b) => {
        const value = b.values.get(name);
        return { bucket: b.bucket, value: value !== undefined && Number.isFinite(value) ? value : null, rows: b.rows };
      });
    }
    if (feature.approximate) {
      notices.push(`"${name}": ${feature.approximate.values.toLocaleString("en-US")} values in a window, more than the ${EXACT_VALUES.toLocaleString("en-US")} held exactly: its metrics come from a sketch (each value within ${feature.approximate.resolution.toPrecision(3)} of itself; the metrics within 0.005 of the exact ones), without the KS p-value.`);
    }
    features.push(feature);
  }
  for (const name of production.columns) {
    if (wanted(name) && !reference.columns.includes(name)) notices.push(`"${name}" is in the production window only: the reference has no such column.`);
  }
  for (const name of options.features ?? []) {
    if (!reference.columns.includes(name) && !production.columns.includes(name)) notices.push(`"${name}" is in neither window.`);
  }
  features.sort((a, b) => order(b.margin) - order(a.margin));
  const result: CompareResult = { reference: reference.summary, production: production.summary, features, drifted: features.filter((f) => f.drifted).map((f) => f.name), notices };
  // NaN and ±Infinity become null: the result is plain JSON.
  return JSON.parse(JSON.stringify(result)) as CompareResult;
}

const order = (margin: number) => (Number.isNaN(margin) ? -Infinity : margin);
