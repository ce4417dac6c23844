// Column names for legacy collector files. With a header row, it names them. Without one (a list collected
// without feature_names), the collector's layout names them when the width fits: features, then the eight
// $aml_* system columns; otherwise col1…n.
import { PLAIN_NUMBER } from "./bytes";

export const AML_SYSTEM_COLUMNS = [
  "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp", "$aml_dc_boundary", "$aml_workspace",
  "$aml_service_name", "$aml_model_name", "$aml_model_version", "$aml_request_id",
] as const;

export function isSystemColumn(name: string): boolean {
  return name.startsWith("$aml_");
}

export interface ResolvedColumns {
  columns: string[];
  hasHeader: boolean;
}

const UUID = /^([0-9a-zA-Z._-]+-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PY_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/;

export function resolveLegacyColumns(rows: readonly string[][]): ResolvedColumns {
  const first = rows[0] ?? [];
  if (looksLikeHeader(first, rows[1])) return headerColumns(first);
  const width = Math.max(0, ...rows.slice(0, 50).map((r) => r.length));
  if (width >= AML_SYSTEM_COLUMNS.length && hasSystemTail(first)) {
    const features = width - AML_SYSTEM_COLUMNS.length;
    return { columns: [...Array.from({ length: features }, (_, i) => `feature_${i + 1}`), ...AML_SYSTEM_COLUMNS], hasHeader: false };
  }
  return { columns: Array.from({ length: width }, (_, i) => `col${i + 1}`), hasHeader: false };
}

/** A first row taken as the header: its names trimmed, blanks named by place, repeats numbered. */
export function headerColumns(first: readonly string[]): ResolvedColumns {
  return { columns: uniqueNames(first.map((c, i) => c.trim() || `col${i + 1}`)), hasHeader: true };
}

function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  if (first.length === 0) return false;
  if (first.some((c) => isSystemColumn(c))) return true;
  if (hasSystemTail(first)) return false;
  const numeric = (c: string) => PLAIN_NUMBER.test(c.trim());
  if (first.some(numeric)) return false;
  if (!second) return first.every((c) => /^[A-Za-z_][\w .-]*$/.test(c.trim()));
  // A header is text where the data below has numbers, or at least differs in shape.
  return second.some(numeric) || first.every((c) => /^[A-Za-z_][\w .-]*$/.test(c.trim()));
}

/** correlation id, timestamp, boundary, workspace … in the last eight cells. */
function hasSystemTail(row: readonly string[]): boolean {
  if (row.length < AML_SYSTEM_COLUMNS.length) return false;
  const tail = row.slice(-AML_SYSTEM_COLUMNS.length);
  return UUID.test(tail[0]) && PY_TIMESTAMP.test(tail[1]) && /^(1440|60)$/.test(tail[2]) && tail[3].split("/").length === 3;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count + 1}`;
  });
}
