// A table written row by row whose columns are known only at the end (collected JSON lines add columns
// as they go): rows are spooled to a temporary file, then written once as CSV or Parquet with every
// column. Nothing but a column list and the spool's write buffer is held; the result appears under its
// name only when complete (written beside it, then renamed), so a cancel or a failure leaves no part.
import { closeSync, createReadStream, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLAIN_NUMBER } from "../../core/table/bytes";
import { toCsvLine } from "../../core/table/tableView";

export type Cell = string | null;
const FLUSH_BYTES = 1 << 20;
/** Rows per Parquet row group (and per CSV write). */
const BATCH_ROWS = 50_000;

export interface WrittenTable {
  rows: number;
  columns: string[];
  bytes: number;
}

export class SpooledTable {
  readonly columns: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per column: every non-empty cell so far is a plain number (a Parquet DOUBLE then). */
  private readonly numeric: boolean[] = [];
  private readonly spoolPath = join(tmpdir(), `modeldata-spool-${randomBytes(6).toString("hex")}.jsonl`);
  private readonly fd = openSync(this.spoolPath, "w");
  private pending: string[] = [];
  private pendingBytes = 0;
  rows = 0;

  add(row: Record<string, Cell>): void {
    const cells: Cell[] = new Array(this.columns.length).fill(null);
    for (const [name, value] of Object.entries(row)) {
      let at = this.index.get(name);
      if (at === undefined) {
        at = this.columns.length;
        this.index.set(name, at);
        this.columns.push(name);
        this.numeric.push(true);
      }
      cells[at] = value === "" ? null : value;
      if (value !== null && value !== "" && this.numeric[at] && !PLAIN_NUMBER.test(value)) this.numeric[at] = false;
    }
    const line = JSON.stringify(cells) + "\n";
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.rows += 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Writes the table to `path` (CSV or Parquet); `turn` runs between batches (cancel, progress). */
  async writeTo(path: string, format: "csv" | "parquet", turn: (rowsWritten: number) => Promise<void>): Promise<WrittenTable> {
    this.flush();
    const temporary = `${path}.partial-${randomBytes(4).toString("hex")}`;
    try {
      const bytes = format === "csv" ? await this.writeCsv(temporary, turn) : await this.writeParquet(temporary, turn);
      renameSync(temporary, path);
      return { rows: this.rows, columns: [...this.columns], bytes };
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  dispose(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.spoolPath, { force: true });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The spooled rows in batches, each row widened to every column. */
  private async *batches(): AsyncGenerator<Cell[][]> {
    const lines = createInterface({ input: createReadStream(this.spoolPath, { encoding: "utf8", highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    let batch: Cell[][] = [];
    for await (const line of lines) {
      if (!line) continue;
      const cells = JSON.parse(line) as Cell[];
      while (cells.length < this.columns.length) cells.push(null);
      batch.push(cells);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private async writeCsv(path: string, turn: (rowsWritten: number) => Promise<void>): Promise<number> {
    const fd = openSync(path, "w");
    let bytes = 0;
    let written = 0;
    try {
      const put = (text: string) => (bytes += writeSync(fd, text));
      // Values as collected (no formula escaping: this file is for training code, not a spreadsheet).
      put(toCsvLine(this.columns, false) + "\n");
      for await (const batch of this.batches()) {
        put(batch.map((cells) => toCsvLine(cells.map((c) => c ?? ""), false)).join("\n") + "\n");
        written += batch.length;
        await turn(written);
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  private async writeParquet(path: string, turn: (rowsWritten: number) => Promise<void>): Promise<number> {
    const { ParquetWriter, ByteWriter } = await import("hyparquet-writer");
    // Each row group's bytes go to the file as it is made (the writer keeps offsets of its own).
    const writer = new ByteWriter();
    const fd = openSync(path, "w");
    const drain = () => {
      writeSync(fd, writer.getBytes());
      writer.index = 0;
    };
    const schema = [
      { name: "root", num_children: this.columns.length },
      ...this.columns.map((name, i) => this.numeric[i]
        ? { name, type: "DOUBLE" as const, repetition_type: "OPTIONAL" as const }
        : { name, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const }),
    ];
    const parquet = new ParquetWriter({ writer, schema, createdBy: "azureml-model-data (hyparquet-writer)" });
    let written = 0;
    try {
      for await (const batch of this.batches()) {
        const columnData = this.columns.map((name, c) => ({
          name,
          data: batch.map((cells) => {
            const value = cells[c];
            return value === null ? null : this.numeric[c] ? Number(value) : value;
          }),
        }));
        await parquet.write({ columnData, rowGroupSize: BATCH_ROWS });
        drain();
        written += batch.length;
        await turn(written);
      }
      parquet.finish();
      drain();
    } finally {
      closeSync(fd);
    }
    return writer.offset;
  }
}
