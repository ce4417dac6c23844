// Build Training Set as DuckDB statements over the query cache's views, the same set the engine builds: the
// inputs in their order, each with the first output of its key (`correlation_key`, or legacy
// `$aml_dc_correlation_id`) and, when asked, the first label of its join value; the outputs' copy of the
// collector's columns left out; clashing names told apart (joinedColumnNames); every count the summary
// reports.
//
// It runs hour by hour (chunks of hours, see trainingChunks), so memory follows the largest chunk, not the
// window: a request's inputs and outputs land in the same hour folder or the next, so the inputs of chunk k
// are paired with the outputs of chunks k-1, k and k+1 (first in that order). Each chunk's rows are read once
// into tables in file and line order (the views are `ordered`: rowid is that order); each chunk's answer is
// written as a Parquet part, and the parts are copied into the set in order at the end.
import { quoteIdent, quoteLiteral } from "./sqlText";
import { CORRELATION_KEY, isCollectorColumn, joinedColumnNames, LEGACY_CORRELATION_ID } from "../azureml/trainingColumns";
import type { WindowFile } from "./windowViews";

/** The views' own columns, never data: where a row came from (an `ordered` view has only `filename`). */
const PLACE_COLUMNS = new Set(["source", "date", "hour", "filename"]);
const PAYLOAD = "$payload";

const LABELS_TABLE = "__ts_labels";
const USED_LABELS_TABLE = "__ts_used_labels";
const PAIRED_TABLE = "__ts_paired";
const inputsTable = (chunk: number) => `__ts_inputs_${chunk}`;
const outputRowsTable = (chunk: number) => `__ts_output_rows_${chunk}`;
const firstOutputsTable = (chunk: number) => `__ts_outputs_${chunk}`;

/**
 * About this much collected data (both sides) is read per chunk: measured on a week of JSON lines (the join
 * alone, files on disk), 16 MB chunks peaked at 294 MB and took 15 s, 32 MB 315 MB and 12.7 s, 96 MB 462 MB
 * and 11 s.
 */
const CHUNK_BYTES = 32 * 1024 * 1024;

export interface TrainingSqlInput {
  layout: "current" | "legacy";
  how: "inner" | "left";
  inputsView: string;
  outputsView: string;
  inputColumns: string[];
  outputColumns: string[];
  labels?: { read: string; columns: string[]; labelKey: string; joinOn: string };
}

/** The cached files of consecutive hours (legacy: days), both sides, read together. */
export interface TrainingChunk {
  inputs: string[];
  outputs: string[];
}

/**
 * The window's hours (legacy: days) in order, merged into chunks of about `targetBytes` of both sides' files
 * (an hour larger than that is a chunk of its own). A chunk always holds whole hours, so the chunks beside
 * one hold the hours beside its hours.
 */
export function trainingChunks(inputs: readonly WindowFile[], outputs: readonly WindowFile[], targetBytes = CHUNK_BYTES): TrainingChunk[] {
  const places = new Map<string, TrainingChunk & { bytes: number }>();
  const at = (f: WindowFile) => {
    const key = `${f.date} ${f.hour ?? ""}`;
    let place = places.get(key);
    if (!place) places.set(key, (place = { inputs: [], outputs: [], bytes: 0 }));
    place.bytes += f.bytes ?? 0;
    return place;
  };
  for (const f of inputs) at(f).inputs.push(f.path);
  for (const f of outputs) at(f).outputs.push(f.path);
  const chunks: TrainingChunk[] = [];
  let current: TrainingChunk = { inputs: [], outputs: [] };
  let bytes = 0;
  for (const key of [...places.keys()].sort()) {
    const place = places.get(key) as TrainingChunk & { bytes: number };
    current.inputs.push(...place.inputs);
    current.outputs.push(...place.outputs);
    bytes += place.bytes;
    if (bytes >= targetBytes) {
      chunks.push(current);
      current = { inputs: [], outputs: [] };
      bytes = 0;
    }
  }
  if (current.inputs.length + current.outputs.length > 0) chunks.push(current);
  return chunks;
}

const keyOf = (layout: "current" | "legacy") => (layout === "current" ? quoteIdent(CORRELATION_KEY) : `NULLIF(trim(${quoteIdent(LEGACY_CORRELATION_ID)}), '')`);
const textKey = (expression: string) => `NULLIF(trim(CAST(${expression} AS VARCHAR)), '')`;

/** The input side's data columns in the set, in order (current: correlation_key moves to their end, as the engine writes it). */
function inputDataColumns(input: Pick<TrainingSqlInput, "layout" | "inputColumns">, payload = true): string[] {
  return input.inputColumns.filter((c) => !PLACE_COLUMNS.has(c) && (c !== PAYLOAD || payload) && !(input.layout === "current" && c === CORRELATION_KEY));
}

