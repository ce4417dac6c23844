// Runs trainingSetSql's statements chunk by chunk over a DuckDB session: each chunk's tables made once (the
// next chunk's before a chunk is paired, dropped once no chunk looks at them), its counts added up and its
// rows written as a part; then the parts copied into the set.
import { chunkCountsSql, chunkPairingSql, chunkPartSql, chunkTablesSql, COUNT_NAMES, dropChunkSql, labelTablesSql, labelTotalsSql, trainingSetSql,
  type ChunkCounts, type TrainingChunk, type TrainingSqlInput } from "./trainingSetSql";
import type { LabelCounts } from "../azureml/trainingColumns";

/** What the build needs of a DuckDB session. */
export interface TrainingDb {
  define(statements: string[]): Promise<void>;
  rows(sql: string): Promise<unknown[][]>;
  /** Writes the statement's answer to `path` (COPY), returning the rows written. */
  write(sql: string, path: string, format: "csv" | "parquet"): Promise<number>;
}

export interface TrainingBuild {
  names: string[];
  rows: number;
  counts: { joined: number; inputsWithoutOutput: number; outputsWithoutInput: number; inputsWithoutKey: number; outputsWithoutKey: number; duplicateOutputKeys: number };
  labels?: LabelCounts;
}

export async function buildTrainingSet(db: TrainingDb, input: TrainingSqlInput, chunks: readonly TrainingChunk[], output: { path: string; format: "csv" | "parquet" },
  partPath: (chunk: number) => Promise<string>, onChunk: (done: number, total: number) => void = () => undefined): Promise<TrainingBuild> {
  if (chunks.length === 0) throw new Error("The window has no files to build a training set from.");
  const total = Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as ChunkCounts;
  const parts: string[] = [];
  await db.define(labelTablesSql(input));
  await db.define(chunkTablesSql(input, 0, chunks[0]));
  for (let center = 0; center < chunks.length; center++) {
    if (center + 1 < chunks.length) await db.define(chunkTablesSql(input, center + 1, chunks[center + 1]));
    await db.define(chunkPairingSql(input, center, chunks.length));
    const counted = (await db.rows(chunkCountsSql(input, center, chunks.length)))[0].map(Number);
    COUNT_NAMES.forEach((name, k) => (total[name] += counted[k]));
    const part = await partPath(center);
    parts.push(part);
    await db.define([chunkPartSql(input, center, chunks.length, part)]);
    if (center > 0) await db.define(dropChunkSql(center - 1));
    onChunk(center + 1, chunks.length);
  }
  const { names, sql } = trainingSetSql(input, parts, { input: total.inputPayloads > 0, output: total.outputPayloads > 0 });
  const rows = await db.write(sql, output.path, output.format);
  const labelTotals = labelTotalsSql(input);
  const [duplicateKeys, labelsWithoutKey, unusedLabels] = labelTotals ? (await db.rows(labelTotals))[0].map(Number) : [];
  return {
    names, rows,
    counts: { joined: total.joined, inputsWithoutOutput: total.inputsWithoutOutput, outputsWithoutInput: total.outputsWithoutInput,
      inputsWithoutKey: total.inputsWithoutKey, outputsWithoutKey: total.outputsWithoutKey, duplicateOutputKeys: total.duplicateOutputKeys },
    labels: input.labels ? { matched: total.labelsMatched, unmatched: total.labelsUnmatched, duplicateKeys, labelsWithoutKey, unusedLabels } : undefined,
  };
}
