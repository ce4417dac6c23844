// Loads collected files into a TableView for the preview: the first rows from one ranged read (≤ 256 KiB),
// then every file streamed and parsed with progress; stats over every row, rows held up to the cap.
// Runs on the preview's engine thread (engine/worker.ts), reading through the host (engine/remoteBlobs.ts).
import type { BlobGateway } from "../core/gateways";
import { parseCsvPrefix, type UnclosedQuote } from "../core/table/csv";
import { cancelledError } from "../core/errors";
import type { ByteRowLayout } from "../core/table/rowStore";
import { splitCells } from "../core/table/bytes";
import { isSystemColumn, resolveLegacyColumns } from "../core/table/legacyColumns";
import { JsonlFlattener, PAYLOAD_LINK_COLUMN } from "../core/table/jsonl";
import { StatsAccumulator, type ColumnStats } from "../core/table/stats";
import { TableView } from "../core/table/tableView";
import type { ColumnInfo, Notice, Progress } from "../protocol";
import { sniffContent, type ContentKind, type TextEncoding } from "../core/table/sniff";
import { contentStream, gunzipPrefix, utf8Converter } from "./contentStream";
import { Readable } from "node:stream";
import { Breather } from "./breather";
import { rangedStream, slices } from "./rangedReader";
import { decodingCounter } from "./decodeStream";
import { HEAD_ROWS, readCsv } from "./csvIntake";
import { isQuoteFree, QuoteFreeCsvSplitter } from "../core/table/csvBytes";
import { FIRST_RANGE_BYTES } from "../engine/protocol";

export { FIRST_RANGE_BYTES };
export const SOURCE_COLUMN = "source";

export interface PreviewFile {
  blobs: BlobGateway;
  container: string;
  name: string;
  size: number;
  /** Shown in the source column when several files are stitched together. */
  label: string;
}

export interface LoaderEvents {
  init(columns: ColumnInfo[], firstRows: string[][], progress: Progress): void;
  /** Columns appended since the last call (index `from` on). */
  columnsAdded(from: number, columns: ColumnInfo[]): void;
  progress(progress: Progress): void;
}

export interface LoaderOptions {
  /** Rows held for the grid (statistics cover every row). */
  cap: number;
  /** Most columns a preview makes; cells past them are folded into OVERFLOW_COLUMN. */
  maxColumns: number;
  /** Read the files as this encoding instead of what their first bytes say (the user chose Latin-1). */
  encoding?: TextEncoding;
  /** The first ranged read's size (tests shrink it to cut small files as big ones are cut). */
  firstRangeBytes?: number;
  /** Files beside the data that are not the collector's, named in a notice. */
  skipped?: string[];
  /** Most bytes of rows held for the grid, whatever the rows look like (default 1 GiB). */
  maxHeldBytes?: number;
  /** A blob over two ranges is read as this many concurrent ranged GETs of `rangeBytes` (1: one stream). */
  parallelRanges?: number;
  rangeBytes?: number;
  /** Every row as it is parsed (a drift compare gathers values here; the preview holds none then). */
  sink?: RowSink;
  /** false: no column statistics (a compare computes its own); rows are still counted and checked. */
  statistics?: boolean;
}

export interface RowSink {
  /** The next rows come from files[index]. */
  beginFile?(index: number): void;
  /** A row mapped into the preview's columns. */
  textRow(row: readonly string[]): void;
  /** A quote-free CSV row bytes[start, end), its cells mapped by `layout`. */
  byteRow(bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout): void;
}

export const OVERFLOW_COLUMN = "(more cells)";
/** A first line longer than this is not taken as a header. */
export const MAX_HEADER_BYTES = 1 << 20;
const SNIFF_BYTES = 64 * 1024;

