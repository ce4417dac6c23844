// "Copy as pandas code": Python that reads a date's (or an identifier's) collected files into a DataFrame.
// Never embeds a secret: Entra ID via DefaultAzureCredential, or a connection string from the environment.

export type StorageAuth =
  | { kind: "entra"; accountName: string; accountHost?: string }
  | { kind: "connectionStringEnv"; variable: string }
  | { kind: "emulator"; connectionString: string };

export interface PandasSnippetInput {
  auth: StorageAuth;
  container: string;
  /** Glob of blob names under the container, e.g. `sub/rg/ws/svc/m/1/inputs/2026/03/04/*.csv`. */
  globs: string[];
  layout: "legacy" | "current";
}

export function pandasSnippet(input: PandasSnippetInput): string {
  const lines = [
    "# pip install pandas adlfs azure-identity",
    "import pandas as pd",
    ...(input.layout === "current" ? ["import json"] : []),
    ...(input.auth.kind === "connectionStringEnv" ? ["import os"] : []),
    "from adlfs import AzureBlobFileSystem",
    ...(input.auth.kind === "entra" ? ["from azure.identity import DefaultAzureCredential"] : []),
    "",
    fileSystemLine(input.auth),
    `patterns = [${input.globs.map((g) => pyString(`${input.container}/${g}`)).join(", ")}]`,
    "files = sorted(f for pattern in patterns for f in fs.glob(pattern))",
    "",
  ];
  if (input.layout === "legacy") {
    lines.push(
      "# Files written without feature_names have no header row: pass header=None for those.",
      "df = pd.concat((pd.read_csv(fs.open(f)) for f in files), ignore_index=True)",
      "if \"$aml_dc_scoring_timestamp\" in df:",
      "    df[\"$aml_dc_scoring_timestamp\"] = pd.to_datetime(df[\"$aml_dc_scoring_timestamp\"])",
    );
  } else {
    lines.push(
      "rows = []",
      "payload_links = []",
      "for f in files:",
      "    with fs.open(f, \"rb\") as handle:",
      "        for line in handle:",
      "            record = json.loads(line)",
      "            data = record.get(\"data\")",
      "            if isinstance(data, list):",
      "                for row in data:",
      "                    rows.append({**row, \"time\": record.get(\"time\"), \"correlationid\": record.get(\"correlationid\")})",
      "            else:",
      "                # A payload over 4 MB is stored in its own blob; the record holds its URL.",
      "                payload_links.append(data)",
      "if payload_links:",
      "    print(f\"{len(payload_links)} record(s) hold a link to a payload stored in its own blob; not loaded, their URLs are in payload_links\")",
      "df = pd.DataFrame(rows)",
      "if \"time\" in df:",
      "    df[\"time\"] = pd.to_datetime(df[\"time\"])",
    );
  }
  lines.push("print(df.shape)", "df.head()");
  return lines.join("\n") + "\n";
}

/** The adlfs file system for an account, authenticated as the tree reaches it (no secret written). */
export function fileSystemLine(auth: StorageAuth): string {
  switch (auth.kind) {
    case "entra":
      return `fs = AzureBlobFileSystem(account_name=${pyString(auth.accountName)}, ${auth.accountHost ? `account_host=${pyString(auth.accountHost)}, ` : ""}credential=DefaultAzureCredential())`;
    case "connectionStringEnv":
      return `fs = AzureBlobFileSystem(connection_string=os.environ[${pyString(auth.variable)}])`;
    case "emulator":
      return `fs = AzureBlobFileSystem(connection_string=${pyString(auth.connectionString)})  # Azurite's public development key`;
  }
}

/** A Python string literal that survives any blob name (quotes, backslashes, non-ASCII). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}
