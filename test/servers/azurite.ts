// Starts Azurite's blob service on 127.0.0.1 on a free port, in memory unless a location is given.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort, waitFor } from "./ports";
import { AZURITE_ACCOUNT, emulatorConnectionString } from "../../src/core/emulator";

export interface AzuriteServer {
  blobEndpoint: string;
  connectionString: string;
  /** Azurite's process, for benchmarks that count its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

const REPO_ROOT = join(__dirname, "..", "..", "..");

export async function startAzurite(options: { location?: string } = {}): Promise<AzuriteServer> {
  const port = await freePort();
  const bin = join(REPO_ROOT, "node_modules", "azurite", "dist", "src", "blob", "main.js");
  const args = [bin, "--blobHost", "127.0.0.1", "--blobPort", String(port), "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent"];
  args.push(...(options.location ? ["--location", options.location] : ["--inMemoryPersistence"]));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  await waitFor(`Azurite on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`Azurite exited: ${stderr}`);
    const res = await fetch(`${blobEndpoint}?comp=list`).catch(() => undefined);
    return res !== undefined;
  }, 30_000);
  return {
    blobEndpoint,
    connectionString: emulatorConnectionString(blobEndpoint),
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
