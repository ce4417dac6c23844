import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { TableView, cellTest, toCsvLine, toTsvLine } from "../../src/core/table/tableView";
import { parseCellFilter } from "../../src/core/table/cellFilter";
import { StatsAccumulator } from "../../src/core/table/stats";
import { isWebviewToHost } from "../../src/protocol";

describe("TableView", () => {
  const table = () => {
    const t = new TableView();
    t.append([["b", "10"], ["a", "9"], ["c", ""], ["A", "100"]]);
    t.setNumericColumns([1]);
    return t;
  };

  it("sorts numbers as numbers with missing values last, and text naturally", () => {
    const t = table();
    t.apply({ sort: { column: 1, direction: "asc" }, filters: {} });
    assert.deepEqual(t.window(0, 10).map((r) => r[1]), ["9", "10", "100", ""]);
    t.apply({ sort: { column: 0, direction: "desc" }, filters: {} });
    assert.deepEqual(t.window(0, 10).map((r) => r[0]), ["c", "b", "a", "A"]);
  });

  it("filters per column (substring or comparison) and globally", () => {
    const t = table();
    t.apply({ filters: { 1: ">= 10" } });
    assert.equal(t.visibleRows, 2);
    t.apply({ filters: {}, global: "A" });
    assert.deepEqual(t.window(0, 10).map((r) => r[0]), ["a", "A"]);
    assert.equal(cellTest("!=x")("x"), false);
    assert.equal(cellTest("=Blue")("blue"), true);
    const keep = (filter: string, cells: string[]) => cells.filter(cellTest(filter));
    assert.deepEqual(keep("1..5", ["0", "1", "3.5", "5", "6", "", "x"]), ["1", "3.5", "5"]);
    assert.deepEqual(keep("> 0 and < 1", ["-1", "0", "0.5", "1", ""]), ["0.5"]);
    assert.deepEqual(keep("!= 0 AND <= 2", ["0", "1", "2", "3"]), ["1", "2"]);
    assert.deepEqual(keep("= 0", ["0", "", "0.0"]), ["0", "0.0"], "an empty cell is not zero");
    for (const bad of ["> abc", "1..x", "> 1 and", ".."]) assert.ok("error" in parseCellFilter(bad), bad);
    assert.match((parseCellFilter("> abc") as { error: string }).error, /> needs a number/);
    assert.deepEqual(keep("> abc", ["a", "b"]), ["a", "b"], "a filter that is not valid filters nothing out");
  });

  it("shortens huge cells for the webview but keeps them whole for copy", () => {
    const t = new TableView();
    t.append([["x".repeat(1_000_000)]]);
    assert.match(t.window(0, 1)[0][0], /… \(977 KB\)$/);
    assert.equal([...t.rowsInView()][0][0].length, 1_000_000);
  });
});

describe("export escaping", () => {
  it("escapes formula starters but not plain numbers; quotes per RFC 4180", () => {
    assert.equal(toCsvLine(["=SUM(A1)", "+1+2", "-3.5", "@cmd", 'a "q"', "x,y"], true), `'=SUM(A1),'+1+2,-3.5,'@cmd,"a ""q""","x,y"`);
    assert.equal(toCsvLine(["=SUM(A1)"], false), "=SUM(A1)");
    assert.equal(toTsvLine(["a\tb", "c\nd"]), "a b\tc d");
  });
});

describe("column statistics", () => {
  it("types columns and computes count, missing, distinct, min/max/mean and a histogram", () => {
    const s = new StatsAccumulator(["n", "t", "b"]);
    for (const row of [["1", "x", "true"], ["2.5", "y", "false"], ["", "x", "True"], ["10", "None", "false"]]) s.add(row);
    const [n, t, b] = s.snapshot();
    assert.deepEqual([n.type, n.count, n.missing, n.min, n.max], ["number", 3, 1, 1, 10]);
    assert.ok(Math.abs((n.mean ?? 0) - 13.5 / 3) < 1e-9);
    assert.equal(n.histogram.reduce((a, c) => a + c, 0), 3);
    assert.deepEqual([t.type, t.distinct, t.missing, t.top?.[0]], ["string", 2, 1, { value: "x", count: 2 }]);
    assert.equal(b.type, "boolean");
  });

  it("samples the whole stream for histograms, not just its start", () => {
    const s = new StatsAccumulator(["row_id", "value"]);
    for (let i = 0; i < 100_000; i++) s.add([String(i), String((100_000 - i) / 10)]);
    for (const column of s.snapshot()) {
      assert.equal(column.histogram.reduce((a, c) => a + c, 0), 2048);
      // A uniform column fills every bin.
      assert.ok(column.histogram.every((count) => count > 60), `${column.name}: ${column.histogram.join(" ")}`);
    }
  });

  it("counts columns that appear later as missing in earlier rows", () => {
    const s = new StatsAccumulator(["a"]);
    s.add(["1"]);
    s.setColumns(["a", "late"]);
    s.add(["2", "z"]);
    assert.deepEqual(s.snapshot().map((c) => [c.name, c.count, c.missing]), [["a", 2, 0], ["late", 1, 1]]);
  });
});

describe("protocol validation", () => {
  it("accepts well-formed messages and drops everything else", () => {
    assert.equal(isWebviewToHost({ type: "getRows", requestId: 1, start: 0, count: 200 }), true);
    assert.equal(isWebviewToHost({ type: "setView", filters: { "2": "x" }, global: "", sort: { column: 1, direction: "asc" } }), true);
    assert.equal(isWebviewToHost({ type: "getRows", requestId: 1, start: -1, count: 200 }), false);
    assert.equal(isWebviewToHost({ type: "getRows", requestId: 1, start: 0, count: 1e9 }), false);
    assert.equal(isWebviewToHost({ type: "setView", filters: { __proto__: "x", a: 1 }, global: "" }), false);
    assert.equal(isWebviewToHost({ type: "eval", code: "x" }), false);
    assert.equal(isWebviewToHost("ready"), false);
    assert.equal(isWebviewToHost({ type: "copy", start: 0, end: 1, columns: ["0"], format: "tsv" }), false);
  });
});
