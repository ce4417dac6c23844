// Runs test/integration in desktop VS Code via @vscode/test-cli + @vscode/test-electron, for contributors
// with internet access (it downloads VS Code). CI and machines without internet use `npm test`, which runs
// the same suite inside code-server. Build first: `node build.mjs && node build.mjs --tests`.
import { defineConfig } from "@vscode/test-cli";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { startSampleEnvironment } = require("./out/test/servers/sampleEnvironment.js");

const sample = await startSampleEnvironment();
process.on("exit", () => void sample.stop());

// Workspace settings point the Local emulator source at Azurite and the local ARM server.
const workspaceFolder = mkdtempSync(join(tmpdir(), "modeldata-desktop-ws-"));
mkdirSync(join(workspaceFolder, ".vscode"));
writeFileSync(join(workspaceFolder, ".vscode", "settings.json"), JSON.stringify(sample.settings, null, 2));

export default defineConfig({
  label: "integration",
  files: "out/test/integration/**/*.test.js",
  version: "stable",
  workspaceFolder,
  env: sample.env,
  mocha: { ui: "bdd", timeout: 60_000 },
});
