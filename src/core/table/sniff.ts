// What a collected file really holds, judged from its first bytes before any parsing: compressed or binary
// data is named and refused (or, for gzip, decompressed) instead of becoming a garbage grid; text is UTF-8
// (with or without a BOM) or UTF-16 by its BOM; UTF-8 that is not valid is found and reported.
import { isAscii, isUtf8 } from "node:buffer";
import { hasLoneCr } from "./newlines";

export type TextEncoding = "utf8" | "utf16le" | "utf16be" | "latin1";

export type ContentKind =
  | { kind: "text"; encoding: TextEncoding; /** First byte that is not valid UTF-8 (utf8 only). */ invalidUtf8At?: number; /** Line endings include a lone CR. */ loneCr: boolean }
  | { kind: "gzip" }
  | { kind: "binary"; what: string };

const MAGIC: Array<[number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive"],
  [[0x50, 0x41, 0x52, 0x31], "a Parquet file"],
  [[0x28, 0xb5, 0x2f, 0xfd], "zstd-compressed data"],
  [[0x42, 0x5a, 0x68], "bzip2-compressed data"],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "xz-compressed data"],
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x80, 0x04], "a Python pickle"], [[0x80, 0x05], "a Python pickle"],
];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export function sniffContent(bytes: Uint8Array, complete: boolean): ContentKind {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { kind: "gzip" };
  for (const [magic, what] of MAGIC) if (bytes.length >= magic.length && startsWith(bytes, magic)) return { kind: "binary", what };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { kind: "text", encoding: "utf16le", loneCr: false };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { kind: "text", encoding: "utf16be", loneCr: false };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { kind: "binary", what: `binary data (a NUL byte at byte ${nul})` };
  const invalid = firstInvalidUtf8(bytes, complete);
  if (invalid !== undefined && controlDensity(bytes) > 0.1) return { kind: "binary", what: "binary data (control bytes and invalid UTF-8)" };
  return { kind: "text", encoding: "utf8", invalidUtf8At: invalid, loneCr: hasLoneCr(bytes, complete) };
}

/** The offset of the first byte that breaks UTF-8; a sequence cut by the end of an incomplete range is fine. */
export function firstInvalidUtf8(bytes: Uint8Array, complete: boolean): number | undefined {
  // The native checks answer the usual case at once (a JS loop over 256 KiB is slow in a fresh thread).
  if (isAscii(bytes) || isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return complete ? i : undefined;
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      // Overlong forms and surrogates, as the decoder refuses them.
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return i;
    }
    i += length;
  }
  return undefined;
}

/** The share of bytes that are control characters no text file holds (not tab, LF, CR, FF). */
function controlDensity(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, 64 * 1024);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13) controls += 1;
  }
  return n === 0 ? 0 : controls / n;
}
