// Build Training Set on DuckDB: the window's inputs and outputs in the query cache (downloaded once, as a
// query's), read as text for a CSV set (cells written as stored) or typed for Parquet, in file and line
// order; joined hour by hour (trainingSetBuild), then COPY … TO the format; the counts the summary reports.
// Labels are copied into the cache first (DuckDB may read nothing else).
import { copyFile, rm, stat } from "node:fs/promises";
import type { QueryService, PreparedWindow } from "./queryService";
import type { QueryWindow } from "./queryWindow";
import type { TrainingSetSummary } from "../engine/protocol";
import { labelReadSql, trainingChunks, type TrainingSqlInput } from "../core/sql/trainingSetSql";
import { buildTrainingSet, type TrainingDb } from "../core/sql/trainingSetBuild";
import { LEGACY_CORRELATION_ID, noIdColumn } from "../core/azureml/trainingColumns";
import { cancelledError } from "../core/errors";

export interface SqlTrainingSetStart {
  window: QueryWindow;
  inputs: string;
  outputs: string;
  layout: "current" | "legacy";
  how: "inner" | "left";
  groundTruth?: { file: string; labelKey: string; joinOn: string };
  output: { path: string; format: "csv" | "parquet" };
  signal: AbortSignal;
  onProgress(message: string): void;
}

export async function sqlTrainingSet(service: QueryService, start: SqlTrainingSetStart): Promise<TrainingSetSummary> {
  const { signal, output } = start;
  let percent = -1;
  const prepared = await service.prepare(start.window, signal, (stage, done, total) => {
    if (stage === "download" && total > 0 && Math.floor((100 * done) / total) !== percent) {
      percent = Math.floor((100 * done) / total);
      start.onProgress(`downloading ${percent}%`);
    } else if (stage === "define") start.onProgress("reading the collections");
  }, { text: output.format === "csv", ordered: true });
  const temporary: string[] = [];
  try {
    const view = (collection: string) => prepared.views.find((v) => v.collection === collection);
    const inputs = view(start.inputs);
    const outputs = view(start.outputs);
    if (!inputs || !outputs) throw new Error(`${start.inputs} or ${start.outputs} has no data in this window.`);
    const columns = (v: typeof inputs) => v.columns.map((c) => c.name);
    if (start.layout === "legacy") {
      const firstFile = (collection: string) => start.window.collections.find((c) => c.name === collection)?.blobs[0]?.source ?? "";
      if (!columns(inputs).includes(LEGACY_CORRELATION_ID)) throw new Error(noIdColumn("inputs", LEGACY_CORRELATION_ID, firstFile(start.inputs)));
      if (!columns(outputs).includes(LEGACY_CORRELATION_ID)) throw new Error(noIdColumn("outputs", LEGACY_CORRELATION_ID, firstFile(start.outputs)));
    }
    let labels: TrainingSqlInput["labels"];
    if (start.groundTruth) {
      const format = /\.parquet$/i.test(start.groundTruth.file) ? "parquet" : "csv";
      const copy = await service.answerPath("labels", format);
      temporary.push(copy);
      await copyFile(start.groundTruth.file, copy);
      const read = labelReadSql(copy, format);
      const described = await service.run(prepared, `DESCRIBE SELECT * FROM ${read}`, { kind: "rows", limit: 100_000 }, signal);
      const labelColumns = described.rows.map((r) => String(r[0]));
      if (!labelColumns.includes(start.groundTruth.labelKey)) throw new Error(`The ground truth file has no column '${start.groundTruth.labelKey}'. Choose the column that holds the key.`);
      labels = { read, columns: labelColumns, labelKey: start.groundTruth.labelKey, joinOn: start.groundTruth.joinOn };
    }
    const input: TrainingSqlInput = { layout: start.layout, how: start.how, inputsView: inputs.name, outputsView: outputs.name, inputColumns: columns(inputs), outputColumns: columns(outputs), labels };
    const filesOf = (collection: string) => prepared.collections.find((c) => c.name === collection)?.files ?? [];
    const chunks = trainingChunks(filesOf(start.inputs), filesOf(start.outputs));
    const db: TrainingDb = {
      define: (statements) => service.define(prepared, statements, signal),
      rows: async (sql) => (await service.run(prepared, sql, { kind: "rows", limit: 1 }, signal)).rows,
      write: async (sql, path, format) => (await service.run(prepared, sql, { kind: "file", path, format }, signal)).rowCount,
    };
    const written = await service.answerPath("exports", output.format);
    temporary.push(written);
    const built = await buildTrainingSet(db, input, chunks, { path: written, format: output.format }, async () => {
      const part = await service.answerPath("exports", "parquet");
      temporary.push(part);
      return part;
    }, (done, total) => start.onProgress(done < total ? `pairing hour by hour: ${Math.floor((100 * done) / total)}%` : "writing"));
    await copyFile(written, output.path);
    return { path: output.path, format: output.format, rows: built.rows, columns: built.names, bytes: (await stat(output.path)).size, counts: built.counts, labels: built.labels };
  } catch (error) {
    await rm(output.path, { force: true });
    if (signal.aborted) throw cancelledError();
    throw error;
  } finally {
    for (const path of temporary) await rm(path, { force: true });
    service.close(prepared as PreparedWindow);
  }
}
