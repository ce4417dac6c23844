// Sort keys that make sorting half a million rows cheap: numbers as a Float64Array (parsed once per column,
// straight from the bytes when they are plain decimals), text as ranks of its distinct values (CellIds; the
// collator runs once per distinct value, not once per comparison), and a stable LSD radix sort over either.
import { bytesText, decimal, readDecimal } from "./bytes";

/** bytes[start, end) as a plain decimal (sign, digits, one point, ≤ 15 digits), or NaN when it is anything else. */
function plainDecimal(bytes: Uint8Array, start: number, end: number): number {
  return readDecimal(bytes, start, end) < end || !decimal.plain ? NaN : decimal.value;
}

/** Number(text) of the cell bytes[start, end), with an empty cell as NaN (missing): plain decimals here, the rest by Number(). */
export function numberOfBytes(bytes: Uint8Array, start: number, end: number): number {
  if (start >= end) return NaN;
  const value = plainDecimal(bytes, start, end);
  return Number.isNaN(value) ? Number(bytesText(bytes, start, end)) : value;
}

export function numberOfText(text: string): number {
  return text === "" ? NaN : Number(text);
}

/**
 * The rows `indices` (ascending; all rows 0…n-1 when undefined) ordered by `keys[row]`; missing values (NaN)
 * last in either direction, ties in row order. Gives up (undefined) when `keepGoing` says so between passes.
 */
export function sortByNumbers(indices: Uint32Array | undefined, n: number, keys: Float64Array, descending: boolean, keepGoing: () => boolean): Uint32Array | undefined {
  // Fresh memory costs here about as much as the sort itself (~2.5 ms a MB in page faults on a small VM):
  // the arrays are few, and the missing rows wait at the end of `rows` (last first) instead of in their own.
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  const rows = new Uint32Array(n);
  const count = numberKeyBits(indices, n, keys, descending, rows, lo, hi);
  const sorted = radixSort(rows, count, lo, hi, keepGoing);
  if (!sorted) return undefined;
  // The missing rows, in row order after the rest (the sort wrote only below `count`).
  if (sorted === rows) rows.subarray(count).reverse();
  else for (let k = 0; k < n - count; k++) sorted[count + k] = rows[n - 1 - k];
  return sorted;
}

const keyBits = new Float64Array(1);
const keyWords = new Int32Array(keyBits.buffer);

/**
 * Each row's number as 64 key bits (hi, lo) whose unsigned order is the numeric order, its row in `rows`;
 * rows without a number from the end of `rows` backwards. Returns how many have a number.
 */
function numberKeyBits(indices: Uint32Array | undefined, n: number, keys: Float64Array, descending: boolean, rows: Uint32Array, lo: Int32Array, hi: Int32Array): number {
  const flip = descending ? -1 : 0;
  let count = 0;
  let absent = 0;
  for (let i = 0; i < n; i++) {
    const row = indices ? indices[i] : i;
    const value = keys[row];
    if (value !== value) {
      absent += 1;
      rows[n - absent] = row;
      continue;
    }
    // -0 and 0 compare equal: one key. Flipping the sign bit (or every bit of a negative) makes the
    // unsigned order of the bits the numeric order; descending flips every bit again.
    keyBits[0] = value === 0 ? 0 : value;
    let h = keyWords[1];
    let l = keyWords[0];
    if (h < 0) {
      h = ~h;
      l = ~l;
    } else h = h | 0x80000000;
    hi[count] = h ^ flip;
    lo[count] = l ^ flip;
    rows[count] = row;
    count += 1;
  }
  return count;
}

/** The rows `indices` (ascending; all rows when undefined) ordered by the rank of their cell's id (`ofId[ids[row]]`), ties in row order. */
export function sortByRanks(indices: Uint32Array | undefined, n: number, ids: Uint32Array, ofId: Uint32Array, distinct: number, descending: boolean, keepGoing: () => boolean): Uint32Array | undefined {
  const keys = new Int32Array(n);
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const row = indices ? indices[i] : i;
    const rank = ofId[ids[row]];
    keys[i] = descending ? distinct - 1 - rank : rank;
    rows[i] = row;
  }
  return radixSort(rows, n, keys, undefined, keepGoing);
}

