// Loads collected files into a TableView for the preview: the first rows from one ranged read (≤ 256 KiB),
// then every file streamed and parsed with progress; stats over every row, rows held up to the cap.
// Runs on the preview's engine thread (engine/worker.ts), reading through the host (engine/remoteBlobs.ts).
import { parseCsvPrefix, type UnclosedQuote } from "../core/table/csv";
import type { ByteRowLayout } from "../core/table/rowStore";
import { splitCells } from "../core/table/bytes";
import { headerColumns, resolveLegacyColumns } from "../core/table/legacyColumns";
import { JsonlFlattener } from "../core/table/jsonl";
import { TableView } from "../core/table/tableView";
import { cancelledError } from "../core/errors";
import type { ColumnInfo, Notice, Progress } from "../protocol";
import { contentStream, utf8Converter } from "./contentStream";
import type { Readable } from "node:stream";
import { decodingCounter } from "./decodeStream";
import { HEAD_ROWS, readCsv } from "./csvIntake";
import { isQuoteFree, QuoteFreeCsvSplitter } from "../core/table/csvBytes";
import type { PreviewFile } from "./previewFile";
import { FIRST_RANGE_BYTES, type LoaderEvents, type LoaderOptions } from "./loaderOptions";
import { CellCounter } from "./cellCounter";
import { LocalStatistics, type LoaderStatistics } from "./loaderStatistics";
import { judgeContent, type Judged } from "./contentJudge";
import { FileFetcher } from "./fileFetcher";
import { ColumnUnion, OVERFLOW_COLUMN, SOURCE_COLUMN } from "./columnUnion";
import { readTextChunks } from "./textChunks";
import { invalidUtf8LaterNotice, longFirstLineNotice, memoryNotice, skippedNotice, unclosedQuoteNotice, wideRowsNotice } from "./loaderNotices";

export { FIRST_RANGE_BYTES, OVERFLOW_COLUMN, SOURCE_COLUMN };
/** A first line longer than this is not taken as a header. */
export const MAX_HEADER_BYTES = 1 << 20;
const SNIFF_BYTES = 64 * 1024;

