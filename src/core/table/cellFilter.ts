// The per-column filter language, shared by the host (which applies it) and the webview (which says when a
// filter is not valid instead of silently showing no rows):
//   text            cells containing it (case-insensitive)
//   = x   != x      equal / not equal (numbers compare as numbers)
//   > n  >= n  < n  <= n
//   a..b            numbers from a to b, inclusive
//   p and q         both (any of the above)

export const FILTER_SYNTAX = "text · = x · != x · > 0.5 · <= 10 · 1..5 · > 0 and < 1";

export type CellFilter = { test: (cell: string) => boolean } | { error: string };

const NUMBER = (text: string) => (text.trim() === "" ? NaN : Number(text));

export function parseCellFilter(filter: string): CellFilter {
  const parts = filter.trim().split(/\s+and\s+/i);
  const tests: Array<(cell: string) => boolean> = [];
  for (const part of parts) {
    const one = parseOne(part.trim());
    if ("error" in one) return one;
    tests.push(one.test);
  }
  return tests.length === 1 ? { test: tests[0] } : { test: (cell) => tests.every((t) => t(cell)) };
}

function parseOne(text: string): CellFilter {
  if (text === "") return { error: "an empty condition around 'and'" };
  const range = /^(.*?)\s*\.\.\s*(.*)$/.exec(text);
  if (range && !/^(>=|<=|!=|>|<|=)/.test(text)) {
    const [low, high] = [NUMBER(range[1]), NUMBER(range[2])];
    if (Number.isNaN(low) || Number.isNaN(high)) return { error: `a range needs two numbers (${text})` };
    return { test: (cell) => cell !== "" && Number(cell) >= Math.min(low, high) && Number(cell) <= Math.max(low, high) };
  }
  const comparison = /^(>=|<=|!=|>|<|=)\s*(.*)$/.exec(text);
  if (!comparison) {
    const needle = text.toLowerCase();
    return { test: (cell) => cell.toLowerCase().includes(needle) };
  }
  const [, op, operand] = comparison;
  const n = NUMBER(operand);
  const numeric = !Number.isNaN(n);
  if (op === "=") return { test: (cell) => (numeric ? Number(cell) === n && cell !== "" : cell.toLowerCase() === operand.toLowerCase()) };
  if (op === "!=") return { test: (cell) => (numeric ? Number(cell) !== n || cell === "" : cell.toLowerCase() !== operand.toLowerCase()) };
  if (!numeric) return { error: `${op} needs a number (${text})` };
  return {
    test: (cell) => {
      if (cell === "") return false;
      const v = Number(cell);
      return op === ">" ? v > n : op === "<" ? v < n : op === ">=" ? v >= n : v <= n;
    },
  };
}
