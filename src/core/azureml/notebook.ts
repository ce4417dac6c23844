// "Open in Notebook": the cells of a Jupyter notebook that load exactly the data the user looked at with
// pandas (from the blobs with azure-storage-blob, through Entra ID or a connection string from the
// environment: never a key or SAS in a cell; or a registered data asset through mltable) and, for a drift report, reproduce its numbers with SciPy using the same definitions.
import type { PandasSnippetInput } from "../pandasSnippet";

export interface NotebookCell {
  kind: "markdown" | "code";
  text: string;
}

/** A registered data asset, read through Azure ML (mltable for tables, azureml-fsspec for files and folders). */
export interface DataAssetRef {
  subscription: string;
  resourceGroup: string;
  workspace: string;
  name: string;
  version: string;
  kind: "uri_file" | "uri_folder" | "mltable";
  /** What the files are (a folder of collected JSON lines, a Parquet training set…). */
  format?: "jsonl" | "csv" | "parquet";
}

/** Where a window's rows come from: collected blobs, a local file (a built training set) or a data asset. */
export type NotebookSource = { label: string; data: PandasSnippetInput } | { label: string; file: string } | { label: string; asset: DataAssetRef };

export interface NotebookInput {
  title: string;
  production: NotebookSource;
  /** With a reference, the drift cells follow: per feature its type, metric and threshold from the report. */
  reference?: NotebookSource;
  features?: Array<{ name: string; kind: "numerical" | "categorical"; metric: string; threshold: number }>;
}

const py = (text: string) => JSON.stringify(text);

/** The account's blob endpoint when it is known without a secret (never the emulator's key, only its URL). */
function accountUrl(auth: PandasSnippetInput["auth"]): string | undefined {
  if (auth.kind === "entra") return `https://${auth.accountHost ?? `${auth.accountName}.blob.core.windows.net`}`;
  if (auth.kind === "emulator") return /(?:^|;)\s*BlobEndpoint=([^;]+)/i.exec(auth.connectionString)?.[1];
  return undefined;
}

/**
 * What the notebook's text promises: Entra ID first (DefaultAzureCredential: az login, VS Code, managed
 * identity), the connection string in the environment next, and a message saying both ways when neither works.
 */
function openContainer(url: string | undefined, variable: string): string[] {
  return [
    "def open_container(name):",
    "    tried = []",
    ...(url ? [
      "    try:",
      "        from azure.identity import DefaultAzureCredential",
      `        client = ContainerClient(${py(url)}, name, credential=DefaultAzureCredential())`,
      "        next(iter(client.list_blobs(results_per_page=1)), None)  # proves the access now, not halfway through",
      "        return client",
      "    except Exception as error:",
      "        tried.append(f\"DefaultAzureCredential: {error}\")",
    ] : []),
    `    connection = os.environ.get(${py(variable)})`,
    "    if connection:",
    "        client = ContainerClient.from_connection_string(connection, name)",
    "        next(iter(client.list_blobs(results_per_page=1)), None)",
    "        return client",
    `    tried.append(${py(`${variable} is not set`)})`,
    `    raise RuntimeError(${py(`Cannot read the collected data: sign in for DefaultAzureCredential (az login) with Storage Blob Data Reader on the account, or set ${variable} to the account's connection string. Tried: `)} + "; ".join(tried))`,
  ];
}

/**
 * Loads exactly the window's files with azure-storage-blob (listed by each day's prefix, matched to its glob)
 * and azure-identity; an emulator's connection string comes from the environment, not even Azurite's public key.
 */
function loadInto(variable: string, input: PandasSnippetInput): string {
  const auth = input.auth;
  const lines = [
    "# pip install pandas azure-storage-blob azure-identity",
    "import fnmatch",
    "import io",
    "import json",
    "import os",
    "import pandas as pd",
    "from azure.storage.blob import ContainerClient",
  ];
  const variableName = auth.kind === "connectionStringEnv" ? auth.variable : "AZURE_STORAGE_CONNECTION_STRING";
  lines.push("", ...openContainer(accountUrl(auth), variableName), "", `container = open_container(${py(input.container)})`);
  lines.push(
    `patterns = [${input.globs.map(py).join(", ")}]`,
    "files = sorted({b.name for p in patterns for b in container.list_blobs(name_starts_with=p.split(\"*\")[0]) if fnmatch.fnmatchcase(b.name, p)})",
    "read = lambda name: container.download_blob(name).readall()",
  );
  if (input.layout === "legacy") {
    lines.push(
      "# Files written without feature_names have no header row: pass header=None for those.",
      `${variable} = pd.concat((pd.read_csv(io.BytesIO(read(f))) for f in files), ignore_index=True)`,
    );
  } else {
    lines.push(
      "rows = []",
      "for f in files:",
      "    for line in read(f).splitlines():",
      "        record = json.loads(line) if line.strip() else {}",
      "        data = record.get(\"data\")",
      "        # A payload over 4 MB is stored in its own blob (data is its URL): not loaded here.",
      "        for row in data if isinstance(data, list) else []:",
      "            rows.append({**row, \"time\": record.get(\"time\"), \"correlationid\": record.get(\"correlationid\")})",
      `${variable} = pd.DataFrame(rows)`,
    );
  }
  lines.push(`print(${variable}.shape)`);
  return lines.join("\n");
}

function loadSource(variable: string, source: NotebookSource): string {
  if ("data" in source) return loadInto(variable, source.data);
  if ("file" in source) return loadFile(variable, source.file);
  return loadAsset(variable, source.asset);
}

