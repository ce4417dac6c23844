import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pandasSnippet } from "../../src/core/pandasSnippet";

function compiles(code: string): void {
  const dir = mkdtempSync(join(tmpdir(), "modeldata-py-"));
  const file = join(dir, "snippet.py");
  writeFileSync(file, code);
  execFileSync("python3", ["-m", "py_compile", file], { stdio: "pipe" });
}

describe("pandas snippet", () => {
  it("reads a legacy date with Entra ID and compiles", () => {
    const code = pandasSnippet({ auth: { kind: "entra", accountName: "mlstore01" }, container: "modeldata", globs: ["s/rg/ws/svc/m/1/inputs/2026/03/04/*.csv"], layout: "legacy" });
    assert.match(code, /AzureBlobFileSystem\(account_name="mlstore01", credential=DefaultAzureCredential\(\)\)/);
    assert.match(code, /"modeldata\/s\/rg\/ws\/svc\/m\/1\/inputs\/2026\/03\/04\/\*\.csv"/);
    assert.match(code, /pd\.read_csv/);
    compiles(code);
  });

  it("flattens current-collector records and never embeds an attached secret", () => {
    const code = pandasSnippet({ auth: { kind: "connectionStringEnv", variable: "AZURE_STORAGE_CONNECTION_STRING" }, container: "azureml-blobstore-x",
      globs: ["modelDataCollector/e/d/model_inputs/2026/03/04/*/*.jsonl"], layout: "current" });
    assert.match(code, /os\.environ\["AZURE_STORAGE_CONNECTION_STRING"\]/);
    assert.match(code, /record\.get\("data"\)/);
    compiles(code);
  });

  it("quotes hostile blob names as Python string literals", () => {
    const code = pandasSnippet({ auth: { kind: "entra", accountName: "a" }, container: "c", globs: ['x"); import os; os.system("rm -rf /") #\\\n/é/*.csv'], layout: "legacy" });
    compiles(code);
    assert.equal(code.includes('x"); import os'), false);
  });
});
