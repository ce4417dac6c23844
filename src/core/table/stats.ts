// Column statistics computed while rows stream in, over every row (also past the preview's row cap).

export type ColumnType = "integer" | "number" | "boolean" | "datetime" | "string" | "empty";

export interface ColumnStats {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  distinct: number;
  /** distinct stopped counting at its cap. */
  distinctCapped: boolean;
  min?: number;
  max?: number;
  mean?: number;
  /** Numeric: bin counts between min and max. Text: counts of the top values. */
  histogram: number[];
  top?: Array<{ value: string; count: number }>;
}

const DISTINCT_CAP = 10_000;
const SAMPLE_SIZE = 2048;
const BINS = 16;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const BOOL = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;
const MISSING = /^(|nan|NaN|None|null|NULL)$/;

class ColumnAccumulator {
  count = 0;
  missing = 0;
  numeric = 0;
  integers = 0;
  booleans = 0;
  datetimes = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly values = new Map<string, number>();
  capped = false;
  readonly sample: number[] = [];
  seen = 0;

  constructor(readonly name: string, private readonly random: () => number) {}

  add(cell: string | undefined): void {
    const value = cell ?? "";
    if (MISSING.test(value)) {
      this.missing += 1;
      return;
    }
    this.count += 1;
    if (!this.capped) {
      this.values.set(value, (this.values.get(value) ?? 0) + 1);
      if (this.values.size > DISTINCT_CAP) this.capped = true;
    } else if (this.values.has(value)) {
      this.values.set(value, (this.values.get(value) ?? 0) + 1);
    }
    if (NUMBER.test(value)) {
      const n = Number(value);
      this.numeric += 1;
      if (INTEGER.test(value)) this.integers += 1;
      this.sum += n;
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
      // Reservoir sample: the histogram's shape over all rows in bounded memory.
      this.seen += 1;
      if (this.sample.length < SAMPLE_SIZE) this.sample.push(n);
      else {
        const j = Math.floor(this.random() * this.seen);
        if (j < SAMPLE_SIZE) this.sample[j] = n;
      }
    } else if (BOOL.test(value)) this.booleans += 1;
    else if (DATETIME.test(value)) this.datetimes += 1;
  }

  snapshot(): ColumnStats {
    const type: ColumnType = this.count === 0 ? "empty"
      : this.numeric === this.count ? (this.integers === this.count ? "integer" : "number")
      : this.booleans === this.count ? "boolean"
      : this.datetimes === this.count ? "datetime" : "string";
    const base = { name: this.name, type, count: this.count, missing: this.missing, distinct: this.values.size, distinctCapped: this.capped };
    if (type === "integer" || type === "number") {
      const histogram = new Array<number>(BINS).fill(0);
      const span = this.max - this.min;
      for (const v of this.sample) histogram[span > 0 ? Math.min(BINS - 1, Math.floor(((v - this.min) / span) * BINS)) : 0] += 1;
      return { ...base, min: this.min, max: this.max, mean: this.sum / this.numeric, histogram };
    }
    const top = [...this.values.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([value, count]) => ({ value: value.slice(0, 80), count }));
    return { ...base, histogram: top.map((t) => t.count), top };
  }
}

export class StatsAccumulator {
  private columns: ColumnAccumulator[] = [];
  private seed = 0x2545f491;

  constructor(names: readonly string[]) {
    this.setColumns(names);
  }

  /** New columns (JSONL keys seen later) start counting from now; earlier rows count as missing. */
  setColumns(names: readonly string[]): void {
    const rowsSoFar = this.columns[0] ? this.columns[0].count + this.columns[0].missing : 0;
    for (let i = this.columns.length; i < names.length; i++) {
      const column = new ColumnAccumulator(names[i], () => this.next());
      column.missing = rowsSoFar;
      this.columns.push(column);
    }
  }

  add(row: readonly string[]): void {
    for (let i = 0; i < this.columns.length; i++) this.columns[i].add(row[i]);
  }

  snapshot(): ColumnStats[] {
    return this.columns.map((c) => c.snapshot());
  }

  private next(): number {
    // xorshift: deterministic sampling, so the same file gives the same histogram.
    this.seed ^= this.seed << 13;
    this.seed ^= this.seed >>> 17;
    this.seed ^= this.seed << 5;
    return (this.seed >>> 0) / 4294967296;
  }
}
