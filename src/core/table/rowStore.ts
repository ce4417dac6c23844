// The preview's rows, in arrival order. Rows parsed as text are kept as string arrays; quote-free CSV rows
// are copied as bytes into large blocks and become strings only when asked for (a window on screen, a
// sort key, an export). Half a million rows then cost their bytes, not millions of strings. (Copying beats
// keeping the download's own chunks: holding those slowed the download itself by half.)
import { isAscii } from "node:buffer";
import { bytesText, cellEnd, COMMA, splitCells, utf8Text } from "./bytes";
import { numberOfBytes, numberOfText } from "./sortKeys";
import { caselessHits } from "./caselessSearch";

const FIRST_BLOCK_BYTES = 64 << 10;
const BLOCK_BYTES = 4 << 20;

/** How a file's cells map into the preview's columns, and the value of its source column (when stitched). */
export interface ByteRowLayout {
  /** Cell k of a row goes to column mapping[k]. */
  mapping: readonly number[];
  source?: { column: number; label: string };
}

interface TextSegment {
  kind: "text";
  first: number;
  rows: string[][];
}

interface ByteSegment {
  kind: "bytes";
  first: number;
  layout: ByteRowLayout;
  /** column → cell position in the file's rows, or -1; rebuilt when the mapping grows (overflow columns). */
  cellOf: number[];
  width: number;
  mapped: number;
  blocks: Uint8Array[];
  block: GrowableU32;
  start: GrowableU32;
  end: GrowableU32;
  count: number;
}

export class RowStore {
  private segments: Array<TextSegment | ByteSegment> = [];
  private total = 0;
  private arena = new Uint8Array(0);
  private arenaUsed = 0;
  /** The segment the last lookup hit: windows and scans read neighbouring rows. */
  private recent = 0;

  get length(): number {
    return this.total;
  }

  pushText(row: string[]): void {
    let last = this.segments[this.segments.length - 1];
    if (last?.kind !== "text") {
      last = { kind: "text", first: this.total, rows: [] };
      this.segments.push(last);
    }
    last.rows.push(row);
    this.total += 1;
  }

