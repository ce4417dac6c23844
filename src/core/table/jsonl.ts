// Current-collector JSONL: each record's `data` rows flattened into columns, with `time` and
// `correlationid` first. Records whose payload is stored elsewhere become one row with a link.

export const PAYLOAD_LINK_COLUMN = "$payload";

export interface FlattenResult {
  rows: string[][];
  /** Lines that were not JSON objects (kept count, not fatal). */
  malformed: number;
}

export class JsonlFlattener {
  readonly columns: string[] = ["time", "correlationid"];
  private readonly index = new Map<string, number>(this.columns.map((c, i) => [c, i]));
  private pending = "";

  /** Feeds text; complete lines are flattened, a trailing partial line waits for more. */
  push(text: string, final = false): FlattenResult {
    const lines = (this.pending + text).split("\n");
    this.pending = final ? "" : (lines.pop() ?? "");
    const rows: string[][] = [];
    let malformed = 0;
    for (const raw of lines) {
      const line = raw.trim();
      if (!line) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        malformed += 1;
        continue;
      }
      if (!record || typeof record !== "object" || Array.isArray(record)) {
        malformed += 1;
        continue;
      }
      rows.push(...this.flatten(record as Record<string, unknown>));
    }
    return { rows, malformed };
  }

  private flatten(record: Record<string, unknown>): string[][] {
    const data = record.data;
    if (typeof data === "string" || String(record.datainblob) === "true") return [this.row(record, { [PAYLOAD_LINK_COLUMN]: data })];
    const items = Array.isArray(data) ? data : data && typeof data === "object" ? [data] : [];
    return items.map((item) => this.row(record, item && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item }));
  }

  /** One data row: the record's time and correlationid, then the item's values (an item's own `time` wins), no object made per row. */
  private row(record: Record<string, unknown>, item: Record<string, unknown>): string[] {
    const keys = Object.keys(item);
    for (const key of keys) {
      if (!this.index.has(key)) {
        this.index.set(key, this.columns.length);
        this.columns.push(key);
      }
    }
    const row = new Array<string>(this.columns.length).fill("");
    row[0] = cellText(record.time);
    row[1] = cellText(record.correlationid);
    for (const key of keys) row[this.index.get(key) as number] = cellText(item[key]);
    return row;
  }
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
