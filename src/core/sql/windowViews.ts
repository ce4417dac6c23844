// The SQL that turns a window's cached files into views named after its collections, with the columns the
// preview shows: legacy CSV named as the preview names them (header, or the collector's layout, or col1…),
// current JSON lines flattened one `data` row per row with `time` and `correlationid` first (then
// `correlation_key`, the row's join key) and `$payload` for records kept in a blob of their own, plus `source`
// (the file), `date` and `hour` from the blob path.
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
  /** The blob's size (what a training set's chunks are measured in). */
  bytes?: number;
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

/** The table of the window's files: path, source, date, hour and place in the window (one row each). */
export function filesTableSql(collections: readonly WindowCollection[]): string {
  const rows = collections.flatMap((c) => c.files).map((f, i) =>
    `(${quoteLiteral(f.path)}, ${quoteLiteral(f.source)}, DATE ${quoteLiteral(f.date)}, ${f.hour === undefined ? "NULL" : Number(f.hour)}, ${i})`);
  const values = rows.length > 0 ? `(VALUES ${rows.join(",\n  ")}) AS v(path, source, date, hour, position)` : "(SELECT NULL, NULL, NULL, NULL, NULL WHERE false) AS v(path, source, date, hour, position)";
  return `CREATE OR REPLACE TEMP TABLE ${FILES_TABLE} AS SELECT path::VARCHAR AS path, source::VARCHAR AS source, date::DATE AS date, hour::INTEGER AS hour, position::INTEGER AS position FROM ${values}`;
}

function pathList(files: readonly WindowFile[]): string {
  return `[${files.map((f) => quoteLiteral(f.path)).join(", ")}]`;
}

/**
 * How a view reads: `text` keeps every value as the text stored (a CSV training set writes "0.1000" as
 * written, not 0.1); `ordered` leaves out source, date and hour (joined on, they would give up the rows'
 * order) and keeps the read's `filename`, so that the view's rows come in file and line order and a part
 * of it is read by naming its files (DuckDB reads only those): DuckDB keeps the order of a single read
 * through SELECT, WHERE and UNION ALL, and a table made from it numbers them so (rowid). That is what "the
 * first" and "the inputs' order" of a training set are made from, on both threads (WITH ORDINALITY numbered
 * the rows on one: 1.77× the scan against 0.89× for the unordered join).
 */
export interface ViewOptions {
  text?: boolean;
  ordered?: boolean;
}

/** With the file's source, date and hour joined on and the read's own filename column dropped (unless ordered). */
function withPlace(read: string, options: ViewOptions): string {
  if (options.ordered) return `SELECT * FROM (${read})`;
  return `SELECT t.* EXCLUDE (filename), f.source, f.date, f.hour FROM (${read}) t JOIN ${FILES_TABLE} f ON f.path = t.filename`;
}

/**
 * Legacy CSV (written by Python's csv module: "" inside quotes is a quote; rows may be ragged): files named alike are read together (the preview's names given, so a file without a header gets
 * feature_1… and the $aml_* columns), and the groups unioned by name as the preview unions stitched days.
 */
