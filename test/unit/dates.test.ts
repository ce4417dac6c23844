import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { formatBytes, groupByDate } from "../../src/core/dates";

describe("groupByDate", () => {
  const prefix = "s/rg/ws/svc/m/1/inputs/";
  it("groups padded and unpadded day folders into one date, newest first, with counts and sizes", () => {
    const groups = groupByDate(prefix, [
      { name: `${prefix}2026/1/5/data.csv`, size: 100 },
      { name: `${prefix}2026/01/05/inputs.csv`, size: 50 },
      { name: `${prefix}2026/01/06/data.csv`, size: 10 },
      { name: `${prefix}2025/12/31/data.csv`, size: 1 },
    ], ".csv");
    assert.deepEqual(groups.map((g) => [g.date, g.fileCount, g.totalBytes]), [["2026-01-06", 1, 10], ["2026-01-05", 2, 150], ["2025-12-31", 1, 1]]);
    assert.deepEqual(groups[1].prefixes, [`${prefix}2026/1/5/`, `${prefix}2026/01/05/`]);
    assert.deepEqual(groups[1].blobs.map((b) => b.size), [100, 50]);
  });

  it("counts the hour files of the current layout under their date", () => {
    const p = "modelDataCollector/e/d/model_inputs/";
    const groups = groupByDate(p, [{ name: `${p}2026/11/20/08/a.jsonl`, size: 5 }, { name: `${p}2026/11/20/13/b.jsonl`, size: 7 }], ".jsonl");
    assert.deepEqual(groups.map((g) => [g.date, g.fileCount, g.totalBytes]), [["2026-11-20", 2, 12]]);
  });

  it("skips blobs that are not under a date", () => {
    assert.deepEqual(groupByDate(prefix, [{ name: `${prefix}readme.txt`, size: 1 }, { name: `${prefix}2026/xx/01/a.csv`, size: 1 }], ".csv"), []);
  });

  it("counts only the collector's files: a folder holding only _SUCCESS is no date, other files are set aside", () => {
    const groups = groupByDate(prefix, [
      { name: `${prefix}2026/03/01/_SUCCESS`, size: 0 },
      { name: `${prefix}2026/03/02/data.csv`, size: 100 },
      { name: `${prefix}2026/03/02/model.pkl`, size: 5000 },
      { name: `${prefix}2026/03/02/screenshot.png`, size: 7000 },
    ], ".csv");
    assert.deepEqual(groups.map((g) => [g.date, g.fileCount, g.totalBytes, g.blobs.length]), [["2026-03-02", 1, 100, 1]]);
    assert.deepEqual(groups[0].others, [`${prefix}2026/03/02/model.pkl`, `${prefix}2026/03/02/screenshot.png`]);
    const p = "modelDataCollector/e/d/model_inputs/";
    assert.deepEqual(groupByDate(p, [{ name: `${p}2026/11/20/08/a.csv`, size: 5 }], ".jsonl"), [], "a CSV is not the current collector's file");
  });
});

describe("formatBytes", () => {
  it("uses binary units with one decimal below ten", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(200 * 1024 * 1024), "200 MB");
  });
});
