import type { ScenarioOptions } from "../fixtures/scenario";

/** 35 legacy services × 365 days × 2 identifiers = 25,550 legacy blobs, plus ~2,200 current-layout blobs. */
export const TREE_BENCH_SCENARIO: ScenarioOptions = { seed: 42, days: 365, rowsPerFile: 2, services: 35, endDate: "2026-11-20" };
