// `npm test`: runs the unit, integration and e2e tiers in turn (each in its own process), shows their
// output, and closes with the summed `N passed, N failed`. Exits non-zero when any tier fails.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./codeServer";

interface Tier {
  name: string;
  script: string;
}

const TIERS: Tier[] = [
  { name: "unit", script: "run-unit.js" },
  { name: "integration", script: "run-integration.js" },
  { name: "e2e", script: "run-e2e.js" },
];

function runTier(tier: Tier): Promise<{ code: number; passed: number; failed: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "out", "test", "host", tier.script)], { stdio: ["ignore", "pipe", "inherit"] });
    let last: { passed: number; failed: number } | undefined;
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /^(\d+) passed, (\d+) failed\s*$/.exec(line.trim());
        if (m) last = { passed: Number(m[1]), failed: Number(m[2]) };
      }
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, passed: last?.passed ?? 0, failed: last?.failed ?? 0 }));
  });
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  let passed = 0;
  let failed = 0;
  const failedTiers: string[] = [];
  for (const tier of TIERS.filter((t) => only.length === 0 || only.includes(t.name))) {
    console.log(`\n===== ${tier.name} tier =====`);
    const started = Date.now();
    const result = await runTier(tier);
    console.log(`===== ${tier.name}: ${result.passed} passed, ${result.failed} failed, exit ${result.code}, ${((Date.now() - started) / 1000).toFixed(1)} s =====`);
    passed += result.passed;
    failed += result.failed;
    // A tier that crashed before reporting counts as one failure so the total cannot read green.
    if (result.code !== 0) {
      failedTiers.push(tier.name);
      if (result.failed === 0) failed += 1;
    }
  }
  if (failedTiers.length > 0) console.log(`Failed tiers: ${failedTiers.join(", ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failedTiers.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