// The radix sort is a few small functions of one loop each: V8 optimizes each whole. As one function of
// many loops it was compiled loop by loop on the fly and thrown away again as each loop met new types (a
// first sort of half a million rows took 4× the time of the next).

/**
 * A stable LSD radix sort of rows[0, count) by the unsigned 64-bit keys (hi, lo), 16 bits a pass: the four
 * digit histograms come from one read, and a pass whose digit is the same for every row is skipped. Returns
 * `rows` or an array of its length whose first `count` are the sorted rows.
 */
function radixSort(rows: Uint32Array, count: number, lo: Int32Array, hi: Int32Array | undefined, keepGoing: () => boolean): Uint32Array | undefined {
  const passes = hi ? 4 : 2;
  const counts = new Uint32Array(65536 * passes);
  digitHistograms(lo, count, counts, 0);
  if (hi) digitHistograms(hi, count, counts, 131072);
  let fromRows = rows;
  let fromLo = lo;
  let fromHi = hi;
  let toRows: Uint32Array | undefined;
  let toLo: Int32Array | undefined;
  let toHi: Int32Array | undefined;
  for (let pass = 0; pass < passes; pass++) {
    if (!keepGoing()) return undefined;
    const base = pass * 65536;
    const key = pass < 2 ? fromLo : fromHi!;
    const shift = pass % 2 === 0 ? 0 : 16;
    if (count === 0 || counts[base + ((key[0] >>> shift) & 0xffff)] === count) continue;
    prefixSums(counts, base);
    toRows ??= new Uint32Array(rows.length);
    // Which key words still travel with the rows is fixed within a pass: the low word until its second
    // digit is placed, the high word until its last.
    if (pass === 0) toLo = new Int32Array(count);
    if (hi && pass < 3) toHi ??= new Int32Array(count);
    if (pass === 0 && fromHi) scatterWithTwo(counts, base, shift, count, key, fromRows, toRows, fromLo, toLo!, fromHi, toHi!);
    else if (pass === 0 || (pass < 3 && fromHi)) scatterWithOne(counts, base, shift, count, key, fromRows, toRows, pass === 0 ? fromLo : fromHi!, pass === 0 ? toLo! : toHi!);
    else scatterRows(counts, base, shift, count, key, fromRows, toRows);
    [fromRows, toRows] = [toRows, fromRows];
    if (pass < 1) [fromLo, toLo] = [toLo!, fromLo];
    if (fromHi && pass < 3) [fromHi, toHi] = [toHi!, fromHi];
  }
  return fromRows;
}

function digitHistograms(words: Int32Array, count: number, counts: Uint32Array, base: number): void {
  for (let i = 0; i < count; i++) {
    const w = words[i];
    counts[base + (w & 0xffff)] += 1;
    counts[base + 65536 + (w >>> 16)] += 1;
  }
}

function prefixSums(counts: Uint32Array, base: number): void {
  let sum = 0;
  for (let d = base; d < base + 65536; d++) {
    const c = counts[d];
    counts[d] = sum;
    sum += c;
  }
}

function scatterWithTwo(counts: Uint32Array, base: number, shift: number, count: number, key: Int32Array, fromRows: Uint32Array, toRows: Uint32Array, fromA: Int32Array, toA: Int32Array, fromB: Int32Array, toB: Int32Array): void {
  for (let i = 0; i < count; i++) {
    const at = counts[base + ((key[i] >>> shift) & 0xffff)]++;
    toRows[at] = fromRows[i];
    toA[at] = fromA[i];
    toB[at] = fromB[i];
  }
}

function scatterWithOne(counts: Uint32Array, base: number, shift: number, count: number, key: Int32Array, fromRows: Uint32Array, toRows: Uint32Array, fromA: Int32Array, toA: Int32Array): void {
  for (let i = 0; i < count; i++) {
    const at = counts[base + ((key[i] >>> shift) & 0xffff)]++;
    toRows[at] = fromRows[i];
    toA[at] = fromA[i];
  }
}

function scatterRows(counts: Uint32Array, base: number, shift: number, count: number, key: Int32Array, fromRows: Uint32Array, toRows: Uint32Array): void {
  for (let i = 0; i < count; i++) toRows[counts[base + ((key[i] >>> shift) & 0xffff)]++] = fromRows[i];
}

