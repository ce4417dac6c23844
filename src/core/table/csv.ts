// CSV per RFC 4180 through papaparse: quoted fields with commas, quotes and newlines; CRLF or LF; BOM.
// Ragged rows are kept (and counted by the caller), never fatal.
import Papa from "papaparse";
import { cancelledError } from "../errors";

const BOM = "\uFEFF";

/**
 * The file's line ending, from a sample of its start (text, or the bytes of a ranged read): papaparse's own
 * guess can be fooled by quoted fields and by small first chunks, which leaves a stray \r on the last cell
 * of CRLF rows.
 */
export function detectNewline(sample: string | Uint8Array): "\r\n" | "\n" {
  const text = typeof sample === "string";
  const lf = text ? sample.indexOf("\n") : sample.indexOf(10);
  if (lf <= 0) return "\n";
  return (text ? sample.charCodeAt(lf - 1) : sample[lf - 1]) === 13 ? "\r\n" : "\n";
}

/**
 * Parses the start of a file (a ranged read). Unless the text is the whole file, the last row may be cut
 * in the middle (even inside a quoted field spanning lines), so it is dropped.
 */
export function parseCsvPrefix(text: string, complete: boolean): string[][] {
  const body = stripBom(text);
  const rows = body.includes('"') ? Papa.parse<string[]>(body, { skipEmptyLines: false, newline: detectNewline(body) }).data : splitUnquoted(body);
  const kept = rows.filter((row) => !(row.length === 1 && row[0] === ""));
  if (!complete && kept.length > 0) kept.pop();
  return kept;
}

/**
 * Without a single quote character no field can hold a comma or a line break, so splitting is exact — and
 * several times faster than a general parser. (The first screen of a preview comes from here.)
 */
function splitUnquoted(text: string): string[][] {
  const newline = detectNewline(text);
  return text.split(newline).map((line) => line.split(","));
}

export interface CsvStreamOptions {
  signal?: AbortSignal;
  /** Rows are delivered in batches of about this many. */
  batchSize?: number;
  /** The line ending (see detectNewline); guessed from the first chunk when absent. */
  newline?: "\r\n" | "\n";
}

/** Streams rows from a Node readable (the SDK's download stream) in batches; resolves when it ends. */
export function streamCsv(input: NodeJS.ReadableStream, onRows: (rows: string[][]) => void, options: CsvStreamOptions = {}): Promise<void> {
  const batchSize = options.batchSize ?? 2000;
  return new Promise((resolve, reject) => {
    let batch: string[][] = [];
    let first = true;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (batch.length > 0 && !error) onRows(batch);
      batch = [];
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => {
      (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      finish(cancelledError());
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    input.on("error", (error) => finish(error));
    Papa.parse<string[]>(input as unknown as File, {
      skipEmptyLines: false,
      newline: options.newline,
      step: (result, parser) => {
        if (settled) return parser.abort();
        const row = result.data;
        if (row.length === 1 && row[0] === "") return;
        if (first) {
          first = false;
          if (row[0]?.startsWith(BOM)) row[0] = row[0].slice(1);
        }
        batch.push(row);
        if (batch.length >= batchSize) {
          onRows(batch);
          batch = [];
        }
      },
      complete: () => finish(),
      error: (error: Error) => finish(error),
    });
  });
}

function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}
