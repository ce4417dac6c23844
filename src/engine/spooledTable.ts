// A table whose columns are known only at the end (collected JSON lines add columns as they go): records
// are spooled to a temporary file as they come, then written once as CSV or Parquet with every column.
// The result appears under its name only when complete (written beside it, then renamed), so a cancel or a
// failure leaves no part of it.
import { closeSync, createReadStream, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toCsvLine } from "../core/table/tableView";
import type { Cell } from "../core/azureml/keyedRows";

const FLUSH_BYTES = 1 << 20;
/** Rows per Parquet row group (and per CSV write). */
export const BATCH_ROWS = 50_000;

export interface WrittenTable {
  rows: number;
  columns: string[];
  bytes: number;
}

/** Records as JSON lines in a temporary file, read back in batches. */
export class Spool {
  private readonly path = join(tmpdir(), `modeldata-spool-${randomBytes(6).toString("hex")}.jsonl`);
  private readonly fd = openSync(this.path, "w");
  private pending: string[] = [];
  private pendingBytes = 0;
  private closed = false;
  records = 0;

  add(record: unknown): void {
    const line = JSON.stringify(record) + "\n";
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.records += 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Every record, in batches of BATCH_ROWS, each turned into its cells by `toCells`. */
  async *batches<T>(toCells: (record: T) => Cell[]): AsyncGenerator<Cell[][]> {
    this.flush();
    const lines = createInterface({ input: createReadStream(this.path, { encoding: "utf8", highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    let batch: Cell[][] = [];
    for await (const line of lines) {
      if (!line) continue;
      batch.push(toCells(JSON.parse(line) as T));
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  dispose(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * Writes `batches` under `path` as CSV or Parquet (a column whose `numeric` flag is set is a DOUBLE, the
 * rest UTF-8 text, nulls kept); `turn` runs between batches (progress, cancel).
 */
export async function writeTable(path: string, format: "csv" | "parquet", columns: string[], numeric: boolean[], batches: AsyncIterable<Cell[][]>,
  turn: (rowsWritten: number) => Promise<void>): Promise<WrittenTable> {
  const temporary = `${path}.partial-${randomBytes(4).toString("hex")}`;
  try {
    const written = format === "csv" ? await writeCsv(temporary, columns, batches, turn) : await writeParquet(temporary, columns, numeric, batches, turn);
    renameSync(temporary, path);
    return { ...written, columns };
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

async function writeCsv(path: string, columns: string[], batches: AsyncIterable<Cell[][]>, turn: (rowsWritten: number) => Promise<void>): Promise<{ rows: number; bytes: number }> {
  const fd = openSync(path, "w");
  let bytes = 0;
  let rows = 0;
  try {
    const put = (text: string) => (bytes += writeSync(fd, text));
    // Values as collected (no formula escaping: this file is for training code, not a spreadsheet).
    put(toCsvLine(columns, false) + "\n");
    for await (const batch of batches) {
      put(batch.map((cells) => toCsvLine(cells.map((c) => c ?? ""), false)).join("\n") + "\n");
      rows += batch.length;
      await turn(rows);
    }
  } finally {
    closeSync(fd);
  }
  return { rows, bytes };
}

async function writeParquet(path: string, columns: string[], numeric: boolean[], batches: AsyncIterable<Cell[][]>, turn: (rowsWritten: number) => Promise<void>): Promise<{ rows: number; bytes: number }> {
  const { ParquetWriter, ByteWriter } = await import("hyparquet-writer");
  // Each row group's bytes go to the file as it is made (the writer keeps offsets of its own).
  const writer = new ByteWriter();
  const fd = openSync(path, "w");
  const drain = () => {
    writeSync(fd, writer.getBytes());
    writer.index = 0;
  };
  const schema = [
    { name: "root", num_children: columns.length },
    ...columns.map((name, i) => numeric[i]
      ? { name, type: "DOUBLE" as const, repetition_type: "OPTIONAL" as const }
      : { name, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const }),
  ];
  const parquet = new ParquetWriter({ writer, schema, createdBy: "azureml-model-data (hyparquet-writer)" });
  let rows = 0;
  try {
    for await (const batch of batches) {
      const columnData = columns.map((name, c) => ({
        name,
        data: batch.map((cells) => {
          const value = cells[c] ?? null;
          return value === null ? null : numeric[c] ? Number(value) : value;
        }),
      }));
      await parquet.write({ columnData, rowGroupSize: BATCH_ROWS });
      drain();
      rows += batch.length;
      await turn(rows);
    }
    parquet.finish();
    drain();
  } finally {
    closeSync(fd);
  }
  return { rows, bytes: writer.offset };
}