  /**
   * A quote-free row bytes[start, end) whose cells map into columns as `layout` says. The bytes are copied,
   * unless `handedOver`: then the store keeps `bytes` itself (the caller's buffer, already in memory).
   */
  pushBytes(bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout, handedOver = false): void {
    let last = this.segments[this.segments.length - 1];
    if (last?.kind !== "bytes" || last.layout !== layout) {
      last = { kind: "bytes", first: this.total, layout, cellOf: [], width: 0, mapped: -1, blocks: [], block: new GrowableU32(), start: new GrowableU32(), end: new GrowableU32(), count: 0 };
      this.segments.push(last);
    }
    if (handedOver) {
      if (last.blocks[last.blocks.length - 1] !== bytes) last.blocks.push(bytes);
      this.record(last, start, end);
      return;
    }
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      // Blocks grow from small: the first screen of rows should not wait on a large fresh allocation.
      this.arena = new Uint8Array(Math.max(Math.min(BLOCK_BYTES, Math.max(FIRST_BLOCK_BYTES, this.arena.length * 2)), length));
      this.arenaUsed = 0;
    }
    if (last.blocks[last.blocks.length - 1] !== this.arena) last.blocks.push(this.arena);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.record(last, this.arenaUsed, this.arenaUsed + length);
    this.arenaUsed += length;
  }

  /** A row at [start, end) of the segment's newest block. */
  private record(segment: ByteSegment, start: number, end: number): void {
    segment.block.push(segment.blocks.length - 1);
    segment.start.push(start);
    segment.end.push(end);
    segment.count += 1;
    this.total += 1;
  }

  get(index: number): string[] {
    const segment = this.segment(index);
    if (segment.kind === "text") return segment.rows[index - segment.first];
    const i = index - segment.first;
    const bytes = segment.blocks[segment.block.at(i)];
    const row = new Array<string>(segment.width).fill("");
    const { mapping, source } = segment.layout;
    const cells = splitCells(bytes, segment.start.at(i), segment.end.at(i));
    for (let cell = 0; cell < cells.length && cell < mapping.length; cell++) row[mapping[cell]] = cells[cell];
    if (source) row[source.column] = source.label;
    return row;
  }

  /** One cell, without making the rest of the row (sort keys, column filters). */
  cell(index: number, column: number): string {
    const segment = this.segment(index);
    if (segment.kind === "text") return segment.rows[index - segment.first][column] ?? "";
    if (segment.layout.source?.column === column) return segment.layout.source.label;
    const wanted = segment.cellOf[column] ?? -1;
    if (wanted < 0) return "";
    const i = index - segment.first;
    const bytes = segment.blocks[segment.block.at(i)];
    const end = segment.end.at(i);
    let cell = 0;
    let p = segment.start.at(i);
    while (cell < wanted) {
      const comma = cellEnd(bytes, p, end);
      if (comma >= end) return "";
      p = comma + 1;
      cell += 1;
    }
    return bytesText(bytes, p, cellEnd(bytes, p, end));
  }

  /**
   * One column's cells for rows [from, length), in order: `text` gets each cell as a string; for a byte row
   * `bytes` gets its cell's range instead (no string made), when given.
   */
  scanColumn(column: number, from: number, text: (index: number, cell: string) => void, bytes?: (index: number, data: Uint8Array, start: number, end: number) => void): void {
    for (let s = this.segmentIndex(from); s < this.segments.length; s++) {
      const segment = this.segments[s];
      const first = Math.max(from, segment.first);
      if (segment.kind === "text") {
        for (let i = first - segment.first; i < segment.rows.length; i++) text(segment.first + i, segment.rows[i][column] ?? "");
        continue;
      }
      this.segment(segment.first);
      const wanted = segment.layout.source?.column === column ? -2 : segment.cellOf[column] ?? -1;
      let data: Uint8Array | undefined;
      let text8: Buffer | undefined;
      for (let i = first - segment.first; i < segment.count; i++) {
        const index = segment.first + i;
        if (wanted === -2) {
          text(index, segment.layout.source!.label);
          continue;
        }
        if (wanted < 0) {
          text(index, "");
          continue;
        }
        const block = segment.blocks[segment.block.at(i)];
        if (block !== data) {
          data = block;
          text8 = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
        }
        // A plain loop over the bytes: one native indexOf call per comma costs more than the bytes it skips.
        const end = segment.end.at(i);
        let p = segment.start.at(i);
        // Past the row's last cell, p reaches its end: the cell is empty.
        for (let commas = 0; commas < wanted && p < end; p++) if (data[p] === COMMA) commas += 1;
        let q = p;
        let high = 0;
        for (; q < end; q++) {
          const c = data[q];
          if (c === COMMA) break;
          high |= c;
        }
        if (bytes) bytes(index, data, p, q);
        else text(index, high < 128 ? text8!.toString("latin1", p, q) : utf8Text(data, p, q));
      }
    }
  }

  /** One column as numbers for rows [from, length) into `out` (see numberOfBytes; an empty cell is NaN). */
  numbersOf(column: number, from: number, out: Float64Array): void {
    for (let s = this.segmentIndex(from); s < this.segments.length; s++) {
      const segment = this.segments[s];
      const first = Math.max(from, segment.first);
      if (segment.kind === "text") {
        for (let i = first - segment.first; i < segment.rows.length; i++) out[segment.first + i] = numberOfText(segment.rows[i][column] ?? "");
        continue;
      }
      this.segment(segment.first);
      const wanted = segment.layout.source?.column === column ? -2 : segment.cellOf[column] ?? -1;
      if (wanted < 0) {
        out.fill(wanted === -2 ? numberOfText(segment.layout.source!.label) : NaN, first, segment.first + segment.count);
        continue;
      }
      numbersOfByteRows(segment, first - segment.first, wanted, out);
    }
  }

  /**
   * Rows [from, length) with a cell whose lower case contains `needle` (already lower case), in order.
   * Quote-free rows are searched in their bytes (a row's bytes are its cells joined by commas): for an
   * ASCII needle without a comma, a match in the lower-cased bytes is a match in one cell. Rows with other
   * bytes, and every row for other needles, are checked cell by cell as text.
   */
  searchRows(needle: string, from: number, match: (index: number) => void, keepGoing: () => boolean): boolean {
    const bytewise = /^[\x20-\x2b\x2d-\x7e]+$/.test(needle);
    for (let s = this.segmentIndex(from); s < this.segments.length; s++) {
      const segment = this.segments[s];
      const first = Math.max(from, segment.first);
      if (segment.kind === "text" || !bytewise) {
        for (let index = first; index < segment.first + size(segment); index++) {
          if ((index & 8191) === 0 && !keepGoing()) return false;
          if (this.get(index).some((cell) => cell.toLowerCase().includes(needle))) match(index);
        }
        continue;
      }
      if (segment.layout.source?.label.toLowerCase().includes(needle)) {
        for (let index = first; index < segment.first + segment.count; index++) match(index);
        continue;
      }
      // Rows of one block are consecutive and ascending: each block's stretch is searched at once.
      let i = first - segment.first;
      while (i < segment.count) {
        if (!keepGoing()) return false;
        const block = segment.blocks[segment.block.at(i)];
        let last = i;
        while (last + 1 < segment.count && segment.blocks[segment.block.at(last + 1)] === block) last += 1;
        const data = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
        const base = segment.start.at(i);
        const limit = segment.end.at(last);
        const allAscii = isAscii(data.subarray(base, limit));
        const hits = caselessHits(data, base, limit, needle);
        let h = 0;
        for (let row = i; row <= last; row++) {
          const start = segment.start.at(row);
          const end = segment.end.at(row);
          while (h < hits.length && hits[h] < start) h += 1;
          if (!allAscii && !isAscii(data.subarray(start, end))) {
            // Beyond ASCII, lower case is decided on the decoded text.
            if (this.get(segment.first + row).some((cell) => cell.toLowerCase().includes(needle))) match(segment.first + row);
            continue;
          }
          // A hit that runs past the row's end spans two rows (rows are stored back to back): look further.
          let k = h;
          while (k < hits.length && hits[k] < end && hits[k] + needle.length > end) k += 1;
          if (k < hits.length && hits[k] >= start && hits[k] + needle.length <= end) match(segment.first + row);
        }
        i = last + 1;
      }
    }
    return true;
  }

  /** The segment holding row `index` (the number of segments past the last row). */
  private segmentIndex(index: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].first <= index) lo = mid;
      else hi = mid - 1;
    }
    return index >= this.total ? this.segments.length : lo;
  }

  private segment(index: number): TextSegment | ByteSegment {
    const found = this.find(index);
    if (found.kind === "bytes" && found.mapped !== found.layout.mapping.length) {
      const { mapping, source } = found.layout;
      found.width = Math.max(-1, ...mapping, source?.column ?? -1) + 1;
      found.cellOf = new Array<number>(found.width).fill(-1);
      mapping.forEach((column, cell) => (found.cellOf[column] = cell));
      found.mapped = mapping.length;
    }
    return found;
  }

  private find(index: number): TextSegment | ByteSegment {
    const recent = this.segments[this.recent];
    if (recent && index >= recent.first && index < recent.first + size(recent)) return recent;
    if (index < 0 || index >= this.total) throw new RangeError(`row ${index} of ${this.total}`);
    this.recent = this.segmentIndex(index);
    return this.segments[this.recent];
  }
}

/** Cell `wanted` of the segment's rows [from, count) as numbers, into out[first + i]. (Its own function: V8 optimizes its one loop whole.) */
function numbersOfByteRows(segment: ByteSegment, from: number, wanted: number, out: Float64Array): void {
  const { blocks, block, start, end, first } = segment;
  for (let i = from; i < segment.count; i++) {
    const data = blocks[block.at(i)];
    const rowEnd = end.at(i);
    let p = start.at(i);
    for (let commas = 0; commas < wanted && p < rowEnd; p++) if (data[p] === COMMA) commas += 1;
    let q = p;
    while (q < rowEnd && data[q] !== COMMA) q += 1;
    out[first + i] = numberOfBytes(data, p, q);
  }
}

function size(segment: TextSegment | ByteSegment): number {
  return segment.kind === "text" ? segment.rows.length : segment.count;
}


/** A Uint32Array that doubles as it fills. */
class GrowableU32 {
  private data = new Uint32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const larger = new Uint32Array(this.data.length * 2);
      larger.set(this.data);
      this.data = larger;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index];
  }
}