export class PreviewLoader {
  readonly table = new TableView();
  readonly stats: LoaderStatistics;
  private readonly columns: ColumnUnion;
  private readonly fetcher: FileFetcher;
  private readonly contents = new Map<PreviewFile, Judged>();
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
    this.stats = options.statistics === false ? new CellCounter() : options.countStatistics?.() ?? new LocalStatistics();
    this.progressState = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0),
      filesDone: 0, filesTotal: files.length, capped: false, cap: options.cap, raggedRows: 0, malformedLines: 0, notices: [] };
    this.columns = new ColumnUnion(options.maxColumns, files.length > 1, (names) => this.stats.setColumns(names), (cells) => this.foldedRow(cells));
    this.fetcher = new FileFetcher(files, options, this.controller.signal);
    if ((options.skipped ?? []).length > 0) this.notice(skippedNotice(options.skipped ?? []));
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
    return this.columns.names;
  }

  columnInfo(): ColumnInfo[] {
    return this.columns.info();
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
        this.fetcher.prefetch(i + 1);
        await this.options.sink?.beginFile?.(i);
        await this.streamFile(file, i === 0 ? prefixRows : 0);
        this.progressState.filesDone += 1;
      }
      await this.stats.finish();
      this.progressState.state = this.signal.aborted ? "cancelled" : "done";
    } catch (error) {
      this.progressState.state = this.signal.aborted ? "cancelled" : "error";
      if (!this.signal.aborted) this.progressState.message = (error as Error)?.message ?? String(error);
      // What was counted before the failure or the cancel stays readable.
      await this.stats.finish().catch(() => undefined);
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
    if (complete && stored.length === file.size) this.fetcher.holdWhole(file, stored);
    const { content, plain } = this.judge(file, stored, complete);
    const bytes = content.encoding === "utf8" ? plain : utf8Converter(content.encoding)(plain, complete);
    const quoteFree = this.format === "csv" && !content.loneCr && isQuoteFree(bytes);
    const shown = quoteFree ? this.firstRowsAsBytes(bytes, complete, file) : this.firstRowsAsText(bytes, complete, file);
    this.columnsSent = this.columns.names.length;
    this.events.init(this.columnInfo(), this.table.window(0, 200), this.progress());
    return shown;
  }

  /** What a file holds, from its first bytes (see judgeContent); its notices are shown. */
  private judge(file: PreviewFile, stored: Buffer, complete: boolean): { content: Judged; plain: Buffer } {
    const { content, plain, notices } = judgeContent(file.label, stored, complete, this.options.encoding);
    for (const notice of notices) this.notice(notice);
    this.contents.set(file, content);
    return { content, plain };
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
      if (cells && cells.length > this.options.maxColumns) this.table.appendOne(this.columns.mapRow(cells, layout.mapping as number[], file.label));
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
      const resolved = headerTooLong ? { columns: [], hasHeader: false } : this.options.headerRow ? headerColumns(first) : resolveLegacyColumns(rows);
      if (headerTooLong) this.notice(longFirstLineNotice(file.label, first.length));
      const names = resolved.columns.slice(0, this.options.maxColumns - this.columns.names.length);
      this.csvMapping = names.map((name) => this.columns.column(name));
      this.csvWidth = resolved.columns.length;
      if (resolved.hasHeader) data = rows.slice(1);
    }
    return data.map((row) => this.columns.mapRow(row, this.csvMapping, file.label));
  }

  private jsonlRows(flattener: JsonlFlattener, text: string, final: boolean, file: PreviewFile): string[][] {
    const { rows, malformed } = flattener.push(text, final);
    this.progressState.malformedLines += malformed;
    const mapping = flattener.columns.map((name) => this.columns.column(name));
    return rows.map((row) => this.columns.mapRow(row, mapping, file.label));
  }

  /** Whether a row of about `bytes` may be held for the grid (the row cap and the memory budget). */
  private room(bytes: number): boolean {
    if (this.table.totalRows >= this.cap) {
      this.progressState.capped = true;
      return false;
    }
    const budget = this.options.maxHeldBytes ?? 1 << 30;
    if (this.heldBytes + bytes > budget) {
      this.notice(memoryNotice(this.table.totalRows, budget));
      return false;
    }
    this.heldBytes += bytes;
    return true;
  }

  private foldedRow(cells: number): void {
    this.wideRows += 1;
    this.notice(wideRowsNotice(this.wideRows, this.options.maxColumns, cells));
  }

  private async streamFile(file: PreviewFile, alreadyShown: number): Promise<void> {
    const content = this.contents.get(file) ?? await this.judgeFromStart(file);
    const stream = await this.fetcher.download(file);
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
        block: async () => {
          // The rows handed to the statistics are counted before the reading runs far ahead of them.
          await this.stats.caughtUp();
          this.emitProgress(false);
        },
        unclosedQuote: (issue) => this.unclosedQuote(file, issue, plain),
        invalidText: () => this.invalidLater(file, content),
      });
      // Not waited for: the reading goes on to the next file while the statistics catch up (the answer
      // comes before the one finish() waits for, so the last progress has the notice).
      void this.stats.takeReplacements().then((count) => count > 0 && this.invalidLater(file, content), () => undefined);
    } else {
      const text = (input as Readable).pipe(decodingCounter(plain ? countStored : () => undefined, () => this.invalidLater(file, content)));
      // pipe() does not forward errors (an abort surfaces as one on the source): hand them on.
      input.on("error", (error) => text.destroy(error));
      const flattener = new JsonlFlattener();
      await readTextChunks(text, this.signal, (chunk, final) => accept(this.jsonlRows(flattener, chunk, final, file)));
    }
  }

  /** Files after the first: their own first bytes say what they hold (one short ranged read). */
  private async judgeFromStart(file: PreviewFile): Promise<Judged> {
    const { bytes, complete } = await this.fetcher.head(file, SNIFF_BYTES);
    return this.judge(file, bytes, complete).content;
  }

  /** Bytes that are not UTF-8 past the first range (which judge() checked): said once, Latin-1 offered. */
  private invalidLater(file: PreviewFile, content: Judged): void {
    if (content.encoding !== "utf8" || this.progressState.notices.some((n) => n.id === "invalidUtf8")) return;
    this.notice(invalidUtf8LaterNotice(file.label));
  }

  private unclosedQuote(file: PreviewFile, issue: UnclosedQuote, plain: boolean): void {
    const unread = Buffer.byteLength(issue.row.join(",")) + 1;
    const byte = Math.max(0, file.size - unread);
    this.brokenAt = { file, byte };
    this.notice(unclosedQuoteNotice(file.label, issue, unread, plain ? byte : undefined));
  }

  /** Columns for a byte row's cells past the header's width, named as mapRow names them (up to the cap). */
  private overflow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout, file: PreviewFile): string[] | undefined {
    const cells = splitCells(bytes, rowStart, rowEnd);
    for (let k = layout.mapping.length; k < cells.length; k++) {
      const column = this.columns.overflowColumn(k);
      if (column === undefined) {
        // Past the column cap the rest of the row is one text cell: the row is held as text, not bytes.
        const row = this.columns.mapRow(cells, layout.mapping as number[], file.label);
        const folded = this.columns.find(OVERFLOW_COLUMN) ?? 0;
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
    const layout = { mapping: this.csvMapping, source: this.files.length > 1 ? { column: this.columns.find(SOURCE_COLUMN) ?? 0, label: file.label } : undefined };
    this.layouts.set(file, layout);
    return layout;
  }

  private emitProgress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < 200) return;
    this.lastProgress = now;
    if (this.columns.names.length > this.columnsSent) {
      const from = this.columnsSent;
      this.columnsSent = this.columns.names.length;
      this.events.columnsAdded(from, this.columnInfo().slice(from));
    }
    this.events.progress(this.progress());
  }
}


/** About what a row of strings costs held (UTF-16 and per-string overhead). */
function textBytes(row: readonly string[]): number {
  let bytes = 16;
  for (const cell of row) bytes += 2 * cell.length + 16;
  return bytes;
}
