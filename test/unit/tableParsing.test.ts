import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { Readable } from "node:stream";
import { parseCsvPrefix, streamCsv } from "../../src/core/table/csv";
import { AML_SYSTEM_COLUMNS, resolveLegacyColumns } from "../../src/core/table/legacyColumns";
import { JsonlFlattener, PAYLOAD_LINK_COLUMN } from "../../src/core/table/jsonl";

async function streamed(text: string, chunk = 7): Promise<string[][]> {
  const rows: string[][] = [];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += chunk) parts.push(text.slice(i, i + chunk));
  await streamCsv(Readable.from(parts), (batch) => rows.push(...batch), { batchSize: 3 });
  return rows;
}

describe("CSV (RFC 4180) conformance", () => {
  const cases: Array<[string, string, string[][]]> = [
    ["CRLF", "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]],
    ["LF", "a,b\n1,2\n", [["a", "b"], ["1", "2"]]],
    ["quoted comma", 'a,"b,c"\r\n', [["a", "b,c"]]],
    ["escaped quotes", '"say ""hi""",x\r\n', [['say "hi"', "x"]]],
    ["newline inside quotes", '"line1\r\nline2",x\r\ny,z\r\n', [["line1\r\nline2", "x"], ["y", "z"]]],
    ["BOM", "\uFEFFa,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]],
    ["empty fields", ",,\r\n1,,3\r\n", [["", "", ""], ["1", "", "3"]]],
    ["ragged rows kept", "a,b,c\r\n1,2\r\n1,2,3,4\r\n", [["a", "b", "c"], ["1", "2"], ["1", "2", "3", "4"]]],
    ["no trailing newline", "a,b\r\n1,2", [["a", "b"], ["1", "2"]]],
    ["unicode", "name\r\nJosé 東京 🚀\r\n", [["name"], ["José 東京 🚀"]]],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: whole text and streamed in small chunks agree`, async () => {
      assert.deepEqual(parseCsvPrefix(text, true), expected);
      assert.deepEqual(await streamed(text), expected);
    });
  }

  it("drops the cut last row of a ranged read, even inside a quoted field", () => {
    assert.deepEqual(parseCsvPrefix('a,b\r\n1,"multi\r\nli', false), [["a", "b"]]);
    assert.deepEqual(parseCsvPrefix("a,b\r\n1,2\r\n3,", false), [["a", "b"], ["1", "2"]]);
  });

  it("survives binary garbage without throwing", async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("latin1");
    assert.ok(Array.isArray(parseCsvPrefix(garbage, true)));
    assert.ok(Array.isArray(await streamed(garbage, 100)));
  });

  it("can be cancelled", async () => {
    const controller = new AbortController();
    const endless = new Readable({ read() { this.push("a,b\r\n"); } });
    const done = streamCsv(endless, () => controller.abort(), { signal: controller.signal, batchSize: 10 });
    await assert.rejects(done, /Cancelled/);
  });
});

describe("legacy columns", () => {
  const system = ["3f2b1c4d-0000-4000-8000-000000000001", "2026-03-04T15:54:16.691697", "1440", "sub/rg/ws", "svc", "m", "1", "00000000-0000-0000-0000-000000000000"];
  it("uses the header row when feature_names were given", () => {
    const r = resolveLegacyColumns([["age", "income", ...AML_SYSTEM_COLUMNS], ["41", "52000", ...system]]);
    assert.deepEqual(r, { columns: ["age", "income", ...AML_SYSTEM_COLUMNS], hasHeader: true });
  });

  it("names headerless inputs from the collector layout when the width fits", () => {
    const r = resolveLegacyColumns([["41", "52000", "[1.0, 2.0]", ...system]]);
    assert.deepEqual(r, { columns: ["feature_1", "feature_2", "feature_3", ...AML_SYSTEM_COLUMNS], hasHeader: false });
  });

  it("falls back to col1…n, and takes text headers over numeric data", () => {
    assert.deepEqual(resolveLegacyColumns([["0.3", "1"], ["0.4", "0"]]), { columns: ["col1", "col2"], hasHeader: false });
    assert.deepEqual(resolveLegacyColumns([["churn_probability", "churn_label"], ["0.4", "0"]]).hasHeader, true);
  });

  it("keeps duplicate header names apart", () => {
    assert.deepEqual(resolveLegacyColumns([["a", "a", "b"], ["1", "2", "3"]]).columns, ["a", "a_2", "b"]);
  });
});

describe("JSONL flattening", () => {
  it("flattens data rows with time and correlationid, grows columns, keeps partial lines for later", () => {
    const f = new JsonlFlattener();
    const r1 = f.push('{"time":"t1","correlationid":"c1","data":[{"a":1,"b":"x"},{"a":2}]}\n{"time":"t2","corr');
    assert.deepEqual(r1.rows, [["t1", "c1", "1", "x"], ["t1", "c1", "2", ""]]);
    const r2 = f.push('elationid":"c2","data":[{"c":true,"nested":{"k":[1,2]}}]}\nnot json\n', true);
    assert.deepEqual(f.columns, ["time", "correlationid", "a", "b", "c", "nested"]);
    assert.deepEqual(r2.rows, [["t2", "c2", "", "", "true", '{"k":[1,2]}']]);
    assert.equal(r2.malformed, 1);
  });

  it("turns a payload stored elsewhere into a link cell", () => {
    const f = new JsonlFlattener();
    const { rows } = f.push('{"time":"t","correlationid":"c","data":"https://a.blob.core.windows.net/c/p.json","datainblob":"true"}\n', true);
    assert.equal(rows[0][f.columns.indexOf(PAYLOAD_LINK_COLUMN)], "https://a.blob.core.windows.net/c/p.json");
  });
});
