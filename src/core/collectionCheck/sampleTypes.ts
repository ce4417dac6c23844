// What a monitor's parser would trip on in a collection's newest file: numbers written as text, and
// columns whose values mix numbers and text. Read from the first records of the file (its first bytes).
export interface TypeSample {
  numbersAsText: string[];
  mixedTypes: string[];
  records: number;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** `text`: the first bytes of a current collector's JSON lines file (a cut last line is dropped). */
export function sampleJsonlTypes(text: string, maxRecords = 500): TypeSample {
  const kinds = new Map<string, Set<"number" | "numberText" | "text" | "bool">>();
  let records = 0;
  const lines = text.split("\n");
  if (!text.endsWith("\n")) lines.pop();
  for (const line of lines) {
    if (records >= maxRecords) break;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const data = (event as { data?: unknown })?.data;
    const rows = Array.isArray(data) ? data : data && typeof data === "object" ? [data] : [];
    for (const row of rows) {
      if (!row || typeof row !== "object" || Array.isArray(row)) continue;
      records += 1;
      for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
        if (value === null || value === undefined || value === "") continue;
        const kind = typeof value === "number" ? "number" : typeof value === "boolean" ? "bool" : typeof value === "string" ? (NUMBER_TEXT.test(value) ? "numberText" : "text") : undefined;
        if (!kind) continue;
        if (!kinds.has(column)) kinds.set(column, new Set());
        kinds.get(column)!.add(kind);
      }
    }
  }
  const numbersAsText: string[] = [];
  const mixedTypes: string[] = [];
  for (const [column, seen] of kinds) {
    if (seen.size === 1 && seen.has("numberText")) numbersAsText.push(column);
    else if (seen.has("number") && (seen.has("text") || seen.has("numberText"))) mixedTypes.push(column);
  }
  return { numbersAsText, mixedTypes, records };
}
