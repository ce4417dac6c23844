// Inserting collector code into a corpus of scoring files: each still compiles, a second run changes
// nothing, and every original line is still there, in order.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyInsertions, planCollector, type CollectorOptions } from "../../src/snippets/collectorPlan";

const CORPUS = join(__dirname, "..", "..", "..", "test", "fixtures", "scoring");
const files = readdirSync(CORPUS).filter((f) => f.endsWith(".py") && f !== "no_run.py").sort();
const work = mkdtempSync(join(tmpdir(), "modeldata-scoring-"));

function compile(name: string, text: string): void {
  const path = join(work, name);
  writeFileSync(path, text);
  execFileSync("python3", ["-m", "py_compile", path], { stdio: "pipe" });
}

/** Every original line, in order. The one line allowed to grow is a `global` statement the collectors are merged into. */
function assertLinesKept(original: string, updated: string): void {
  const after = updated.split(/\r?\n/);
  const same = (kept: string, line: string) => kept === line || (/^\s*global\s/.test(line) && kept.startsWith(`${line}, `));
  let at = 0;
  for (const line of original.split(/\r?\n/)) {
    while (at < after.length && !same(after[at], line)) at += 1;
    assert.ok(at < after.length, `original line lost or reordered: ${JSON.stringify(line)}`);
    at += 1;
  }
}

function insert(name: string, options: CollectorOptions): { original: string; updated: string; plan: ReturnType<typeof planCollector> } {
  const original = readFileSync(join(CORPUS, name), "utf8");
  const plan = planCollector(original, options);
  return { original, updated: applyInsertions(original, plan.insertions), plan };
}

describe("collector insertion over the scoring corpus", () => {
  assert.ok(files.length >= 15, `${files.length} files in the corpus`);
  for (const sdk of ["legacy", "current"] as const) {
    for (const file of files) {
      it(`${sdk}: ${file} compiles, keeps every line, and a second run adds nothing`, () => {
        const options = { sdk, modelName: "churn_model", featureNames: ["tenure", "charges"] };
        const { original, updated, plan } = insert(file, options);
        compile(`${sdk}-${file}`, updated);
        assertLinesKept(original, updated);
        assert.deepEqual(planCollector(updated, options).insertions, [], "second run must change nothing");
        if (!(sdk === "legacy" && file === "already_legacy.py")) assert.ok(plan.insertions.length > 0, "something was added");
      });
    }
  }
});

