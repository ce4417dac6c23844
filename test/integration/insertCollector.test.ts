import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { activeApi, children, scenario, walk } from "./helpers";

const CORPUS = join(__dirname, "..", "..", "..", "test", "fixtures", "scoring");
const dir = mkdtempSync(join(tmpdir(), "modeldata-score-"));

async function openCopy(name: string): Promise<{ uri: vscode.Uri; original: string; editor: vscode.TextEditor }> {
  const path = join(dir, `${Date.now()}-${name}`);
  const original = readFileSync(join(CORPUS, name), "utf8");
  writeFileSync(path, original);
  const uri = vscode.Uri.file(path);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return { uri, original, editor };
}

interface InsertResult { changed: boolean; added: string[]; present: string[]; problems: string[] }

describe("insert collector code into a scoring file", function () {
  this.timeout(60_000);
  afterEach(() => vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor"));

  it("adds the legacy collector in one edit that a single undo reverts byte for byte", async () => {
    const { uri, original, editor } = await openCopy("basic_sklearn.py");
    // Opening a Python file activates the extension (onLanguage:python); wait for it before asking for lenses.
    await activeApi();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri);
    assert.ok(lenses.some((l) => l.command?.title === "Add data collection"), "CodeLens above def run");
    const result = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "legacy", modelName: "best_model", featureNames: ["feat1", "feat2"] });
    assert.equal(result.changed, true);
    const text = editor.document.getText();
    assert.match(text, /inputs_dc = ModelDataCollector\("best_model", designation="inputs", feature_names=\["feat1", "feat2"\]\)/);
    assert.match(text, / {4}inputs_dc\.collect\(data\)\n {4}result = model\.predict\(data\)\n {4}prediction_dc\.collect\(result\)/);
    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri);
    assert.equal(after.some((l) => l.command?.title === "Add data collection"), false, "no CodeLens once a collector is there");
    const again = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "legacy", modelName: "best_model", featureNames: ["feat1", "feat2"] });
    assert.equal(again.changed, false);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand("undo");
    assert.equal(editor.document.getText(), original);
  });

  it("keeps CRLF line endings and restores the CRLF file exactly on undo (current SDK)", async () => {
    const { uri, original, editor } = await openCopy("crlf.py");
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    const result = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "current" });
    assert.equal(result.changed, true);
    const text = editor.document.getText();
    assert.match(text, /context = inputs_collector\.collect\(to_data_frame\(data\)\)\r\n/);
    assert.equal(text.replace(/\r\n/g, "").includes("\n"), false);
    await vscode.commands.executeCommand("undo");
    assert.equal(editor.document.getText(), original);
  });

  it("takes an inline prediction onto its own line in the same single edit, which one undo reverts", async () => {
    const { uri, original, editor } = await openCopy("inline_json_return.py");
    const result = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "current" });
    assert.equal(result.changed, true);
    assert.match(editor.document.getText(), /\n {4}prediction = model\.predict\(data\)\n {4}outputs_collector\.collect\(to_data_frame\(prediction\), context\)\n {4}return json\.dumps\(\{"result": prediction\.tolist\(\)\}\)\n/);
    await vscode.commands.executeCommand("undo");
    assert.equal(editor.document.getText(), original);
  });

  it("does not add a second SDK's collectors unless told to", async () => {
    const { uri, original, editor } = await openCopy("partial_current.py");
    const refused = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "legacy", modelName: "m", featureNames: [], allowMixedSdks: false });
    assert.equal(refused.changed, false);
    assert.match(refused.problems[0], /already uses azureml-ai-monitoring/);
    assert.equal(editor.document.getText(), original);
    const mixed = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "legacy", modelName: "m", featureNames: [], allowMixedSdks: true });
    assert.equal(mixed.changed, true);
    assert.match(editor.document.getText(), /inputs_dc = ModelDataCollector\("m", designation="inputs"\)/);
  });

  it("from a service node asks which scoring file instead of editing the open one", async () => {
    const { original, editor } = await openCopy("basic_sklearn.py");
    const api = await activeApi();
    const service = await walk(api, ["Local emulator", scenario.workspace, "credit-endpoint/blue"]);
    let settled = false;
    const pending = vscode.commands.executeCommand<InsertResult | undefined>("modelData.insertCollectorForService", service).then((r) => {
      settled = true;
      return r;
    });
    // Dismiss the file picker (it must appear: the command would otherwise have edited the open file).
    for (let i = 0; i < 20 && !settled; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
    }
    assert.equal(await pending, undefined);
    assert.equal(editor.document.getText(), original, "the open file was not touched");
  });

  it("says why when there is no run()", async () => {
    const { uri, original, editor } = await openCopy("no_run.py");
    const result = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollector", uri, { sdk: "legacy", modelName: "m", featureNames: [] });
    assert.equal(result.changed, false);
    assert.match(result.problems[0], /No top-level run\(\)/);
    assert.equal(editor.document.getText(), original);
  });

  it("fills the model and feature names from a service's collected data", async () => {
    const { uri, editor } = await openCopy("no_init.py");
    const api = await activeApi();
    const service = await walk(api, ["Local emulator", scenario.workspace, "churn-aks-v1"]);
    assert.ok((await children(api, service)).length > 0);
    const result = await vscode.commands.executeCommand<InsertResult>("modelData.insertCollectorForService", service, uri);
    assert.equal(result.changed, true);
    const features = scenario.legacyServices[0].features.map((f) => `"${f.name}"`).join(", ");
    assert.ok(editor.document.getText().includes(`inputs_dc = ModelDataCollector("churn_model", designation="inputs", feature_names=[${features}])`), editor.document.getText());
    assert.ok(editor.document.getText().includes(`prediction_dc = ModelDataCollector("churn_model", designation="predictions", feature_names=["churn_probability", "churn_label"])`));
  });
});