function outputDataColumns(input: Pick<TrainingSqlInput, "outputColumns">, payload = true): string[] {
  return input.outputColumns.filter((c) => !PLACE_COLUMNS.has(c) && !isCollectorColumn(c) && (c !== PAYLOAD || payload));
}

/** The label file's rows first-per-key, and the table of keys asked for: made once, before the chunks. */
export function labelTablesSql(input: TrainingSqlInput): string[] {
  const label = input.labels;
  if (!label) return [];
  const kept = label.columns.filter((c) => c !== label.labelKey);
  return [
    `CREATE OR REPLACE TEMP TABLE ${LABELS_TABLE} AS SELECT __key, count(*) AS __copies${kept.map((c) => `, arg_min(${quoteIdent(c)}, ordinality) AS ${quoteIdent(c)}`).join("")}
  FROM (SELECT *, ${textKey(quoteIdent(label.labelKey))} AS __key FROM ${label.read} WITH ORDINALITY) WHERE __key IS NOT NULL GROUP BY __key`,
    `CREATE OR REPLACE TEMP TABLE ${USED_LABELS_TABLE} (__key VARCHAR)`,
  ];
}

/**
 * A row's place in its chunk, in file then line order: legacy CSV views read the files of each header
 * together (day 1 and 3 before day 2 when day 2's header differs), so their rows carry their file's place
 * too; a JSON-lines view reads its files in order, so rowid alone is the order.
 */
const placeIn = (input: Pick<TrainingSqlInput, "layout">, alias = "") => (input.layout === "legacy" ? `${alias}__file, ${alias}rowid` : `${alias}rowid`);

/** Reads chunk `chunk`: its inputs with their key (placeIn: their order), its outputs first-per-key (keyless ones one counted row). */
export function chunkTablesSql(input: TrainingSqlInput, chunk: number, files: TrainingChunk): string[] {
  const key = keyOf(input.layout);
  const among = (paths: string[]) => (paths.length > 0 ? `filename IN (${paths.map(quoteLiteral).join(", ")})` : "false");
  const fileOf = (paths: string[]) => (input.layout !== "legacy" ? "" : paths.length === 0 ? ", NULL::INTEGER AS __file"
    : `, CASE filename ${paths.map((p, k) => `WHEN ${quoteLiteral(p)} THEN ${k}`).join(" ")} END AS __file`);
  const outputs = outputDataColumns(input);
  return [
    `CREATE OR REPLACE TEMP TABLE ${inputsTable(chunk)} AS SELECT * EXCLUDE (filename), ${key} AS __key${fileOf(files.inputs)} FROM ${quoteIdent(input.inputsView)} WHERE ${among(files.inputs)}`,
    `CREATE OR REPLACE TEMP TABLE ${outputRowsTable(chunk)} AS SELECT * EXCLUDE (filename), ${key} AS __key${fileOf(files.outputs)} FROM ${quoteIdent(input.outputsView)} WHERE ${among(files.outputs)}`,
    `CREATE OR REPLACE TEMP TABLE ${firstOutputsTable(chunk)} AS SELECT __key, count(*) AS __copies${outputs.map((c) => `, arg_min(${quoteIdent(c)}, (${placeIn(input)})) AS ${quoteIdent(c)}`).join("")}
  FROM ${outputRowsTable(chunk)} GROUP BY __key`,
    `DROP TABLE ${outputRowsTable(chunk)}`,
  ];
}

export function dropChunkSql(chunk: number): string[] {
  return [`DROP TABLE IF EXISTS ${inputsTable(chunk)}`, `DROP TABLE IF EXISTS ${firstOutputsTable(chunk)}`];
}

/** Where chunk `center` looks: its tables and its neighbours' (an empty stand-in at the window's ends). */
interface Around {
  center: number;
  count: number;
}

const neighbour = (table: (chunk: number) => string, at: Around, offset: -1 | 0 | 1) => {
  const chunk = at.center + offset;
  return chunk >= 0 && chunk < at.count ? table(chunk) : `(SELECT * FROM ${table(at.center)} WHERE false)`;
};

/** The chunk's inputs with the outputs of the chunks before, of its own and after: aliases i, a, b, c. */
function pairedFrom(at: Around): string {
  return `${inputsTable(at.center)} i
LEFT JOIN ${neighbour(firstOutputsTable, at, -1)} a ON a.__key = i.__key
LEFT JOIN ${firstOutputsTable(at.center)} b ON b.__key = i.__key
LEFT JOIN ${neighbour(firstOutputsTable, at, 1)} c ON c.__key = i.__key`;
}

