// e2e tier: installs the packaged VSIX into a fresh code-server profile, starts the sample servers and
// code-server, and runs test/e2e/*.e2e.test.js with Mocha against Debian's Chromium.
import Mocha from "mocha";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./codeServer";
import { startRealHost } from "./realHost";
import { setE2eContext } from "../e2e/context";

async function main(): Promise<number> {
  const host = await startRealHost({ log: process.env.MODELDATA_TEST_VERBOSE === "1" ? (l) => console.log(`[code-server] ${l}`) : undefined });
  try {
    const { browser, sample } = host;
    setE2eContext({ browser, codeServerUrl: host.url, workspaceFolder: mkdtempSync(join(tmpdir(), "modeldata-e2e-ws-")), scenario: sample.scenario, connectionString: sample.azurite.connectionString, arm: sample.arm });

    // MODELDATA_TEST_GREP runs only the tests whose titles match (as in the integration tier).
    const mocha = new Mocha({ ui: "bdd", timeout: 180_000, reporter: "spec", grep: process.env.MODELDATA_TEST_GREP || undefined });
    const dir = join(REPO_ROOT, "out", "test", "e2e");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".e2e.test.js")).sort()) mocha.addFile(join(dir, file));
    return await new Promise<number>((resolve) => {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        console.log(`${passed} passed, ${failures} failed`);
        resolve(failures > 0 || passed === 0 ? 1 : 0);
      });
    });
  } finally {
    await host.stop();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
