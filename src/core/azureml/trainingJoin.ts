// Joins a service's collected inputs with its outputs row by row on the correlation id, as Azure ML's
// monitoring does: the current collector batches close requests into one record sharing a `correlationid`,
// so each of its data rows is keyed `{correlationid}_{index}`; the legacy collector writes
// `$aml_dc_correlation_id` on each row. Rows without a partner are counted and reported, never dropped
// silently; with a left join they are kept with empty outputs. Only the outputs are held (by column).
import { KeyedRows } from "./keyedRows";

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

export class TrainingJoin {
  readonly outputs = new KeyedRows();
  private joined = 0;
  private inputsWithoutOutput = 0;
  private inputsWithoutKey = 0;

  constructor(private readonly how: "inner" | "left") {}

  addOutput(key: string | null | undefined, cells: readonly (string | null | undefined)[]): void {
    this.outputs.add(key, cells);
  }

  /** The output row paired with this input's key: its index, -1 when a left join keeps it unpaired, undefined when an inner join leaves it out. */
  pair(key: string | null | undefined): number | undefined {
    if (key === null || key === undefined || key.trim() === "") {
      this.inputsWithoutKey += 1;
      return this.how === "left" ? -1 : undefined;
    }
    const row = this.outputs.take(key);
    if (row < 0) {
      this.inputsWithoutOutput += 1;
      return this.how === "left" ? -1 : undefined;
    }
    this.joined += 1;
    return row;
  }

  counts(): JoinCounts {
    return { joined: this.joined, inputsWithoutOutput: this.inputsWithoutOutput, outputsWithoutInput: this.outputs.unused,
      inputsWithoutKey: this.inputsWithoutKey, outputsWithoutKey: this.outputs.withoutKey, duplicateOutputKeys: this.outputs.duplicateKeys };
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
