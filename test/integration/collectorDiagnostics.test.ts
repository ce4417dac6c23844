// Collector problems in the editor, in the real host: an open scoring file with a collector problem gets a
// diagnostic in the Problems panel, and its Quick Fix (run as VS Code runs it) changes the file as planned.
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { activeApi } from "./helpers";

const BROKEN = join(__dirname, "..", "..", "..", "test", "fixtures", "scoring-broken");
const CORPUS = join(__dirname, "..", "..", "..", "test", "fixtures", "scoring");

const folder = mkdtempSync(join(tmpdir(), "modeldata-diagnostics-"));
let opened = 0;

/** The text as a file of its own (each test a new path, so no diagnostics of another file are in sight). */
async function open(text: string): Promise<vscode.TextDocument> {
  const path = join(folder, `score_${++opened}.py`);
  writeFileSync(path, text);
  const document = await vscode.workspace.openTextDocument(path);
  await vscode.window.showTextDocument(document);
  return document;
}

async function diagnosticsOf(document: vscode.TextDocument, count: number): Promise<vscode.Diagnostic[]> {
  for (let i = 0; i < 100; i++) {
    const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === "Azure ML data collection");
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === "Azure ML data collection");
}

async function applyQuickFix(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<string> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const ours = actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.edit);
  assert.equal(ours.length, 1, `one Quick Fix at ${String(diagnostic.code)}'s place: ${actions.map((a) => a.title).join("; ")}`);
  assert.ok(ours[0].edit, "the fix is an edit");
  assert.ok(await vscode.workspace.applyEdit(ours[0].edit));
  return document.getText();
}

describe("collector problems in the editor", function () {
  this.timeout(60_000);
  before(async () => {
    await activeApi();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("flags identifier= as an error and renames it with the Quick Fix", async () => {
    const document = await open(readFileSync(join(CORPUS, "old_identifier_keyword.py"), "utf8"));
    const found = await diagnosticsOf(document, 2);
    assert.deepEqual(found.map((d) => [d.code, d.severity, document.getText(d.range)]), [
      ["identifierKeyword", vscode.DiagnosticSeverity.Error, "identifier"], ["identifierKeyword", vscode.DiagnosticSeverity.Error, "identifier"]]);
    const text = await applyQuickFix(document, found[0]);
    assert.equal((text.match(/designation="/g) ?? []).length, 1, "one keyword renamed by one fix");
    // The file changed: the analysis runs again and one diagnostic is left.
    for (let i = 0; i < 100 && (await diagnosticsOf(document, 0)).length !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await diagnosticsOf(document, 0)).length, 1);
  });

  it("makes a collector nothing creates in init(), and wraps a dict for the current SDK", async () => {
    const never = await open(readFileSync(join(BROKEN, "never_created.py"), "utf8"));
    const [undefinedCollector] = await diagnosticsOf(never, 1);
    assert.equal(undefinedCollector.code, "collectorUndefined");
    assert.match(undefinedCollector.message, /NameError: name 'outputs_collector' is not defined/);
    assert.match(await applyQuickFix(never, undefinedCollector), /global model, inputs_collector, outputs_collector\n {4}outputs_collector = Collector\(name="model_outputs", on_error=lambda error: print\("model data collection: %s" % error\)\)\n/);
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");

    const dict = await open(readFileSync(join(BROKEN, "dict_to_collect.py"), "utf8"));
    const found = await diagnosticsOf(dict, 2);
    const literal = found.find((d) => dict.getText(d.range).startsWith("{"));
    assert.ok(literal);
    const wrapped = await applyQuickFix(dict, literal);
    assert.match(wrapped, /\nimport pandas as pd\n\n\ndef to_data_frame\(value, columns=None\):\n/, "the helper comes with the fix, once");
    assert.match(wrapped, /outputs_collector\.collect\(to_data_frame\(\{"prediction": float\(prediction\[0\]\), "rows": len\(rows\)\}\), context\)/);
  });

  it("says nothing about Python files that use no collector", async () => {
    const document = await open(readFileSync(join(CORPUS, "basic_sklearn.py"), "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(await diagnosticsOf(document, 0), []);
  });
});
