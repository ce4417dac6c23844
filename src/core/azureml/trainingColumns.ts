// A training set's columns: which collected columns make its keys, which of an output's columns it keeps,
// how clashing names are told apart, and the ground truth join (labels kept by key, matched to each row).
import { KeyedJoin } from "./keyedRows";

/** The current collector's per-row key, `{correlationid}_{index}`, added as a column of the set. */
export const CORRELATION_KEY = "correlation_key";
export const LEGACY_CORRELATION_ID = "$aml_dc_correlation_id";

export function trainingKeyColumn(layout: "current" | "legacy"): string {
  return layout === "current" ? CORRELATION_KEY : LEGACY_CORRELATION_ID;
}

/** The collector's own columns: an output row's copy of them is left out (the input's are kept). */
export function isCollectorColumn(name: string): boolean {
  return name === "time" || name === "correlationid" || name === CORRELATION_KEY || name.startsWith("$aml_");
}

/**
 * The set's column names: the inputs' as they are, then the outputs' (`output_<name>` where an input has
 * the name), then the labels' (`label_<name>` where a column before has it).
 */
export function joinedColumnNames(inputs: readonly string[], outputs: readonly string[], labels: readonly string[]): string[] {
  const taken = new Set(inputs);
  const name = (prefix: string) => (column: string) => {
    const chosen = taken.has(column) ? `${prefix}${column}` : column;
    taken.add(chosen);
    return chosen;
  };
  return [...inputs, ...outputs.map(name("output_")), ...labels.map(name("label_"))];
}

export interface LabelCounts {
  /** Rows that found their label. */
  matched: number;
  /** Rows with no label of their key (kept with empty labels in a left join, left out in an inner one). */
  unmatched: number;
  /** Label rows repeating a key another had: the first is used. */
  duplicateKeys: number;
  /** Label rows without a key. */
  labelsWithoutKey: number;
  /** Label rows no training row asked for. */
  unusedLabels: number;
}

/** Training rows paired with ground truth labels kept by key (`rows`); a row without a key is unmatched. */
export class LabelJoin extends KeyedJoin {
  counts(): LabelCounts {
    return { matched: this.paired, unmatched: this.unpaired + this.withoutKey, duplicateKeys: this.rows.duplicateKeys, labelsWithoutKey: this.rows.withoutKey, unusedLabels: this.rows.unused };
  }
}

/** Why a side without an id column cannot be joined, and what makes the collector write one. */
export function noIdColumn(stage: "inputs" | "outputs", keyName: string, file: string): string {
  const legacy = keyName === LEGACY_CORRELATION_ID;
  const fix = legacy && stage === "outputs"
    ? " The legacy collector writes it on predictions only when the scoring code passes the inputs' correlations: predictions_dc.collect(predictions_dc.add_correlations(result, inputs_dc.collect(data)))."
    : legacy ? " The legacy collector writes it on inputs when data collection is on; this file was not written by it." : " Every record the current collector writes has one; this file was not written by it.";
  return `The ${stage} have no ${keyName} column (${file}), so no row can be paired with its ${stage === "outputs" ? "input" : "output"}.${fix}`;
}
