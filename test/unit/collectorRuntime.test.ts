// Instrumented scoring files must run on a deployment: each result of the corpus is imported by Python with
// stand-in collector packages that keep the released signatures (test/fixtures/scoring-runtime/stubs), then
// init() and run() are called with a sample request, and what each collector received is checked.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyInsertions, planCollector } from "../../src/snippets/collectorPlan";
import type { CollectorSdk } from "../../src/snippets/sdkFlavours";

const FIXTURES = join(__dirname, "..", "..", "..", "test", "fixtures");
const CORPUS = join(FIXTURES, "scoring");
const HARNESS = join(FIXTURES, "scoring-runtime", "harness.py");
const work = mkdtempSync(join(tmpdir(), "modeldata-scoring-run-"));

// Debian's python3 carries numpy and pandas (test/host/ensure-system-deps.sh installs them).
const PYTHON = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import numpy, pandas"]).status === 0);

const ROWS = JSON.stringify({ data: [[1.5, 2.0], [3.0, 4.25]] });
const REQUESTS: Record<string, { body: string } | { raw: { method: string; body: string } }> = {
  "async_run.py": { body: JSON.stringify({ rows: [[1, 2], [3, 4]] }) },
  "no_model_call.py": { body: JSON.stringify({ rows: [[1, 2], [3, 4]] }) },
  "comprehension_predict.py": { body: JSON.stringify({ batches: [[[1, 2]], [[3, 4], [5, 6]]] }) },
  "decorated_schema.py": { body: JSON.stringify({ data: [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]] }) },
  "rawhttp_request.py": { raw: { method: "POST", body: ROWS } },
  "rawhttp_passthrough.py": { raw: { method: "POST", body: ROWS } },
  "image_upload.py": { raw: { method: "POST", body: "", files: { image: "\u0089PNG fake image bytes" } } as never },
};

/** Files that do not get a collector of a role, and why the plan must say so. */
const NO_COLLECT: Record<string, { inputs?: RegExp; outputs?: RegExp }> = {
  "rawhttp_passthrough.py": { inputs: /raw HTTP request/, outputs: /no outputs collector/ },
  "image_upload.py": { inputs: /a file or image decoded from the request \(pixels\), not a table/ },
};

/** Collects the legacy collector drops (it writes lists, arrays and DataFrames), without failing the request. */
const DROPPED_BY_LEGACY: Record<string, "outputs"> = { "image_upload.py": "outputs" };

interface Call { sdk: CollectorSdk; op: "create" | "collect"; name: string; type?: string; ok?: boolean; rows?: number; context?: boolean }

function execute(file: string, text: string): { status: number | null; out: { calls: Call[]; error?: string } } {
  const path = join(work, file);
  writeFileSync(path, text);
  const spec = JSON.stringify(REQUESTS[file.replace(/^(legacy|current)-/, "")] ?? { body: ROWS });
  const result = spawnSync(PYTHON!, [HARNESS, path, spec], { encoding: "utf8", timeout: 60_000 });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  assert.ok(line.startsWith("{"), `harness printed no result: ${result.stdout}${result.stderr}`);
  return { status: result.status, out: JSON.parse(line) };
}

const ROLE_NAMES: Record<CollectorSdk, Record<"inputs" | "outputs", string>> = {
  legacy: { inputs: "inputs", outputs: "predictions" },
  current: { inputs: "model_inputs", outputs: "model_outputs" },
};

