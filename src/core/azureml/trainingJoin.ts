// Joins a service's collected inputs with its outputs row by row on the correlation id, as Azure ML's
// monitoring does: the current collector batches close requests into one record sharing a `correlationid`,
// so each of its data rows is keyed `{correlationid}_{index}`; the legacy collector writes
// `$aml_dc_correlation_id` on each row. Rows without a partner are counted and reported, never dropped
// silently; with a left join they are kept with empty outputs. Only the outputs are held (by column, KeyedJoin).
import { KeyedJoin } from "./keyedRows";

/** The key of row `index` of a current-collector record (its data array), as monitoring splits batches; none without an id. */
export function batchedKey(correlationId: string | null | undefined, index: number): string | null {
  return correlationId === null || correlationId === undefined || correlationId.trim() === "" ? null : `${correlationId}_${index}`;
}

export interface JoinCounts {
  joined: number;
  /** Inputs with no output of their key (kept with empty outputs in a left join). */
  inputsWithoutOutput: number;
  /** Outputs no input asked for. */
  outputsWithoutInput: number;
  /** Rows whose key is empty: never joined (kept in a left join). */
  inputsWithoutKey: number;
  outputsWithoutKey: number;
  /** Outputs whose key another output already had: the first is used, the rest counted here. */
  duplicateOutputKeys: number;
}

/** Inputs streamed past the outputs kept by key (`rows`). */
export class TrainingJoin extends KeyedJoin {
  counts(): JoinCounts {
    return { joined: this.paired, inputsWithoutOutput: this.unpaired, outputsWithoutInput: this.rows.unused,
      inputsWithoutKey: this.withoutKey, outputsWithoutKey: this.rows.withoutKey, duplicateOutputKeys: this.rows.duplicateKeys };
  }
}

/** A summary a user reads before trusting the set: what joined and what did not, and why. */
export function describeJoin(counts: JoinCounts, how: "inner" | "left"): string {
  const parts = [`${counts.joined.toLocaleString("en-US")} row(s) joined`];
  if (counts.inputsWithoutOutput) parts.push(`${counts.inputsWithoutOutput.toLocaleString("en-US")} input(s) without an output${how === "left" ? " (kept, outputs empty)" : " (left out)"}`);
  if (counts.inputsWithoutKey) parts.push(`${counts.inputsWithoutKey.toLocaleString("en-US")} input(s) without a correlation id${how === "left" ? " (kept)" : " (left out)"}`);
  if (counts.outputsWithoutInput) parts.push(`${counts.outputsWithoutInput.toLocaleString("en-US")} output(s) without an input (left out)`);
  if (counts.outputsWithoutKey) parts.push(`${counts.outputsWithoutKey.toLocaleString("en-US")} output(s) without a correlation id (left out)`);
  if (counts.duplicateOutputKeys) parts.push(`${counts.duplicateOutputKeys.toLocaleString("en-US")} output(s) repeating a correlation id (the first was used)`);
  return parts.join("; ") + ".";
}
