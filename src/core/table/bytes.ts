// Byte-level helpers for quote-free CSV cells: hashing, ASCII checks and the same classifications the
// string path makes with regular expressions, without making a string per cell.

const decoder = new TextDecoder("utf-8");
export const COMMA = 44;

/** Where the quote-free cell starting at `start` ends: its comma, or the row's end. */
export function cellEnd(bytes: Uint8Array, start: number, rowEnd: number): number {
  // A loop: cells are short, and Uint8Array's indexOf cost 19 ns a cell here against 8.
  let i = start;
  while (i < rowEnd && bytes[i] !== COMMA) i++;
  return i;
}

/** Views of a buffer as 32-bit words, for countCells (one kept: rows come a chunk at a time). */
let wordsBuffer: ArrayBufferLike | undefined;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * The cells of the quote-free row bytes[start, end): its commas plus one. Four bytes at a time (a comma
 * is a zero byte of the word XOR 0x2C2C2C2C, and those are counted exactly): ~120 ns a 230-byte row here
 * against ~230 for a loop over the bytes.
 */
export function countCells(bytes: Uint8Array, start: number, end: number): number {
  const base = bytes.byteOffset;
  if (bytes.buffer !== wordsBuffer) {
    wordsBuffer = bytes.buffer;
    words = new Uint32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2);
  }
  let cells = 1;
  let at = base + start;
  const stop = base + end;
  while (at < stop && (at & 3) !== 0) if (bytes[at++ - base] === COMMA) cells += 1;
  const lastWord = stop >>> 2;
  let w = at >>> 2;
  for (; w < lastWord; w++) {
    const x = words[w] ^ 0x2c2c2c2c;
    // The high bit of each zero byte of x, and of no other byte.
    const zeros = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    cells += Math.imul(zeros >>> 7, 0x01010101) >>> 24;
  }
  for (at = Math.max(at, w << 2); at < stop; at++) if (bytes[at - base] === COMMA) cells += 1;
  return cells;
}

// Two 32-bit FNV-style hashes, seeds and multipliers shared by the string path (hashText) and the byte scan
// (stats' scanCell, which hashes while it looks for a cell's end): for ASCII text both give the same key.
export const HASH_SEED_1 = 0x811c9dc5;
export const HASH_SEED_2 = 0x9747b28c;
export const HASH_MULTIPLIER_1 = 0x01000193;
export const HASH_MULTIPLIER_2 = 0x5bd1e995;

/** A 53-bit hash of a string's UTF-16 code units; for ASCII text it equals the hash the byte scan computes. */
export function hashText(text: string): number {
  let h1 = HASH_SEED_1;
  let h2 = HASH_SEED_2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, HASH_MULTIPLIER_1);
    h2 = Math.imul(h2 ^ c, HASH_MULTIPLIER_2);
  }
  return combineHashes(h1, h2);
}

/** The two 32-bit hashes as one 53-bit key. */
export function combineHashes(h1: number, h2: number): number {
  return (h1 >>> 0) * 2097152 + (h2 >>> 11);
}

export function isAsciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] > 127) return false;
  return true;
}

export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  return end - start < 64 ? String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]) : decoder.decode(bytes.subarray(start, end));
}

export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

/** bytes[start, end) as text: ASCII directly, anything else as UTF-8. */
export function bytesText(bytes: Uint8Array, start: number, end: number): string {
  return isAsciiBytes(bytes, start, end) ? asciiText(bytes, start, end) : utf8Text(bytes, start, end);
}

