// Inserting collector code into a corpus of scoring files: each still compiles, a second run changes
// nothing, and every original line is still there, in order.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyInsertions, planCollector, type CollectorOptions, type CollectorPlan } from "../../src/snippets/collectorPlan";
import { descendants, inErrorPath, readPython, textOf } from "../../src/snippets/pythonSource";

const CORPUS = join(__dirname, "..", "..", "..", "test", "fixtures", "scoring");
const files = readdirSync(CORPUS).filter((f) => f.endsWith(".py") && f !== "no_run.py").sort();
const work = mkdtempSync(join(tmpdir(), "modeldata-scoring-"));

function compile(name: string, text: string): void {
  const path = join(work, name);
  writeFileSync(path, text);
  execFileSync("python3", ["-m", "py_compile", path], { stdio: "pipe" });
}

/**
 * Every original line, in order. Lines allowed to change: a `global` statement the collectors join, and the
 * line whose inline model call was taken out into a variable (the plan's one replacement).
 */
function assertLinesKept(original: string, updated: string, plan: CollectorPlan): void {
  const after = updated.split(/\r?\n/);
  const replaced = plan.insertions.filter((i) => i.replace).map((i) => ({ from: original.slice(i.offset, i.offset + (i.replace ?? 0)), to: i.text }));
  const same = (kept: string, line: string) => kept === line || (/^\s*global\s/.test(line) && kept.startsWith(`${line}, `)) || replaced.some((r) => line.includes(r.from) && kept === line.replace(r.from, r.to));
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

/** Files already complete for an SDK, files with nothing collectable, and files using the other SDK (asked first). */
const COMPLETE = {
  legacy: ["already_legacy.py", "complete_two_globals.py", "positional_designation.py", "legacy_second_global.py"],
  current: ["complete_current_docs_style.py"],
};
/** Complete but for the 2018 keyword, which the legacy plan renames (see below). */
const OLD_KEYWORD = "old_identifier_keyword.py";
const NOTHING_COLLECTABLE = ["rawhttp_passthrough.py"];
const USES_OTHER_SDK = {
  legacy: ["older_import.py", "partial_current.py", ...COMPLETE.current],
  current: [...COMPLETE.legacy, OLD_KEYWORD, "half_instrumented.py"],
};

describe("collector insertion over the scoring corpus", () => {
  assert.ok(files.length >= 30, `${files.length} files in the corpus`);
  for (const sdk of ["legacy", "current"] as const) {
    for (const file of files) {
      for (const allowMixedSdks of [false, true]) {
        it(`${sdk}${allowMixedSdks ? " (mixing allowed)" : ""}: ${file} compiles, keeps every line, and a second run adds nothing`, () => {
          const options = { sdk, modelName: "churn_model", featureNames: ["tenure", "charges"], allowMixedSdks };
          const { original, updated, plan } = insert(file, options);
          compile(`${sdk}-${allowMixedSdks}-${file}`, updated);
          assertLinesKept(original, updated, plan);
          assert.deepEqual(planCollector(updated, options).insertions, [], "second run must change nothing");
          const unchanged = COMPLETE[sdk].includes(file) || NOTHING_COLLECTABLE.includes(file) || (!allowMixedSdks && USES_OTHER_SDK[sdk].includes(file));
          if (unchanged) assert.equal(updated, original, "the file comes back unchanged");
          else assert.ok(plan.insertions.length > 0, "something was added");
          assert.equal(plan.mixedWith !== undefined, !allowMixedSdks && USES_OTHER_SDK[sdk].includes(file), "mixing SDKs is refused only when the file uses the other one");
        });
      }
    }
  }
});

describe("collector insertion details", () => {
  it("writes the legacy collector with the released signature (designation=), after the last import", () => {
    const { updated } = insert("basic_sklearn.py", { sdk: "legacy", modelName: "best_model", featureNames: ["feat1", "feat2"] });
    assert.match(updated, /^import json\nimport os\n\nimport joblib\nimport numpy as np\nfrom azureml\.monitoring import ModelDataCollector\n/);
    assert.match(updated, / {4}global model, inputs_dc, prediction_dc\n/);
    assert.match(updated, / {4}inputs_dc = ModelDataCollector\("best_model", designation="inputs", feature_names=\["feat1", "feat2"\]\)\n {4}prediction_dc = ModelDataCollector\("best_model", designation="predictions"\)\n/);
    assert.match(updated, / {4}inputs_dc\.collect\(data\)\n {4}result = model\.predict\(data\)\n {4}prediction_dc\.collect\(result\)\n {4}return result\.tolist\(\)/);
    assert.doesNotMatch(updated, /identifier=/);
  });

  it("writes the current collector with DataFrames, context and the pandas import", () => {
    const { updated } = insert("basic_sklearn.py", { sdk: "current" });
    assert.match(updated, /from azureml\.ai\.monitoring import Collector\nimport pandas as pd\n/);
    // Made with an on_error that logs: the released package's default re-raises, failing init() or the request.
    assert.match(updated, /inputs_collector = Collector\(name="model_inputs", on_error=lambda error: print\("model data collection: %s" % error\)\)\n {4}outputs_collector = Collector\(name="model_outputs", on_error=lambda error: [^\n]+\)\n/);
    assert.match(updated, /\n\n\ndef to_data_frame\(value, columns=None\):\n/);
    assert.match(updated, /context = inputs_collector\.collect\(to_data_frame\(data\)\)\n {4}result = model\.predict\(data\)\n {4}outputs_collector\.collect\(to_data_frame\(result\), context\)\n {4}return/);
  });

  it("does not wrap values that already are DataFrames, nor import pandas twice", () => {
    const { updated } = insert("dataframe_input.py", { sdk: "current" });
    assert.match(updated, /context = inputs_collector\.collect\(input_df\)/);
    assert.equal((updated.match(/import pandas/g) ?? []).length, 1);
  });

  it("puts the import after the last top-level import, never above the docstring or __future__", () => {
    const { updated } = insert("docstring_future.py", { sdk: "legacy" });
    assert.match(updated, /from __future__ import annotations\n\nimport json\nimport os\n\nimport joblib\nimport numpy as np\nfrom azureml\.monitoring import ModelDataCollector\n/);
    assert.match(updated, /"""Score a batch of customers\."""\n {4}features = np\.array/);
    const noImports = insert("no_model_call.py", { sdk: "legacy" }).updated;
    assert.match(noImports, /^import json\nfrom azureml\.monitoring import ModelDataCollector\n/);
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
    assert.match(insert("no_init.py", { sdk: "legacy" }).updated, /def init\(\):\n {4}global inputs_dc, prediction_dc\n {4}inputs_dc = ModelDataCollector\("model", designation="inputs"\)\n {4}prediction_dc = [^\n]+\n\n\ndef run\(raw_data\):/);
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

  it("explains what it cannot do: no run()", () => {
    const noRun = insert("no_run.py", { sdk: "legacy" });
    assert.deepEqual(noRun.plan.insertions, []);
    assert.match(noRun.plan.problems[0], /No top-level run\(\) function/);
  });
});

describe("collector insertion on patterns from real scoring files", () => {
  it("a model that is a plain function or another object's method still has its returned prediction collected", () => {
    const fn = insert("function_model.py", { sdk: "current" });
    assert.match(fn.updated, /\n {4}rows = json\.loads\(raw_data\)\["data"\]\n {4}context = inputs_collector\.collect\(to_data_frame\(rows\)\)\n {4}prediction = score_rows\(rows\)\n {4}outputs_collector\.collect\(to_data_frame\(prediction\), context\)\n {4}return prediction\n/);
    const bridge = insert("bridge_method.py", { sdk: "legacy" });
    assert.match(bridge.updated, /inputs_dc\.collect\(frame\)\n {4}scores = bridge\.call\("predict_churn", frame\)\n {4}prediction_dc\.collect\(scores\)\n {4}return \{"scores": scores/);
  });

  it("skips inputs that are files or images, saying why, and still collects the prediction", () => {
    for (const sdk of ["legacy", "current"] as const) {
      const { plan, updated } = insert("image_upload.py", { sdk });
      assert.match(plan.problems.join(" "), /file or image decoded from the request \(pixels\), not a table: its inputs are not collected/);
      assert.doesNotMatch(updated, /inputs_\w+ = /, "no inputs collector is made");
      assert.match(updated, /result = classify\(pixels\)\n {4}(prediction_dc|outputs_collector)\.collect\((to_data_frame\()?result\)?\)\n {4}return AMLResponse\(json\.dumps\(result\), 200\)/);
    }
  });

  const run = (updated: string) => updated.slice(updated.indexOf("def run"));

  it("recognises identifier=, designation= and the positional designation as existing collectors", () => {
    for (const file of ["already_legacy.py", "old_identifier_keyword.py", "positional_designation.py"]) {
      const { plan } = insert(file, { sdk: "legacy" });
      if (file !== "old_identifier_keyword.py") assert.deepEqual(plan.insertions, [], file);
      assert.ok(plan.present.some((p) => /inputs collector/.test(p)) && plan.present.some((p) => /outputs collector/.test(p)), `${file}: ${plan.present.join("; ")}`);
    }
    // The 2018 keyword cannot run: it is renamed in the same edit (and only it), and the plan says so.
    const { plan, updated } = insert("old_identifier_keyword.py", { sdk: "legacy" });
    const original = readFileSync(join(CORPUS, "old_identifier_keyword.py"), "utf8");
    assert.equal(updated, original.replace(/identifier="/g, 'designation="'));
    assert.match(plan.added.join(" "), /designation= for identifier= \(2×\).*raises TypeError/);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(insert("already_legacy.py", { sdk: "legacy" }).plan.problems, []);
  });

  it("collects the parsed value the model is given, after it exists, never the raw request text", () => {
    for (const sdk of ["legacy", "current"] as const) {
      const inline = run(insert("parse_inline.py", { sdk }).updated);
      assert.match(inline, /collect\((to_data_frame\()?np\.array\(json\.loads\(data\)\["data"\]\)\)?\)\n {4}result = model\.predict/);
      assert.doesNotMatch(inline, /collect\((to_data_frame\()?data\)/);
      const onnx = run(insert("onnx_session.py", { sdk }).updated);
      assert.match(onnx, /data = np\.array\(json\.loads\(raw_data\)\["data"\], dtype=np\.float32\)\n {4}(context = )?inputs_\w+\.collect\((to_data_frame\()?data\)?\)\n/);
      assert.doesNotMatch(onnx, /collect\((to_data_frame\()?None/);
    }
  });

  it("never wraps or collects @rawhttp request and response objects", () => {
    for (const sdk of ["legacy", "current"] as const) {
      const { updated } = insert("rawhttp_request.py", { sdk });
      assert.match(run(updated), /collect\((to_data_frame\()?payload\["data"\]\)?\)/);
      assert.doesNotMatch(updated, /collect\((to_data_frame\()?(request|response)\b/);
      const passthrough = insert("rawhttp_passthrough.py", { sdk });
      assert.deepEqual(passthrough.plan.insertions, []);
      assert.match(passthrough.plan.problems.join(" "), /@rawhttp.*never the request object/);
      assert.match(passthrough.plan.problems.join(" "), /no outputs collector was added/);
    }
  });

  it("never collects in an except or finally block", () => {
    for (const sdk of ["legacy", "current"] as const) {
      for (const file of ["except_return.py", "try_except.py", "decorated_schema.py", "several_returns.py"]) {
        const { updated } = insert(file, { sdk });
        const source = readPython(updated);
        const collects = descendants(source.run!.body, "CallExpression").filter((c) => /\.collect$/.test(textOf(source, c.firstChild!)));
        assert.ok(collects.length >= 2, `${sdk} ${file}: ${collects.length} collect calls`);
        for (const call of collects) assert.equal(inErrorPath(call, source.run!.body), false, `${sdk} ${file}: ${textOf(source, call)} sits in an error handler`);
      }
      assert.match(insert("except_return.py", { sdk }).updated, /print\("scored"\)\n {4}(prediction_dc|outputs_collector)\.collect\([^\n]+\n {4}return result\.tolist\(\)/);
    }
  });

  it("completes half-done instrumentation under the names run() already uses", () => {
    const { updated, plan } = insert("half_instrumented.py", { sdk: "legacy" });
    assert.match(updated, /global model, inputs_dc, prediction_dc\n/);
    assert.match(updated, / {4}inputs_dc = ModelDataCollector\("model", designation="inputs"\)\n {4}prediction_dc = ModelDataCollector\("model", designation="predictions"\)\n/);
    assert.doesNotMatch(updated, /_dc_1/);
    assert.equal((updated.match(/\.collect\(/g) ?? []).length, 2, "no second collect calls");
    assert.ok(plan.present.includes("the collector import"));
  });

  it("does not count commented-out code or strings as instrumentation", () => {
    const { updated, plan } = insert("commented_out.py", { sdk: "legacy" });
    assert.match(updated, /\n {4}inputs_dc = ModelDataCollector\(/);
    assert.match(run(updated), /\n {4}inputs_dc\.collect\(data\)\n {4}result = model\.predict/);
    assert.match(updated, /\nfrom azureml\.monitoring import ModelDataCollector\n/);
    assert.equal(plan.present.length, 0, plan.present.join("; "));
  });

  it("reuses the older azure.ai.mlmonitoring import instead of adding a second one", () => {
    const { updated, plan } = insert("older_import.py", { sdk: "current" });
    assert.doesNotMatch(updated, /azureml\.ai\.monitoring/);
    assert.match(updated, /outputs_collector = Collector\(name="model_outputs", on_error=/);
    assert.match(updated, /outputs_collector\.collect\(to_data_frame\(output\), context\)\n {4}return output\.tolist\(\)/);
    assert.ok(plan.present.includes("the collector import"));
  });

  it("leaves a complete file unchanged, globals spread over two statements included", () => {
    const { updated, original, plan } = insert("complete_two_globals.py", { sdk: "legacy" });
    assert.equal(updated, original);
    assert.ok(plan.present.includes("the global statement"));
  });

  it("takes an inline prediction onto its own line (the one line that changes) and collects it", () => {
    for (const sdk of ["legacy", "current"] as const) {
      const { updated, plan } = insert("inline_json_return.py", { sdk });
      assert.match(updated, /\n {4}prediction = model\.predict\(data\)\n {4}(prediction_dc|outputs_collector)\.collect\((to_data_frame\()?prediction\)?(, context)?\)\n {4}return json\.dumps\(\{"result": prediction\.tolist\(\)\}\)\n/);
      assert.equal(plan.insertions.filter((i) => i.replace).length, 1);
      const direct = insert("direct_return.py", { sdk }).updated;
      assert.match(direct, /\n {4}prediction = model\.predict\(data\)\n[^\n]+collect\([^\n]+\n {4}return prediction\.tolist\(\)\n/);
    }
  });

  it("with no model call, collects the parsed input and the value run() returns", () => {
    const { updated } = insert("no_model_call.py", { sdk: "current" });
    assert.match(updated, /rows = json\.loads\(raw_data\)\["rows"\]\n {4}context = inputs_collector\.collect\(to_data_frame\(rows\)\)\n {4}totals = score\(rows\)\n {4}outputs_collector\.collect\(to_data_frame\(totals\), context\)\n {4}return totals/);
  });

  it("a model call inside a comprehension: the comprehension's result is the prediction, its loop variable is never collected", () => {
    const { updated } = insert("comprehension_predict.py", { sdk: "legacy" });
    assert.match(updated, /inputs_dc\.collect\(batches\)\n {4}scores = \[/);
    assert.match(updated, /prediction_dc\.collect\(scores\)\n {4}return scores/);
    assert.doesNotMatch(updated, /collect\(batch\)/);
  });

  it("for a current deployment, the inputs DataFrame keeps the service's column names", () => {
    const { updated } = insert("parse_inline.py", { sdk: "current", featureNames: ["tenure", "charges"] });
    assert.match(updated, /context = inputs_collector\.collect\(to_data_frame\(np\.array\(json\.loads\(data\)\["data"\]\), columns=\["tenure", "charges"\]\)\)/);
    assert.match(insert("dataframe_input.py", { sdk: "current", featureNames: ["tenure"] }).updated, /inputs_collector\.collect\(input_df\)/, "a DataFrame is collected as it is");
  });

  it("an awaited prediction is collected once awaited, never as a coroutine", () => {
    const { updated } = insert("await_predict.py", { sdk: "legacy" });
    assert.match(updated, /scores = await model\.predict\(rows\)\n {4}prediction_dc\.collect\(scores\)\n {4}return scores\.tolist\(\)/);
  });

  it("creates the collectors right after init()'s global statement, so a return in init() cannot skip them", () => {
    const { updated } = insert("init_early_return.py", { sdk: "legacy" });
    assert.match(updated, /global model, inputs_dc, prediction_dc\n {4}inputs_dc = ModelDataCollector\([^\n]+\n {4}prediction_dc = ModelDataCollector\([^\n]+\n {4}model = joblib\.load/);
  });

  it("a model called in one branch of several: the input is collected once, above the branches", () => {
    for (const sdk of ["legacy", "current"] as const) {
      const { updated } = insert("automl_style.py", { sdk });
      assert.match(updated, /rows = data\n {4}(context = )?inputs_\w+\.collect\((to_data_frame\()?rows\)?\)\n {4}if method == "predict_proba":/);
      assert.equal((updated.match(/inputs_\w+\.collect\(/g) ?? []).length, 1);
    }
  });

  it("refuses to mix SDKs unless asked, and says which one the file uses", () => {
    const legacyFile = insert("already_legacy.py", { sdk: "current" });
    assert.equal(legacyFile.plan.mixedWith, "legacy");
    assert.deepEqual(legacyFile.plan.insertions, []);
    assert.match(legacyFile.plan.problems[0], /already uses azureml-monitoring/);
    const currentFile = insert("partial_current.py", { sdk: "legacy" });
    assert.equal(currentFile.plan.mixedWith, "current");
    const mixed = insert("already_legacy.py", { sdk: "current", allowMixedSdks: true });
    assert.match(mixed.updated, /inputs_collector = Collector\(name="model_inputs", on_error=/);
    assert.match(mixed.updated, /inputs_dc\.collect\(data\)/);
  });
});