export function csvViewSql(view: string, files: readonly WindowFile[], options: ViewOptions = {}): string {
  const groups = new Map<string, WindowFile[]>();
  for (const file of files) {
    const key = JSON.stringify([file.hasHeader ?? true, file.columns ?? []]);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const reads = [...groups.values()].map((group) => {
    const { hasHeader = true, columns = [] } = group[0];
    const names = columns.length > 0 ? `, names = [${columns.map(quoteLiteral).join(", ")}]` : "";
    const read = `read_csv(${pathList(group)}, header = ${hasHeader}${names}, filename = true, union_by_name = true, quote = '"', escape = '"', null_padding = true, strict_mode = false, encoding = 'utf-8'${options.text ? ", all_varchar = true" : ""})`;
    return `SELECT * FROM ${read}`;
  });
  const body = reads.length > 0 ? reads.join("\nUNION ALL BY NAME\n") : "SELECT NULL::VARCHAR AS filename WHERE false";
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${withPlace(body, options)}`;
}

/**
 * The records of JSON-lines files, each `data` item as one JSON object (a scalar item as {"value": …}) with its
 * place in the request: `correlation_key` is `{correlationid}_{index}`, Azure ML's key for joining a batched
 * request's input rows to its output rows (a join on correlationid alone pairs every row with every row).
 */
function jsonItemsSql(files: readonly WindowFile[]): string {
  const read = `read_json(${pathList(files)}, format = 'newline_delimited', columns = {time: 'VARCHAR', correlationid: 'VARCHAR', data: 'JSON', datainblob: 'VARCHAR'}, filename = true, ignore_errors = true)`;
  const payload = `(json_type(data) = 'VARCHAR' OR lower(datainblob) = 'true')`;
  const items = `CASE WHEN ${payload} THEN [NULL::JSON] WHEN json_type(data) = 'ARRAY' THEN json_extract(data, '$[*]') WHEN json_type(data) = 'OBJECT' THEN [data] ELSE []::JSON[] END`;
  return `SELECT time, correlationid, CASE WHEN ${payload} THEN data ->> '$' END AS "$payload", filename, unnest(items) AS item, unnest(range(len(items))) AS item_index
  FROM (SELECT *, ${items} AS items FROM ${read})`;
}

/**
 * A query answering the distinct shapes of the files' data items (json_structure per item), those of earlier
 * files first: a few hundred rows at most, merged by mergeStructures. (json_group_structure over a
 * window runs out of memory: measured, 451 MB of JSON lines did not fit in 1 GB.)
 */
export function jsonStructureSql(files: readonly WindowFile[]): string {
  const shape = `json_structure(CASE WHEN json_type(item) = 'OBJECT' THEN item ELSE json_object('value', item) END)`;
  // Within a file, shapes with more keys first: their key order (the item's own) leads. Numbering rows to
  // find the true first sight (WITH ORDINALITY) cost 55% more here (5.1 s against 3.3 s over 226 MB).
  return `SELECT s.shape FROM (SELECT ${shape} AS shape, min(f.position) AS first FROM (${jsonItemsSql(files)}) i
  JOIN ${FILES_TABLE} f ON f.path = i.filename WHERE item IS NOT NULL GROUP BY shape) s ORDER BY s.first, len(json_keys(s.shape)) DESC, s.shape`;
}

/**
 * Items' keys become columns with the types DuckDB found over every item; nested values stay JSON text, as the
 * preview shows them. `shapes` is jsonStructureSql's answer (none when no file has a data row).
 */
export function jsonViewSql(view: string, files: readonly WindowFile[], shapes: readonly string[], options: ViewOptions = {}): string {
  const reserved = new Set(["time", "correlationid", "correlation_key", "$payload", "source", "date", "hour", "filename"]);
  const fields = mergeStructures(shapes).filter(([key]) => !reserved.has(key)).map(([key, type]): [string, string] => [key, options.text ? "VARCHAR" : type]);
  const columns = fields.map(([key]) => `, s[${quoteLiteral(key)}] AS ${quoteIdent(key)}`).join("");
  const shape = quoteLiteral(JSON.stringify(Object.fromEntries(fields)));
  const transformed = fields.length > 0 ? `json_transform(CASE WHEN json_type(item) = 'OBJECT' THEN item ELSE json_object('value', item) END, ${shape})` : "NULL";
  const items = files.length > 0 ? jsonItemsSql(files)
    : `SELECT NULL::VARCHAR AS time, NULL::VARCHAR AS correlationid, NULL::VARCHAR AS "$payload", NULL::VARCHAR AS filename, NULL::JSON AS item, NULL::BIGINT AS item_index WHERE false`;
  const key = `CASE WHEN trim(correlationid) <> '' THEN correlationid || '_' || item_index END AS correlation_key`;
  const body = `SELECT time, correlationid, ${key}${columns}, "$payload", filename FROM (SELECT *, ${transformed} AS s FROM (${items}))`;
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${withPlace(body, options)}`;
}

/**
 * The items' keys in the order first seen, each with the type its column gets: whole numbers BIGINT (DuckDB
 * calls a JSON whole number ≥ 0 UBIGINT), with fractions DOUBLE, BOOLEAN; strings, nested values, all-null
 * keys and mixed kinds become text (a nested value's JSON, a string without quotes), as the preview shows them.
 */
export function mergeStructures(shapes: readonly string[]): Array<[string, string]> {
  const merged = new Map<string, string>();
  for (const shape of shapes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(shape);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    for (const [key, type] of Object.entries(parsed as Record<string, unknown>)) merged.set(key, widen(merged.get(key), typeof type === "string" ? type : "VARCHAR"));
  }
  return [...merged].map(([key, type]) => [key, type === "NULL" ? "VARCHAR" : type]);
}

const WHOLE = new Set(["UBIGINT", "BIGINT"]);

function widen(known: string | undefined, seen: string): string {
  const next = WHOLE.has(seen) ? "BIGINT" : seen === "DOUBLE" || seen === "BOOLEAN" || seen === "NULL" ? seen : "VARCHAR";
  if (known === undefined || known === "NULL") return next;
  if (next === "NULL" || next === known) return known;
  if ((known === "BIGINT" && next === "DOUBLE") || (known === "DOUBLE" && next === "BIGINT")) return "DOUBLE";
  return "VARCHAR";
}
