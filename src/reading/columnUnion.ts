// The preview's columns: the union of every stitched file's columns in order of first sight, with overflow
// columns (`col{k}`) for ragged rows' extra cells up to the column cap and one folded column past it.
import { isSystemColumn } from "../core/table/legacyColumns";
import { PAYLOAD_LINK_COLUMN } from "../core/table/jsonl";
import type { ColumnInfo } from "../protocol";

export const SOURCE_COLUMN = "source";
export const OVERFLOW_COLUMN = "(more cells)";

export class ColumnUnion {
  /** The column names so far (the live list: columns are appended as files add them). */
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /**
   * `stitched`: several files, so column 0 names each row's file. `added` hears the new list after each
   * column; `folded` hears of each row too wide for the cap (its cell count).
   */
  constructor(private readonly maxColumns: number, private readonly stitched: boolean, private readonly added: (names: readonly string[]) => void, private readonly folded: (cells: number) => void) {
    if (stitched) this.column(SOURCE_COLUMN);
  }

  /** The column named `name`, made when it is new. */
  column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.added(this.names);
    }
    return i;
  }

  /** The column named `name` if there is one. */
  find(name: string): number | undefined {
    return this.index.get(name);
  }

  info(): ColumnInfo[] {
    return this.names.map((name) => ({ name, system: isSystemColumn(name), link: name === PAYLOAD_LINK_COLUMN }));
  }

  /** The column for cell k past a file's header (`col{k+1}`), or undefined past the column cap. */
  overflowColumn(k: number): number | undefined {
    const name = `col${k + 1}`;
    if (this.index.has(name)) return this.index.get(name);
    // One column stays free for OVERFLOW_COLUMN.
    return this.names.length < this.maxColumns - 1 ? this.column(name) : undefined;
  }

  /** A file's row (cells in `mapping`'s columns) as a row of the union; `label` names its file. */
  mapRow(row: string[], mapping: number[], label: string): string[] {
    // The common case (one file, columns in file order) needs no copy.
    if (!this.stitched && row.length === this.names.length && row.length === mapping.length && isIdentity(mapping)) return row;
    const out: string[] = [];
    for (let i = 0; i < row.length && i < mapping.length; i++) out[mapping[i]] = row[i];
    // Ragged rows keep their extra cells in overflow columns rather than losing them, up to the column cap;
    // past it, the rest of the row is kept as text in one column.
    for (let i = mapping.length; i < row.length; i++) {
      const column = this.overflowColumn(i);
      if (column === undefined) {
        out[this.column(OVERFLOW_COLUMN)] = row.slice(i).join(",");
        this.folded(row.length);
        break;
      }
      out[column] = row[i];
    }
    if (this.stitched) out[0] = label;
    for (let i = 0; i < this.names.length; i++) if (out[i] === undefined) out[i] = "";
    return out;
  }
}

function isIdentity(mapping: number[]): boolean {
  for (let i = 0; i < mapping.length; i++) if (mapping[i] !== i) return false;
  return true;
}
