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
const BOOL = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;
const MISSING_WORDS = new Set(["nan", "NaN", "None", "null", "NULL"]);

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
  readonly numbers = new Set<number>();
  capped = false;
  readonly sample: number[] = [];
  seen = 0;

  constructor(readonly name: string, private readonly random: () => number) {}

  /** Hot path (every cell of every row): classifies by first character before any parsing or regex. */
  add(cell: string | undefined): void {
    const value = cell ?? "";
    const length = value.length;
    if (length === 0 || (length <= 4 && MISSING_WORDS.has(value))) {
      this.missing += 1;
      return;
    }
    this.count += 1;
    const first = value.charCodeAt(0);
    if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
      const n = Number(value);
      if (n === n) {
        this.addNumber(n, value);
        // Numbers count distinct by value (cheaper to hash than their text).
        if (!this.capped && this.numbers.size + this.values.size <= DISTINCT_CAP) this.numbers.add(n);
        else this.capped = true;
        return;
      }
      if (DATETIME.test(value)) this.datetimes += 1;
    } else if ((first === 116 || first === 84 || first === 102 || first === 70) && BOOL.test(value)) this.booleans += 1;
    this.addText(value);
  }

  private addText(value: string): void {
    if (this.capped) return;
    const seen = this.values.get(value);
    this.values.set(value, seen === undefined ? 1 : seen + 1);
    if (this.numbers.size + this.values.size > DISTINCT_CAP) this.capped = true;
  }

  private addNumber(n: number, text: string): void {
    this.numeric += 1;
    if (Number.isInteger(n) && text.indexOf(".") < 0 && text.indexOf("e") < 0 && text.indexOf("E") < 0) this.integers += 1;
    this.sum += n;
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
    // Reservoir sample (Algorithm L): the histogram's shape over all rows in bounded memory, with a random
    // draw only when a value is kept rather than for every value.
    this.seen += 1;
    if (this.sample.length < SAMPLE_SIZE) {
      this.sample.push(n);
      if (this.sample.length === SAMPLE_SIZE) this.nextKeep = this.seen + 1 + this.skip();
    } else if (this.seen >= this.nextKeep) {
      this.sample[Math.floor(this.random() * SAMPLE_SIZE)] = n;
      this.nextKeep = this.seen + 1 + this.skip();
    }
  }

  private w = 1;
  private nextKeep = 0;

  private skip(): number {
    this.w *= Math.exp(Math.log(Math.max(this.random(), 1e-12)) / SAMPLE_SIZE);
    return Math.floor(Math.log(Math.max(this.random(), 1e-12)) / Math.log(1 - this.w));
  }

  snapshot(): ColumnStats {
    const type: ColumnType = this.count === 0 ? "empty"
      : this.numeric === this.count ? (this.integers === this.count ? "integer" : "number")
      : this.booleans === this.count ? "boolean"
      : this.datetimes === this.count ? "datetime" : "string";
    const base = { name: this.name, type, count: this.count, missing: this.missing, distinct: this.values.size + this.numbers.size, distinctCapped: this.capped };
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
