// Reads one CSV download stream: quote-free stretches are split as bytes (QuoteFreeCsvSplitter), and from
// the first quote on the rest goes through the RFC 4180 parser as text. The first rows always come as
// text, so the caller can decide the header from them.
import { Readable } from "node:stream";
import { QuoteFreeCsvSplitter } from "../core/table/csvBytes";
import { streamCsv, type UnclosedQuote } from "../core/table/csv";
import { splitCells } from "../core/table/bytes";
import { cancelledError } from "../core/errors";
import { Breather } from "./breather";
import { decodingCounter } from "./decodeStream";

/** Rows delivered as text before byte rows start: enough for resolveLegacyColumns to judge the header. */
export const HEAD_ROWS = 50;

export interface CsvIntake {
  signal: AbortSignal;
  /** Every row through the text parser (line endings the byte path cannot split, such as a lone CR). */
  textOnly?: boolean;
  /** Bytes received, as they arrive. */
  bytes(count: number): void;
  /** Parsed rows, in order; the first call holds the file's first rows. */
  textRows(rows: string[][]): void;
  /** A quote-free row bytes[rowStart, rowEnd), without its line ending. */
  byteRow(bytes: Uint8Array, rowStart: number, rowEnd: number): void;
  /** A block of rows was handed over (time to report progress); a promise holds the reading back until it settles. */
  block(): void | Promise<void>;
  /** Text that is not valid UTF-8 went through the text parser (shown as U+FFFD). */
  invalidText?(): void;
  /** A quote never closes: the rows before it were delivered, the rest of the file was not. */
  unclosedQuote(issue: UnclosedQuote): void;
}

export async function readCsv(stream: NodeJS.ReadableStream, intake: CsvIntake): Promise<void> {
  const head: string[][] = [];
  let headDone = false;
  const flushHead = () => {
    if (headDone) return;
    headDone = true;
    intake.textRows(head);
  };
  let rowsSplit = 0;
  const splitter = new QuoteFreeCsvSplitter({
    row(bytes, rowStart, rowEnd) {
      rowsSplit += 1;
      if (headDone) return intake.byteRow(bytes, rowStart, rowEnd);
      head.push(splitCells(bytes, rowStart, rowEnd));
      if (head.length >= HEAD_ROWS) flushHead();
    },
  });
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let rest: Uint8Array | undefined;
  let start: Uint8Array | undefined = new Uint8Array(0);
  const breather = new Breather();
  for (;;) {
    // Chunks already buffered resolve as microtasks: without a real yield, a Cancel from the panel (a message,
    // a macrotask) would wait until the buffer drained.
    await breather.maybe();
    if (intake.signal.aborted) throw cancelledError();
    const { value, done } = await chunks.next();
    if (done && start === undefined) {
      rest = splitter.end();
      break;
    }
    if (!done) intake.bytes(value.length);
    // A plain view: slicing a Buffer builds a Buffer object, which cost more than the copy it served.
    let chunk = done ? new Uint8Array(0) : new Uint8Array(value.buffer, value.byteOffset, value.length);
    if (start !== undefined) {
      // The BOM goes before anything sees the bytes (before a quoted header the text parser would keep it):
      // the first three bytes are gathered first, however the download is cut.
      start = start.length === 0 ? chunk : Buffer.concat([start, chunk]);
      if (start.length < 3 && !done) continue;
      chunk = start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf ? start.subarray(3) : start;
      start = undefined;
    }
    if (intake.textOnly) {
      rest = chunk;
      break;
    }
    rest = splitter.push(chunk);
    if (rest) break;
    await intake.block();
  }
  if (!rest) {
    flushHead();
    await intake.block();
    return;
  }
  // A quote: the rows split so far are exact (no quote before them); the parser takes it from here.
  const remainder = rest;
  const tail = Readable.from((async function* () {
    yield Buffer.from(remainder.buffer, remainder.byteOffset, remainder.length);
    for (;;) {
      await breather.maybe();
      if (intake.signal.aborted) return;
      const { value, done } = await chunks.next();
      if (done) return;
      intake.bytes(value.length);
      yield value;
    }
  })());
  const text = tail.pipe(decodingCounter(() => undefined, intake.invalidText));
  // pipe() does not forward errors (an abort surfaces as one on the source): hand them on.
  tail.on("error", (error) => text.destroy(error));
  await streamCsv(text, (rows) => {
    if (!headDone) {
      head.push(...rows);
      flushHead();
    } else intake.textRows(rows);
    // The text parser does not wait here; a failure behind the promise shows in the reading's end.
    void Promise.resolve(intake.block()).catch(() => undefined);
  }, { signal: intake.signal, onUnclosedQuote: (issue) => intake.unclosedQuote({ ...issue, rowsBefore: issue.rowsBefore + rowsSplit }) });
  flushHead();
}
