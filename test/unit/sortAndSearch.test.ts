// The preview's sort and global filter against the obvious answer (Array sort with the collator, Number(),
// lower-case includes) on rows held both as bytes and as text, grown between sorts.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { TableView } from "../../src/core/table/tableView";

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const NUMBERS = ["0", "-0", "1", "-1", "10", "9.5", "-9.5", "1e3", "-2.5e-3", "", "abc", "123456789012345678", "0.1", "0.10", "7", "7", "-1e308", "1e308", " 5"];
const WORDS = ["blue", "Blue", "BLUE", "blüe", "Élan", "elan", "item 10", "item 9", "a-0042-b", "A-0042-B", "3F2B-0042-x", "", "zeta", "x,y"];

/** A deterministic pseudo-random row maker (no quote, so rows can be held as bytes). */
function rows(count: number, seed: number): string[][] {
  let s = seed;
  const next = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  return Array.from({ length: count }, () => [NUMBERS[next(NUMBERS.length)], WORDS[next(WORDS.length)].replace(",", ";"), `id-${next(40)}-${WORDS[next(WORDS.length)].replace(",", "")}`]);
}

function load(table: TableView, batch: string[][], asBytes: boolean): void {
  if (!asBytes) {
    table.append(batch);
    return;
  }
  const layout = { mapping: [0, 1, 2] };
  for (const row of batch) {
    const bytes = new TextEncoder().encode(row.join(","));
    table.appendBytes(bytes, 0, bytes.length, layout);
  }
}

function expectedOrder(all: string[][], column: number, numeric: boolean, desc: boolean): string[] {
  const indexed = all.map((row, i) => ({ cell: row[column], i }));
  const key = (cell: string) => (cell === "" ? NaN : Number(cell));
  indexed.sort((a, b) => {
    if (numeric) {
      const x = key(a.cell);
      const y = key(b.cell);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? a.i - b.i : Number.isNaN(x) ? 1 : -1;
      return (desc ? y - x : x - y) || a.i - b.i;
    }
    return (desc ? collator.compare(b.cell, a.cell) : collator.compare(a.cell, b.cell)) || a.i - b.i;
  });
  return indexed.map((r) => `${r.i}`);
}

describe("Sort and global filter", () => {
  for (const layout of ["bytes", "text", "mixed"] as const) {
    it(`sort numbers and text and search any letter case as the obvious code does (${layout} rows, grown between sorts)`, () => {
      const table = new TableView();
      const all: string[][] = [];
      table.setNumericColumns([0]);
      for (let batch = 0; batch < 3; batch++) {
        const more = rows(700, 17 + batch);
        load(table, more, layout === "bytes" || (layout === "mixed" && batch !== 1));
        all.push(...more);
        for (const [column, numeric] of [[0, true], [1, false], [2, false]] as const) {
          for (const desc of [false, true]) {
            assert.ok(table.apply({ sort: { column, direction: desc ? "desc" : "asc" }, filters: {} }));
            const shown = table.window(0, all.length);
            const expected = expectedOrder(all, column, numeric, desc).map((i) => all[Number(i)]);
            assert.deepEqual(shown.map((r) => r[column]), expected.map((r) => r[column]), `column ${column} ${desc ? "desc" : "asc"} after batch ${batch}`);
            assert.deepEqual(shown, expected, "ties keep the rows' order");
          }
        }
        for (const needle of ["-0042-", "3f2b-0042-X", "a-0042", "blue", "LU", "é", "id-3", "-1e", "x;y", "0.1", "zz-0042-"]) {
          assert.ok(table.apply({ filters: {}, global: needle.toLowerCase() }));
          const expected = all.filter((row) => row.some((cell) => cell.toLowerCase().includes(needle.toLowerCase())));
          assert.deepEqual(table.window(0, all.length), expected, `global "${needle}" after batch ${batch}`);
        }
      }
    });
  }

  it("sorts small integers (one radix pass) and filtered rows, missing values last in row order", () => {
    const all = rows(900, 5).map((row, i) => [i % 7 === 0 ? "" : String((i * 37) % 11), row[1], `r${i}`]);
    const table = new TableView();
    load(table, all, true);
    table.setNumericColumns([0]);
    for (const desc of [false, true]) {
      table.apply({ sort: { column: 0, direction: desc ? "desc" : "asc" }, filters: {} });
      assert.deepEqual(table.window(0, all.length), expectedOrder(all, 0, true, desc).map((i) => all[Number(i)]));
      for (const column of [0, 1]) {
        table.apply({ sort: { column, direction: desc ? "desc" : "asc" }, filters: { 1: "blue" }, global: "r1" });
        const kept = all.filter((row) => row[1].toLowerCase().includes("blue") && row.some((cell) => cell.toLowerCase().includes("r1")));
        assert.ok(kept.length > 10);
        assert.deepEqual(table.window(0, all.length), expectedOrder(kept, column, column === 0, desc).map((i) => kept[Number(i)]));
      }
    }
  });

  it("finds a needle whose letter-free part repeats, overlapping, and not across two rows", () => {
    const table = new TableView();
    const layout = { mapping: [0] };
    // Rows are stored back to back: "…-00" + "42-…" must not match "-0042-".
    for (const cell of ["x-00", "42-y", "a-00-00-b", "-00-00-", "Q-0042-0042-"]) {
      const bytes = new TextEncoder().encode(cell);
      table.appendBytes(bytes, 0, bytes.length, layout);
    }
    table.apply({ filters: {}, global: "-0042-" });
    assert.deepEqual(table.window(0, 10), [["Q-0042-0042-"]]);
    table.apply({ filters: {}, global: "-00-00-" });
    assert.deepEqual(table.window(0, 10), [["a-00-00-b"], ["-00-00-"]]);
    table.apply({ filters: {}, global: "q-0042-0" });
    assert.deepEqual(table.window(0, 10), [["Q-0042-0042-"]]);
  });
});
