// The comment a query document starts with: the window, the views and their columns, what was left out,
// and a marker line that ties the document to its window (so a saved copy, or the same document after a
// reload, runs over the same data).

export interface WindowKey {
  nodeId: string;
  from: string;
  to: string;
}

export interface HeaderView {
  name: string;
  collection: string;
  files: number;
  bytes: number;
  columns: Array<{ name: string; type: string }>;
}

const MARKER = "-- @modeldata window=";

export function windowMarker(key: WindowKey): string {
  return `${MARKER}${Buffer.from(JSON.stringify(key), "utf8").toString("base64url")}`;
}

/** The window a document's marker names, if it has one. */
export function readWindowMarker(text: string): WindowKey | undefined {
  const at = text.indexOf(MARKER);
  if (at < 0) return undefined;
  const end = text.indexOf("\n", at);
  const encoded = text.slice(at + MARKER.length, end < 0 ? undefined : end).trim();
  try {
    const key = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
    return typeof key?.nodeId === "string" && typeof key.from === "string" && typeof key.to === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}

export function windowKeyText(key: WindowKey): string {
  return `${key.nodeId}|${key.from}|${key.to}`;
}

export interface HeaderInput {
  title: string;
  key: WindowKey;
  views: HeaderView[];
  /** Files in the window's folders that are not the collector's. */
  others: string[];
  /** Files that are not text, with why. */
  refused: string[];
  /** Files read differently from how they are stored (gzip, encodings). */
  converted: string[];
  first: string;
  /** The hour the first query reads, when the query started on an hour. */
  hour?: number;
  formatBytes(bytes: number): string;
}

/** Comment lines are `-- `; every name from storage is cut to one line so it cannot end the comment. */
export function queryDocumentText(input: HeaderInput): string {
  const line = (text: string) => `-- ${text.replace(/[\r\n]+/g, " ")}`;
  const lines = [
    line(`SQL over collected data · ${input.title}`),
    line("DuckDB over local copies of the blobs (cached, nothing uploaded). Run the statement under the cursor: Ctrl+Enter or ▶ Run Query."),
    windowMarker(input.key),
    line("Views:"),
  ];
  for (const view of input.views) {
    lines.push(line(`  ${view.name}  (${view.collection}: ${view.files} file${view.files === 1 ? "" : "s"}, ${input.formatBytes(view.bytes)})`));
    const columns = view.columns.map((c) => `${c.name} ${c.type}`);
    for (let i = 0; i < columns.length; i += 6) lines.push(line(`      ${columns.slice(i, i + 6).join(", ")}`));
  }
  if (input.others.length > 0) lines.push(line(`Left out, not the collector's files: ${input.others.slice(0, 10).join(", ")}${input.others.length > 10 ? ` and ${input.others.length - 10} more` : ""}`));
  for (const refused of input.refused.slice(0, 10)) lines.push(line(`Left out: ${refused}`));
  for (const converted of input.converted.slice(0, 10)) lines.push(line(`Converted: ${converted}`));
  lines.push("", `SELECT *\nFROM ${input.first}\n${input.hour === undefined ? "" : `WHERE hour = ${input.hour}\n`}ORDER BY date, source\nLIMIT 1000;`, "");
  return lines.join("\n");
}
