// Spread statistics: std over every value, quantiles as numpy computes them (linear interpolation).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { StatsAccumulator } from "../../src/core/table/stats";

describe("column spread", () => {
  it("std and p5…p95 of 1..100 match numpy (np.std(ddof=1), np.percentile)", () => {
    const stats = new StatsAccumulator(["x"]);
    for (let i = 1; i <= 100; i++) stats.add([String(i)]);
    const s = stats.snapshot()[0];
    assert.ok(Math.abs((s.std ?? 0) - 29.011491975882016) < 1e-9, String(s.std));
    assert.deepEqual(s.quantiles, [5.95, 25.75, 50.5, 75.25, 95.05]);
    assert.equal(s.quantilesExact, true);
  });

  it("std stays exact for large values close together, and is 0 for one value", () => {
    const stats = new StatsAccumulator(["t", "one"]);
    for (const v of [1e12 + 1, 1e12 + 2, 1e12 + 3]) stats.add([String(v), "7"]);
    const [t, one] = stats.snapshot();
    assert.equal(t.std, 1);
    assert.equal(one.std, 0);
  });

  it("quantiles past the sample are approximate and say so", () => {
    const stats = new StatsAccumulator(["x"]);
    for (let i = 0; i < 100_000; i++) stats.add([String(i)]);
    const s = stats.snapshot()[0];
    assert.equal(s.quantilesExact, false);
    assert.ok(Math.abs((s.quantiles?.[2] ?? 0) - 50_000) < 5_000, `median ≈ 50,000 (${s.quantiles?.[2]})`);
  });
});
