// On an engine thread: builds a training set. The outputs are read first and indexed by correlation key
// (one side held), ground truth labels next (small), then the inputs stream past them; each joined row goes
// to a spool and the file is written once every column is known. Files are read as a preview reads them
// (encodings, gzip, legacy headers, JSON lines flattened), through the host.
import { PreviewLoader, type PreviewFile, type RowSink } from "../loader";
import type { ByteRowLayout } from "../../core/table/rowStore";
import { splitCells } from "../../core/table/bytes";
import { batchedKey, TrainingJoin, type Row } from "../../core/azureml/trainingJoin";
import { LabelJoin, trainingKeyColumn, isCollectorColumn, CORRELATION_KEY } from "../../core/azureml/trainingColumns";
import { cancelledError } from "../../core/errors";
import { SpooledTable } from "./spooledTable";
import type { RemoteReads } from "./remoteBlobs";
import type { TrainingSetProgress, TrainingSetStart, TrainingSetSummary } from "./protocol";
import { setImmediate as nextTurn } from "node:timers/promises";
import { parquetCompressors, remoteParquetFile } from "./parquetSource";

export class TrainingSetJob {
  private readonly controller = new AbortController();
  private current: PreviewLoader | undefined;

  constructor(private readonly start: TrainingSetStart, private readonly reads: RemoteReads, private readonly progress: (progress: TrainingSetProgress) => void) {}

  cancel(): void {
    this.controller.abort();
    this.current?.cancel();
  }

  async run(): Promise<TrainingSetSummary> {
    const { layout, how } = this.start;
    const join = new TrainingJoin({ how, key: trainingKeyColumn(layout) });
    await this.readRows("outputs", this.start.outputs, (row) => {
      const output: Row = {};
      for (const [name, value] of Object.entries(row)) if (name === trainingKeyColumn(layout) || !isCollectorColumn(name)) output[name] = value;
      join.addOutput(output);
    });
    const labels = this.start.groundTruth ? await this.readLabels(this.start.groundTruth) : undefined;
    const table = new SpooledTable();
    try {
      await this.readRows("inputs", this.start.inputs, (row) => {
        const joined = join.joinInput(row);
        if (!joined) return;
        const labelled = labels ? labels.join(joined as Record<string, string | null>) : joined;
        if (labelled) table.add(labelled as Record<string, string | null>);
      });
      const counts = join.finish();
      const written = await table.writeTo(this.start.output.path, this.start.output.format, async (rowsWritten) => {
        this.progress({ stage: "writing", rows: rowsWritten, bytesLoaded: 0, bytesTotal: 0 });
        await this.turn();
      });
      return { path: this.start.output.path, format: this.start.output.format, rows: written.rows, columns: written.columns, bytes: written.bytes, counts, labels: labels?.counts };
    } finally {
      table.dispose();
    }
  }

  private async turn(): Promise<void> {
    await nextTurn();
    if (this.controller.signal.aborted) throw cancelledError();
  }

  /** Every row of a window as a record of its cells (the correlation key added for the current layout). */
  private async readRows(stage: "outputs" | "inputs" | "groundTruth", window: { files: number[]; format: "csv" | "jsonl" }, onRow: (row: Row) => void): Promise<void> {
    if (this.controller.signal.aborted) throw cancelledError();
    const files: PreviewFile[] = window.files.map((i) => ({ ...this.start.files[i], blobs: this.reads.gateway(i) }));
    const current = this.start.layout === "current" && stage !== "groundTruth";
    // Rows of one batched record follow each other sharing its correlation id: their index in the record
    // is counted (per file) as monitoring splits them, `{correlationid}_{index}`.
    let lastId: string | undefined;
    let indexInRecord = 0;
    const firstColumn = files.length > 1 ? 1 : 0; // the loader's "source" column when files are stitched
    const emit = (cells: readonly string[], mapping?: readonly number[]) => {
      const names = this.names();
      const row: Row = {};
      for (let i = 0; i < cells.length; i++) {
        const column = mapping ? mapping[i] : i;
        if (column === undefined || column < firstColumn) continue;
        const name = names[column];
        if (name !== undefined) row[name] = cells[i] === "" ? null : cells[i];
      }
      if (current) {
        const id = typeof row.correlationid === "string" ? row.correlationid : undefined;
        indexInRecord = id !== undefined && id === lastId ? indexInRecord + 1 : 0;
        lastId = id;
        row[CORRELATION_KEY] = batchedKey(id, indexInRecord);
      }
      onRow(row);
    };
    const sink: RowSink = {
      beginFile: () => (lastId = undefined),
      textRow: (row) => emit(row),
      byteRow: (bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout) => emit(splitCells(bytes, start, end), layout.mapping),
    };
    const loader: PreviewLoader = new PreviewLoader(files, window.format, { cap: 0, maxColumns: this.start.maxColumns, maxHeldBytes: 0, parallelRanges: this.start.parallelRanges,
      rangeBytes: this.start.rangeBytes, encoding: this.start.encoding, sink, statistics: false }, {
      init: () => undefined, columnsAdded: () => undefined,
      progress: () => {
        const p = loader.progress();
        this.progress({ stage, rows: p.rowsLoaded, bytesLoaded: p.bytesLoaded, bytesTotal: p.bytesTotal });
      },
    });
    this.current = loader;
    this.names = () => loader.columnNames();
    await loader.run();
    const p = loader.progress();
    if (p.state === "cancelled" || this.controller.signal.aborted) throw cancelledError();
    if (p.state === "error") throw new Error(`The ${stage === "groundTruth" ? "ground truth file" : stage} could not be read: ${p.message ?? "unknown error"}`);
  }

  private names: () => readonly string[] = () => [];

  /** The labels file indexed by its key column (CSV through the preview's reader, Parquet through hyparquet). */
  private async readLabels(groundTruth: NonNullable<TrainingSetStart["groundTruth"]>): Promise<LabelJoin> {
    const labels = new LabelJoin({ labelKey: groundTruth.labelKey, joinOn: groundTruth.joinOn, how: this.start.how });
    if (groundTruth.format === "csv") {
      await this.readRows("groundTruth", { files: [groundTruth.file], format: "csv" }, (row) => labels.addLabel(row));
    } else {
      for (const row of await this.parquetRows(groundTruth.file)) labels.addLabel(row);
    }
    labels.checkKey();
    return labels;
  }

  private async parquetRows(index: number): Promise<Row[]> {
    const { parquetReadObjects } = await import("hyparquet");
    const file = this.start.files[index];
    let bytesLoaded = 0;
    const buffer = remoteParquetFile(this.reads, index, file.size, this.controller.signal, (read) => {
      bytesLoaded += read;
      this.progress({ stage: "groundTruth", rows: 0, bytesLoaded, bytesTotal: file.size });
    });
    const compressors = await parquetCompressors();
    try {
      const objects = await parquetReadObjects({ file: buffer, compressors });
      return objects.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === "bigint" ? v.toString() : typeof v === "object" ? JSON.stringify(v) : String(v)])));
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new Error(`The ground truth file ${file.label} could not be read as Parquet: ${(error as Error).message}.`);
    }
  }
}
