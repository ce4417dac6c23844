// Which columns of collected data make a training set's keys, and the ground truth join: labels kept in a
// small index by their key, matched to each joined row on a column the user picked.
import type { Row } from "./trainingJoin";

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

export interface LabelJoinOptions {
  /** The key column in the labels file. */
  labelKey: string;
  /** The training set's column matched against it (the correlation key or a business key). */
  joinOn: string;
  how: "inner" | "left";
}

export class LabelJoin {
  private readonly labels = new Map<string, Row>();
  private readonly used = new Set<string>();
  private readonly columns: string[] = [];
  private sawKeyColumn = false;
  private labelRows = 0;
  readonly counts: LabelCounts = { matched: 0, unmatched: 0, duplicateKeys: 0, labelsWithoutKey: 0, unusedLabels: 0 };

  constructor(private readonly options: LabelJoinOptions) {}

  addLabel(row: Row): void {
    this.labelRows += 1;
    if (this.options.labelKey in row) this.sawKeyColumn = true;
    const key = keyText(row[this.options.labelKey]);
    if (key === undefined) {
      this.counts.labelsWithoutKey += 1;
      return;
    }
    if (this.labels.has(key)) {
      this.counts.duplicateKeys += 1;
      return;
    }
    for (const column of Object.keys(row)) if (column !== this.options.labelKey && !this.columns.includes(column)) this.columns.push(column);
    this.labels.set(key, row);
  }

  /** Refuses a labels file without the key column the user named (every row would go unmatched). */
  checkKey(): void {
    if (this.labelRows > 0 && !this.sawKeyColumn) {
      throw new Error(`The ground truth file has no column '${this.options.labelKey}'. Choose the column that holds the key.`);
    }
  }

  /** The row with its labels, or undefined when an inner join leaves it out. */
  join(row: Row): Row | undefined {
    const key = keyText(row[this.options.joinOn]);
    const label = key === undefined ? undefined : this.labels.get(key);
    if (!label) {
      this.counts.unmatched += 1;
      if (this.options.how === "inner") return undefined;
    } else {
      this.counts.matched += 1;
      this.used.add(key as string);
    }
    const out: Row = { ...row };
    for (const column of this.columns) out[column in row ? `label_${column}` : column] = label?.[column] ?? null;
    this.counts.unusedLabels = this.labels.size - this.used.size;
    return out;
  }
}

function keyText(value: Row[string] | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}
