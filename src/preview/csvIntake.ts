// Reads one CSV download stream: quote-free stretches are split as bytes (QuoteFreeCsvSplitter), and from
// the first quote on the rest goes through the RFC 4180 parser as text. The first rows always come as
// text, so the caller can decide the header from them.
import { Readable } from "node:stream";
import { QuoteFreeCsvSplitter } from "../core/table/csvBytes";
import { streamCsv } from "../core/table/csv";
import { splitCells } from "../core/table/bytes";
import { cancelledError } from "../core/errors";
import { decodingCounter } from "./decodeStream";

/** Rows delivered as text before byte rows start: enough for resolveLegacyColumns to judge the header. */
export const HEAD_ROWS = 50;

export interface CsvIntake {
  signal: AbortSignal;
  newline: "\r\n" | "\n";
  /** Bytes received, as they arrive. */
  bytes(count: number): void;
  /** Parsed rows, in order; the first call holds the file's first rows. */
  textRows(rows: string[][]): void;
  /** A quote-free row bytes[rowStart, rowEnd), without its line ending. */
  byteRow(bytes: Uint8Array, rowStart: number, rowEnd: number): void;
  /** A block of rows was handed over (time to report progress). */
  block(): void;
}

export async function readCsv(stream: NodeJS.ReadableStream, intake: CsvIntake): Promise<void> {
  const head: string[][] = [];
  let headDone = false;
  const flushHead = () => {
    if (headDone) return;
    headDone = true;
    intake.textRows(head);
  };
  const splitter = new QuoteFreeCsvSplitter(intake.newline === "\r\n", {
    row(bytes, rowStart, rowEnd) {
      if (headDone) return intake.byteRow(bytes, rowStart, rowEnd);
      head.push(splitCells(bytes, rowStart, rowEnd));
      if (head.length >= HEAD_ROWS) flushHead();
    },
  });
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let rest: Uint8Array | undefined;
  for (;;) {
    if (intake.signal.aborted) throw cancelledError();
    const { value, done } = await chunks.next();
    if (done) {
      rest = splitter.end();
      break;
    }
    intake.bytes(value.length);
    // A plain view: slicing a Buffer builds a Buffer object, which cost more than the copy it served.
    rest = splitter.push(new Uint8Array(value.buffer, value.byteOffset, value.length));
    if (rest) break;
    intake.block();
  }
  if (!rest) {
    flushHead();
    intake.block();
    return;
  }
  // A quote: the rows split so far are exact (no quote before them); the parser takes it from here.
  const remainder = rest;
  const tail = Readable.from((async function* () {
    yield Buffer.from(remainder.buffer, remainder.byteOffset, remainder.length);
    for (;;) {
      const { value, done } = await chunks.next();
      if (done) return;
      intake.bytes(value.length);
      yield value;
    }
  })());
  const text = tail.pipe(decodingCounter(() => undefined));
  // pipe() does not forward errors (an abort surfaces as one on the source): hand them on.
  tail.on("error", (error) => text.destroy(error));
  await streamCsv(text, (rows) => {
    if (!headDone) {
      head.push(...rows);
      flushHead();
    } else intake.textRows(rows);
    intake.block();
  }, { signal: intake.signal, newline: intake.newline });
  flushHead();
}
