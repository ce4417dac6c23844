// Edits to a scoring file as offsets into its text: what the planner and the Quick Fixes produce, applied
// by the editor as one WorkspaceEdit (or here, for tests and the corrected copy of a deployed file).
export interface Insertion {
  offset: number;
  text: string;
  /** Characters replaced from `offset` (only for the model call taken out of an inline return). */
  replace?: number;
}

/** The text with the insertions applied (in offset order; equal offsets in the order given). */
export function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  const sorted = insertions.map((ins, i) => ({ ...ins, i })).sort((a, b) => a.offset - b.offset || a.i - b.i);
  let out = "";
  let at = 0;
  for (const ins of sorted) {
    out += text.slice(at, ins.offset) + ins.text;
    at = ins.offset + (ins.replace ?? 0);
  }
  return out + text.slice(at);
}
