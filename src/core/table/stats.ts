// Column statistics computed while rows stream in, over every row (also past the preview's row cap).
// Cells come either as strings (quoted CSV, JSONL) or as byte ranges of a quote-free CSV chunk; the byte
// path parses plain decimals and classifies text without making a string, and both paths agree exactly.
import type { ByteRowLayout } from "./rowStore";
import { DistinctTable, NumberSet } from "./distinctTable";
import { asciiText, cellEnd, COMMA, combineHashes, decimal, readDecimal, HASH_MULTIPLIER_1, HASH_MULTIPLIER_2, HASH_SEED_1, HASH_SEED_2, hashText, isBooleanBytes, isDatetimeBytes, isMissingWord,
  MISSING_WORDS, startsLikeBoolean, startsLikeNumber, utf8Text } from "./bytes";

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
  /** Sample standard deviation over every numeric cell. */
  std?: number;
  /** p5, p25, p50, p75, p95: exact up to 2,048 values, else from a uniform sample of 2,048 (quantilesExact false). */
  quantiles?: [number, number, number, number, number];
  quantilesExact?: boolean;
  /** Numeric: bin counts between min and max. Text: counts of the top values. */
  histogram: number[];
  top?: Array<{ value: string; count: number }>;
}

const DISTINCT_CAP = 10_000;
const SAMPLE_SIZE = 2048;
const PENDING = 1024;
const LAST_TEXT_BYTES = 64;
const BINS = 16;
const BOOL = /^(true|false)$/i;
const DATETIME = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;
const MISSING = new Set(MISSING_WORDS);

