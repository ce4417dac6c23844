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
import { labelReadSql, trainingChunks, type TrainingChunk, type TrainingSqlInput } from "../../src/core/sql/trainingSetSql";
import { buildTrainingSet } from "../../src/core/sql/trainingSetBuild";
import { describeJoin } from "../../src/core/azureml/trainingJoin";
import { parseCsvPrefix } from "../../src/core/table/csv";
import { Worker } from "node:worker_threads";
import { runTrainingSet } from "../../src/engine/trainingSetClient";
import { localPreviewFile } from "../../src/reading/localFile";

const BUNDLE = join(__dirname, "..", "..");
const WORKER = join(BUNDLE, "previewWorker.js");

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
  async function currentSession(text: boolean): Promise<{ session: number; input: Omit<TrainingSqlInput, "how" | "labels">; files: { inputs: WindowFile[]; outputs: WindowFile[] } }> {
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(root, name), lines.join("\n") + "\n");
      return join(root, name);
    };
    const inputs: WindowFile[] = [
      { bytes: 1, path: write("in1.jsonl", [record("a", [{ x: 1 }, { x: 2 }, { x: 3 }]), '{"time":"2026-01-01T08:00:00Z","correlationid":"b","data":[{"x":4.0}]}' /* as pandas writes a float */]), format: "jsonl", source: "08/in.jsonl", date: "2026-01-01", hour: "08" },
      { bytes: 1, path: write("in2.jsonl", [record("c", [{ x: 5 }]), record(null, [{ x: 6 }]), record("0a", [{ x: "0.1000" }])]), format: "jsonl", source: "09/in.jsonl", date: "2026-01-01", hour: "09" },
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
      await engine.define(session, [jsonViewSql(view, files, shapes.rows.map((r) => String(r[0])), { text, ordered: true })]);
      columns[view] = (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    }
    return { session, input: { layout: "current", inputsView: "model_inputs", outputsView: "model_outputs", inputColumns: columns.model_inputs, outputColumns: columns.model_outputs }, files: { inputs, outputs } };
  }

  const fresh = (format: string) => join(root, `set-${Math.random().toString(16).slice(2)}.${format}`);

  /** The set built chunk by chunk; `counted` in the order the summary reports them (labels' last). */
  async function build(session: number, input: TrainingSqlInput, chunks: TrainingChunk[], format: "csv" | "parquet" = "csv") {
    const path = fresh(format);
    const built = await buildTrainingSet({
      define: (statements) => engine.define(session, statements),
      rows: async (sql) => (await engine.query(session, sql, { kind: "rows", limit: 1 })).rows,
      write: async (sql, to, as) => (await engine.query(session, sql, { kind: "file", path: to, format: as })).rowCount,
    }, input, chunks, { path, format }, async () => fresh("parquet"));
    const c = built.counts;
    const l = built.labels;
    const counted = [c.joined, c.inputsWithoutOutput, c.outputsWithoutInput, c.inputsWithoutKey, c.outputsWithoutKey, c.duplicateOutputKeys, ...(l ? [l.matched, l.unmatched, l.duplicateKeys, l.labelsWithoutKey, l.unusedLabels] : [])];
    return { names: built.names, counted, path, rows: built.rows };
  }

  /** Every hour a chunk of its own (the smallest chunks: pairs across every edge), and the whole window as one. */
  const hourly = (files: { inputs: WindowFile[]; outputs: WindowFile[] }) => trainingChunks(files.inputs, files.outputs, 1);
  const whole = (files: { inputs: WindowFile[]; outputs: WindowFile[] }) => trainingChunks(files.inputs, files.outputs, Number.MAX_SAFE_INTEGER);

  it("pairs a batched record row by row in the inputs' order and counts what did not pair, as the engine does", async () => {
    const { session, input, files } = await currentSession(true);
    assert.equal(hourly(files).length, 2, "hour 09's inputs pair with hour 08's outputs across the edge");
    for (const chunks of [hourly(files), whole(files)]) {
      const built = await build(session, { ...input, how: "inner" }, chunks);
      assert.deepEqual(built.names, ["time", "correlationid", "x", "correlation_key", "y", "output_x"]);
      const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
      assert.deepEqual(header, built.names);
      // As the engine's unit test: a_0…a_2 and b_0 pair; the first b output is used; text as stored (4.0 stays "4.0").
      assert.deepEqual(rows.map((r) => [r[3], r[2], r[4], r[5]]), [["a_0", "1", "10", ""], ["a_1", "2", "20", ""], ["a_2", "3", "30", ""], ["b_0", "4.0", "40", "99"], ["0a_0", "0.1000", "7", ""]]);
      const [joined, inputsWithoutOutput, outputsWithoutInput, inputsWithoutKey, outputsWithoutKey, duplicateOutputKeys] = built.counted;
      const counts = { joined, inputsWithoutOutput, outputsWithoutInput, inputsWithoutKey, outputsWithoutKey, duplicateOutputKeys };
      assert.deepEqual(counts, { joined: 5, inputsWithoutOutput: 1, outputsWithoutInput: 1, inputsWithoutKey: 1, outputsWithoutKey: 1, duplicateOutputKeys: 1 });
      assert.match(describeJoin(counts, "inner"), /^5 row\(s\) joined; 1 input\(s\) without an output \(left out\)/);
    }
  });

  it("a left join keeps every input in order, outputs empty where none paired; Parquet typed", async () => {
    const { session, input, files } = await currentSession(false);
    for (const chunks of [hourly(files), whole(files)]) {
      const built = await build(session, { ...input, how: "left" }, chunks, "parquet");
      assert.equal(built.rows, 7);
      const answer = await engine.query(session, `SELECT correlation_key, y FROM read_parquet('${built.path}')`, { kind: "rows", limit: 100 });
      assert.deepEqual(answer.rows, [["a_0", 10], ["a_1", 20], ["a_2", 30], ["b_0", 40], ["c_0", null], [null, null], ["0a_0", 7]]);
      const types = await engine.query(session, `DESCRIBE SELECT * FROM read_parquet('${built.path}')`, { kind: "rows", limit: 100 });
      assert.equal(types.rows.find((r) => r[0] === "y")?.[1], "BIGINT");
    }
  });

  it("joins labels first-per-key from a CSV, counting matched, unmatched, repeated, keyless and unused", async () => {
    const { session, input, files } = await currentSession(true);
    const labels = join(root, "labels.csv");
    writeFileSync(labels, "request_key,label\na_0,fraud\na_1,ok\na_0,duplicate\n,ok\nnever_0,ok\n0a_0,007\n");
    for (const chunks of [hourly(files), whole(files)]) {
      const built = await build(session, { ...input, how: "inner", labels: { read: labelReadSql(labels, "csv"), columns: ["request_key", "label"], labelKey: "request_key", joinOn: "correlation_key" } }, chunks);
      const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
      assert.deepEqual(rows.map((r) => [r[header.indexOf("correlation_key")], r[header.indexOf("label")]]), [["a_0", "fraud"], ["a_1", "ok"], ["0a_0", "007"]]);
      assert.deepEqual(built.counted.slice(6), [3, 2, 1, 1, 1]);
    }
  });

  it("legacy CSV: keyed by $aml_dc_correlation_id, cells as written, the first prediction of a key used", async () => {
    const session = await engine.session();
    const inputs: WindowFile = { path: join(root, "in.csv"), format: "csv", source: "2031/1/1/data.csv", date: "2031-01-01", columns: ["age", "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp"], hasHeader: true };
    const outputs: WindowFile = { path: join(root, "pred.csv"), format: "csv", source: "2031/1/1/data.csv", date: "2031-01-01", columns: ["score", "$aml_dc_correlation_id"], hasHeader: true };
    writeFileSync(inputs.path, "age,$aml_dc_correlation_id,$aml_dc_scoring_timestamp\r\n20,id-0,2031-01-01T00:00:00.000000\r\n21,id-1,2031-01-01T00:00:00.000000\r\n");
    writeFileSync(outputs.path, "score,$aml_dc_correlation_id\r\n0.1000,id-1\r\n0.9999,id-1\r\n0.5,\r\n");
    await engine.define(session, [filesTableSql([{ name: "inputs", files: [inputs] }, { name: "predictions", files: [outputs] }]),
      csvViewSql("inputs", [inputs], { text: true, ordered: true }), csvViewSql("predictions", [outputs], { text: true, ordered: true })]);
    const columns = async (view: string) => (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    const built = await build(session, { layout: "legacy", how: "inner", inputsView: "inputs", outputsView: "predictions", inputColumns: await columns("inputs"), outputColumns: await columns("predictions") }, trainingChunks([inputs], [outputs]));
    const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
    assert.deepEqual(header, ["age", "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp", "score"]);
    assert.deepEqual(rows, [["21", "id-1", "2031-01-01T00:00:00.000000", "0.1000"]]);
    assert.deepEqual(built.counted, [1, 1, 0, 0, 1, 1]);
  });

  it("hour by hour gives exactly the engine's set across hour and day edges: batched keys, outputs an hour late or early, repeats, keyless and unpaired rows", async () => {
    // 23:00 and 00:00 of the next day are neighbours; a request's output lands in its input's hour, the next
    // (also across midnight) or, now and then, the one before; some outputs repeat a key an hour later.
    const hours = [["2026-03-01", "22"], ["2026-03-01", "23"], ["2026-03-02", "00"], ["2026-03-02", "01"]] as const;
    const inputs: string[][] = hours.map(() => []);
    const outputs: string[][] = hours.map(() => []);
    let state = 7;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const [h] of hours.entries()) {
      for (let r = 0; r < 120; r++) {
        const id = r % 37 === 5 ? "" : `r${h}-${r}`;
        const rows = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, k) => ({ age: Math.floor(next() * 90), city: ["Zürich", "Köln", "a,b", 'say "hi"'][k % 4] }));
        if (r % 19 !== 3) inputs[h].push(record(id, rows));
        const lands = r % 4 === 0 ? h + 1 : r % 13 === 0 ? h - 1 : h;
        const output = record(id, rows.map(() => ({ score: Math.round(next() * 1000) / 1000, approved: next() < 0.5 })));
        if (r % 23 !== 7) outputs[Math.max(0, Math.min(hours.length - 1, lands))].push(output);
        // (Not in the same file right after the first: the engine would read two records in a row with one id as one.)
        if (r % 29 === 11 && lands + 1 < hours.length) outputs[lands + 1].push(record(id, rows.map(() => ({ score: -1, approved: false }))));
      }
    }
    outputs[3].push(record("nobody-asked", [{ score: 0.5, approved: true }]));
    const files = { inputs: [] as WindowFile[], outputs: [] as WindowFile[] };
    for (const [h, [date, hour]] of hours.entries()) {
      for (const [side, lines] of [["inputs", inputs[h]], ["outputs", outputs[h]]] as const) {
        const path = join(root, `edge-${side}-${date}-${hour}.jsonl`);
        writeFileSync(path, lines.join("\n") + "\n");
        files[side].push({ path, format: "jsonl", source: `${date}/${hour}/${side}.jsonl`, date, hour, bytes: Buffer.byteLength(lines.join("\n")) });
      }
    }
    const session = await engine.session();
    await engine.define(session, [filesTableSql([{ name: "model_inputs", files: files.inputs }, { name: "model_outputs", files: files.outputs }])]);
    const columns: Record<string, string[]> = {};
    for (const [view, side] of [["model_inputs", files.inputs], ["model_outputs", files.outputs]] as const) {
      const shapes = await engine.query(session, jsonStructureSql(side), { kind: "rows", limit: 100 });
      await engine.define(session, [jsonViewSql(view, side, shapes.rows.map((r) => String(r[0])), { text: true, ordered: true })]);
      columns[view] = (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    }
    const input = { layout: "current" as const, inputsView: "model_inputs", outputsView: "model_outputs", inputColumns: columns.model_inputs, outputColumns: columns.model_outputs };
    const local = (side: WindowFile[]) => Promise.all(side.map((f) => localPreviewFile(f.path)));
    assert.equal(hourly(files).length, 4);
    for (const how of ["inner", "left"] as const) {
      const path = fresh("csv");
      const byEngine = await runTrainingSet({ worker: new Worker(WORKER), layout: "current", how, inputs: { files: await local(files.inputs), format: "jsonl" }, outputs: { files: await local(files.outputs), format: "jsonl" },
        output: { path, format: "csv" }, maxColumns: 2000, parallelRanges: 2, rangeBytes: 1 << 20 });
      const built = await build(session, { ...input, how }, hourly(files));
      const expected = parseCsvPrefix(readFileSync(path, "utf8"), true);
      assert.ok(expected.length > 400, `${how}: ${expected.length} rows from the engine`);
      assert.deepEqual(parseCsvPrefix(readFileSync(built.path, "utf8"), true), expected, how);
      const c = byEngine.counts;
      assert.deepEqual(built.counted, [c.joined, c.inputsWithoutOutput, c.outputsWithoutInput, c.inputsWithoutKey, c.outputsWithoutKey, c.duplicateOutputKeys], how);
      assert.ok(c.outputsWithoutInput > 0 && c.inputsWithoutOutput > 0 && c.duplicateOutputKeys > 0 && c.inputsWithoutKey > 0 && c.outputsWithoutKey > 0, JSON.stringify(c));
    }
  });

  it("legacy days whose headers differ keep the days' order: inputs in file order, the first prediction of a key the earliest day's", async () => {
    const session = await engine.session();
    const day = (n: number, columns: string[], lines: string[], side: string): WindowFile => {
      const path = join(root, `legacy-${side}-${n}.csv`);
      writeFileSync(path, [columns.join(","), ...lines].join("\r\n") + "\r\n");
      return { path, format: "csv", source: `2031/1/${n}/data.csv`, date: `2031-01-0${n}`, columns, hasHeader: true, bytes: 1 };
    };
    const plain = ["age", "$aml_dc_correlation_id"];
    const wider = ["age", "city", "$aml_dc_correlation_id"];
    const inputs = [day(1, plain, ["1,d1-a", "2,d1-b"], "in"), day(2, wider, ["3,Köln,d2-a", "4,Zug,d2-b"], "in"), day(3, plain, ["5,d3-a"], "in")];
    const outputs = [day(1, ["score", "$aml_dc_correlation_id"], ["0.1,d1-a", "0.2,d1-b", "0.3,d2-a"], "out"), day(2, ["score", "label", "$aml_dc_correlation_id"], ["0.9,x,d2-a", "0.4,y,d2-b"], "out"),
      day(3, ["score", "$aml_dc_correlation_id"], ["0.5,d3-a"], "out")];
    await engine.define(session, [filesTableSql([{ name: "inputs", files: inputs }, { name: "predictions", files: outputs }]),
      csvViewSql("inputs", inputs, { text: true, ordered: true }), csvViewSql("predictions", outputs, { text: true, ordered: true })]);
    const columns = async (view: string) => (await engine.query(session, `DESCRIBE ${view}`, { kind: "rows", limit: 100 })).rows.map((r) => String(r[0]));
    const input: TrainingSqlInput = { layout: "legacy", how: "inner", inputsView: "inputs", outputsView: "predictions", inputColumns: await columns("inputs"), outputColumns: await columns("predictions") };
    for (const chunks of [trainingChunks(inputs, outputs, Number.MAX_SAFE_INTEGER), trainingChunks(inputs, outputs, 1)]) {
      const built = await build(session, input, chunks);
      const [header, ...rows] = parseCsvPrefix(readFileSync(built.path, "utf8"), true);
      const at = (name: string) => header.indexOf(name);
      assert.deepEqual(rows.map((r) => [r[at("$aml_dc_correlation_id")], r[at("score")]]), [["d1-a", "0.1"], ["d1-b", "0.2"], ["d2-a", "0.3"], ["d2-b", "0.4"], ["d3-a", "0.5"]], `${chunks.length} chunk(s)`);
      assert.equal(built.counted[5], 1, "d2-a's second prediction is a repeat");
    }
  });
});
