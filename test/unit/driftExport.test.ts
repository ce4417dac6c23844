// The exported HTML report: text only, and a CSP that allows its own style sheet by hash, not inline styles.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { toHtml } from "../../src/core/drift/exportHtml";
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
