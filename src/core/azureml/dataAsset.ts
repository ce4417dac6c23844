// What registering collected data as an Azure ML data asset sends: the data version's body
// (`PUT …/workspaces/{ws}/data/{name}/versions/{version}`), the datastore URI of the data, and for a date
// range an MLTable file over the collector's files (placed beside the data, at the range's common folder).
import { acceptedName } from "./names";

export type DataAssetKind = "uri_file" | "uri_folder" | "mltable";

export interface DataAssetRequest {
  kind: DataAssetKind;
  dataUri: string;
  /** An MLTable's data folders. */
  referencedUris?: string[];
  description?: string;
  tags?: Record<string, string>;
}

/** The DataVersionBase body as the REST API takes it (api-version 2024-04-01). */
export function dataVersionBody(request: DataAssetRequest): { properties: Record<string, unknown> } {
  return {
    properties: {
      dataType: request.kind,
      dataUri: request.dataUri,
      ...(request.kind === "mltable" && request.referencedUris ? { referencedUris: request.referencedUris } : {}),
      isAnonymous: false,
      isArchived: false,
      ...(request.description ? { description: request.description } : {}),
      tags: request.tags ?? {},
    },
  };
}

/** `azureml://subscriptions/…/datastores/<name>/paths/<path>`: a datastore path, never a key or SAS. */
export function datastoreUri(where: { subscription: string; resourceGroup: string; workspace: string; datastore: string; path: string }): string {
  const path = where.path.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  return `azureml://subscriptions/${where.subscription}/resourcegroups/${where.resourceGroup}/workspaces/${where.workspace}/datastores/${where.datastore}/paths/${path}${where.path.endsWith("/") ? "/" : ""}`;
}

/** The next version after the existing ones: one past the largest number (1 when there is none). */
export function nextVersion(existing: readonly string[]): string {
  const numbers = existing.map((v) => (/^\d+$/.test(v) ? Number(v) : 0));
  return String(Math.max(0, ...numbers) + 1);
}

/** A data asset name Azure ML accepts (names.ts): letters, digits, `-`, `_`; starting with a letter or digit; ≤ 255. */
export function assetName(text: string): string {
  return acceptedName(text, "model-data");
}

export interface MLTableOptions {
  layout: "current" | "legacy";
  // Glob patterns as datastore URIs, one per day folder: the day's folder, then every .jsonl (or .csv) below it.
  patterns: string[];
}

/**
 * An MLTable over collected files (keys as the MLTable YAML schema names them). Current collector: JSON
 * lines, the hour partition extracted as Azure ML's monitoring reads it (the format is matched against the
 * end of each path, so per-day patterns keep it). Legacy: the CSV files with their header row (files
 * written without feature names have none: register those as a folder).
 */
export function mltableText(options: MLTableOptions): string {
  const lines = ["$schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json", "type: mltable", "paths:"];
  for (const pattern of options.patterns) lines.push(`  - pattern: ${yamlString(pattern)}`);
  lines.push("transformations:");
  if (options.layout === "current") {
    lines.push(
      "  - read_json_lines:",
      "      encoding: utf8",
      "      include_path_column: true",
      `  - extract_columns_from_partition_format: ${yamlString("{PartitionDate:yyyy/MM/dd/HH}/{fileName}.jsonl")}`,
    );
  } else {
    lines.push(
      "  - read_delimited:",
      "      delimiter: \",\"",
      "      encoding: utf8",
      "      header: all_files_same_headers",
      "      include_path_column: true",
      "      empty_as_string: false",
    );
  }
  return lines.join("\n") + "\n";
}

/** A YAML double-quoted scalar: a JSON string is one (YAML 1.2), with `*`, `{`, `:`, quotes and line breaks in paths escaped. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

/** Where an MLTable over a range goes: its own folder beside the data, never inside a collection's folders. */
export function mltableFolder(collectionPrefix: string, from: string, to: string): string {
  return `modeldata-mltables/${collectionPrefix.replace(/^\/+|\/+$/g, "")}/${from}_${to}/`;
}