/** Bytes after which a cell that began like a number may still be one for Number(): e E x X b B o O I, spaces. */
const MAYBE_NUMBER = new Set([101, 69, 120, 88, 98, 66, 111, 79, 73, 32, 9, 10, 11, 12, 13]);

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
  /** Distinct texts by a 53-bit hash of their characters, with the first text seen and its count. */
  readonly values = new DistinctTable();
  /** Numbers count distinct by value (cheaper to hash than their text); addNumber counts them. */
  readonly numbers = new NumberSet();
  capped = false;
  readonly sample: number[] = [];
  seen = 0;

  constructor(readonly name: string, private readonly random: () => number) {}

  /** Hot path (every cell of every row): classifies by first character before any parsing or regex. */
  add(cell: string | undefined): void {
    this.lastLength = 0;
    const value = cell ?? "";
    const length = value.length;
    if (length === 0 || (length <= 4 && MISSING.has(value))) {
      this.missing += 1;
      return;
    }
    this.count += 1;
    const first = value.charCodeAt(0);
    if (startsLikeNumber(first)) {
      const n = Number(value);
      if (n === n) {
        this.addNumber(n, Number.isInteger(n) && value.indexOf(".") < 0 && value.indexOf("e") < 0 && value.indexOf("E") < 0);
        return;
      }
      if (DATETIME.test(value)) this.datetimes += 1;
    } else if (startsLikeBoolean(first) && BOOL.test(value)) this.booleans += 1;
    if (!this.capped) this.addText(hashText(value), value);
  }

  /**
   * The same as add() for the cell that starts at bytes[start] in a quote-free CSV row ending at rowEnd;
   * returns where the cell ends (its comma, or rowEnd). Finding the cell and classifying it is one pass:
   * plain decimals (up to 15 digits) are parsed here, text is hashed as it is scanned, and only what
   * Number() must decide (exponents, hex, spaces…) or non-ASCII text becomes a string for add().
   */
  scanCell(bytes: Uint8Array, start: number, rowEnd: number): number {
    if (start >= rowEnd || bytes[start] === COMMA) {
      this.missing += 1;
      return start;
    }
    const first = bytes[start];
    if (first === this.lastText[0] && this.lastLength > 0) {
      const end = this.replay(bytes, start, rowEnd);
      if (end >= 0) return end;
    }
    let i = start;
    if (startsLikeNumber(first)) {
      i = readDecimal(bytes, start, rowEnd);
      const atEnd = i === rowEnd || bytes[i] === COMMA;
      if (atEnd && decimal.plain) {
        this.count += 1;
        this.addNumber(decimal.value, !decimal.point);
        return i;
      }
      // Exponents, hex, Infinity, more digits, trailing spaces: Number() decides, as in add().
      if ((atEnd && decimal.digits > 15) || (!atEnd && MAYBE_NUMBER.has(bytes[i]))) return this.addSlow(bytes, start, rowEnd);
    }
    // Text past the distinct cap: only its end and its kind are needed (non-ASCII text is never a missing
    // word, a boolean or a date, so no decoding either). Unique ids reach the cap within 10,000 rows.
    if (this.capped) {
      const end = cellEnd(bytes, start, rowEnd);
      this.remember(bytes, start, end, this.classifyText(bytes, start, end), false);
      return end;
    }
    // Text: hashed while its end is found.
    let h1 = HASH_SEED_1;
    let h2 = HASH_SEED_2;
    let high = 0;
    for (i = start; i < rowEnd; i++) {
      const c = bytes[i];
      if (c === COMMA) break;
      high |= c;
      h1 = Math.imul(h1 ^ c, HASH_MULTIPLIER_1);
      h2 = Math.imul(h2 ^ c, HASH_MULTIPLIER_2);
    }
    if (high > 127) return this.addSlow(bytes, start, rowEnd);
    const outcome = this.classifyText(bytes, start, i);
    if (outcome) this.addText(combineHashes(h1, h2), bytes, start, i);
    this.remember(bytes, start, i, outcome, outcome !== 0);
    return i;
  }

  /**
   * The last text cell of the byte path, and what counting it did: the same bytes again count the same,
   * without hashing or classifying them (a service's name, a version, a constant date: every row alike).
   */
  private readonly lastText = new Uint8Array(LAST_TEXT_BYTES);
  private lastLength = 0;
  private lastOutcome = 0;
  private lastAdded = false;
  private remembered = 0;
  private replayed = 0;

  private remember(bytes: Uint8Array, start: number, end: number, outcome: number, added: boolean): void {
    const length = end - start;
    // A column whose text cells rarely repeat the one before (ids) stops paying for the copy.
    if (length > LAST_TEXT_BYTES || length === 0 || (this.remembered > 64 && this.remembered > 4 * this.replayed)) {
      this.lastLength = 0;
      return;
    }
    this.remembered += 1;
    const last = this.lastText;
    for (let k = 0; k < length; k++) last[k] = bytes[start + k];
    this.lastLength = length;
    this.lastOutcome = outcome;
    this.lastAdded = added;
  }

  /** Counts the cell as the last text cell was counted if it has the same bytes; else returns -1. */
  private replay(bytes: Uint8Array, start: number, rowEnd: number): number {
    const last = this.lastText;
    const length = this.lastLength;
    const end = start + length;
    if (end > rowEnd || (end < rowEnd && bytes[end] !== COMMA)) return -1;
    for (let k = 1; k < length; k++) if (bytes[start + k] !== last[k]) return -1;
    if (this.lastAdded && !this.capped && !this.values.repeatLast()) return -1;
    this.replayed += 1;
    const outcome = this.lastOutcome;
    if (outcome === 0) this.missing += 1;
    else {
      this.count += 1;
      if (outcome === 2) this.datetimes += 1;
      else if (outcome === 3) this.booleans += 1;
    }
    return end;
  }

  /** Counts a text cell as missing, or as present (and a date or boolean); returns whether it was present. */
  private classifyText(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length <= 4 && isMissingWord(bytes, start, length)) {
      this.missing += 1;
      return 0;
    }
    this.count += 1;
    const first = bytes[start];
    if (first >= 48 && first <= 57) {
      if (isDatetimeBytes(bytes, start, end)) {
        this.datetimes += 1;
        return 2;
      }
    } else if (startsLikeBoolean(first) && isBooleanBytes(bytes, start, length)) {
      this.booleans += 1;
      return 3;
    }
    return 1;
  }

  /** A cell that needs add()'s string rules. */
  private addSlow(bytes: Uint8Array, start: number, rowEnd: number): number {
    const end = cellEnd(bytes, start, rowEnd);
    const text = utf8Text(bytes, start, end);
    // Bytes that are not UTF-8 decode to U+FFFD: the preview says so (checked only on this non-ASCII path).
    if (text.includes("\uFFFD")) this.replacements += 1;
    this.add(text);
    return end;
  }

  /** Cells of the byte path whose bytes were not valid UTF-8. */
  replacements = 0;

  /** Counts a distinct text; its string is made only the first time it is seen. */
  private addText(key: number, text: string): void;
  private addText(key: number, bytes: Uint8Array, start: number, end: number): void;
  private addText(key: number, source: string | Uint8Array, start = 0, end = 0): void {
    const slot = this.values.add(key);
    if (slot < 0) return;
    this.values.setText(slot, typeof source === "string" ? source : asciiText(source, start, end));
    if (this.numbers.size + this.values.size > DISTINCT_CAP) this.capped = true;
  }

  /**
   * Numbers wait here and are counted a batch at a time, in loops over one column's values: counting each as
   * it was parsed (28 columns' fields in turn) cost a quarter more. Small at first: wide files, few numbers.
   */
  private pending = new Float64Array(16);
  private pendingLength = 0;

  addNumber(n: number, integral: boolean): void {
    this.numeric += 1;
    if (integral) this.integers += 1;
    this.pending[this.pendingLength++] = n;
    if (this.pendingLength === this.pending.length) this.flushNumbers();
  }

  private flushNumbers(): void {
    const pending = this.pending;
    const length = this.pendingLength;
    this.pendingLength = 0;
    if (length === 0) return;
    if (pending.length < PENDING) this.pending = new Float64Array(pending.length * 4);
    if (this.seen === 0) this.shift = pending[0];
    const shift = this.shift;
    let sum = this.sum, sumD = this.sumD, sumD2 = this.sumD2, min = this.min, max = this.max;
    for (let k = 0; k < length; k++) {
      const n = pending[k];
      sum += n;
      const d = n - shift;
      sumD += d;
      sumD2 += d * d;
      if (n < min) min = n;
      if (n > max) max = n;
    }
    this.sum = sum; this.sumD = sumD; this.sumD2 = sumD2; this.min = min; this.max = max;
    // Reservoir sample (Algorithm L): only the values it keeps are visited once it is full.
    let k = 0;
    const sample = this.sample;
    while (k < length && sample.length < SAMPLE_SIZE) {
      sample.push(pending[k++]);
      this.seen += 1;
      if (sample.length === SAMPLE_SIZE) this.nextKeep = this.seen + 1 + this.skip();
    }
    if (k < length) {
      const seenBefore = this.seen - k;
      for (;;) {
        const at = this.nextKeep - seenBefore - 1;
        if (at >= length) break;
        sample[Math.floor(this.random() * SAMPLE_SIZE)] = pending[at];
        this.nextKeep = this.nextKeep + 1 + this.skip();
      }
      this.seen = seenBefore + length;
    }
    if (this.capped) return;
    const numbers = this.numbers;
    const limit = DISTINCT_CAP - this.values.size;
    for (let j = 0; j < length; j++) {
      if (numbers.size > limit) {
        this.capped = true;
        break;
      }
      numbers.add(pending[j]);
    }
  }

  private w = 1;
  private nextKeep = 0;
  private shift = 0;
  private sumD = 0;
  private sumD2 = 0;

  private skip(): number {
    this.w *= Math.exp(Math.log(Math.max(this.random(), 1e-12)) / SAMPLE_SIZE);
    return Math.floor(Math.log(Math.max(this.random(), 1e-12)) / Math.log(1 - this.w));
  }

  snapshot(): ColumnStats {
    this.flushNumbers();
    const type: ColumnType = this.count === 0 ? "empty"
      : this.numeric === this.count ? (this.integers === this.count ? "integer" : "number")
      : this.booleans === this.count ? "boolean"
      : this.datetimes === this.count ? "datetime" : "string";
    const base = { name: this.name, type, count: this.count, missing: this.missing, distinct: this.values.size + this.numbers.size, distinctCapped: this.capped };
    if (type === "integer" || type === "number") {
      const histogram = new Array<number>(BINS).fill(0);
      const span = this.max - this.min;
      for (const v of this.sample) histogram[span > 0 ? Math.min(BINS - 1, Math.floor(((v - this.min) / span) * BINS)) : 0] += 1;
      const n = this.numeric;
      const std = n > 1 ? Math.sqrt(Math.max(0, (this.sumD2 - (this.sumD * this.sumD) / n) / (n - 1))) : 0;
      const sorted = Float64Array.from(this.sample).sort();
      const at = (p: number) => quantile(sorted, p);
      return { ...base, min: this.min, max: this.max, mean: this.sum / n, std, histogram,
        quantiles: [at(0.05), at(0.25), at(0.5), at(0.75), at(0.95)], quantilesExact: this.seen <= SAMPLE_SIZE };
    }
    const top = this.values.top(5).map(({ text, count }) => ({ value: text.slice(0, 80), count }));
    return { ...base, histogram: top.map((t) => t.count), top };
  }
}

