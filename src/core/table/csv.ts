// CSV per RFC 4180 through papaparse: quoted fields with commas, quotes and newlines; CRLF or LF; BOM.
// Ragged rows are kept (and counted by the caller), never fatal.
import Papa from "papaparse";
import { cancelledError } from "../errors";
import { Transform } from "node:stream";
import { NewlineNormalizer, normalizeNewlines } from "./newlines";

const BOM = "\uFEFF";

/**
 * Parses the start of a file (a ranged read). Unless the text is the whole file, the last row may be cut
 * in the middle (even inside a quoted field spanning lines), so it is dropped.
 */
export function parseCsvPrefix(text: string, complete: boolean): string[][] {
  const body = normalizeNewlines(stripBom(text));
  let unclosed = false;
  let rows: string[][];
  if (body.includes('"')) {
    const parsed = Papa.parse<string[]>(body, { skipEmptyLines: false, newline: "\n" });
    rows = parsed.data;
    unclosed = parsed.errors.some((e) => e.code === "MissingQuotes");
  } else rows = splitUnquoted(body);
  const kept = rows.filter((row) => !(row.length === 1 && row[0] === ""));
  // A quote that never closes swallowed the rest into the last row: never shown (the stream reports it).
  if ((!complete || unclosed) && kept.length > 0) kept.pop();
  return kept;
}

/**
 * Without a single quote character no field can hold a comma or a line break, so splitting is exact — and
 * several times faster than a general parser. (The first screen of a preview comes from here.)
 */
function splitUnquoted(text: string): string[][] {
  return text.split("\n").map((line) => line.split(","));
}

export interface CsvStreamOptions {
  signal?: AbortSignal;
  /** Rows are delivered in batches of about this many. */
  batchSize?: number;
}

/** A quoted field that never closes: the parser read the rest of the input as that one cell. */
export interface UnclosedQuote {
  /** The rows delivered before the broken one. */
  rowsBefore: number;
  /** The broken row as parsed (its last cell holds everything after the opening quote). */
  row: string[];
}

/**
 * Streams rows from a Node readable of text in batches; resolves when it ends. Line endings of every kind
 * are accepted (see NewlineNormalizer). A quote that never closes ends the rows there: the broken row is not
 * delivered, `onUnclosedQuote` is told instead.
 */
export function streamCsv(input: NodeJS.ReadableStream, onRows: (rows: string[][]) => void, options: CsvStreamOptions & { onUnclosedQuote?: (issue: UnclosedQuote) => void } = {}): Promise<void> {
  const batchSize = options.batchSize ?? 2000;
  const normalizer = new NewlineNormalizer();
  const normalized = new Transform({
    decodeStrings: false,
    transform(chunk: string | Buffer, _encoding, done) {
      done(null, normalizer.push(typeof chunk === "string" ? chunk : chunk.toString("utf8")));
    },
    flush(done) {
      done(null, normalizer.push("", true));
    },
  });
  input.on("error", (error) => normalized.destroy(error));
  input.pipe(normalized);
  return new Promise((resolve, reject) => {
    let batch: string[][] = [];
    let delivered = 0;
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
      normalized.destroy();
      finish(cancelledError());
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    normalized.on("error", (error) => finish(error));
    Papa.parse<string[]>(normalized as unknown as File, {
      skipEmptyLines: false,
      newline: "\n",
      step: (result, parser) => {
        if (settled) return parser.abort();
        const row = result.data;
        if (first) {
          first = false;
          if (row[0]?.startsWith(BOM)) row[0] = row[0].slice(1);
        }
        if (result.errors.some((e) => e.code === "MissingQuotes")) {
          options.onUnclosedQuote?.({ rowsBefore: delivered + batch.length, row });
          return;
        }
        if (row.length === 1 && row[0] === "") return;
        batch.push(row);
        if (batch.length >= batchSize) {
          delivered += batch.length;
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
