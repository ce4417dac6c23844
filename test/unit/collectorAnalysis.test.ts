// The shared analysis of a scoring file's collectors: each broken file in test/fixtures/scoring-broken is
// found broken in its own way (and only that), the corpus of working files stays clean, and every file
// whose problems have fixes runs init() and run() with the stand-in collector packages once fixed.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyseCollectors, correctedText, type FindingId } from "../../src/snippets/collectorAnalysis";

const FIXTURES = join(__dirname, "..", "..", "..", "test", "fixtures");
const BROKEN = join(FIXTURES, "scoring-broken");
const CORPUS = join(FIXTURES, "scoring");
const HARNESS = join(FIXTURES, "scoring-runtime", "harness.py");
const PYTHON = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import numpy, pandas"]).status === 0);
const work = mkdtempSync(join(tmpdir(), "modeldata-analysis-run-"));
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

const EXPECTED: Record<string, FindingId[]> = {
  "branch_only.py": ["collectorNotOnEveryPath", "collectorNotOnEveryPath"],
  "collect_in_except.py": ["collectInExcept", "collectInExcept"],
  "dict_to_collect.py": ["notDataFrame", "notDataFrame"],
  "five_feature_names.py": [],
  "healthy_credit.py": [],
  "init_branch.py": ["collectorNotOnEveryPath", "collectorNotOnEveryPath"],
  "name_mismatch.py": ["collectionNameMismatch"],
  "never_collected.py": ["notCollected"],
  "never_created.py": ["collectorUndefined"],
  "not_global.py": ["collectorNotGlobal", "collectorNotGlobal"],
  "raw_body.py": ["rawRequestCollected"],
};

function execute(file: string, text: string): { status: number | null; out: { calls: Array<{ op: string; name: string; ok?: boolean; rows?: number }>; error?: string } } {
  const path = join(work, file);
  writeFileSync(path, text);
  const result = spawnSync(PYTHON!, [HARNESS, path, JSON.stringify({ body: JSON.stringify({ data: [[1.5, 2.0], [3.0, 4.25]] }) })], { encoding: "utf8", timeout: 60_000 });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  assert.ok(line.startsWith("{"), `harness printed no result: ${result.stdout}${result.stderr}`);
  return { status: result.status, out: JSON.parse(line) };
}

describe("collector analysis", () => {
  it("finds each broken file's problem, and only it", () => {
    const files = readdirSync(BROKEN).filter((f) => f.endsWith(".py")).sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort(), "every broken fixture has its expectation");
    for (const file of files) {
      const found = analyseCollectors(read(BROKEN, file)).findings.map((f) => f.id);
      assert.deepEqual(found, EXPECTED[file], file);
    }
  });

  it("keeps the working corpus clean; only the half-done and the 2018-keyword files are flagged", () => {
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith(".py"))) {
      const found = analyseCollectors(read(CORPUS, file)).findings.map((f) => f.id);
      const expected = file === "half_instrumented.py" ? ["collectorUndefined", "collectorUndefined"] : file === "old_identifier_keyword.py" ? ["identifierKeyword", "identifierKeyword"] : [];
      assert.deepEqual(found, expected, file);
    }
  });

  it("points at the place: the identifier keyword itself, a collect call, the value handed over", () => {
    const text = read(CORPUS, "old_identifier_keyword.py");
    for (const f of analyseCollectors(text).findings) assert.equal(text.slice(f.from, f.to), "identifier");
    const dict = read(BROKEN, "dict_to_collect.py");
    assert.deepEqual(analyseCollectors(dict).findings.map((f) => dict.slice(f.from, f.to).slice(0, 14)), ["rows", '{"prediction":']);
    const raw = read(BROKEN, "raw_body.py");
    const [finding] = analyseCollectors(raw).findings;
    assert.equal(raw.slice(finding.from, finding.to), "raw_data");
    assert.match(finding.message, /raw request body before it is parsed/);
  });

  it("judges names and counts against the deployment and its stored data when they are known", () => {
    const mismatch = analyseCollectors(read(BROKEN, "name_mismatch.py"), { collectionsOn: ["model_inputs", "model_outputs"] }).findings;
    assert.deepEqual(mismatch.map((f) => [f.id, f.severity]), [["collectionNotCreated", "problem"], ["collectionNameMismatch", "problem"]]);
    assert.match(mismatch[1].message, /did you mean "model_inputs"/);
    const off = analyseCollectors(read(CORPUS, "complete_current_docs_style.py"), { collectionsOn: ["model_inputs"] }).findings;
    assert.deepEqual(off.map((f) => f.id), ["collectionNameMismatch"], "model_outputs is not collected by the deployment");
    const counts = analyseCollectors(read(BROKEN, "five_feature_names.py"), { storedColumns: { inputs: 10, predictions: 1 } }).findings;
    assert.deepEqual(counts.map((f) => f.id), ["featureNamesLength"]);
    assert.match(counts[0].message, /lists 5 name\(s\).*has 10 data column/);
    const never = analyseCollectors(read(BROKEN, "never_collected.py"), { collectionsOn: ["model_inputs", "model_outputs"] }).findings;
    assert.deepEqual(never.map((f) => [f.id, f.severity]), [["notCollected", "problem"]], "a collection that is on but never collected is a problem");
  });

  it("has no findings for a file that uses no collector SDK", () => {
    const analysis = analyseCollectors(read(CORPUS, "basic_sklearn.py"));
    assert.equal(analysis.sdk, undefined);
    assert.deepEqual(analysis.findings, []);
  });

  for (const [dir, file, collected] of [
    [BROKEN, "dict_to_collect.py", ["model_inputs", "model_outputs"]], [BROKEN, "never_created.py", ["model_inputs", "model_outputs"]],
    [BROKEN, "not_global.py", ["model_inputs", "model_outputs"]], [BROKEN, "name_mismatch.py", ["model_inputs", "model_outputs"]],
    [CORPUS, "old_identifier_keyword.py", ["inputs", "predictions"]],
  ] as const) {
    it(`${file}: broken as it is, runs and collects once its fixes are applied`, { skip: !PYTHON }, () => {
      const original = read(dir, file);
      const fixed = correctedText(original, analyseCollectors(original));
      assert.notEqual(fixed, original);
      assert.deepEqual(analyseCollectors(fixed).findings.filter((f) => f.severity === "problem"), [], "no problem is left");
      const before = execute(`before-${file}`, original);
      const beforeCollected = before.out.calls.filter((c) => c.op === "collect" && c.ok).map((c) => c.name).sort();
      assert.ok(before.status !== 0 || JSON.stringify(beforeCollected) !== JSON.stringify([...collected]), "the original does not collect everything");
      const after = execute(`after-${file}`, fixed);
      assert.equal(after.status, 0, `init()/run() raised:\n${after.out.error}`);
      const names = after.out.calls.filter((c) => c.op === "collect" && c.ok && (c.rows ?? 0) > 0).map((c) => c.name).sort();
      assert.deepEqual(names, [...collected]);
    });
  }

  it("collect_in_except.py: once fixed, a request that succeeds is collected", { skip: !PYTHON }, () => {
    const original = read(BROKEN, "collect_in_except.py");
    const before = execute("before-except.py", original);
    assert.deepEqual(before.out.calls.filter((c) => c.op === "collect"), [], "a request that succeeds collects nothing");
    const after = execute("after-except.py", correctedText(original, analyseCollectors(original)));
    assert.equal(after.status, 0, after.out.error);
    assert.deepEqual(after.out.calls.filter((c) => c.op === "collect").map((c) => c.name).sort(), ["inputs", "predictions"]);
  });
});
