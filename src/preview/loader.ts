// Loads collected files into a TableView for the preview: the first rows from one ranged read (≤ 256 KiB),
// then every file streamed and parsed with progress; stats over every row, rows held up to the cap.
// Free of vscode so the benchmark runs it in plain Node.
import type { BlobGateway } from "../core/gateways";
import { detectNewline, parseCsvPrefix } from "../core/table/csv";
import { cancelledError } from "../core/errors";
import type { ByteRowLayout } from "../core/table/rowStore";
import { splitCells } from "../core/table/bytes";
import { isSystemColumn, resolveLegacyColumns } from "../core/table/legacyColumns";
import { JsonlFlattener, PAYLOAD_LINK_COLUMN } from "../core/table/jsonl";
import { StatsAccumulator } from "../core/table/stats";
import { TableView } from "../core/table/tableView";
import type { ColumnInfo, Progress } from "../protocol";
import { decodingCounter } from "./decodeStream";
import { HEAD_ROWS, readCsv } from "./csvIntake";
import { isQuoteFree, QuoteFreeCsvSplitter } from "../core/table/csvBytes";

export const FIRST_RANGE_BYTES = 256 * 1024;
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
  columns(columns: ColumnInfo[]): void;
  progress(progress: Progress): void;
}

export class PreviewLoader {
  readonly table = new TableView();
  readonly stats = new StatsAccumulator([]);
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly controller = new AbortController();
  private readonly progressState: Progress;
  private lastProgress = 0;
  /** The current CSV file's columns mapped into the union, its width, and the preview's line ending. */
  private csvMapping: number[] = [];
  private csvWidth = 0;
  private newline: "\r\n" | "\n" = "\n";
  private readonly layouts = new Map<PreviewFile, ByteRowLayout>();