/** The cells of a quote-free CSV row bytes[start, end): one decode, then a split (a comma byte is never part of a multi-byte character). */
export function splitCells(bytes: Uint8Array, start: number, end: number): string[] {
  return bytesText(bytes, start, end).split(",");
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Below 2^53 every integer is exact: 15 decimal digits always fit. */
const MAX_FAST_DIGITS = 15;

/** What the last readDecimal() found. */
export const decimal = { value: 0, digits: 0, plain: false, point: false };

/**
 * Reads a plain decimal (a sign, digits, one point) from bytes[start] on, before `end`; returns where it
 * stopped (whether the cell ends there is the caller's to check). `decimal.plain`: it had 1 to 15 digits,
 * so `decimal.value` (m / 10^k, both exact: correctly rounded, what Number() gives for the same text) is
 * the number. The one reader of plain decimals for statistics, compares and sort keys: a small function
 * V8 inlines into their loops.
 */
export function readDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = i < end ? bytes[i] : -1;
  const negative = c === 45;
  if (negative || c === 43) c = ++i < end ? bytes[i] : -1;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (;;) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits += 1;
      if (fraction >= 0) fraction += 1;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else break;
    c = ++i < end ? bytes[i] : -1;
  }
  decimal.digits = digits;
  decimal.plain = digits > 0 && digits <= MAX_FAST_DIGITS;
  decimal.point = fraction >= 0;
  const magnitude = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
  decimal.value = negative ? -magnitude : magnitude;
  return i;
}

/** A cell that is a plain decimal or scientific number, as a CSV reader or a schema would call it (not " 5", "0x1A" or "Infinity"). */
export const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The words pandas and JSON write for a missing value (none longer than four characters). */
export const MISSING_WORDS: readonly string[] = ["nan", "NaN", "None", "null", "NULL"];
const MISSING = MISSING_WORDS.map((w) => Array.from(w, (c) => c.charCodeAt(0)));

/** One of MISSING_WORDS. */
export function isMissingWord(bytes: Uint8Array, start: number, length: number): boolean {
  return MISSING.some((word) => word.length === length && word.every((c, i) => bytes[start + i] === c));
}

/** A cell starting with this character code could be a number for Number(): a digit, - + or . */
export function startsLikeNumber(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 45 || code === 43 || code === 46;
}

/** A cell starting with this character code could be true / false: t T f F. */
export function startsLikeBoolean(code: number): boolean {
  return code === 116 || code === 84 || code === 102 || code === 70;
}

/** true / false in any letter case, as /^(true|false)$/i. */
export function isBooleanBytes(bytes: Uint8Array, start: number, length: number): boolean {
  const word = length === 4 ? "true" : length === 5 ? "false" : "";
  if (!word) return false;
  for (let i = 0; i < length; i++) if ((bytes[start + i] | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** The stats' DATETIME pattern: yyyy-mm-dd, optionally [T ]hh:mm[:ss[.fff]] and Z or ±hh[:]mm. */
export function isDatetimeBytes(bytes: Uint8Array, start: number, end: number): boolean {
  // Written without closures: this runs once per date cell.
  if (end - start < 10 || !digits(bytes, start, 4, end) || bytes[start + 4] !== 45 || !digits(bytes, start + 5, 2, end) || bytes[start + 7] !== 45 || !digits(bytes, start + 8, 2, end)) return false;
  let i = start + 10;
  if (i === end) return true;
  if (!((bytes[i] === 84 || bytes[i] === 32) && digits(bytes, i + 1, 2, end) && i + 3 < end && bytes[i + 3] === 58 && digits(bytes, i + 4, 2, end))) return false;
  i += 6;
  if (i < end && bytes[i] === 58) {
    if (!digits(bytes, i + 1, 2, end)) return false;
    i += 3;
    if (i < end && bytes[i] === 46) {
      let j = i + 1;
      while (j < end && bytes[j] >= 48 && bytes[j] <= 57) j++;
      if (j === i + 1) return false;
      i = j;
    }
  }
  if (i === end) return true;
  if (bytes[i] === 90) return i + 1 === end;
  if (bytes[i] !== 43 && bytes[i] !== 45) return false;
  if (!digits(bytes, i + 1, 2, end)) return false;
  i += 3;
  if (i < end && bytes[i] === 58) i += 1;
  return digits(bytes, i, 2, end) && i + 2 === end;
}

/** bytes[from, from + count) are all ASCII digits, within end. */
function digits(bytes: Uint8Array, from: number, count: number, end: number): boolean {
  if (from + count > end) return false;
  for (let k = from; k < from + count; k++) if (bytes[k] < 48 || bytes[k] > 57) return false;
  return true;
}