const PAIRED = "(a.__key IS NOT NULL OR b.__key IS NOT NULL OR c.__key IS NOT NULL)";

/** An output column of the row's first output: the chunk before's if it had the key, else its own, else the next's. */
const outputOf = (column: string) => {
  const c = quoteIdent(column);
  return `CASE WHEN a.__key IS NOT NULL THEN a.${c} WHEN b.__key IS NOT NULL THEN b.${c} ELSE c.${c} END`;
};

/** The value a row is matched to its label on: the correlation key, an input column, or (else) an output column. */
function labelJoinValue(input: TrainingSqlInput): string {
  const joinOn = input.labels?.joinOn ?? "";
  if (joinOn === CORRELATION_KEY && input.layout === "current") return "i.__key";
  if (input.inputColumns.includes(joinOn)) return textKey(`i.${quoteIdent(joinOn)}`);
  if (outputDataColumns(input).includes(joinOn)) return textKey(outputOf(joinOn));
  return "NULL::VARCHAR";
}

/** A column of the set: where it comes from, its side, and its name before clashes are told apart. */
interface SetColumn {
  side: "input" | "output" | "label";
  name: string;
  source: string;
}

function setColumns(input: TrainingSqlInput): SetColumn[] {
  const current = input.layout === "current";
  return [
    ...inputDataColumns(input).map((name): SetColumn => ({ side: "input", name, source: `i.${quoteIdent(name)}` })),
    ...(current ? [{ side: "input", name: CORRELATION_KEY, source: "i.__key" } satisfies SetColumn] : []),
    ...outputDataColumns(input).map((name): SetColumn => ({ side: "output", name, source: outputOf(name) })),
    ...(input.labels ? input.labels.columns.filter((c) => c !== input.labels?.labelKey).map((name): SetColumn => ({ side: "label", name, source: `l.${quoteIdent(name)}` })) : []),
  ];
}

/** The counts a chunk adds, by name (COUNT_NAMES), labels' too when asked; `$payload` held on each side. */
export const COUNT_NAMES = ["joined", "inputsWithoutOutput", "outputsWithoutInput", "inputsWithoutKey", "outputsWithoutKey", "duplicateOutputKeys", "labelsMatched", "labelsUnmatched", "inputPayloads", "outputPayloads"] as const;
export type ChunkCounts = Record<(typeof COUNT_NAMES)[number], number>;

/**
 * Pairs chunk `center`'s inputs for the counts: each input's key, whether it paired (m), its label value and
 * whether a label matched; then keeps the labels it used. (Holding the set's columns here too, for the part to
 * read, measured slower than joining again: 1.88× the scan against 1.40×.)
 */
export function chunkPairingSql(input: TrainingSqlInput, center: number, count: number): string[] {
  const at = { center, count };
  const labels = input.labels ? `\nLEFT JOIN ${LABELS_TABLE} l ON l.__key = ${labelJoinValue(input)}` : "";
  return [
    `CREATE OR REPLACE TEMP TABLE ${PAIRED_TABLE} AS SELECT i.__key AS k, ${PAIRED} AS m${input.labels ? `, ${labelJoinValue(input)} AS v, l.__key IS NOT NULL AS labelled` : ""}
FROM ${pairedFrom(at)}${labels}`,
    ...(input.labels ? [`INSERT INTO ${USED_LABELS_TABLE} SELECT DISTINCT v FROM ${PAIRED_TABLE} WHERE labelled AND ${input.how === "inner" ? "m" : "true"}`] : []),
  ];
}

/** Rows parts are written in: small groups keep the final copy's reads in order with little held (measured: 243 MB against 320 at DuckDB's default). */
const PART_ROW_GROUP = 16_384;

/** Writes chunk `center`'s rows of the set to its part, in the inputs' order, every column under its place (c0, c1, …). */
export function chunkPartSql(input: TrainingSqlInput, center: number, count: number, path: string): string {
  const at = { center, count };
  const outer = input.how === "left" ? "LEFT JOIN" : "JOIN";
  const labels = input.labels ? `\n${outer} ${LABELS_TABLE} l ON l.__key = ${labelJoinValue(input)}` : "";
  const select = setColumns(input).map((c, k) => `${c.source} AS c${k}`).join(", ");
  // A left join keeps inputs without a key too; an inner one pairs only keyed rows.
  const rows = `SELECT ${select}\nFROM ${pairedFrom(at)}${labels}${input.how === "inner" ? `\nWHERE ${PAIRED}` : ""}\nORDER BY ${placeIn(input, "i.")}`;
  return `COPY (${rows}) TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${PART_ROW_GROUP})`;
}

