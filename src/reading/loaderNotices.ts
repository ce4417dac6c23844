// The loader's notices about what it met in the data, in words that say what was kept and what to do.
import type { UnclosedQuote } from "../core/table/csv";
import type { Notice } from "../protocol";
import { OVERFLOW_COLUMN } from "./columnUnion";

const n = (value: number) => value.toLocaleString("en-US");

export function invalidUtf8LaterNotice(label: string): Notice {
  return { id: "invalidUtf8", text: `${label} holds bytes that are not valid UTF-8 further into the file: they show as �. It may be Latin-1 (ISO-8859-1) or Windows-1252 text.`,
    action: { label: "Reopen as Latin-1", kind: "reopenLatin1" } };
}

/** A quote that never closes; `byte` is where its record starts (shown when the file is plain text). */
export function unclosedQuoteNotice(label: string, issue: UnclosedQuote, unread: number, byte: number | undefined): Notice {
  const where = byte !== undefined ? ` (which starts at about byte ${n(byte)})` : "";
  return {
    id: `unclosedQuote:${label}`,
    text: `${label}: a quote opened in record ${n(issue.rowsBefore + 1)}${where} never closes. The ${n(issue.rowsBefore)} record(s) before it are shown; the remaining ~${n(unread)} bytes could not be read as rows.`,
    action: { label: "Show Raw Text There", kind: "showRawAround" },
  };
}

export function wideRowsNotice(rows: number, maxColumns: number, widest: number): Notice {
  return { id: "wideRows", text: `${n(rows)} row(s) have more cells than the ${n(maxColumns)}-column limit (the widest: ${n(widest)}); the cells past it are kept as text in the column "${OVERFLOW_COLUMN}" (setting modelData.preview.maxColumns).` };
}

export function memoryNotice(rowsHeld: number, budgetBytes: number): Notice {
  return { id: "memory", text: `Holding the first ${n(rowsHeld)} rows: they fill the preview's ${n(Math.round(budgetBytes / 1048576))} MB (setting modelData.preview.maxMemoryMB). Statistics still cover every row.` };
}

export function skippedNotice(skipped: readonly string[]): Notice {
  const names = skipped.slice(0, 5).join(", ") + (skipped.length > 5 ? ` and ${skipped.length - 5} more` : "");
  return { id: "skipped", text: `Not stitched in: ${skipped.length} file(s) that are not the collector's data (${names}).` };
}

export function longFirstLineNotice(label: string, cells: number): Notice {
  return { id: "longFirstLine", text: `The first line of ${label} is too long for a header (${n(cells)} cells): it is shown as data.` };
}