/** Linear interpolation between closest ranks (numpy's default), over sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)]) - sorted[lo]);
}

export class StatsAccumulator {
  private columns: ColumnAccumulator[] = [];

  constructor(names: readonly string[]) {
    this.setColumns(names);
  }

  /** New columns (JSONL keys seen later) start counting from now; earlier rows count as missing. */
  setColumns(names: readonly string[]): void {
    const rowsSoFar = this.columns[0] ? this.columns[0].count + this.columns[0].missing : 0;
    for (let i = this.columns.length; i < names.length; i++) {
      const column = new ColumnAccumulator(names[i], xorshift(0x2545f491 ^ Math.imul(i + 1, 0x9e3779b9)));
      column.missing = rowsSoFar;
      this.columns.push(column);
    }
  }

  add(row: readonly string[]): void {
    for (let i = 0; i < this.columns.length; i++) this.columns[i].add(row[i]);
  }

  /**
   * A quote-free CSV row bytes[rowStart, rowEnd): cell k counts in column mapping[k]. Returns the row's
   * cell count; cells past the mapping are not counted (the caller gives them columns: addOverflowCell).
   */
  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): number {
    const { mapping, source } = layout;
    const columns = this.columns;
    let cells = 0;
    const m = mapping.length;
    for (let p = rowStart; ; p += 1) {
      if (cells < m) {
        const column = columns[mapping[cells]];
        // Plain decimals first (most cells of most files): read where the cell is found.
        const stop = readDecimal(bytes, p, rowEnd);
        if (decimal.plain && (stop === rowEnd || bytes[stop] === COMMA)) {
          column.count += 1;
          column.addNumber(decimal.value, !decimal.point);
          p = stop;
        } else p = column.scanCell(bytes, p, rowEnd);
      } else p = cellEnd(bytes, p, rowEnd);
      cells += 1;
      if (p >= rowEnd) break;
    }
    const n = Math.min(cells, mapping.length);
    if (source) columns[source.column].add(source.label);
    // Whatever the row has no cell for counts as missing, as add() counts an absent cell.
    if (n + (source ? 1 : 0) === columns.length) return cells;
    for (let k = n; k < mapping.length; k++) columns[mapping[k]].add(undefined);
    for (const column of this.absentFrom(layout)) columns[column].add(undefined);
    return cells;
  }

  /** A cell of the row just added in a column made for it after the row was counted (as missing there). */
  addOverflowCell(column: number, text: string): void {
    const accumulator = this.columns[column];
    accumulator.missing -= 1;
    accumulator.add(text);
  }

  private absent = new WeakMap<ByteRowLayout, { columns: number; mapped: number; absent: number[] }>();

  /**
   * Columns a layout never fills (other files' columns), recomputed when columns are added or the mapping
   * grows (an overflow column another file made first joins the mapping without a new column).
   */
  private absentFrom(layout: ByteRowLayout): number[] {
    const known = this.absent.get(layout);
    if (known?.columns === this.columns.length && known.mapped === layout.mapping.length) return known.absent;
    const filled = new Set([...layout.mapping, ...(layout.source ? [layout.source.column] : [])]);
    const absent = this.columns.map((_, i) => i).filter((i) => !filled.has(i));
    this.absent.set(layout, { columns: this.columns.length, mapped: layout.mapping.length, absent });
    return absent;
  }

  snapshot(): ColumnStats[] {
    return this.columns.map((c) => c.snapshot());
  }

  /** Cells counted from bytes that were not valid UTF-8 (taken: the count restarts). */
  takeReplacements(): number {
    let n = 0;
    for (const column of this.columns) {
      n += column.replacements;
      column.replacements = 0;
    }
    return n;
  }
}

/**
 * xorshift: deterministic sampling, so the same file gives the same histogram. One generator per column:
 * columns draw when their own batch of numbers is counted, so a shared one would depend on that order.
 */
function xorshift(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}
