// `npm run demo`: Azurite with generated sample data and the local ARM server, then the extension in
// desktop VS Code (when `code` is on PATH) or in code-server on 127.0.0.1. Ctrl+C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createProfile, installVsix, startCodeServer, REPO_ROOT } from "../host/codeServer";
import { startSampleEnvironment } from "../servers/sampleEnvironment";
import { demoDrift } from "../fixtures/scenario";
import { freePort } from "../servers/ports";
import { CHECK_ENDPOINT, installCheckDeployments } from "../fixtures/checkDeployments";

const VSIX = join(REPO_ROOT, "dist-vsix", "azureml-model-data.vsix");

async function main(): Promise<void> {
  const days = Number(process.env.MODELDATA_DEMO_DAYS ?? 30);
  console.log(`[demo] generating ${days} days of sample data into Azurite and starting the local ARM server…`);
  // The sample data ends today, as a user's would.
  const endDate = new Date().toISOString().slice(0, 10);
  const sample = await startSampleEnvironment({ days, rowsPerFile: 200, services: 3, endDate, drift: demoDrift(endDate) });
  const stops: Array<() => Promise<void>> = [() => sample.stop()];
  const stopAll = async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGINT", () => void stopAll());
  process.on("SIGTERM", () => void stopAll());

  const folder = join(REPO_ROOT, ".cache", "demo-workspace");
  mkdirSync(folder, { recursive: true });
  cpSync(join(REPO_ROOT, "test", "demo", "sample-workspace"), folder, { recursive: true });
  // Two deployments broken the ways users ask about, for Check Data Collection…, beside a healthy one.
  await installCheckDeployments(sample.arm, sample.azurite.connectionString, sample.scenario, ["healthy", "name-mismatch", "no-global"]);
  console.log(`[demo] Azurite ${sample.azurite.blobEndpoint}: ${sample.blobCount} blobs; ARM ${sample.arm.url}`);
  console.log(`[demo] ${CHECK_ENDPOINT}/name-mismatch and ${CHECK_ENDPOINT}/no-global are broken on purpose: right-click them → Check Data Collection…`);

  const profile = createProfile(sample.settings, sample.env);
  const wantsDesktop = process.env.MODELDATA_DEMO_HOST !== "code-server" && spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0;
  if (wantsDesktop) {
    console.log("[demo] opening desktop VS Code with --extensionDevelopmentPath (a separate profile; your own settings are untouched)");
    const code = spawn("code", ["--wait", "--user-data-dir", profile.userDataDir, "--extensions-dir", profile.extensionsDir,
      `--extensionDevelopmentPath=${REPO_ROOT}`, folder], { env: profile.env, stdio: "inherit" });
    code.on("exit", () => void stopAll());
    return;
  }
  await installVsix(profile, VSIX);
  const port = Number(process.env.MODELDATA_DEMO_PORT ?? 0) || (await freePort());
  const server = await startCodeServer(profile, { port, folder });
  stops.unshift(() => server.stop());
  const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  writeFileSync(join(REPO_ROOT, ".cache", "demo-url.txt"), url + "\n");
  console.log(`\n[demo] VS Code (code-server) with the extension is ready:\n\n    ${url}\n\nOpen the "Azure ML Data" view in the activity bar. Press Ctrl+C to stop Azurite, the ARM server and code-server.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
