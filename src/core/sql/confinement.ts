// What DuckDB may touch, set before any query and then locked: files only under the query cache (the
// cached blobs, its spill folder and the answers it writes there), no network or other paths
// (enable_external_access), no extensions installed or loaded, no persistent secrets.
import { quoteLiteral } from "./sqlText";

export function confinementStatements(root: string): string[] {
  const folder = root.endsWith("/") || root.endsWith("\\") ? root : `${root}${root.includes("\\") ? "\\" : "/"}`;
  return [
    `SET allowed_directories = [${quoteLiteral(folder)}]`,
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET lock_configuration = true",
  ];
}
