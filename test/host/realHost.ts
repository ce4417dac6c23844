// The real host the e2e tier and the wide-row benchmark drive: Debian's Chromium, the sample servers
// (Azurite + the local ARM server), and code-server with the packaged VSIX in a fresh profile.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { createProfile, installVsix, startCodeServer, REPO_ROOT } from "./codeServer";
import { launchChromium } from "./browser";
import { startSampleEnvironment, type SampleEnvironment } from "../servers/sampleEnvironment";

export const VSIX = join(REPO_ROOT, "dist-vsix", "azureml-model-data.vsix");

export interface RealHost {
  browser: Browser;
  sample: SampleEnvironment;
  /** code-server's address. */
  url: string;
  /** Stops code-server, Chromium and the servers (each even if another failed). */
  stop(): Promise<void>;
}

export async function startRealHost(options: { log?: (line: string) => void } = {}): Promise<RealHost> {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  const browser = await launchChromium();
  const sample = await startSampleEnvironment();
  const stops: Array<() => Promise<void>> = [() => browser.close(), () => sample.stop()];
  const stop = async () => {
    for (const step of stops) await step().catch((e) => console.error(`[host] cleanup: ${e}`));
  };
  try {
    const profile = createProfile(sample.settings, sample.env);
    await installVsix(profile, VSIX);
    const server = await startCodeServer(profile, { log: options.log });
    stops.unshift(() => server.stop());
    return { browser, sample, url: server.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
