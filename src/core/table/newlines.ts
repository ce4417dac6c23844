// Every line-ending convention, in one file too: CRLF and a lone CR outside quoted fields become LF, so the
// RFC 4180 parser splits rows on LF alone. Quoted fields keep their own line breaks as written. Streaming:
// the quote state and a CR at the end of a chunk carry over to the next one.

export class NewlineNormalizer {
  private inQuotes = false;
  private pendingCr = false;

  push(text: string, final = false): string {
    let out = "";
    let i = 0;
    if (this.pendingCr && (text.length > 0 || final)) {
      this.pendingCr = false;
      out = "\n";
      if (text.charCodeAt(0) === 10) i = 1;
    }
    while (i < text.length) {
      const quote = text.indexOf('"', i);
      if (this.inQuotes) {
        if (quote < 0) return out + text.slice(i);
        out += text.slice(i, quote + 1);
        this.inQuotes = false;
        i = quote + 1;
        continue;
      }
      let segment = text.slice(i, quote < 0 ? text.length : quote);
      if (quote < 0 && !final && segment.endsWith("\r")) {
        // Its LF may be the next chunk's first character.
        segment = segment.slice(0, -1);
        this.pendingCr = true;
      }
      out += segment.includes("\r") ? segment.replace(/\r\n?/g, "\n") : segment;
      if (quote < 0) return out;
      out += '"';
      this.inQuotes = true;
      i = quote + 1;
    }
    return out;
  }
}

/** Whole text at once. */
export function normalizeNewlines(text: string): string {
  return new NewlineNormalizer().push(text, true);
}

/** Whether `bytes` hold a CR that is not followed by LF (Classic Mac line endings, or a mix). */
export function hasLoneCr(bytes: Uint8Array, complete: boolean): boolean {
  for (let cr = bytes.indexOf(13); cr >= 0; cr = bytes.indexOf(13, cr + 1)) {
    if (cr + 1 < bytes.length ? bytes[cr + 1] !== 10 : complete) return true;
  }
  return false;
}