describe("instrumented scoring files run init() and run() with the real collector signatures", () => {
  it("has a Python with numpy and pandas", () => assert.ok(PYTHON, "install Debian's python3-numpy and python3-pandas (test/host/ensure-system-deps.sh)"));
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".py") && f !== "no_run.py").sort();
  for (const sdk of ["legacy", "current"] as const) {
    for (const file of files) {
      if (file === "old_identifier_keyword.py") continue;
      // Its own legacy instrumentation is half done on purpose (NameError until the legacy SDK completes it).
      if (sdk === "current" && file === "half_instrumented.py") continue;
      it(`${sdk}: ${file}`, { skip: !PYTHON }, () => {
        const original = readFileSync(join(CORPUS, file), "utf8");
        // Feature names as a service node pre-fills them: its data's columns, as wide as the rows it is sent.
        const featureNames = file === "decorated_schema.py" ? Array.from({ length: 10 }, (_, i) => `f${i + 1}`) : ["a", "b"];
        const plan = planCollector(original, { sdk, modelName: "churn_model", featureNames, allowMixedSdks: true });
        const { status, out } = execute(`${sdk}-${file}`, applyInsertions(original, plan.insertions));
        assert.equal(status, 0, `init()/run() raised:\n${out.error}`);
        const mine = out.calls.filter((c) => c.sdk === sdk);
        for (const role of ["inputs", "outputs"] as const) {
          const name = ROLE_NAMES[sdk][role];
          const created = mine.filter((c) => c.op === "create" && c.name === name);
          const collected = mine.filter((c) => c.op === "collect" && c.name === name);
          const expectNone = NO_COLLECT[file]?.[role];
          if (expectNone) {
            assert.equal(collected.length, 0, `${role} collected although nothing collectable exists`);
            assert.equal(created.length, 0, `${role} collector created but never used`);
            assert.match(plan.problems.join(" "), expectNone);
            continue;
          }
          assert.equal(created.length, 1, `one ${role} collector created: ${JSON.stringify(mine)}`);
          assert.equal(collected.length, 1, `${role} collected once per request: ${JSON.stringify(mine)}\n${plan.problems.join(" ")}`);
          if (sdk === "legacy" && DROPPED_BY_LEGACY[file] === role) {
            assert.equal(collected[0].type, "dict", "a record returned as a dict reaches the legacy collector, which drops it");
            continue;
          }
          assert.ok(collected[0].ok && (collected[0].rows ?? 0) > 0, `${role} collect got data, not ${collected[0].type}`);
        }
        if (sdk === "current" && !NO_COLLECT[file]) {
          const outputs = mine.find((c) => c.op === "collect" && c.name === "model_outputs");
          assert.equal(outputs?.context, true, "the outputs collect carries the inputs' correlation context");
        }
      });
    }
  }

  it("a file made with the 2018 `identifier=` keyword fails on the released package; Add data collection renames it and the file runs", { skip: !PYTHON }, () => {
    const original = readFileSync(join(CORPUS, "old_identifier_keyword.py"), "utf8");
    const broken = execute("legacy-old_identifier_keyword.py", original);
    assert.notEqual(broken.status, 0);
    assert.match(broken.out.error ?? "", /TypeError: .*unexpected keyword argument 'identifier'/);
    const plan = planCollector(original, { sdk: "legacy" });
    const fixed = execute("legacy-fixed_identifier_keyword.py", applyInsertions(original, plan.insertions));
    assert.equal(fixed.status, 0, fixed.out.error);
    assert.deepEqual(fixed.out.calls.filter((c) => c.op === "collect" && c.ok).map((c) => c.name), ["inputs", "predictions"]);
  });

  it("inserted collection never fails a request: a prediction that cannot be a table is dropped by the collector's on_error", { skip: !PYTHON }, () => {
    const original = 'import json\n\n\ndef label_of(rows):\n    return "churn" if sum(rows[0]) > 3 else "stay"\n\n\ndef run(raw_data):\n    rows = json.loads(raw_data)["data"]\n    label = label_of(rows)\n    return label\n';
    const plan = planCollector(original, { sdk: "current" });
    const { status, out } = execute("current-scalar-prediction.py", applyInsertions(original, plan.insertions));
    assert.equal(status, 0, `the request failed:\n${out.error}`);
    const outputs = out.calls.filter((c) => c.op === "collect" && c.name === "model_outputs");
    assert.deepEqual(outputs.map((c) => [c.type, c.ok]), [["str", false]], "the label reached the collector, which dropped it without raising");
    assert.ok(out.calls.some((c) => c.op === "collect" && c.name === "model_inputs" && c.ok), "the inputs are still collected");
  });

  it("the stand-in current collector refuses what the released one cannot log", { skip: !PYTHON }, () => {
    const file = join(work, "raw-collect.py");
    writeFileSync(file, 'from azureml.ai.monitoring import Collector\n\ndef init():\n    global c\n    c = Collector(name="model_inputs")\n\ndef run(data):\n    c.collect(data)\n');
    assert.ok(existsSync(file));
    const { status, out } = execute("raw-collect.py", readFileSync(file, "utf8"));
    assert.notEqual(status, 0);
    assert.match(out.error ?? "", /TypeError: Collector\.collect takes a pandas DataFrame, got str/);
  });
});
