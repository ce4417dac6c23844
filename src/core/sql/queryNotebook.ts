// "Open in Notebook" for a query: the window's blobs fetched with adlfs into a local folder, the same views
// made by DuckDB in Python (the extension's own statements, the cache's paths swapped for the folder's),
// then the statement. Never embeds a secret (fileSystemLine).
import { fileSystemLine, pyString, type StorageAuth } from "../pandasSnippet";
import type { NotebookCell } from "../azureml/notebook";

export interface QueryNotebookInput {
  title: string;
  sql: string;
  statements: string[];
  sources: Array<{ path: string; container: string; name: string; auth: StorageAuth }>;
  converted: string[];
}

const FOLDER = "modeldata_query";

export function queryNotebookCells(input: QueryNotebookInput): NotebookCell[] {
  const local = (path: string) => `${FOLDER}/${path.split(/[\\/]/).pop()}`;
  const swap = (statement: string) => input.sources.reduce((text, s) => text.split(s.path.replace(/'/g, "''")).join(local(s.path)), statement);
  const auth = input.sources[0]?.auth;
  const fetch = [
    "# pip install duckdb pandas adlfs azure-identity",
    "import os",
    "import duckdb",
    "from adlfs import AzureBlobFileSystem",
    ...(auth?.kind === "entra" ? ["from azure.identity import DefaultAzureCredential"] : []),
    "",
    auth ? fileSystemLine(auth) : "fs = None",
    `os.makedirs(${pyString(FOLDER)}, exist_ok=True)`,
    "blobs = [",
    ...input.sources.map((s) => `    (${pyString(`${s.container}/${s.name}`)}, ${pyString(local(s.path))}),`),
    "]",
    "for remote, local in blobs:",
    "    if not os.path.exists(local):",
    "        fs.get(remote, local)",
    `print(f"{len(blobs)} files in ${FOLDER}/")`,
  ];
  const views = [
    "con = duckdb.connect()",
    "views = [",
    ...input.statements.map((s) => `    ${pyString(swap(s))},`),
    "]",
    "for statement in views:",
    "    con.execute(statement)",
  ];
  const notes = input.converted.length > 0
    ? `\n\nThe extension converted these files before querying them (gzip, encodings); this notebook reads them as stored: ${input.converted.join("; ")}.`
    : "";
  return [
    { kind: "markdown", text: `# SQL over collected data\n${input.title}\n\nThe same views the extension queries, made by DuckDB from the same blobs.${notes}` },
    { kind: "code", text: fetch.join("\n") },
    { kind: "code", text: views.join("\n") },
    { kind: "code", text: `df = con.sql(${pyString(input.sql)}).df()\ndf` },
  ];
}
