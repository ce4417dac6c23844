// Joins a service's collected inputs with its outputs row by row on the correlation id, as Azure ML's
// monitoring does: the current collector batches close requests into one record sharing a `correlationid`,
// so each of its data rows is keyed `{correlationid}_{index}`; the legacy collector writes
// `$aml_dc_correlation_id` on each row. Rows without a partner are counted and reported, never dropped
// silently; with a left join they are kept with empty outputs.

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** The key of row `index` of a current-collector record (its data array), as monitoring splits batches; none without an id. */
export function batchedKey(correlationId: string | null | undefined, index: number): string | null {
  return correlationId === null || correlationId === undefined || correlationId.trim() === "" ? null : `${correlationId}_${index}`;
}

export interface JoinOptions {
  how: "inner" | "left";
  /** The column holding the key on both sides (after batchedKey for the current collector). */
  key: string;
  /** Output columns that share an input column's name are prefixed so nothing is overwritten. */
  outputPrefix?: string;
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

/**
 * Indexes the outputs by key, then streams the inputs past them: only the outputs are held (one side of a
 * month, not both). `emit` receives each joined row in the inputs' order.
 */
export class TrainingJoin {
  private readonly outputs = new Map<string, Row>();
  private readonly used = new Set<string>();
  private outputColumns: string[] = [];
  readonly counts: JoinCounts = { joined: 0, inputsWithoutOutput: 0, outputsWithoutInput: 0, inputsWithoutKey: 0, outputsWithoutKey: 0, duplicateOutputKeys: 0 };

  constructor(private readonly options: JoinOptions) {}

  addOutput(row: Row): void {
    const key = keyOf(row[this.options.key]);
    if (key === undefined) {
      this.counts.outputsWithoutKey += 1;
      return;
    }
    if (this.outputs.has(key)) {
      this.counts.duplicateOutputKeys += 1;
      return;
    }
    for (const column of Object.keys(row)) if (column !== this.options.key && !this.outputColumns.includes(column)) this.outputColumns.push(column);
    this.outputs.set(key, row);
  }

  /** The joined row for this input, or undefined when an inner join drops it. */
  joinInput(input: Row): Row | undefined {
    const key = keyOf(input[this.options.key]);
    const output = key === undefined ? undefined : this.outputs.get(key);
    if (key === undefined) this.counts.inputsWithoutKey += 1;
    else if (!output) this.counts.inputsWithoutOutput += 1;
    if (!output) return this.options.how === "left" ? { ...input, ...this.emptyOutputs(input) } : undefined;
    this.used.add(key as string);
    this.counts.joined += 1;
    const joined: Row = { ...input };
    for (const column of this.outputColumns) joined[this.outputName(column, input)] = output[column] ?? null;
    return joined;
  }

  /** Call when every input has been joined: counts the outputs nothing asked for. */
  finish(): JoinCounts {
    this.counts.outputsWithoutInput = this.outputs.size - this.used.size;
    return this.counts;
  }

  private outputName(column: string, input: Row): string {
    return column in input ? `${this.options.outputPrefix ?? "output_"}${column}` : column;
  }

  private emptyOutputs(input: Row): Row {
    return Object.fromEntries(this.outputColumns.map((column) => [this.outputName(column, input), null]));
  }
}

function keyOf(value: Cell | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
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