describe("collector insertion details", () => {
  it("writes the legacy collector as documented", () => {
    const { updated } = insert("basic_sklearn.py", { sdk: "legacy", modelName: "best_model", featureNames: ["feat1", "feat2"] });
    assert.match(updated, /^from azureml\.monitoring import ModelDataCollector\nimport json/);
    assert.match(updated, / {4}global model, inputs_dc, prediction_dc\n/);
    assert.match(updated, / {4}inputs_dc = ModelDataCollector\("best_model", identifier="inputs", feature_names=\["feat1", "feat2"\]\)\n {4}prediction_dc = ModelDataCollector\("best_model", identifier="predictions"\)\n/);
    assert.match(updated, / {4}inputs_dc\.collect\(data\)\n {4}result = model\.predict\(data\)\n {4}prediction_dc\.collect\(result\)\n {4}return result\.tolist\(\)/);
  });

  it("writes the current collector with DataFrames, context and the pandas import", () => {
    const { updated } = insert("basic_sklearn.py", { sdk: "current" });
    assert.match(updated, /from azureml\.ai\.monitoring import Collector\nimport pandas as pd\n/);
    assert.match(updated, /inputs_collector = Collector\(name="model_inputs"\)\n {4}outputs_collector = Collector\(name="model_outputs"\)/);
    assert.match(updated, /context = inputs_collector\.collect\(pd\.DataFrame\(data\)\)\n {4}result = model\.predict\(data\)\n {4}outputs_collector\.collect\(pd\.DataFrame\(result\), context\)\n {4}return/);
  });

  it("does not wrap values that already are DataFrames, nor import pandas twice", () => {
    const { updated } = insert("dataframe_input.py", { sdk: "current" });
    assert.match(updated, /context = inputs_collector\.collect\(input_df\)/);
    assert.equal((updated.match(/import pandas/g) ?? []).length, 1);
  });

  it("puts the import after the module docstring and __future__ imports", () => {
    const { updated } = insert("docstring_future.py", { sdk: "legacy" });
    assert.match(updated, /from __future__ import annotations\nfrom azureml\.monitoring import ModelDataCollector\n\nimport json/);
    assert.match(updated, /"""Score a batch of customers\."""\n {4}features = np\.array/);
  });

  it("collects before every return of the prediction and leaves nested functions alone", () => {
    const { updated } = insert("several_returns.py", { sdk: "legacy" });
    assert.equal((updated.match(/prediction_dc\.collect\(result\)/g) ?? []).length, 2);
    assert.match(updated, /return \{"error": "missing 'data'"\}/);
    const nested = insert("nested_functions.py", { sdk: "legacy" }).updated;
    assert.match(nested, / {8}values = json\.loads\(text\)\["data"\]\n {8}return values/);
    assert.match(nested, / {4}prediction_dc\.collect\(result\)\n {4}return to_list\(result\)/);
  });

  it("keeps decorators, async def, try/except and multi-line signatures working", () => {
    assert.match(insert("decorated_schema.py", { sdk: "legacy" }).updated, /@output_schema\(NumpyParameterType\(output_sample\)\)\ndef run\(data\):\n {4}try:\n {8}inputs_dc\.collect\(data\)\n {8}result = model\.predict\(data\)\n {8}prediction_dc\.collect\(result\)\n {8}return result\.tolist\(\)/);
    assert.match(insert("async_run.py", { sdk: "legacy" }).updated, /async def run\(request_body\):\n {4}payload = json\.loads\(request_body\)\n {4}inputs_dc\.collect\(payload\["rows"\]\)/);
    assert.match(insert("multiline_signature.py", { sdk: "legacy" }).updated, / {4}inputs_dc\.collect\(rows\)\n {4}predictions = model\.predict\(rows\)\n {4}prediction_dc\.collect\(predictions\)/);
  });

  it("follows tabs, two-space indents and CRLF line endings", () => {
    const tabs = insert("tabs.py", { sdk: "legacy" }).updated;
    assert.match(tabs, /\n\tinputs_dc = ModelDataCollector/);
    assert.match(tabs, /\n\tinputs_dc\.collect\(data\)\n\tresult = model/);
    assert.match(insert("two_space_indent.py", { sdk: "legacy" }).updated, /\n {2}inputs_dc\.collect\(rows\)\n {2}result/);
    const crlf = insert("crlf.py", { sdk: "current" }).updated;
    assert.equal(crlf.replace(/\r\n/g, "").includes("\n"), false, "only CRLF line endings");
  });

  it("creates init() when missing, merges into an existing global, and avoids clashing names", () => {
    assert.match(insert("no_init.py", { sdk: "legacy" }).updated, /def init\(\):\n {4}global inputs_dc, prediction_dc\n {4}inputs_dc = ModelDataCollector\("model", identifier="inputs"\)\n {4}prediction_dc = [^\n]+\n\n\ndef run\(raw_data\):/);
    assert.match(insert("global_existing.py", { sdk: "legacy" }).updated, /global model, scaler, inputs_dc, prediction_dc\n/);
    const clash = insert("name_clash.py", { sdk: "current" }).updated;
    assert.match(insert("name_clash.py", { sdk: "legacy" }).updated, /inputs_dc_1 = ModelDataCollector/);
    assert.match(clash, /context_1 = inputs_collector\.collect/);
  });

  it("says what is already there and adds only what is missing", () => {
    const same = insert("already_legacy.py", { sdk: "legacy" });
    assert.deepEqual(same.plan.insertions, []);
    assert.ok(same.plan.present.length >= 4, same.plan.present.join("; "));
    const partial = insert("partial_current.py", { sdk: "current" });
    assert.equal((partial.updated.match(/Collector\(name="model_inputs"\)/g) ?? []).length, 1);
    assert.match(partial.updated, /outputs_collector\.collect\(output_df, context\)\n {4}return output_df/);
    assert.ok(partial.plan.present.some((p) => p.includes("inputs_collector")));
  });

  it("explains what it cannot do: no run(), or a prediction returned directly", () => {
    const noRun = insert("no_run.py", { sdk: "legacy" });
    assert.deepEqual(noRun.plan.insertions, []);
    assert.match(noRun.plan.problems[0], /No top-level run\(\) function/);
    const direct = insert("direct_return.py", { sdk: "legacy" });
    assert.match(direct.plan.problems.join(" "), /returns the prediction directly/);
    assert.match(direct.updated, /inputs_dc\.collect\(data\)/);
  });
});
