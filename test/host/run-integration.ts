// Runs test/integration inside a real VS Code extension host (code-server 1.139) against Azurite and the
// local ARM server. Exit code: 0 only when the in-host Mocha run reported no failures.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProfile, startCodeServer, REPO_ROOT } from "./codeServer";
import { launchChromium } from "./browser";
import { startSampleEnvironment } from "../servers/sampleEnvironment";

const TIMEOUT_MS = Number(process.env.MODELDATA_INTEGRATION_TIMEOUT_MS ?? 10 * 60 * 1000);

async function main(): Promise<number> {
  const browser = await launchChromium();
  // More legacy services than the paging test's page size of 2.
  const sample = await startSampleEnvironment({ services: 4 });
  const cleanup: Array<() => Promise<void>> = [() => browser.close(), () => sample.stop()];
  try {
    console.log(`[integration] Azurite ${sample.azurite.blobEndpoint} (${sample.blobCount} blobs), ARM ${sample.arm.url}`);
    const workspaceFolder = mkdtempSync(join(tmpdir(), "modeldata-workspace-"));
    const report = join(workspaceFolder, "..", `modeldata-report-${process.pid}.txt`);
    writeFileSync(report, "");
    const profile = createProfile(sample.settings, { ...sample.env, MODELDATA_TEST_REPORT: report });
    const stopTail = tailFile(report, (line) => console.log(line));
    cleanup.push(async () => stopTail());
    const verbose = process.env.MODELDATA_TEST_VERBOSE === "1";
    const server = await startCodeServer(profile, { smokeTestDriver: true, log: verbose ? (l) => console.log(`[code-server] ${l}`) : undefined });
    cleanup.unshift(() => server.stop());
    const page = await browser.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    // The workbench's own log is noise unless asked for; the test report arrives through the file.
    await page.exposeFunction("codeAutomationLog", (...args: unknown[]) => verbose && console.log(`[workbench] ${args.map(String).join(" ")}`));
    await page.exposeFunction("codeAutomationExit", (code: number) => resolveExit(code));
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ["extensionDevelopmentPath", remote(REPO_ROOT)],
      ["extensionTestsPath", remote(join(REPO_ROOT, "out", "test", "integration", "index.js"))],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => {
      console.error(`[integration] no result after ${TIMEOUT_MS} ms`);
      resolve(2);
    }, TIMEOUT_MS));
    const code = await Promise.race([exited, timeout]);
    console.log(`[integration] extension host exited with ${code}`);
    return code;
  } finally {
    for (const stop of cleanup) await stop().catch((e) => console.error(`[integration] cleanup: ${e}`));
  }
}

/** Prints lines appended to `path` until stopped. */
function tailFile(path: string, onLine: (line: string) => void): () => void {
  let printed = 0;
  const flush = () => {
    const lines = readFileSync(path, "utf8").split("\n");
    const complete = lines.slice(0, -1);
    complete.slice(printed).forEach(onLine);
    printed = complete.length;
  };
  const timer = setInterval(flush, 250);
  return () => {
    clearInterval(timer);
    flush();
  };
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
