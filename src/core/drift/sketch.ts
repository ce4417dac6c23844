// A window too large to hold exactly (past EXACT_VALUES values of one feature) goes into a mergeable
// sketch: a histogram of 2^20 equal buckets over a power-of-two-aligned range that doubles (merging bucket
// pairs) when a value falls outside. Every value is off by at most one bucket width (range / 1,048,576):
// the metrics built on it stay within 0.005 of the exact ones (tested against SciPy on 5,000,000 values).

/**
 * Values of one feature in one window held exactly (8 MB); past this, the window becomes a sketch (4 MB), so
 * a compare's memory stops growing with its windows' length: at 4,000,000 a 20-feature compare of two
 * 28-day windows held 1.3 GB.
 */
export const EXACT_VALUES = 1_000_000;
const BUCKETS = 1 << 20;

export class NumberSketch {
  /** Counts per bucket: 32 bits hold four billion values a window, in half the memory of doubles. */
  private counts = new Uint32Array(BUCKETS);
  /** The first bucket's start: a multiple of `width` (a power of two), so merges re-bin exactly. */
  private lo = 0;
  private width = 0;
  total = 0;
  min = Infinity;
  max = -Infinity;

  /**
   * A sketch that crossed a thread (a structured clone keeps its fields, not its class): the same fields,
   * its counts not copied.
   */
  static revive(fields: NumberSketch): NumberSketch {
    return Object.assign(Object.create(NumberSketch.prototype) as NumberSketch, fields);
  }

  /** The memory a transfer can move instead of copying. */
  get transferable(): ArrayBuffer {
    return this.counts.buffer;
  }

  /** A sketch of these values, with a range that fits them. */
  static of(values: Float64Array): NumberSketch {
    const sketch = new NumberSketch();
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < min) min = values[i];
      if (values[i] > max) max = values[i];
    }
    if (values.length > 0) sketch.fit(min, max);
    for (let i = 0; i < values.length; i++) sketch.add(values[i]);
    return sketch;
  }

  private fit(min: number, max: number): void {
    const span = Math.max(max - min, Math.abs(min) * 1e-12, Number.MIN_VALUE);
    this.width = 2 ** Math.ceil(Math.log2(span / (BUCKETS / 2)));
    this.lo = Math.floor(min / this.width) * this.width;
    // span ≤ half the buckets: max fits whatever the alignment took off the start.
  }

  /** Widens the range (doubling the bucket width, buckets merging exactly) until low..high fits. */
  private ensure(low: number, high: number): void {
    if (this.width === 0) {
      this.fit(low, high);
      return;
    }
    if (low >= this.lo && high < this.lo + this.width * BUCKETS) return;
    // Only min..max holds values: the new grid must cover that and the new value.
    const needLow = Math.min(low, this.min);
    const needHigh = Math.max(high, this.max);
    let width = this.width;
    let lo: number;
    do {
      width *= 2;
      lo = Math.floor(needLow / width) * width;
    } while (needHigh >= lo + width * BUCKETS);
    const counts = new Uint32Array(BUCKETS);
    for (let i = 0; i < BUCKETS; i++) {
      if (this.counts[i] !== 0) counts[Math.floor((this.lo + i * this.width - lo) / width)] += this.counts[i];
    }
    this.counts = counts;
    this.width = width;
    this.lo = lo;
  }

  add(value: number, count = 1): void {
    this.ensure(value, value);
    this.counts[Math.min(BUCKETS - 1, Math.floor((value - this.lo) / this.width))] += count;
    this.total += count;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: NumberSketch): void {
    if (other.total === 0) return;
    for (const [value, count] of other.buckets()) this.add(value, count);
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Non-empty buckets as (value, count), ascending; a bucket's value is its middle, clamped to min..max. */
  *buckets(): Generator<[number, number]> {
    for (let i = 0; i < BUCKETS; i++) {
      if (this.counts[i] === 0) continue;
      yield [Math.min(this.max, Math.max(this.min, this.lo + (i + 0.5) * this.width)), this.counts[i]];
    }
  }

  /** Largest error of a value: one bucket. */
  get resolution(): number {
    return this.width;
  }

  weighted(): Weighted {
    const values: number[] = [];
    const weights: number[] = [];
    for (const [value, count] of this.buckets()) {
      values.push(value);
      weights.push(count);
    }
    return { values: Float64Array.from(values), weights: Float64Array.from(weights), total: this.total };
  }
}

/** Values ascending with how many rows each stands for. */
export interface Weighted {
  values: Float64Array;
  weights: Float64Array;
  total: number;
}

/** Exact sorted values as a weighted sample (ties kept as they are: one weight each). */
export function weightedOf(sortedValues: Float64Array): Weighted {
  return { values: sortedValues, weights: new Float64Array(sortedValues.length).fill(1), total: sortedValues.length };
}
