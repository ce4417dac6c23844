// On an engine thread: builds a training set. The outputs are read first and kept by correlation key (one
// side held, by column), ground truth labels next, then the inputs stream past them; each joined row goes
// to a spool (its input cells and the index of its output and label rows) and the file is written once every
// column is known. Files are read as a preview reads them (encodings, gzip, legacy headers, JSON lines
// flattened), through the host.
import type { PreviewFile } from "../reading/previewFile";
import type { RowSink } from "../reading/loaderOptions";
import type { ByteRowLayout } from "../core/table/rowStore";
import { splitCells } from "../core/table/bytes";
import { batchedKey, TrainingJoin } from "../core/azureml/trainingJoin";
import { CORRELATION_KEY, isCollectorColumn, joinedColumnNames, LabelJoin, LEGACY_CORRELATION_ID, noIdColumn } from "../core/azureml/trainingColumns";
import { isTypedNumber, type Cell, type KeyedRows } from "../core/azureml/keyedRows";
import { cancelledError } from "../core/errors";
import { Spool, writeTable } from "./spooledTable";
import { parquetCompressors, remoteParquetFile } from "../reading/parquetSource";
import type { RemoteReads } from "./remoteBlobs";
import type { TrainingSetProgress, TrainingSetStart, TrainingSetSummary } from "./protocol";
import { LoaderJob } from "./loaderJob";

/** A row as the loader maps it: cell i in column i of the union of the files' columns (holes are empty). */
type Cells = Array<string | undefined>;
/** What the spool keeps of a joined row: its key, its input cells, its output and label rows (-1: none). */
type SpooledRow = [string | null, Array<string | null>, number, number];

interface ReadSide {
  /** The columns as the loader named them, in union order. */
  names: string[];
  /** The column indexes that are data (not the loader's stitched-files column). */
  first: number;
}

export class TrainingSetJob extends LoaderJob<TrainingSetSummary> {
  constructor(private readonly start: TrainingSetStart, private readonly reads: RemoteReads, private readonly progress: (progress: TrainingSetProgress) => void) {
    super(start);
  }

  async run(): Promise<TrainingSetSummary> {
    const { layout, how } = this.start;
    const join = new TrainingJoin(how);
    // The outputs' own copies of the collector's columns (time, correlationid…) are not kept: the inputs have them.
    const collector: boolean[] = [];
    const outputSide = await this.readRows("outputs", this.start.outputs, (cells, key, names) => {
      const kept: Cells = new Array(cells.length);
      for (let c = 0; c < cells.length; c++) {
        collector[c] ??= isCollectorColumn(names[c] ?? "");
        if (!collector[c]) kept[c] = cells[c];
      }
      join.add(key, kept);
    });
    const outputColumns = dataColumns(outputSide).filter((c) => !isCollectorColumn(outputSide.names[c]));
    const labelled = this.start.groundTruth ? await this.readLabels(this.start.groundTruth) : undefined;

    const spool = new Spool();
    try {
      const numeric: boolean[] = [];
      const joinOn = labelled && this.joinOnValue(labelled.joinOn, outputSide, join.rows);
      const inputSide = await this.readRows("inputs", this.start.inputs, (cells, key, names) => {
        const output = join.pair(key);
        if (output === undefined) return;
        let label = -1;
        if (labelled && joinOn) {
          const found = labelled.join.pair(joinOn(cells, key, output, names));
          if (found === undefined) return;
          label = found;
        }
        const stored: Array<string | null> = new Array(cells.length);
        for (let c = 0; c < cells.length; c++) {
          const value = cells[c];
          if (value === undefined || value === "") {
            stored[c] = null;
            continue;
          }
          stored[c] = value;
          if (numeric[c] !== false && !isTypedNumber(value)) numeric[c] = false;
        }
        spool.add([key ?? null, stored, output, label] satisfies SpooledRow);
      });
      const counts = join.counts();
      const inputColumns = dataColumns(inputSide);
      const labelColumns = labelled ? dataColumns(labelled.side).filter((c) => labelled.side.names[c] !== labelled.labelKey) : [];
      const current = layout === "current";
      const names = joinedColumnNames([...inputColumns.map((c) => inputSide.names[c]), ...(current ? [CORRELATION_KEY] : [])],
        outputColumns.map((c) => outputSide.names[c]), labelColumns.map((c) => labelled?.side.names[c] ?? ""));
      const numericFlags = [...inputColumns.map((c) => numeric[c] !== false), ...(current ? [false] : []),
        ...outputColumns.map((c) => join.rows.isNumeric(c)), ...labelColumns.map((c) => labelled?.join.rows.isNumeric(c) ?? false)];
      const toCells = ([key, cells, output, label]: SpooledRow): Cell[] => [
        ...inputColumns.map((c) => cells[c] ?? null), ...(current ? [key] : []),
        ...outputColumns.map((c) => join.rows.cell(output, c)), ...labelColumns.map((c) => labelled?.join.rows.cell(label, c) ?? null),
      ];
      const written = await writeTable(this.start.output.path, this.start.output.format, names, numericFlags, spool.batches(toCells), async (rows) => {
        this.progress({ stage: "writing", rows, bytesLoaded: 0, bytesTotal: 0 });
        await this.turn();
      });
      return { path: this.start.output.path, format: this.start.output.format, rows: written.rows, columns: written.columns, bytes: written.bytes, counts, labels: labelled?.join.counts() };
    } finally {
      spool.dispose();
    }
  }

