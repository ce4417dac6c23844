// e2e tier: installs the packaged VSIX into a fresh code-server profile, starts the sample servers and
// code-server, and runs test/e2e/*.e2e.test.js with Mocha against Debian's Chromium.
import Mocha from "mocha";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProfile, installVsix, startCodeServer, REPO_ROOT } from "./codeServer";
import { launchChromium } from "./browser";
import { startSampleEnvironment } from "../servers/sampleEnvironment";
import { setE2eContext } from "../e2e/context";

const VSIX = join(REPO_ROOT, "dist-vsix", "azureml-model-data.vsix");

async function main(): Promise<number> {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  const browser = await launchChromium();
  const sample = await startSampleEnvironment();
  const cleanup: Array<() => Promise<void>> = [() => browser.close(), () => sample.stop()];
  try {
    const profile = createProfile(sample.settings, sample.env);
    await installVsix(profile, VSIX);
    const server = await startCodeServer(profile, { log: process.env.MODELDATA_TEST_VERBOSE === "1" ? (l) => console.log(`[code-server] ${l}`) : undefined });
    cleanup.unshift(() => server.stop());
    setE2eContext({ browser, codeServerUrl: server.url, workspaceFolder: mkdtempSync(join(tmpdir(), "modeldata-e2e-ws-")), scenario: sample.scenario, connectionString: sample.azurite.connectionString, arm: sample.arm });

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
    for (const stop of cleanup) await stop().catch((e) => console.error(`[e2e] cleanup: ${e}`));
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
