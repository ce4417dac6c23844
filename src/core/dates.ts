// Groups a flat listing under an identifier (or collection) prefix into its dates.
import type { BlobInfo } from "./gateways";
import { toIsoDate } from "./blobLayout";

export interface DateGroup {
  date: string; // yyyy-mm-dd
  prefixes: string[]; // the day folders as written (padded or not; both may exist for one date)
  fileCount: number;
  totalBytes: number;
  /** The collector's files only. */
  blobs: BlobInfo[];
  /** Other files in the day's folders (_SUCCESS markers, pickles, images…): not counted, not previewed. */
  others: string[];
}

/**
 * `relative` names look like `yyyy/m/d/<file>` (legacy) or `yyyy/MM/dd/HH/<file>` (current).
 * Anything that does not parse as a date is skipped rather than guessed. Only the collector's files
 * (`dataExtension`: .csv legacy, .jsonl current) make a date and count in it.
 */
export function groupByDate(identifierPrefix: string, blobs: readonly BlobInfo[], dataExtension: ".csv" | ".jsonl"): DateGroup[] {
  const groups = new Map<string, DateGroup>();
  for (const blob of blobs) {
    if (!blob.name.startsWith(identifierPrefix)) continue;
    const parts = blob.name.slice(identifierPrefix.length).split("/");
    if (parts.length < 4) continue;
    const [y, m, d] = parts;
    const date = toIsoDate(y, m, d);
    if (!date) continue;
    const dayPrefix = `${identifierPrefix}${y}/${m}/${d}/`;
    const isData = blob.name.toLowerCase().endsWith(dataExtension);
    let group = groups.get(date);
    if (!group) groups.set(date, (group = { date, prefixes: [], fileCount: 0, totalBytes: 0, blobs: [], others: [] }));
    if (!isData) {
      group.others.push(blob.name);
      continue;
    }
    if (!group.prefixes.includes(dayPrefix)) group.prefixes.push(dayPrefix);
    group.fileCount += 1;
    group.totalBytes += blob.size;
    group.blobs.push(blob);
  }
  return [...groups.values()].filter((g) => g.fileCount > 0).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
