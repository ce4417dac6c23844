// Build Training Set on DuckDB: the same join the engine's unit test pins (a batched record paired row by
// row, an input without an output, one without an id, an output repeating a key, one nobody asked for, one
// with an empty key), its counts, a left join, labels (first per key, unmatched, unused, without a key),
// text kept as stored for CSV, the inputs' order, and a legacy side without its id column named.
import { describe, it, before, after } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { SqlEngine } from "../../src/sql/sqlEngine";
import { csvViewSql, filesTableSql, jsonStructureSql, jsonViewSql, type WindowFile } from "../../src/core/sql/windowViews";
import { labelReadSql, trainingCountsSql, trainingSelectSql, trainingTablesSql, type TrainingSqlInput } from "../../src/core/sql/trainingSetSql";
import { describeJoin } from "../../src/core/azureml/trainingJoin";
import { parseCsvPrefix } from "../../src/core/table/csv";

const BUNDLE = join(__dirname, "..", "..");

describe("training set on DuckDB", () => {
  let root: string;
  let engine: SqlEngine;
  const record = (correlationid: string | null, data: object[]) => JSON.stringify({ time: "2026-01-01T08:00:00Z", correlationid, data });

  before(() => {
    root = mkdtempSync(join(tmpdir(), "sqltraining-"));
    engine = new SqlEngine({ bundleDir: BUNDLE, root, threads: 2, memoryLimit: "256MB" });
  });
  after(() => {
    engine.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** A session with model_inputs and model_outputs over these JSON lines (two input files: order across files). */
  async function currentSession(text: boolean): Promise<{ session: number; input: Omit<TrainingSqlInput, "how" | "labels"> }> {
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(root, name), lines.join("\n") + "\n");
      return join(root, name);
    };
    const inputs: WindowFile[] = [
      { path: write("in1.jsonl", [record("a", [{ x: 1 }, { x: 2 }, { x: 3 }]), '{"time":"2026-01-01T08:00:00Z","correlationid":"b","data":[{"x":4.0}]}' /* as pandas writes a float */]), format: "jsonl", source: "08/in.jsonl", date: "2026-01-01", hour: "08" },
      { path: write("in2.jsonl", [record("c", [{ x: 5 }]), record(null, [{ x: 6 }]), record("0a", [{ x: "0.1000" }])]), format: "jsonl", source: "09/in.jsonl", date: "2026-01-01", hour: "09" },
    ];
    const outputs: WindowFile[] = [{ path: write("out.jsonl", [
      record("a", [{ y: 10, x: null }, { y: 20, x: null }, { y: 30, x: null }]), record("b", [{ y: 40, x: 99 }]), record("b", [{ y: 41, x: null }]),
      record("z", [{ y: 90 }]), record("", [{ y: 91 }]), record("0a", [{ y: 7 }]),
    ]), format: "jsonl", source: "08/out.jsonl", date: "2026-01-01", hour: "08" }];
    const session = await engine.session();
    await engine.define(session, [filesTableSql([{ name: "model_inputs", files: inputs }, { name: "model_outputs", files: outputs }])]);
    const columns: Record<string, string[]> = {};
    for (const [view, files] of [["model_inputs", inputs], ["model_outputs", outputs]] as const) {
      const shapes = await engine.query(session, jsonStructureSql(files), { kind: "rows", limit: 100 });
      await engine.define(session, [jsonViewSql(view, files, shapes.rows.map((r) => String(r[0])), { text, ordinal: true })]);
      columns[view] = (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    }
    return { session, input: { layout: "current", inputsView: "model_inputs", outputsView: "model_outputs", inputColumns: columns.model_inputs, outputColumns: columns.model_outputs, inputPayload: false, outputPayload: false } };
  }

  async function build(session: number, input: TrainingSqlInput, format: "csv" | "parquet" = "csv") {
    await engine.define(session, trainingTablesSql(input));
    const counted = (await engine.query(session, trainingCountsSql(input), { kind: "rows", limit: 1 })).rows[0].map(Number);
    const { names, sql } = trainingSelectSql(input);
    const path = join(root, `set-${Math.random().toString(16).slice(2)}.${format}`);
    const answer = await engine.query(session, sql, { kind: "file", path, format });
    return { names, counted, path, rows: answer.rowCount };
  }

  it("pairs a batched record row by row in the inputs' order and counts what did not pair, as the engine does", async () => {
    const { session, input } = await currentSession(true);
    const built = await build(session, { ...input, how: "inner" });
    assert.deepEqual(built.names, ["time", "correlationid", "x", "correlation_key", "y", "output_x"]);
    const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
    assert.deepEqual(header, built.names);
    // As the engine's unit test: a_0…a_2 and b_0 pair; the first b output is used; text as stored (4.0 stays "4.0").
    assert.deepEqual(rows.map((r) => [r[3], r[2], r[4], r[5]]), [["a_0", "1", "10", ""], ["a_1", "2", "20", ""], ["a_2", "3", "30", ""], ["b_0", "4.0", "40", "99"], ["0a_0", "0.1000", "7", ""]]);
    const [joined, inputsWithoutOutput, outputsWithoutInput, inputsWithoutKey, outputsWithoutKey, duplicateOutputKeys] = built.counted;
    const counts = { joined, inputsWithoutOutput, outputsWithoutInput, inputsWithoutKey, outputsWithoutKey, duplicateOutputKeys };
    assert.deepEqual(counts, { joined: 5, inputsWithoutOutput: 1, outputsWithoutInput: 1, inputsWithoutKey: 1, outputsWithoutKey: 1, duplicateOutputKeys: 1 });
    assert.match(describeJoin(counts, "inner"), /^5 row\(s\) joined; 1 input\(s\) without an output \(left out\)/);
  });

  it("a left join keeps every input in order, outputs empty where none paired; Parquet typed", async () => {
    const { session, input } = await currentSession(false);
    const built = await build(session, { ...input, how: "left" }, "parquet");
    assert.equal(built.rows, 7);
    const answer = await engine.query(session, `SELECT correlation_key, y FROM read_parquet('${built.path}')`, { kind: "rows", limit: 100 });
    assert.deepEqual(answer.rows, [["a_0", 10], ["a_1", 20], ["a_2", 30], ["b_0", 40], ["c_0", null], [null, null], ["0a_0", 7]]);
    const types = await engine.query(session, `DESCRIBE SELECT * FROM read_parquet('${built.path}')`, { kind: "rows", limit: 100 });
    assert.equal(types.rows.find((r) => r[0] === "y")?.[1], "BIGINT");
  });

  it("joins labels first-per-key from a CSV, counting matched, unmatched, repeated, keyless and unused", async () => {
    const { session, input } = await currentSession(true);
    const labels = join(root, "labels.csv");
    writeFileSync(labels, "request_key,label\na_0,fraud\na_1,ok\na_0,duplicate\n,ok\nnever_0,ok\n0a_0,007\n");
    const built = await build(session, { ...input, how: "inner", labels: { read: labelReadSql(labels, "csv"), columns: ["request_key", "label"], labelKey: "request_key", joinOn: "correlation_key" } });
    const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
    assert.deepEqual(rows.map((r) => [r[header.indexOf("correlation_key")], r[header.indexOf("label")]]), [["a_0", "fraud"], ["a_1", "ok"], ["0a_0", "007"]]);
    assert.deepEqual(built.counted.slice(6), [3, 2, 1, 1, 1]);
  });

  it("legacy CSV: keyed by $aml_dc_correlation_id, cells as written, the first prediction of a key used", async () => {
    const session = await engine.session();
    const inputs: WindowFile = { path: join(root, "in.csv"), format: "csv", source: "2031/1/1/data.csv", date: "2031-01-01", columns: ["age", "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp"], hasHeader: true };
    const outputs: WindowFile = { path: join(root, "pred.csv"), format: "csv", source: "2031/1/1/data.csv", date: "2031-01-01", columns: ["score", "$aml_dc_correlation_id"], hasHeader: true };
    writeFileSync(inputs.path, "age,$aml_dc_correlation_id,$aml_dc_scoring_timestamp\r\n20,id-0,2031-01-01T00:00:00.000000\r\n21,id-1,2031-01-01T00:00:00.000000\r\n");
    writeFileSync(outputs.path, "score,$aml_dc_correlation_id\r\n0.1000,id-1\r\n0.9999,id-1\r\n0.5,\r\n");
    await engine.define(session, [filesTableSql([{ name: "inputs", files: [inputs] }, { name: "predictions", files: [outputs] }]),
      csvViewSql("inputs", [inputs], { text: true, ordinal: true }), csvViewSql("predictions", [outputs], { text: true, ordinal: true })]);
    const columns = async (view: string) => (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    const built = await build(session, { layout: "legacy", how: "inner", inputsView: "inputs", outputsView: "predictions", inputColumns: await columns("inputs"), outputColumns: await columns("predictions"), inputPayload: false, outputPayload: false });
    const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
    assert.deepEqual(header, ["age", "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp", "score"]);
    assert.deepEqual(rows, [["21", "id-1", "2031-01-01T00:00:00.000000", "0.1000"]]);
    assert.deepEqual(built.counted, [1, 1, 0, 0, 1, 1]);
  });
});
