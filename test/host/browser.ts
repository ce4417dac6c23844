// Debian's Chromium driven by playwright-core, with the flags that keep it quiet on a closed network.
// Playwright gives every launch a fresh temporary profile.
import { chromium, type Browser } from "playwright-core";

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}
