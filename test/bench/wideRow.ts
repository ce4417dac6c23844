// Part of bench:preview: a 12,000-row file whose last row has 5,000 cells, previewed in the real host
// (code-server + Chromium, the packaged VSIX), timed from the context menu's click to "Loaded" in the webview.
// Runs in its own process, started by bench:preview (which packages the VSIX first); prints `WIDE_ROW <json>`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import type { Page } from "playwright-core";
import { startRealHost } from "../host/realHost";
import { legacyBlobName } from "../../src/core/blobLayout";
import { openWorkbench, openModelDataView, expand, webview, runCommand } from "../e2e/workbench";

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const SERVICES = { wide: "wide-bench", normal: "normal-bench" };

/** 12,000 rows of three cells, then one row of 5,000 (the shape of issue #25's file), or of three. */
function csv(wide: boolean): string {
  const normal = Array.from({ length: 12_000 }, (_, i) => `${i},${i * 2},x${i}`);
  const last = wide ? Array.from({ length: 5000 }, (_, i) => String(i)).join(",") : "12000,24000,x12000";
  return `a,b,c\n${normal.join("\n")}\n${last}\n`;
}

/** From the menu item's click to "Loaded" in the webview (the menu's own opening is not counted). */
async function timeOnePreview(page: Page, workspace: string, service: string): Promise<number> {
  await runCommand(page, "View: Close All Editors");
  await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
  await expand(page, "Local emulator");
  await expand(page, workspace);
  await expand(page, service);
  await expand(page, "m:1");
  await expand(page, "inputs");
  await page.getByRole("treeitem", { name: /2030-01-01/ }).first().click({ button: "right" });
  const entry = page.getByRole("menuitem", { name: "Preview Collected Data" });
  await entry.waitFor({ timeout: 15_000 });
  // VS Code ignores a click that comes too soon after its menu opens.
  await page.waitForTimeout(400);
  const started = Date.now();
  await entry.click();
  const status = webview(page).locator(".status", { hasText: /^Loaded/ });
  await status.waitFor({ timeout: 180_000 });
  const took = Date.now() - started;
  const text = await status.textContent();
  if (!/12,001 rows/.test(text ?? "")) throw new Error(`unexpected status: ${text}`);
  return took;
}

async function main(): Promise<void> {
  const host = await startRealHost();
  try {
    const { browser, sample: { scenario, azurite } } = host;
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("modeldata");
    for (const [kind, service] of Object.entries(SERVICES)) {
      const name = legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
        service, model: "m", version: "1", identifier: "inputs", date: "2030-01-01", file: "data.csv" });
      await container.getBlockBlobClient(name).uploadData(Buffer.from(csv(kind === "wide")));
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, host.url, mkdtempSync(join(tmpdir(), "modeldata-bench-ws-")));
    await openModelDataView(page);
    // The first preview boots the engine thread: one unmeasured opening first, then the two files in turn.
    await timeOnePreview(page, scenario.workspace, SERVICES.normal);
    const wide: number[] = [];
    const normal: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      wide.push(await timeOnePreview(page, scenario.workspace, SERVICES.wide));
      normal.push(await timeOnePreview(page, scenario.workspace, SERVICES.normal));
      console.log(`[bench] open → Loaded: the wide row's file ${wide[i]} ms, the same without it ${normal[i]} ms`);
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(`WIDE_ROW ${JSON.stringify({ wideRow_ms: median(wide), normalRow_ms: median(normal) })}`);
  } finally {
    await host.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
