// What a collected file holds, judged from its first bytes: text is read (decompressed, transcoded when it
// is not UTF-8) with a notice saying so; anything that is not text is refused in words.
import type { Notice } from "../protocol";
import { sniffContent, type ContentKind, type TextEncoding } from "../core/table/sniff";
import { gunzipPrefix } from "./contentStream";

export interface Judged {
  gzip: boolean;
  encoding: TextEncoding;
  loneCr: boolean;
}

/** Judges `stored` (the file's first bytes; `complete` when they are all of it); `forced` is the user's encoding. */
export function judgeContent(label: string, stored: Buffer, complete: boolean, forced: TextEncoding | undefined): { content: Judged; plain: Buffer; notices: Notice[] } {
  let kind: ContentKind = sniffContent(stored, complete);
  const gzip = kind.kind === "gzip";
  // The bytes as text would hold them (decompressed once, here).
  const plain = gzip ? gunzipPrefix(stored) : stored;
  if (gzip) kind = sniffContent(plain, complete);
  if (kind.kind === "binary") {
    throw new Error(`${label} holds ${kind.what}, not CSV or JSONL text, so it cannot be previewed. Use Save Raw File… or Download… to inspect it.`);
  }
  if (kind.kind !== "text") throw new Error(`${label} is compressed twice; decompress it first.`);
  const encoding = forced ?? kind.encoding;
  const notices: Notice[] = [];
  if (gzip) notices.push({ id: "gzip", text: "Decompressed gzip data as it streamed." });
  if (encoding === "utf16le" || encoding === "utf16be") notices.push({ id: "utf16", text: `Read as ${encoding === "utf16le" ? "UTF-16 LE" : "UTF-16 BE"} (the file starts with its byte-order mark).` });
  if (forced === "latin1") notices.push({ id: "latin1", text: "Read as Latin-1 (ISO-8859-1), as asked." });
  else if (kind.invalidUtf8At !== undefined) {
    notices.push({ id: "invalidUtf8", text: `${label} is not valid UTF-8 (first at byte ${kind.invalidUtf8At.toLocaleString("en-US")}): such bytes show as �. It may be Latin-1 (ISO-8859-1) or Windows-1252 text.`,
      action: { label: "Reopen as Latin-1", kind: "reopenLatin1" } });
  }
  return { content: { gzip, encoding, loneCr: kind.loneCr }, plain, notices };
}
