// The exported HTML report: text only, and a CSP that allows its own style sheet by hash, not inline styles.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { toHtml } from "../../src/core/drift/exportHtml";
import { toMarkdown } from "../../src/core/drift/export";
import { compareFeature } from "../../src/core/drift/compare";
import { gatherNumbers } from "../../src/core/drift/gather";
import type { DriftReport } from "../../src/core/drift/report";

describe("HTML export", () => {
  it("allows exactly its own style sheet and carries names as text", () => {
    const feature = { ...compareFeature("x", gatherNumbers(Float64Array.from([1, 2, 3])), gatherNumbers(Float64Array.from([2, 3, 4]))), name: "<img src=x onerror=alert(1)>" };
    const windows = { label: "w", files: 1, rows: 3, bytes: 10 };
    const report: DriftReport = { title: "t", production: { from: "2026-11-30", to: "2026-11-30" }, reference: { from: "2026-11-29", to: "2026-11-29" },
      collections: [{ name: "inputs", role: "inputs", result: { reference: windows, production: windows, features: [feature], drifted: [], notices: [] } }] };
    const html = toHtml(report);
    const csp = /content="([^"]+)"/.exec(html)?.[1] ?? "";
    assert.ok(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"), csp);
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? "";
    assert.ok(csp.includes(`style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`), "the CSP names the style sheet's hash");
    assert.ok(!html.includes("<img") && html.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.ok(!/<script/i.test(html));
  });
});

describe("reading a report", () => {
  const windows = { label: "w", files: 1, rows: 3000, bytes: 10 };
  const ints = (count: number, distinct: number) => Float64Array.from({ length: count }, (_, i) => i % distinct);

  it("says why a feature has its type: Azure ML's 5% rule on the reference in numbers, or the type it was given", () => {
    const few = gatherNumbers(ints(3000, 40), false);
    const many = gatherNumbers(ints(3000, 400), false);
    assert.equal(compareFeature("code", few, many).kindReason, "integers: 40 distinct of 3,000 reference values (1.3% < 5%, Azure ML's rule): categorical");
    assert.equal(compareFeature("tenure", many, few).kindReason, "integers: 400 distinct of 3,000 reference values (13% ≥ 5%, Azure ML's rule): numerical");
    assert.equal(compareFeature("income", gatherNumbers(Float64Array.from([1.5, 2.25])), gatherNumbers(Float64Array.from([2.5]))).kindReason, "numbers with fractions");
    assert.equal(compareFeature("code", few, many, { kind: "numerical", kindReason: "remembered" }).kindReason, "remembered");
    assert.equal(compareFeature("code", few, many, { kind: "numerical" }).kindReason, "chosen for this feature");
  });

  it("puts the data-quality line and the rate that moved most in the Markdown export", () => {
    const reference = gatherNumbers(Float64Array.from({ length: 100 }, (_, i) => i));
    const production = gatherNumbers(Float64Array.from({ length: 100 }, (_, i) => i + 50));
    const feature = compareFeature("income", reference, production);
    const report: DriftReport = { title: "t", production: { from: "2026-11-30", to: "2026-11-30" }, reference: { from: "2026-11-29", to: "2026-11-29" },
      collections: [{ name: "inputs", role: "inputs", result: { reference: windows, production: windows, features: [feature], drifted: [], notices: [] } }] };
    const markdown = toMarkdown(report);
    // Escaped for Markdown, as every text from the data is.
    assert.match(markdown, /\nData quality: 1 feature\\\(s\\\) with more nulls, type errors or values outside the reference's range: income \\\(out-of-bounds rate 0\.0% → 50\.0%\\\)\.\n/);
    assert.match(markdown, /\| Data quality \(reference → production\) \|/);
    assert.match(markdown, /\| income \| numerical \| .* \| out-of-bounds rate 0\.0% → 50\.0% \|/);
    assert.match(toHtml(report), /<th>Data quality<\/th>/);
  });
});
