// Where an ASCII needle occurs in bytes, in any letter case. A global filter searches every held row (a
// hundred MB and more): making strings of the bytes for a regular expression cost more than the search.
// The needle's longest stretch without letters (an id's "-0042-", a date) has one spelling: the native
// Buffer.indexOf finds it and the rest is compared around each find. A needle of letters only is matched
// by the regular expression engine over the bytes read as Latin-1.

const MIN_ANCHOR = 3;

/** Every position in data[from, to) where `needle` (ASCII, lower case) starts, in any letter case, ascending; overlapping finds too. */
export function caselessHits(data: Buffer, from: number, to: number, needle: string): number[] {
  const anchor = letterFreeStretch(needle);
  return anchor.length >= MIN_ANCHOR ? anchoredHits(data, from, to, needle, anchor) : patternHits(data, from, to, needle);
}

function letterFreeStretch(needle: string): { at: number; length: number } {
  let best = { at: 0, length: 0 };
  let start = 0;
  for (let i = 0; i <= needle.length; i++) {
    if (i < needle.length && !isLetter(needle.charCodeAt(i))) continue;
    if (i - start > best.length) best = { at: start, length: i - start };
    start = i + 1;
  }
  return best;
}

function anchoredHits(data: Buffer, from: number, to: number, needle: string, anchor: { at: number; length: number }): number[] {
  const anchorBytes = Buffer.from(needle.slice(anchor.at, anchor.at + anchor.length), "latin1");
  const codes = Array.from(needle, (c) => c.charCodeAt(0));
  const hits: number[] = [];
  for (let found = data.indexOf(anchorBytes, from + anchor.at); found >= 0; found = data.indexOf(anchorBytes, found + 1)) {
    const start = found - anchor.at;
    if (start + codes.length > to) break;
    if (sameCaseless(data, start, codes)) hits.push(start);
  }
  return hits;
}

function sameCaseless(data: Buffer, start: number, codes: readonly number[]): boolean {
  for (let i = 0; i < codes.length; i++) {
    const c = data[start + i];
    // The needle is lower case: an upper-case letter of the data is compared as its lower case.
    if (c !== codes[i] && !(c >= 65 && c <= 90 && (c | 0x20) === codes[i])) return false;
  }
  return true;
}

function patternHits(data: Buffer, from: number, to: number, needle: string): number[] {
  // Irregexp over the bytes as Latin-1 (one character a byte); without the u flag, a character above 0x7f
  // never matches an ASCII letter.
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "gi");
  const text = data.toString("latin1", from, to);
  const hits: number[] = [];
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    hits.push(from + found.index);
    // Overlapping finds count too (a row may start inside an earlier one's span).
    pattern.lastIndex = found.index + 1;
  }
  return hits;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