function loadAsset(variable: string, asset: DataAssetRef): string {
  // mltable reads all three kinds from the asset's datastore path, with the reader's identity.
  const table = asset.kind === "mltable" ? "mltable.load(asset.path)"
    : asset.kind === "uri_folder"
      ? (asset.format === "csv" ? "mltable.from_delimited_files(paths=[{\"pattern\": asset.path.rstrip(\"/\") + \"/**/*.csv\"}])" : "mltable.from_json_lines_files(paths=[{\"pattern\": asset.path.rstrip(\"/\") + \"/**/*.jsonl\"}])")
      : asset.format === "parquet" ? "mltable.from_parquet_files(paths=[{\"file\": asset.path}])" : "mltable.from_delimited_files(paths=[{\"file\": asset.path}])";
  return [
    "# pip install azure-ai-ml azure-identity mltable",
    "import mltable",
    "from azure.ai.ml import MLClient",
    "from azure.identity import DefaultAzureCredential",
    "",
    `ml_client = MLClient(DefaultAzureCredential(), ${py(asset.subscription)}, ${py(asset.resourceGroup)}, ${py(asset.workspace)})`,
    `asset = ml_client.data.get(${py(asset.name)}, version=${py(asset.version)})`,
    `${variable} = ${table}.to_pandas_dataframe()`,
    `print(${variable}.shape)`,
  ].join("\n");
}

function loadFile(variable: string, path: string): string {
  const reader = /\.parquet$/i.test(path) ? `pd.read_parquet(${py(path)})` : /\.jsonl$/i.test(path) ? `pd.read_json(${py(path)}, lines=True)` : `pd.read_csv(${py(path)})`;
  return `import pandas as pd\n\n${variable} = ${reader}\nprint(${variable}.shape)`;
}

/** The report's metrics with SciPy, defined as Azure ML's monitoring defines them (see the extension's README). */
export const DRIFT_FUNCTIONS = `# pip install scipy
import math
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

def bin_edges(ref, prod):
    low, high = min(ref.min(), prod.min()), max(ref.max(), prod.max())
    if low == high:
        return np.array([low, high])
    bins = math.ceil(math.log2(min(len(ref), len(prod))) + 1)
    return np.array([high if i == bins else low + (i * (high - low)) / bins for i in range(bins + 1)])

def psi(ref_counts, prod_counts, ref_rows, prod_rows):
    r = (np.asarray(ref_counts, dtype=float) + 1) / ref_rows
    p = (np.asarray(prod_counts, dtype=float) + 1) / prod_rows
    return float(np.sum((p - r) * np.log(p / r)))

def numerical(ref, prod):
    ref, prod = np.sort(ref.astype(float)), np.sort(prod.astype(float))
    std = float(np.std(ref, ddof=1)) if len(ref) > 1 else 0.0
    edges = bin_edges(ref, prod)
    rc, _ = np.histogram(ref, bins=edges)
    pc, _ = np.histogram(prod, bins=edges)
    ks = stats.ks_2samp(ref, prod)
    return {"normalizedWasserstein": stats.wasserstein_distance(ref, prod) / max(std, 0.001),
            "jensenShannon": float(jensenshannon(rc, pc, base=2)), "psi": psi(rc, pc, len(ref), len(prod)),
            "ksStatistic": float(ks.statistic), "ksPValue": float(ks.pvalue)}

def categorical(ref, prod):
    names = sorted(set(ref) | set(prod))
    rc = [int((ref == c).sum()) for c in names]
    pc = [int((prod == c).sum()) for c in names]
    if all(r > 0 or p == 0 for r, p in zip(rc, pc)):
        used = [(r, p) for r, p in zip(rc, pc) if r > 0]
        p_value = stats.chisquare([p for _, p in used], [r / len(ref) * len(prod) for r, _ in used]).pvalue
    else:
        p_value = stats.chi2_contingency(np.array([rc, pc])).pvalue
    return {"jensenShannon": float(jensenshannon(rc, pc, base=2)), "psi": psi(rc, pc, len(ref), len(prod)), "chiSquaredPValue": float(p_value)}

P_VALUES = {"ksPValue", "chiSquaredPValue"}`;

export function notebookCells(input: NotebookInput): NotebookCell[] {
  const cells: NotebookCell[] = [
    { kind: "markdown", text: `# ${input.title}\n\nProduction: ${input.production.label}${input.reference ? `. Reference: ${input.reference.label}` : ""}. Written by the Azure ML Model Data extension: the data is read with your own credentials (Entra ID through \`DefaultAzureCredential\`, or a connection string from the environment); no key or SAS is in this notebook.` },
    { kind: "code", text: loadSource("production", input.production) },
  ];
  if (!input.reference) return cells;
  cells.push({ kind: "code", text: loadSource("reference", input.reference) });
  if (!input.features || input.features.length === 0) return cells;
  cells.push({ kind: "code", text: DRIFT_FUNCTIONS });
  const features = input.features.map((f) => `    (${py(f.name)}, ${py(f.kind)}, ${py(f.metric)}, ${f.threshold}),`).join("\n");
  cells.push({ kind: "code", text: `# The report's features: name, type, metric, threshold. Nulls are left out, as in the report.
features = [
${features}
]
rows = []
for name, kind, metric, threshold in features:
    ref, prod = reference[name].dropna(), production[name].dropna()
    if kind == "numerical":
        ref, prod = pd.to_numeric(ref, errors="coerce").dropna(), pd.to_numeric(prod, errors="coerce").dropna()
        values = numerical(ref.to_numpy(), prod.to_numpy())
    else:
        values = categorical(ref.astype(str).to_numpy(), prod.astype(str).to_numpy())
    value = values[metric]
    drifted = value < threshold if metric in P_VALUES else value > threshold
    rows.append({"feature": name, "type": kind, "metric": metric, "value": value, "threshold": threshold, "drifted": drifted, **values})
pd.DataFrame(rows).sort_values("drifted", ascending=False)` });
  return cells;
}
