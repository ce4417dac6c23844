// Unit tier: every test/unit/*.test.js under node's test runner, spec output, closing `N passed, N failed`.
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./codeServer";
import { ensureCertificate } from "../servers/arm/certificate";

async function main(): Promise<void> {
  // Test files run in child processes; they trust the local ARM server's certificate from the start.
  process.env.NODE_EXTRA_CA_CERTS = (await ensureCertificate()).certPath;

  const dir = join(REPO_ROOT, "out", "test", "unit");
  const files = readdirSync(dir).filter((f) => f.endsWith(".test.js")).sort().map((f) => join(dir, f));
  let passed = 0;
  let failed = 0;
  const stream = run({ files, concurrency: true });
  stream.on("test:pass", (event) => {
    if (event.details.type !== "suite") passed += 1;
  });
  stream.on("test:fail", (event) => {
    // A suite fails on its own when code in its body throws (no test of it then runs): that counts too. A suite
    // that fails because tests inside it failed was counted through those tests.
    const own = (event.details.error as { failureType?: string } | undefined)?.failureType !== "subtestsFailed";
    if (event.details.type !== "suite" || own) failed += 1;
  });
  const report = stream.compose(new spec());
  report.pipe(process.stdout, { end: false });
  report.on("end", () => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
  });
}

void main();
