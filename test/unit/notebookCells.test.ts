// Open in Notebook: the cells load exactly the data looked at, with no key or SAS, and (for a report) carry
// the report's features to SciPy definitions that equal the golden values (checked with SciPy when written).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookCells } from "../../src/core/azureml/notebook";
import type { PandasSnippetInput } from "../../src/core/pandasSnippet";

const AZURITE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
const AZURITE_URL = "http://127.0.0.1:10000/devstoreaccount1";

describe("notebook cells", () => {
  const production: PandasSnippetInput = { auth: { kind: "entra", accountName: "mlstore" }, container: "azureml-blobstore-1", layout: "current",
    globs: ["modelDataCollector/ep/blue/model_inputs/2026/11/30/*/*.jsonl"] };

  it("loads the production window's exact folders, through Entra ID", () => {
    const cells = notebookCells({ title: "ep/blue · model_inputs", production: { label: "2026-11-30", data: production } });
    assert.deepEqual(cells.map((c) => c.kind), ["markdown", "code"]);
    assert.ok(cells[1].text.includes('patterns = ["modelDataCollector/ep/blue/model_inputs/2026/11/30/*/*.jsonl"]'));
    // Entra ID first, the connection string from the environment next, and a message naming both when neither works.
    assert.ok(cells[1].text.includes('        client = ContainerClient("https://mlstore.blob.core.windows.net", name, credential=DefaultAzureCredential())'));
    assert.ok(cells[1].text.includes('    connection = os.environ.get("AZURE_STORAGE_CONNECTION_STRING")'));
    assert.ok(cells[1].text.indexOf("DefaultAzureCredential()") < cells[1].text.indexOf("os.environ.get("));
    assert.match(cells[1].text, /raise RuntimeError\("Cannot read the collected data: sign in for DefaultAzureCredential \(az login\).*or set AZURE_STORAGE_CONNECTION_STRING/);
    assert.ok(cells[1].text.includes('container = open_container("azureml-blobstore-1")'));
    const file = join(mkdtempSync(join(tmpdir(), "cells-")), "cell.py");
    writeFileSync(file, cells[1].text);
    execFileSync("python3", ["-m", "py_compile", file], { stdio: "pipe" });
    assert.match(cells[1].text, /^# pip install pandas azure-storage-blob azure-identity\n/);
    assert.match(cells[1].text, /container\.list_blobs\(name_starts_with=p\.split\("\*"\)\[0\]\) if fnmatch\.fnmatchcase\(b\.name, p\)/);
    assert.match(cells[1].text, /\nproduction = pd\.DataFrame\(rows\)\nprint\(production\.shape\)$/);
  });

  it("never writes a key, not even the emulator's public one", () => {
    const cells = notebookCells({ title: "t", production: { label: "p", data: { ...production, auth: { kind: "emulator", connectionString: AZURITE } } } });
    const text = cells.map((c) => c.text).join("\n");
    assert.ok(!text.includes("AccountKey"), text);
    // The emulator's URL (not its key) for the credential, then the environment's connection string.
    assert.ok(text.includes(`ContainerClient("${AZURITE_URL}", name, credential=DefaultAzureCredential())`), text);
    assert.match(text, /os\.environ\.get\("AZURE_STORAGE_CONNECTION_STRING"\)/);
  });

  it("for a report: both windows, the SciPy definitions, and the report's features with their metrics", () => {
    const cells = notebookCells({ title: "Drift", production: { label: "week 2", data: production }, reference: { label: "training.parquet", file: "/data/training.parquet" },
      features: [{ name: "income", kind: "numerical", metric: "normalizedWasserstein", threshold: 0.1 }, { name: 'odd "name"', kind: "categorical", metric: "chiSquaredPValue", threshold: 0.05 }] });
    assert.equal(cells.length, 5);
    assert.match(cells[2].text, /reference = pd\.read_parquet\("\/data\/training\.parquet"\)/);
    for (const name of ["def numerical", "def categorical", "stats.wasserstein_distance", "stats.chisquare", "stats.chi2_contingency", "jensenshannon(rc, pc, base=2)"]) assert.ok(cells[3].text.includes(name), name);
    assert.ok(cells[4].text.includes('("income", "numerical", "normalizedWasserstein", 0.1),'));
    assert.ok(cells[4].text.includes('("odd \\"name\\"", "categorical", "chiSquaredPValue", 0.05),'), "names are Python string literals");
  });
});