export class PreviewLoader {
  readonly table = new TableView();
  readonly stats: StatsAccumulator | CellCounter;
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly controller = new AbortController();
  private readonly progressState: Progress;
  private lastProgress = 0;
  /** The current CSV file's columns mapped into the union, its width, and the preview's line ending. */
  private csvMapping: number[] = [];
  private csvWidth = 0;
  private readonly layouts = new Map<PreviewFile, ByteRowLayout>();
  private readonly cap: number;
  /** Columns the webview has been told about; later ones go out as one delta with the next progress. */
  private columnsSent = 0;
  private wideRows = 0;
  private heldBytes = 0;
  /** Where the current file went wrong, for "Show Raw Text": the file and about which byte. */
  private brokenAt: { file: PreviewFile; byte: number } | undefined;

  constructor(private readonly files: PreviewFile[], private readonly format: "csv" | "jsonl", private readonly options: LoaderOptions, private readonly events: LoaderEvents) {
    this.cap = options.cap;
    this.stats = options.statistics === false ? new CellCounter() : new StatsAccumulator([]);
    this.progressState = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0),
      filesDone: 0, filesTotal: files.length, capped: false, cap: options.cap, raggedRows: 0, malformedLines: 0, notices: [] };
    if (files.length > 1) this.column(SOURCE_COLUMN);
    const skipped = options.skipped ?? [];
    if (skipped.length > 0) {
      const names = skipped.slice(0, 5).join(", ") + (skipped.length > 5 ? ` and ${skipped.length - 5} more` : "");
      this.notice({ id: "skipped", text: `Not stitched in: ${skipped.length} file(s) that are not the collector's data (${names}).` });
    }
  }

  /** The file and byte a "Show Raw Text" notice points at. */
  get brokenPlace(): { file: PreviewFile; byte: number } | undefined {
    return this.brokenAt;
  }

  /** Which of the preview's files this is (its place in the list it was given). */
  fileIndex(file: PreviewFile): number {
    return this.files.indexOf(file);
  }

  private notice(notice: Notice): void {
    const known = this.progressState.notices.findIndex((n) => n.id === notice.id);
    if (known >= 0) this.progressState.notices[known] = notice;
    else this.progressState.notices.push(notice);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The column names so far (the live list: columns are appended as files add them). */
  columnNames(): readonly string[] {
    return this.names;
  }

  columnInfo(): ColumnInfo[] {
    return this.names.map((name) => ({ name, system: isSystemColumn(name), link: name === PAYLOAD_LINK_COLUMN }));
  }

  progress(): Progress {
    return { ...this.progressState, notices: [...this.progressState.notices], visibleRows: this.table.visibleRows };
  }

  cancel(): void {
    this.controller.abort();
  }

  async run(): Promise<void> {
    try {
      const prefixRows = await this.showFirstRows();
      for (const [i, file] of this.files.entries()) {
        if (this.signal.aborted) break;
        this.prefetch(i + 1);
        this.options.sink?.beginFile?.(i);
        await this.streamFile(file, i === 0 ? prefixRows : 0);
        this.progressState.filesDone += 1;
      }
      this.progressState.state = this.signal.aborted ? "cancelled" : "done";
    } catch (error) {
      this.progressState.state = this.signal.aborted ? "cancelled" : "error";
      if (!this.signal.aborted) this.progressState.message = (error as Error)?.message ?? String(error);
    }
    this.emitProgress(true);
  }

  /** One ranged read of the first file: rows on screen before anything else is fetched. Returns their count. */
  private async showFirstRows(): Promise<number> {
    const file = this.files[0];
    if (!file) {
      this.events.init(this.columnInfo(), [], this.progress());
      return 0;
    }
    // Without the abort signal: the SDK's abort wiring measured ~10% of this short read, and a 256 KiB read
    // left to finish after a cancel costs nothing. Its rows are not used then.
    const rangeBytes = this.options.firstRangeBytes ?? FIRST_RANGE_BYTES;
    const stored = await file.blobs.readRange(file.container, file.name, 0, rangeBytes);
    if (this.signal.aborted) throw cancelledError();
    const complete = stored.length >= file.size || stored.length < rangeBytes;
    // A file the first range held whole is not read again.
    if (complete && stored.length === file.size) this.whole.set(file, Promise.resolve(stored));
    const { content, plain } = this.judge(file, stored, complete);
    this.contents.set(file, content);
    const bytes = content.encoding === "utf8" ? plain : utf8Converter(content.encoding)(plain, complete);
    const quoteFree = this.format === "csv" && !content.loneCr && isQuoteFree(bytes);
    const shown = quoteFree ? this.firstRowsAsBytes(bytes, complete, file) : this.firstRowsAsText(bytes, complete, file);
    this.columnsSent = this.names.length;
    this.events.init(this.columnInfo(), this.table.window(0, 200), this.progress());
    return shown;
  }

  private readonly contents = new Map<PreviewFile, Judged>();

  /** What a file holds, from its first bytes: refuses what is not text, notes what is not plain UTF-8. */
  private judge(file: PreviewFile, stored: Buffer, complete: boolean): { content: Judged; plain: Buffer } {
    let kind: ContentKind = sniffContent(stored, complete);
    const gzip = kind.kind === "gzip";
    // The bytes as text would hold them (decompressed once, here).
    const plain = gzip ? gunzipPrefix(stored) : stored;
    if (gzip) kind = sniffContent(plain, complete);
    if (kind.kind === "binary") {
      throw new Error(`${file.label} holds ${kind.what}, not CSV or JSONL text, so it cannot be previewed. Use Save Raw File… or Download… to inspect it.`);
    }
    if (kind.kind !== "text") throw new Error(`${file.label} is compressed twice; decompress it first.`);
    const encoding = this.options.encoding ?? kind.encoding;
    if (gzip) this.notice({ id: "gzip", text: "Decompressed gzip data as it streamed." });
    if (encoding === "utf16le" || encoding === "utf16be") this.notice({ id: "utf16", text: `Read as ${encoding === "utf16le" ? "UTF-16 LE" : "UTF-16 BE"} (the file starts with its byte-order mark).` });
    if (this.options.encoding === "latin1") this.notice({ id: "latin1", text: "Read as Latin-1 (ISO-8859-1), as asked." });
    else if (kind.invalidUtf8At !== undefined) {
      this.notice({ id: "invalidUtf8", text: `${file.label} is not valid UTF-8 (first at byte ${kind.invalidUtf8At.toLocaleString("en-US")}): such bytes show as �. It may be Latin-1 (ISO-8859-1) or Windows-1252 text.`,
        action: { label: "Reopen as Latin-1", kind: "reopenLatin1" } });
    }
    return { content: { gzip, encoding, loneCr: kind.loneCr }, plain };
  }

  private firstRowsAsText(bytes: Buffer, complete: boolean, file: PreviewFile): number {
    // A cut in the middle of a multi-byte character is dropped with the last (partial) row.
    const text = bytes.toString("utf8");
    const rows = this.format === "csv" ? this.csvRows(parseCsvPrefix(text, complete), file, true) : this.jsonlRows(new JsonlFlattener(), text, complete, file);
    this.table.append(rows.slice(0, this.cap));
    return rows.length;
  }

  /** Quote-free CSV: the header from the first rows as text, the rest kept as bytes (as the scan keeps them). */
  private firstRowsAsBytes(bytes: Buffer, complete: boolean, file: PreviewFile): number {
    // Each row with the buffer it lies in: the splitter's last row (no final newline) comes in its own.
    const rows: Array<[Uint8Array, number, number]> = [];
    const splitter = new QuoteFreeCsvSplitter({ row: (buffer, start, end) => rows.push([buffer, start, end]) });
    // The Buffer itself, not a plain view: its native indexOf finds line endings twice as fast.
    splitter.push(bytes);
    // Unless the range is the whole file, its last row may be cut: the splitter still holds it, and it is dropped.
    if (complete) splitter.end();
    const head = rows.slice(0, HEAD_ROWS).map(([buffer, start, end]) => splitCells(buffer, start, end));
    const headRows = this.csvRows(head, file, true);
    const layout = this.byteLayout(file);
    this.table.append(headRows.slice(0, this.cap));
    // The range's buffer is ours and already in memory: the store keeps it rather than copying its rows.
    // A row past the column cap has at least that many commas: only rows that long are split to check.
    const foldableBytes = 2 * this.options.maxColumns - 1;
    for (const [buffer, start, end] of rows.slice(head.length)) {
      if (this.table.totalRows >= this.cap) break;
      const cells = end - start >= foldableBytes ? splitCells(buffer, start, end) : undefined;
      if (cells && cells.length > this.options.maxColumns) this.table.appendOne(this.mapRow(cells, layout.mapping as number[], file));
      else this.table.appendBytes(buffer, start, end, layout, true);
    }
    return headRows.length + rows.length - head.length;
  }

  /** Maps a file's rows into the union of columns; `fresh` resolves the file's header first. */
  private csvRows(rows: string[][], file: PreviewFile, fresh: boolean): string[][] {
    let data = rows;
    if (fresh) {
      const first = rows[0] ?? [];
      const headerTooLong = first.length > this.options.maxColumns || first.reduce((n, c) => n + c.length + 1, 0) > MAX_HEADER_BYTES;
      const resolved = headerTooLong ? { columns: [], hasHeader: false } : resolveLegacyColumns(rows);
      if (headerTooLong) this.notice({ id: "longFirstLine", text: `The first line of ${file.label} is too long for a header (${first.length.toLocaleString("en-US")} cells): it is shown as data.` });
      const names = resolved.columns.slice(0, this.options.maxColumns - this.names.length);
      this.csvMapping = names.map((name) => this.column(name));
      this.csvWidth = resolved.columns.length;
      if (resolved.hasHeader) data = rows.slice(1);
    }
    return data.map((row) => this.mapRow(row, this.csvMapping, file));
  }

  private jsonlRows(flattener: JsonlFlattener, text: string, final: boolean, file: PreviewFile): string[][] {
    const { rows, malformed } = flattener.push(text, final);
    this.progressState.malformedLines += malformed;
    const mapping = flattener.columns.map((name) => this.column(name));
    return rows.map((row) => this.mapRow(row, mapping, file));
  }

  private mapRow(row: string[], mapping: number[], file: PreviewFile): string[] {
    // The common case (one file, columns in file order) needs no copy.
    if (this.files.length === 1 && row.length === this.names.length && row.length === mapping.length && isIdentity(mapping)) return row;
    const out: string[] = [];
    for (let i = 0; i < row.length && i < mapping.length; i++) out[mapping[i]] = row[i];
    // Ragged rows keep their extra cells in overflow columns rather than losing them, up to the column cap;
    // past it, the rest of the row is kept as text in one column.
    for (let i = mapping.length; i < row.length; i++) {
      const column = this.overflowColumn(i);
      if (column === undefined) {
        out[this.column(OVERFLOW_COLUMN)] = row.slice(i).join(",");
        this.foldedRow(row.length);
        break;
      }
      out[column] = row[i];
    }
    if (this.files.length > 1) out[0] = file.label;
    for (let i = 0; i < this.names.length; i++) if (out[i] === undefined) out[i] = "";
    return out;
  }

  private column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.stats.setColumns(this.names);
    }
    return i;
  }

  /** The column for cell k past a file's header (`col{k+1}`), or undefined past the column cap. */
  private overflowColumn(k: number): number | undefined {
    const name = `col${k + 1}`;
    if (this.index.has(name)) return this.index.get(name);
    // One column stays free for OVERFLOW_COLUMN.
    return this.names.length < this.options.maxColumns - 1 ? this.column(name) : undefined;
  }

  /** Whether a row of about `bytes` may be held for the grid (the row cap and the memory budget). */
  private room(bytes: number): boolean {
    if (this.table.totalRows >= this.cap) {
      this.progressState.capped = true;
      return false;
    }
    const budget = this.options.maxHeldBytes ?? 1 << 30;
    if (this.heldBytes + bytes > budget) {
      this.notice({ id: "memory", text: `Holding the first ${this.table.totalRows.toLocaleString("en-US")} rows: they fill the preview's ${Math.round(budget / 1048576).toLocaleString("en-US")} MB (setting modelData.preview.maxMemoryMB). Statistics still cover every row.` });
      return false;
    }
    this.heldBytes += bytes;
    return true;
  }

  private foldedRow(cells: number): void {
    this.wideRows += 1;
    this.notice({ id: "wideRows", text: `${this.wideRows.toLocaleString("en-US")} row(s) have more cells than the ${this.options.maxColumns.toLocaleString("en-US")}-column limit (the widest: ${cells.toLocaleString("en-US")}); the cells past it are kept as text in the column "${OVERFLOW_COLUMN}" (setting modelData.preview.maxColumns).` });
  }

  private async streamFile(file: PreviewFile, alreadyShown: number): Promise<void> {
    const content = this.contents.get(file) ?? await this.judgeFromStart(file);
    const stream = await this.download(file);
    const plain = !content.gzip && content.encoding === "utf8";
    const countStored = (n: number) => (this.progressState.bytesLoaded += n);
    // Plain UTF-8 goes straight to the parser (counted there); anything else through decompression/transcoding.
    const input = plain ? stream : contentStream(stream as Readable, { gzip: content.gzip, encoding: content.encoding, onStoredBytes: countStored });
    let skip = alreadyShown;
    let headerPending = this.format === "csv";
    const acceptQuietly = (rows: string[][]) => {
      for (const row of rows) {
        this.stats.add(row);
        this.options.sink?.textRow(row);
        this.progressState.rowsLoaded += 1;
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        if (this.room(textBytes(row))) this.table.appendOne(row);
      }
    };
    const accept = (rows: string[][]) => {
      acceptQuietly(rows);
      this.emitProgress(false);
    };
    if (this.format === "csv") {
      let layout: ByteRowLayout | undefined;
      await readCsv(input, {
        signal: this.signal,
        textOnly: content.loneCr,
        bytes: plain ? countStored : () => undefined,
        textRows: (batch) => {
          // The first rows decide the header, as the ranged read did.
          const fresh = headerPending;
          headerPending = false;
          const rows = this.csvRows(batch, file, fresh);
          for (const row of batch) if (row.length !== this.csvWidth) this.progressState.raggedRows += 1;
          layout ??= this.byteLayout(file);
          accept(rows);
        },
        byteRow: (bytes, rowStart, rowEnd) => {
          const current = layout ?? (layout = this.byteLayout(file));
          this.progressState.rowsLoaded += 1;
          const cells = this.stats.addByteRow(bytes, rowStart, rowEnd, current);
          if (cells !== this.csvWidth) this.progressState.raggedRows += 1;
          // Extra cells get overflow columns, which the stored row then fills too (the mapping grows); a row
          // past the column cap is held as text instead.
          const folded = cells > current.mapping.length ? this.overflow(bytes, rowStart, rowEnd, current, file) : undefined;
          if (folded) this.options.sink?.textRow(folded);
          else this.options.sink?.byteRow(bytes, rowStart, rowEnd, current);
          if (skip > 0) skip -= 1;
          else if (!this.room(folded ? textBytes(folded) : rowEnd - rowStart + 16)) return;
          else if (folded) this.table.appendOne(folded);
          else this.table.appendBytes(bytes, rowStart, rowEnd, current);
        },
        block: () => this.emitProgress(false),
        unclosedQuote: (issue) => this.unclosedQuote(file, issue, plain),
        invalidText: () => this.invalidLater(file, content),
      });
      if (this.stats.takeReplacements() > 0) this.invalidLater(file, content);
    } else {
      const text = (input as Readable).pipe(decodingCounter(plain ? countStored : () => undefined, () => this.invalidLater(file, content)));
      // pipe() does not forward errors (an abort surfaces as one on the source): hand them on.
      input.on("error", (error) => text.destroy(error));
      const flattener = new JsonlFlattener();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          // Rows stop at once: nothing buffered is parsed after a Cancel.
          text.destroy();
          reject(cancelledError());
        };
        // One listener per file, removed when the file ends (a stitched month is hundreds of files).
        this.signal.addEventListener("abort", onAbort, { once: true });
        const settle = (error?: Error) => {
          this.signal.removeEventListener("abort", onAbort);
          if (error) reject(error);
          else resolve();
        };
        const breather = new Breather();
        text.on("data", (chunk: string) => {
          accept(this.jsonlRows(flattener, chunk, false, file));
          // A buffered stream emits chunk after chunk without letting a Cancel in: pause for a macrotask.
          if (!breather.due()) return;
          text.pause();
          setImmediate(() => {
            breather.rested();
            if (!this.signal.aborted) text.resume();
          });
        });
        text.on("end", () => {
          accept(this.jsonlRows(flattener, "", true, file));
          settle();
        });
        text.on("error", settle);
      });
    }
  }

  /**
   * Stitched dates are often many small files: the next few are read whole (one GET each) while this one
   * parses, at most `parallelRanges` ahead, and handed to the parser in file order.
   */
  private prefetch(from: number): void {
    const concurrency = this.options.parallelRanges ?? 4;
    if (concurrency <= 1) return;
    for (const file of this.files.slice(from, from + concurrency)) {
      if (file.size > this.rangeBytes() * 2 || this.whole.has(file)) continue;
      const bytes = file.size === 0 ? Promise.resolve(Buffer.alloc(0)) : file.blobs.readRange(file.container, file.name, 0, file.size, this.signal);
      // Awaited in file order; until then a failure must not count as unhandled.
      bytes.catch(() => undefined);
      this.whole.set(file, bytes);
    }
  }

  /** Files read whole ahead of the parser (see prefetch), and a first file the first range held whole. */
  private readonly whole = new Map<PreviewFile, Promise<Buffer>>();

  private rangeBytes(): number {
    return this.options.rangeBytes ?? 4 << 20;
  }

  /** The file's bytes in order: read ahead whole, concurrent ranged reads for a big blob (as listed), else one stream. */
  private async download(file: PreviewFile): Promise<NodeJS.ReadableStream> {
    const ahead = this.whole.get(file);
    if (ahead) {
      this.whole.delete(file);
      const bytes = await ahead;
      return Readable.from(slices(bytes), { objectMode: false });
    }
    const rangeBytes = this.rangeBytes();
    const concurrency = this.options.parallelRanges ?? 4;
    if (concurrency > 1 && file.size > 2 * rangeBytes) {
      return rangedStream((offset, count, signal) => file.blobs.readRange(file.container, file.name, offset, count, signal),
        { size: file.size, rangeBytes, concurrency, signal: this.signal });
    }
    return (await file.blobs.openStream(file.container, file.name, 0, this.signal)).stream;
  }

  /** Files after the first: their own first bytes say what they hold (one short ranged read). */
  private async judgeFromStart(file: PreviewFile): Promise<Judged> {
    const ahead = this.whole.get(file);
    if (ahead) {
      const bytes = await ahead;
      const { content } = this.judge(file, bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES);
      this.contents.set(file, content);
      return content;
    }
    const stored = await file.blobs.readRange(file.container, file.name, 0, SNIFF_BYTES);
    const { content } = this.judge(file, stored, stored.length >= file.size || stored.length < SNIFF_BYTES);
    this.contents.set(file, content);
    return content;
  }

  /** Bytes that are not UTF-8 past the first range (which judge() checked): said once, Latin-1 offered. */
  private invalidLater(file: PreviewFile, content: Judged): void {
    if (content.encoding !== "utf8" || this.progressState.notices.some((n) => n.id === "invalidUtf8")) return;
    this.notice({ id: "invalidUtf8", text: `${file.label} holds bytes that are not valid UTF-8 further into the file: they show as �. It may be Latin-1 (ISO-8859-1) or Windows-1252 text.`,
      action: { label: "Reopen as Latin-1", kind: "reopenLatin1" } });
  }

  private unclosedQuote(file: PreviewFile, issue: UnclosedQuote, plain: boolean): void {
    const unread = Buffer.byteLength(issue.row.join(",")) + 1;
    const byte = Math.max(0, file.size - unread);
    this.brokenAt = { file, byte };
    const where = plain ? ` (which starts at about byte ${byte.toLocaleString("en-US")})` : "";
    this.notice({
      id: `unclosedQuote:${file.label}`,
      text: `${file.label}: a quote opened in record ${(issue.rowsBefore + 1).toLocaleString("en-US")}${where} never closes. The ${issue.rowsBefore.toLocaleString("en-US")} record(s) before it are shown; the remaining ~${unread.toLocaleString("en-US")} bytes could not be read as rows.`,
      action: { label: "Show Raw Text There", kind: "showRawAround" },
    });
  }

  /** Columns for a byte row's cells past the header's width, named as mapRow names them (up to the cap). */
  private overflow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout, file: PreviewFile): string[] | undefined {
    const cells = splitCells(bytes, rowStart, rowEnd);
    for (let k = layout.mapping.length; k < cells.length; k++) {
      const column = this.overflowColumn(k);
      if (column === undefined) {
        // Past the column cap the rest of the row is one text cell: the row is held as text, not bytes.
        const row = this.mapRow(cells, layout.mapping as number[], file);
        const folded = this.index.get(OVERFLOW_COLUMN) ?? 0;
        this.stats.addOverflowCell(folded, row[folded]);
        return row;
      }
      (layout.mapping as number[]).push(column);
      // Stored rows of this file may hold cells there too (those the first range showed).
      this.table.cellsChanged();
      this.stats.addOverflowCell(column, cells[k]);
    }
    return undefined;
  }

  /** How the current CSV file's byte rows map into the preview's columns (see RowStore). */
  private byteLayout(file: PreviewFile): ByteRowLayout {
    // The scan re-reads the rows the first range showed: it shares their layout, so overflow columns it
    // finds reach those stored rows too.
    const known = this.layouts.get(file);
    if (known && this.csvMapping.every((column, i) => known.mapping[i] === column)) {
      this.csvMapping = known.mapping as number[];
      return known;
    }
    const layout = { mapping: this.csvMapping, source: this.files.length > 1 ? { column: this.index.get(SOURCE_COLUMN) ?? 0, label: file.label } : undefined };
    this.layouts.set(file, layout);
    return layout;
  }

  private emitProgress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < 200) return;
    this.lastProgress = now;
    if (this.names.length > this.columnsSent) {
      const from = this.columnsSent;
      this.columnsSent = this.names.length;
      this.events.columnsAdded(from, this.columnInfo().slice(from));
    }
    this.events.progress(this.progress());
  }
}

/** Statistics' stand-in when none are wanted: what the loader needs of them, the cells of a byte row. */
class CellCounter {
  setColumns(_names: readonly string[]): void {}
  add(_row: readonly string[]): void {}
  addOverflowCell(_column: number, _text: string): void {}
  takeReplacements(): number {
    return 0;
  }
  snapshot(): ColumnStats[] {
    return [];
  }
  addByteRow(bytes: Uint8Array, rowStart: number, rowEnd: number, _layout: ByteRowLayout): number {
    // A plain loop: a native call per comma costs more than the bytes it skips.
    let cells = 1;
    for (let p = rowStart; p < rowEnd; p++) if (bytes[p] === 44) cells += 1;
    return cells;
  }
}

interface Judged {
  gzip: boolean;
  encoding: TextEncoding;
  loneCr: boolean;
}

/** About what a row of strings costs held (UTF-16 and per-string overhead). */
function textBytes(row: readonly string[]): number {
  let bytes = 16;
  for (const cell of row) bytes += 2 * cell.length + 16;
  return bytes;
}

function isIdentity(mapping: number[]): boolean {
  for (let i = 0; i < mapping.length; i++) if (mapping[i] !== i) return false;
  return true;
}
