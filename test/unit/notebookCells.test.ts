// Open in Notebook: the cells load exactly the data looked at, with no key or SAS, and (for a report) carry
// the report's features to SciPy definitions that equal the golden values (checked with SciPy when written).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { notebookCells } from "../../src/core/azureml/notebook";
import type { PandasSnippetInput } from "../../src/core/pandasSnippet";

const AZURITE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

describe("notebook cells", () => {
  const production: PandasSnippetInput = { auth: { kind: "entra", accountName: "mlstore" }, container: "azureml-blobstore-1", layout: "current",
    globs: ["modelDataCollector/ep/blue/model_inputs/2026/11/30/*/*.jsonl"] };

  it("loads the production window's exact folders, through Entra ID", () => {
    const cells = notebookCells({ title: "ep/blue · model_inputs", production: { label: "2026-11-30", data: production } });
    assert.deepEqual(cells.map((c) => c.kind), ["markdown", "code"]);
    assert.ok(cells[1].text.includes('patterns = ["modelDataCollector/ep/blue/model_inputs/2026/11/30/*/*.jsonl"]'));
    assert.ok(cells[1].text.includes('container = ContainerClient("https://mlstore.blob.core.windows.net", "azureml-blobstore-1", credential=DefaultAzureCredential())'));
    assert.match(cells[1].text, /^# pip install pandas azure-storage-blob azure-identity\n/);
    assert.match(cells[1].text, /container\.list_blobs\(name_starts_with=p\.split\("\*"\)\[0\]\) if fnmatch\.fnmatchcase\(b\.name, p\)/);
    assert.match(cells[1].text, /\nproduction = pd\.DataFrame\(rows\)\nprint\(production\.shape\)$/);
  });

  it("never writes a key, not even the emulator's public one", () => {
    const cells = notebookCells({ title: "t", production: { label: "p", data: { ...production, auth: { kind: "emulator", connectionString: AZURITE } } } });
    const text = cells.map((c) => c.text).join("\n");
    assert.ok(!text.includes("AccountKey"), text);
    assert.match(text, /ContainerClient\.from_connection_string\(os\.environ\["AZURE_STORAGE_CONNECTION_STRING"\], "azureml-blobstore-1"\)/);
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
