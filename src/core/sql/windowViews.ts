// The SQL that turns a window's cached files into views named after its collections, with the columns the
// preview shows: legacy CSV named as the preview names them (header, or the collector's layout, or col1…),
// current JSON lines flattened one `data` row per row with `time` and `correlationid` first and `$payload`
// for records kept in a blob of their own, plus `source` (the file), `date` and `hour` from the blob path.
import { quoteIdent, quoteLiteral } from "./sqlText";

export const FILES_TABLE = "__modeldata_files";

export interface WindowFile {
  /** Where the cached copy is on disk (what DuckDB reads). */
  path: string;
  format: "csv" | "jsonl";
  /** The blob's name below its collection, as the preview's source column shows it. */
  source: string;
  date: string;
  /** Two digits for the current layout's hour folders; undefined for legacy days. */
  hour?: string;
  /** Legacy CSV: the column names the preview gives it, and whether the first line is its header. */
  columns?: string[];
  hasHeader?: boolean;
}

export interface WindowCollection {
  /** The collection's name (model_inputs, inputs, a custom one…). */
  name: string;
  files: WindowFile[];
}

/** A view name for each collection: lower case, letters, digits and `_`, unique in the window. */
export function viewNames(collections: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>(["date", "hour", "source"]);
  for (const collection of collections) {
    let base = collection.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "collection";
    if (/^\d/.test(base)) base = `c_${base}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    names.set(collection, name);
  }
  return names;
}

/** The table of the window's files: path, source, date, hour (one row each). */
export function filesTableSql(collections: readonly WindowCollection[]): string {
  const rows = collections.flatMap((c) => c.files).map((f) =>
    `(${quoteLiteral(f.path)}, ${quoteLiteral(f.source)}, DATE ${quoteLiteral(f.date)}, ${f.hour === undefined ? "NULL" : Number(f.hour)})`);
  const values = rows.length > 0 ? `(VALUES ${rows.join(",\n  ")}) AS v(path, source, date, hour)` : "(SELECT NULL, NULL, NULL, NULL WHERE false) AS v(path, source, date, hour)";
  return `CREATE OR REPLACE TEMP TABLE ${FILES_TABLE} AS SELECT path::VARCHAR AS path, source::VARCHAR AS source, date::DATE AS date, hour::INTEGER AS hour FROM ${values}`;
}

function pathList(files: readonly WindowFile[]): string {
  return `[${files.map((f) => quoteLiteral(f.path)).join(", ")}]`;
}

/** With the file's source, date and hour joined on, the read's own filename column dropped. */
function withPlace(read: string): string {
  return `SELECT t.* EXCLUDE (filename), f.source, f.date, f.hour FROM (${read}) t JOIN ${FILES_TABLE} f ON f.path = t.filename`;
}

/**
 * Legacy CSV (written by Python's csv module: "" inside quotes is a quote; rows may be ragged): files named alike are read together (the preview's names given, so a file without a header gets
 * feature_1… and the $aml_* columns), and the groups unioned by name as the preview unions stitched days.
 */
export function csvViewSql(view: string, files: readonly WindowFile[]): string {
  const groups = new Map<string, WindowFile[]>();
  for (const file of files) {
    const key = JSON.stringify([file.hasHeader ?? true, file.columns ?? []]);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const reads = [...groups.values()].map((group) => {
    const { hasHeader = true, columns = [] } = group[0];
    const names = columns.length > 0 ? `, names = [${columns.map(quoteLiteral).join(", ")}]` : "";
    return `SELECT * FROM read_csv(${pathList(group)}, header = ${hasHeader}${names}, filename = true, union_by_name = true, quote = '"', escape = '"', null_padding = true, strict_mode = false, encoding = 'utf-8')`;
  });
  const body = reads.length > 0 ? reads.join("\nUNION ALL BY NAME\n") : "SELECT NULL::VARCHAR AS filename WHERE false";
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${withPlace(body)}`;
}

/** The records of JSON-lines files, each `data` item as one JSON object (a scalar item as {"value": …}). */
function jsonItemsSql(files: readonly WindowFile[]): string {
  const read = `read_json(${pathList(files)}, format = 'newline_delimited', columns = {time: 'VARCHAR', correlationid: 'VARCHAR', data: 'JSON', datainblob: 'VARCHAR'}, filename = true, ignore_errors = true)`;
  const payload = `(json_type(data) = 'VARCHAR' OR lower(datainblob) = 'true')`;
  return `SELECT time, correlationid, CASE WHEN ${payload} THEN data ->> '$' END AS "$payload", filename,
  unnest(CASE WHEN ${payload} THEN [NULL::JSON] WHEN json_type(data) = 'ARRAY' THEN json_extract(data, '$[*]') WHEN json_type(data) = 'OBJECT' THEN [data] ELSE []::JSON[] END) AS item
  FROM ${read}`;
}

/** A query answering the merged structure of the files' data items (what becomes the view's columns). */
export function jsonStructureSql(files: readonly WindowFile[]): string {
  return `SELECT json_group_structure(CASE WHEN json_type(item) = 'OBJECT' THEN item ELSE json_object('value', item) END) AS structure FROM (${jsonItemsSql(files)}) WHERE item IS NOT NULL`;
}

/**
 * Items' keys become columns with the types DuckDB found over every item; nested values stay JSON text, as the
 * preview shows them. `structure` is jsonStructureSql's answer (NULL when no file has a data row).
 */
export function jsonViewSql(view: string, files: readonly WindowFile[], structure: string | null): string {
  const reserved = new Set(["time", "correlationid", "$payload", "source", "date", "hour", "filename"]);
  const fields = flatStructure(structure).filter(([key]) => !reserved.has(key));
  const columns = fields.map(([key]) => `, s[${quoteLiteral(key)}] AS ${quoteIdent(key)}`).join("");
  const shape = quoteLiteral(JSON.stringify(Object.fromEntries(fields)));
  const transformed = fields.length > 0 ? `json_transform(CASE WHEN json_type(item) = 'OBJECT' THEN item ELSE json_object('value', item) END, ${shape})` : "NULL";
  const items = files.length > 0 ? jsonItemsSql(files)
    : `SELECT NULL::VARCHAR AS time, NULL::VARCHAR AS correlationid, NULL::VARCHAR AS "$payload", NULL::VARCHAR AS filename, NULL::JSON AS item WHERE false`;
  const body = `SELECT time, correlationid${columns}, "$payload", filename FROM (SELECT *, ${transformed} AS s FROM (${items}))`;
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${withPlace(body)}`;
}

/** The structure's top-level keys with the DuckDB types their columns get. */
export function flatStructure(structure: string | null): Array<[string, string]> {
  if (!structure) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(structure);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [];
  // Mixed, nested and all-null values become text (a nested value's JSON, a string without quotes), as the
  // preview shows them; UBIGINT is DuckDB's name for a JSON whole number ≥ 0, BIGINT keeps arithmetic plain.
  return Object.entries(parsed as Record<string, unknown>).map(([key, type]) =>
    [key, typeof type !== "string" || type === "NULL" || type === "JSON" ? "VARCHAR" : type === "UBIGINT" ? "BIGINT" : type]);
}