/** A sorted copy of numbers without NaN (-0 before 0, as TypedArray sort). */
export function sortedNumbers(values: Float64Array): Float64Array {
  const copy = values.slice();
  sortNumbersInPlace(copy);
  return copy;
}

/**
 * Sorts numbers without NaN where they are (-0 before 0, as TypedArray sort), by an LSD radix sort of their
 * bits: ~1.7× faster than the native sort at 700,000 values here, and a compare sorts millions. Its working
 * arrays are kept for the next sort (releaseSortScratch frees them): a compare sorts a column a day, and
 * fresh memory cost more here than the sort itself (~2.5 ms a MB in page faults).
 */
export function sortNumbersInPlace(values: Float64Array): void {
  const n = values.length;
  if (n < 4096) {
    values.sort();
    return;
  }
  const { lo, hi, loNext, hiNext, counts } = sortScratch(n);
  counts.fill(0);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  numberKeys(words, n, lo, hi, counts);
  let fromLo = lo;
  let fromHi = hi;
  let toLo = loNext;
  let toHi = hiNext;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    const key = pass < 2 ? fromLo : fromHi;
    const shift = pass % 2 === 0 ? 0 : 16;
    if (counts[base + ((key[0] >>> shift) & 0xffff)] === n) continue;
    prefixSums(counts, base);
    scatterPairs(counts, base, shift, n, key, fromLo, fromHi, toLo, toHi);
    [fromLo, toLo] = [toLo, fromLo];
    [fromHi, toHi] = [toHi, fromHi];
  }
  numbersOfKeys(words, n, fromLo, fromHi);
}

let scratch: { lo: Int32Array; hi: Int32Array; loNext: Int32Array; hiNext: Int32Array; counts: Uint32Array } | undefined;

function sortScratch(n: number): NonNullable<typeof scratch> {
  if (!scratch || scratch.lo.length < n) {
    const words = new Int32Array(4 * n);
    scratch = { lo: words.subarray(0, n), hi: words.subarray(n, 2 * n), loNext: words.subarray(2 * n, 3 * n), hiNext: words.subarray(3 * n), counts: scratch?.counts ?? new Uint32Array(65536 * 4) };
  }
  return scratch;
}

let merging: Float64Array | undefined;

/** Two working arrays of n numbers each for merging sorted runs (kept like sortNumbersInPlace's). */
export function mergeScratch(n: number): [Float64Array, Float64Array] {
  if (!merging || merging.length < 2 * n) merging = new Float64Array(2 * n);
  return [merging.subarray(0, n), merging.subarray(n, 2 * n)];
}

/** Lets the working arrays of sortNumbersInPlace and mergeScratch go (a compare is done). */
export function releaseSortScratch(): void {
  scratch = undefined;
  merging = undefined;
}

/** Each number's bits as a key (hi, lo) whose unsigned order is the numeric order, and the four digit histograms. */
function numberKeys(words: Uint32Array, n: number, lo: Int32Array, hi: Int32Array, counts: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    let l = words[2 * i] | 0;
    let h = words[2 * i + 1] | 0;
    // Flip the sign bit of positives and every bit of negatives.
    if (h < 0) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    lo[i] = l;
    hi[i] = h;
    counts[l & 0xffff] += 1;
    counts[65536 + (l >>> 16)] += 1;
    counts[131072 + (h & 0xffff)] += 1;
    counts[196608 + (h >>> 16)] += 1;
  }
}

function scatterPairs(counts: Uint32Array, base: number, shift: number, n: number, key: Int32Array, fromLo: Int32Array, fromHi: Int32Array, toLo: Int32Array, toHi: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const at = counts[base + ((key[i] >>> shift) & 0xffff)]++;
    toLo[at] = fromLo[i];
    toHi[at] = fromHi[i];
  }
}

/** The keys back to the numbers' bits (numberKeys undone). */
function numbersOfKeys(words: Uint32Array, n: number, lo: Int32Array, hi: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let l = lo[i];
    let h = hi[i];
    if (h < 0) h &= 0x7fffffff;
    else {
      h = ~h;
      l = ~l;
    }
    words[2 * i] = l;
    words[2 * i + 1] = h;
  }
}