export function chunkCountsSql(input: TrainingSqlInput, center: number, count: number): string {
  const at = { center, count };
  const own = firstOutputsTable(center);
  const before = neighbour(firstOutputsTable, at, -1);
  const hasInput = (offset: -1 | 0 | 1) => `NOT EXISTS (SELECT 1 FROM ${neighbour(inputsTable, at, offset)} x WHERE x.__key = o.__key)`;
  const seenBefore = `EXISTS (SELECT 1 FROM ${before} p WHERE p.__key = o.__key)`;
  const asked = input.how === "inner" ? "m" : "true";
  const payloads = (table: string, has: boolean) => (has ? `(SELECT count(${quoteIdent(PAYLOAD)}) FROM ${table})` : "0");
  const counts: Record<(typeof COUNT_NAMES)[number], string> = {
    joined: `(SELECT count(*) FROM ${PAIRED_TABLE} WHERE m)`,
    inputsWithoutOutput: `(SELECT count(*) FROM ${PAIRED_TABLE} WHERE k IS NOT NULL AND NOT m)`,
    outputsWithoutInput: `(SELECT count(*) FROM ${own} o WHERE o.__key IS NOT NULL AND NOT ${seenBefore} AND ${hasInput(-1)} AND ${hasInput(0)} AND ${hasInput(1)})`,
    inputsWithoutKey: `(SELECT count(*) FROM ${PAIRED_TABLE} WHERE k IS NULL)`,
    outputsWithoutKey: `(SELECT coalesce(sum(__copies), 0) FROM ${own} WHERE __key IS NULL)`,
    // A key's copies in this chunk are all repeats when the chunk before had it, else all but the first.
    duplicateOutputKeys: `(SELECT coalesce(sum(CASE WHEN ${seenBefore} THEN __copies ELSE __copies - 1 END), 0) FROM ${own} o WHERE o.__key IS NOT NULL)`,
    labelsMatched: input.labels ? `(SELECT count(*) FROM ${PAIRED_TABLE} WHERE ${asked} AND labelled)` : "0",
    labelsUnmatched: input.labels ? `(SELECT count(*) FROM ${PAIRED_TABLE} WHERE ${asked} AND NOT labelled)` : "0",
    inputPayloads: payloads(inputsTable(center), input.inputColumns.includes(PAYLOAD)),
    outputPayloads: payloads(own, outputDataColumns(input).includes(PAYLOAD)),
  };
  return `SELECT ${COUNT_NAMES.map((name) => `${counts[name]} AS ${name}`).join(",\n  ")}`;
}

/** The label counts of the whole file, after the last chunk: duplicateKeys, labelsWithoutKey, unusedLabels. */
export function labelTotalsSql(input: TrainingSqlInput): string | undefined {
  const label = input.labels;
  if (!label) return undefined;
  return `SELECT (SELECT coalesce(sum(__copies - 1), 0) FROM ${LABELS_TABLE}) AS duplicate_keys,
  (SELECT count(*) FROM ${label.read} WHERE ${textKey(quoteIdent(label.labelKey))} IS NULL) AS labels_without_key,
  (SELECT count(*) FROM ${LABELS_TABLE} l WHERE NOT EXISTS (SELECT 1 FROM ${USED_LABELS_TABLE} u WHERE u.__key = l.__key)) AS unused_labels`;
}

/**
 * The set from the chunks' parts, in order, with its column names: `$payload` kept on a side only where a
 * request there was kept in a blob of its own (the engine has the column only then).
 */
export function trainingSetSql(input: TrainingSqlInput, parts: readonly string[], payload: { input: boolean; output: boolean }): { names: string[]; sql: string } {
  const columns = setColumns(input).map((column, place) => ({ ...column, place }))
    .filter((c) => c.name !== PAYLOAD || c.side === "label" || (c.side === "input" ? payload.input : payload.output));
  const of = (side: SetColumn["side"]) => columns.filter((c) => c.side === side).map((c) => c.name);
  const names = joinedColumnNames(of("input"), of("output"), of("label"));
  const select = columns.map((c, k) => `c${c.place} AS ${quoteIdent(names[k])}`).join(", ");
  return { names, sql: `SELECT ${select} FROM read_parquet([${parts.map(quoteLiteral).join(", ")}])` };
}

/** A label file as DuckDB reads it, from its copy in the cache: CSV as text (keys like 01234 kept), Parquet as typed. */
export function labelReadSql(path: string, format: "csv" | "parquet"): string {
  return format === "csv" ? `read_csv(${quoteLiteral(path)}, header = true, all_varchar = true, quote = '"', escape = '"')` : `read_parquet(${quoteLiteral(path)})`;
}
