// The one helper the planner (and the Quick Fix that wraps a value) adds for the current SDK: values become
// DataFrames without ever failing a request.
import type { PythonSource } from "./pythonSource";

export const FRAME_HELPER = "to_data_frame";

/** Code that makes a pandas DataFrame (what the current SDK's collect() takes as it is). */
export const MAKES_DATA_FRAME = /\b(pd|pandas)\.(DataFrame|read_json|read_csv|json_normalize|concat)\(|\bDataFrame\(/;

/**
 * The current SDK's collect() takes only a DataFrame. Wrapping a value in pd.DataFrame(...) inline would raise
 * on a record of scalars or a scalar and fail the request; this helper makes a record one row and hands back
 * what cannot be a table, which the collector then drops through its on_error.
 */
export function frameHelper(pd: string, source: PythonSource): string {
  const i = source.indentUnit;
  return [
    "",
    "",
    `def ${FRAME_HELPER}(value, columns=None):`,
    `${i}"""What the collector logs: a DataFrame (a record of scalars as one row); anything else as it is."""`,
    `${i}try:`,
    `${i}${i}if isinstance(value, dict) and not any(isinstance(v, (list, tuple, dict)) for v in value.values()):`,
    `${i}${i}${i}return ${pd}.DataFrame([value], columns=columns)`,
    `${i}${i}return ${pd}.DataFrame(value, columns=columns)`,
    `${i}except Exception:`,
    `${i}${i}return value`,
  ].join(source.newline);
}