  constructor(private readonly files: PreviewFile[], private readonly format: "csv" | "jsonl", private readonly cap: number, private readonly events: LoaderEvents) {
    this.progressState = { state: "loading", rowsLoaded: 0, visibleRows: 0, bytesLoaded: 0, bytesTotal: files.reduce((s, f) => s + f.size, 0),
      filesDone: 0, filesTotal: files.length, capped: false, cap, raggedRows: 0, malformedLines: 0 };
    if (files.length > 1) this.column(SOURCE_COLUMN);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  columnInfo(): ColumnInfo[] {
    return this.names.map((name) => ({ name, system: isSystemColumn(name), link: name === PAYLOAD_LINK_COLUMN }));
  }

  progress(): Progress {
    return { ...this.progressState, visibleRows: this.table.visibleRows };
  }

  cancel(): void {
    this.controller.abort();
  }

  async run(): Promise<void> {
    try {
      const prefixRows = await this.showFirstRows();
      for (const [i, file] of this.files.entries()) {
        if (this.signal.aborted) break;
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
    const bytes = await file.blobs.readRange(file.container, file.name, 0, FIRST_RANGE_BYTES);
    if (this.signal.aborted) throw cancelledError();
    const complete = bytes.length >= file.size || bytes.length < FIRST_RANGE_BYTES;
    this.newline = detectNewline(bytes);
    const shown = this.format === "csv" && isQuoteFree(bytes) ? this.firstRowsAsBytes(bytes, complete, file) : this.firstRowsAsText(bytes, complete, file);
    this.events.init(this.columnInfo(), this.table.window(0, 200), this.progress());
    return shown;
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
    const rows: Array<[number, number]> = [];
    const splitter = new QuoteFreeCsvSplitter(this.newline === "\r\n", { row: (_, start, end) => rows.push([start, end]) });
    // The Buffer itself, not a plain view: its native indexOf finds line endings twice as fast.
    splitter.push(bytes);
    // Unless the range is the whole file, its last row may be cut: the splitter still holds it, and it is dropped.
    if (complete) splitter.end();
    const head = rows.slice(0, HEAD_ROWS).map(([start, end]) => splitCells(bytes, start, end));
    const headRows = this.csvRows(head, file, true);
    const layout = this.byteLayout(file);
    this.table.append(headRows.slice(0, this.cap));
    // The range's buffer is ours and already in memory: the store keeps it rather than copying its rows.
    for (const [start, end] of rows.slice(head.length)) if (this.table.totalRows < this.cap) this.table.appendBytes(bytes, start, end, layout, true);
    return headRows.length + rows.length - head.length;
  }

  /** Maps a file's rows into the union of columns; `fresh` resolves the file's header first. */
  private csvRows(rows: string[][], file: PreviewFile, fresh: boolean): string[][] {
    let data = rows;
    if (fresh) {
      const resolved = resolveLegacyColumns(rows);
      this.csvMapping = resolved.columns.map((name) => this.column(name));
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
    const out = new Array<string>(this.names.length).fill("");
    for (let i = 0; i < row.length && i < mapping.length; i++) out[mapping[i]] = row[i];
    // Ragged rows keep their extra cells in overflow columns rather than losing them.
    for (let i = mapping.length; i < row.length; i++) out[this.column(`col${i + 1}`)] = row[i];
    if (this.files.length > 1) out[0] = file.label;
    return out;
  }

  private column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.stats.setColumns(this.names);
      if (this.progressState.rowsLoaded > 0) this.events.columns(this.columnInfo());
    }
    return i;
  }

  private async streamFile(file: PreviewFile, alreadyShown: number): Promise<void> {
    const { stream } = await file.blobs.openStream(file.container, file.name, 0, this.signal);
    let skip = alreadyShown;
    let headerPending = this.format === "csv";
    const acceptQuietly = (rows: string[][]) => {
      for (const row of rows) {
        this.stats.add(row);
        this.progressState.rowsLoaded += 1;
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        if (this.table.totalRows < this.cap) this.table.appendOne(row);
        else this.progressState.capped = true;
      }
    };
    const accept = (rows: string[][]) => {
      acceptQuietly(rows);
      this.emitProgress(false);
    };
    if (this.format === "csv") {
      let layout: ByteRowLayout | undefined;
      await readCsv(stream, {
        signal: this.signal,
        // Files of one preview come from one collector: they share the first file's line ending.
        newline: this.newline,
        bytes: (n) => (this.progressState.bytesLoaded += n),
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
          // Extra cells get overflow columns, which the stored row then fills too (the mapping grows).
          if (cells > current.mapping.length) this.overflow(bytes, rowStart, rowEnd, current);
          if (skip > 0) skip -= 1;
          else if (this.table.totalRows < this.cap) this.table.appendBytes(bytes, rowStart, rowEnd, current);
          else this.progressState.capped = true;
        },
        block: () => this.emitProgress(false),
      });
    } else {
      const text = stream.pipe(decodingCounter((n) => (this.progressState.bytesLoaded += n)));
      // pipe() does not forward errors (an abort surfaces as one on the source): hand them on.
      stream.on("error", (error) => text.destroy(error));
      const flattener = new JsonlFlattener();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(cancelledError());
        this.signal.addEventListener("abort", onAbort, { once: true });
        text.on("data", (chunk: string) => accept(this.jsonlRows(flattener, chunk, false, file)));
        text.on("end", () => {
          accept(this.jsonlRows(flattener, "", true, file));
          resolve();
        });
        text.on("error", reject);
      });
    }
  }

  /** Columns for a byte row's cells past the header's width, named as mapRow names them. */
  private overflow(bytes: Uint8Array, rowStart: number, rowEnd: number, layout: ByteRowLayout): void {
    const cells = splitCells(bytes, rowStart, rowEnd);
    for (let k = layout.mapping.length; k < cells.length; k++) {
      const column = this.column(`col${k + 1}`);
      (layout.mapping as number[]).push(column);
      this.stats.addOverflowCell(column, cells[k]);
    }
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
    this.events.progress(this.progress());
  }
}

function isIdentity(mapping: number[]): boolean {
  for (let i = 0; i < mapping.length; i++) if (mapping[i] !== i) return false;
  return true;
}