  /**
   * Every row of a side with its key: for the current collector `{correlationid}_{index}` (the rows of one
   * batched record follow each other sharing its id: their index in the record is counted per file), for
   * the legacy one its `$aml_dc_correlation_id`, for labels the column the user named.
   */
  private async readRows(stage: "outputs" | "inputs" | "groundTruth", window: { files: number[]; format: "csv" | "jsonl" }, onRow: (cells: Cells, key: string | null, names: readonly string[]) => void,
    keyColumn?: string): Promise<ReadSide> {
    if (this.controller.signal.aborted) throw cancelledError();
    const files: PreviewFile[] = window.files.map((i) => ({ ...this.start.files[i], blobs: this.reads.gateway(i) }));
    const batched = this.start.layout === "current" && !keyColumn;
    const keyName = keyColumn ?? (batched ? "correlationid" : LEGACY_CORRELATION_ID);
    let keyAt = -1;
    let lastId: string | undefined;
    let indexInRecord = 0;
    let names: readonly string[] = [];
    const emit = (cells: Cells) => {
      if (keyAt < 0) keyAt = names.indexOf(keyName);
      const id = keyAt < 0 ? undefined : cells[keyAt];
      let key: string | null = id === undefined || id === "" ? null : id;
      if (batched) {
        indexInRecord = id !== undefined && id === lastId ? indexInRecord + 1 : 0;
        lastId = id;
        key = batchedKey(id, indexInRecord);
      }
      onRow(cells, key, names);
    };
    const sink: RowSink = {
      beginFile: () => {
        lastId = undefined;
      },
      textRow: (row) => emit(row as Cells),
      byteRow: (bytes: Uint8Array, start: number, end: number, layout: ByteRowLayout) => {
        const split = splitCells(bytes, start, end);
        const cells: Cells = new Array(names.length);
        for (let k = 0; k < split.length; k++) {
          const column = layout.mapping[k];
          if (column !== undefined) cells[column] = split[k];
        }
        emit(cells);
      },
    };
    // A side whose first file has no id column at all pairs nothing: said once its header is read, not after every file.
    let refusal: Error | undefined;
    const loader = this.streamingLoader(files, window.format, sink, (p) => this.progress({ stage, rows: p.rowsLoaded, bytesLoaded: p.bytesLoaded, bytesTotal: p.bytesTotal }), () => {
      const empty = names.length <= (files.length > 1 ? 1 : 0);
      if (keyColumn || empty || names.includes(keyName)) return;
      refusal = new Error(noIdColumn(stage as "inputs" | "outputs", keyName, files[0]?.label ?? ""));
      loader.cancel();
    });
    names = loader.columnNames();
    await loader.run();
    if (refusal) throw refusal;
    this.finished(loader, `The ${stage === "groundTruth" ? "ground truth file" : stage}`);
    return { names: [...names], first: files.length > 1 ? 1 : 0 };
  }

  /** The labels file kept by its key column (CSV through the preview's reader, Parquet through hyparquet). */
  private async readLabels(truth: NonNullable<TrainingSetStart["groundTruth"]>): Promise<{ join: LabelJoin; side: ReadSide; labelKey: string; joinOn: string }> {
    const join = new LabelJoin(this.start.how);
    let side: ReadSide;
    if (truth.format === "csv") {
      side = await this.readRows("groundTruth", { files: [truth.file], format: "csv" }, (cells, key) => join.add(key, cells), truth.labelKey);
    } else {
      const { names, rows } = await this.parquetRows(truth.file);
      const keyAt = names.indexOf(truth.labelKey);
      for (const cells of rows) join.add(keyAt < 0 ? null : cells[keyAt], cells);
      side = { names, first: 0 };
    }
    if (join.rows.rows + join.rows.withoutKey > 0 && !side.names.includes(truth.labelKey)) {
      throw new Error(`The ground truth file has no column '${truth.labelKey}'. Choose the column that holds the key.`);
    }
    return { join, side, labelKey: truth.labelKey, joinOn: truth.joinOn };
  }

  /** How a row's value of `joinOn` is found: the correlation key, an input column, or an output column. */
  private joinOnValue(joinOn: string, outputs: ReadSide, outputRows: KeyedRows): (cells: Cells, key: string | null, output: number, names: readonly string[]) => string | null {
    if (joinOn === CORRELATION_KEY && this.start.layout === "current") return (_cells, key) => key;
    const outputAt = outputs.names.indexOf(joinOn);
    let inputAt = -1;
    return (cells, _key, output, names) => {
      if (inputAt < 0) inputAt = names.indexOf(joinOn);
      if (inputAt >= 0) return cells[inputAt] ?? null;
      return outputAt >= 0 ? outputRows.cell(output, outputAt) : null;
    };
  }

  private async parquetRows(index: number): Promise<{ names: string[]; rows: Array<Array<string | null>> }> {
    const { parquetMetadataAsync, parquetReadObjects } = await import("hyparquet");
    const file = this.start.files[index];
    let bytesLoaded = 0;
    const buffer = remoteParquetFile(this.reads, index, file.size, this.controller.signal, (read) => {
      bytesLoaded += read;
      this.progress({ stage: "groundTruth", rows: 0, bytesLoaded, bytesTotal: file.size });
    });
    try {
      const metadata = await parquetMetadataAsync(buffer);
      const names = metadata.schema.slice(1).filter((s) => !s.num_children).map((s) => s.name);
      const objects = await parquetReadObjects({ file: buffer, metadata, compressors: await parquetCompressors() });
      const text = (v: unknown) => (v === null || v === undefined ? null : typeof v === "bigint" ? v.toString() : typeof v === "object" ? JSON.stringify(v) : String(v));
      return { names, rows: objects.map((o) => names.map((n) => text(o[n]))) };
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new Error(`The ground truth file ${file.label} could not be read as Parquet: ${(error as Error).message}.`);
    }
  }
}

/** A side's data columns: every column but the loader's stitched-files one. */
function dataColumns(side: ReadSide): number[] {
  return side.names.map((_, i) => i).filter((i) => i >= side.first);
}
