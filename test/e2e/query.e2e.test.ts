// Query Data (SQL) in the UI: from a date's context menu, the SQL document with its views, Ctrl+Enter
// answering in the preview grid (cells from the public stay text), and Export through the save dialog.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { BlobServiceClient } from "@azure/storage-blob";
import { e2eContext } from "./context";
import { contextMenu, expand, openModelDataView, openWorkbench, runCommand, screenshot, screenshotFailuresAndClose, webview } from "./workbench";
import { legacyBlobName } from "../../src/core/blobLayout";

const SERVICE = "sql-e2e";

function inputsCsv(): string {
  const lines = ["row_id,amount,note"];
  for (let i = 0; i < 300; i++) lines.push(`${i},${(i % 10) * 1.5},${i === 7 ? "\"<img src=x onerror=\"\"window.__pwned = 9\"\">\"" : i % 2 ? "odd" : "even"}`);
  return lines.join("\r\n") + "\r\n";
}

describe("Query Data (SQL) in the UI (code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    const { scenario, connectionString } = e2eContext();
    const name = legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
      service: SERVICE, model: "m", version: "1", identifier: "inputs", date: "2030-02-01", file: "data.csv" });
    await BlobServiceClient.fromConnectionString(connectionString).getContainerClient("modeldata").getBlockBlobClient(name).uploadData(Buffer.from(inputsCsv()));
    const ctx = e2eContext();
    page = await ctx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
    await openModelDataView(page);
    await runCommand(page, "Azure ML Data: Refresh");
  });

  screenshotFailuresAndClose(() => page);

  it("opens a SQL document from a date, answers it with Ctrl+Enter in the grid, and exports the answer", async () => {
    await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
    await expand(page, "Local emulator");
    await expand(page, e2eContext().scenario.workspace);
    await expand(page, SERVICE);
    await expand(page, "m:1");
    await expand(page, "inputs");
    await contextMenu(page, page.getByRole("treeitem", { name: /2030-02-01/ }).first(), "Query Data (SQL)…");
    const editor = page.locator(".editor-instance .view-lines");
    await editor.filter({ hasText: "SQL over collected data" }).first().waitFor({ timeout: 90_000 });
    await editor.filter({ hasText: "inputs  (inputs: 1 file" }).first().waitFor({ timeout: 10_000 });
    // The cursor sits on the first query; replace it with an aggregate and run it.
    await page.locator(".editor-instance .view-line", { hasText: "SELECT *" }).first().click();
    await page.keyboard.press("Home");
    await page.keyboard.press("Home");
    await page.keyboard.press("Control+Shift+End");
    await page.keyboard.type("SELECT note, count(*) AS n, sum(amount) AS total FROM inputs GROUP BY note ORDER BY n DESC, note;");
    await page.keyboard.press("Control+Enter");
    const grid = webview(page);
    await grid.locator(".status", { hasText: /Loaded · 3 rows/ }).waitFor({ timeout: 90_000 });
    assert.deepEqual(await grid.locator(".hcell .hname").allTextContents(), ["note", "n", "total"]);
    // An answer is not a node's data: nothing to compare it with (the preview of a date has the button).
    assert.equal(await grid.getByRole("button", { name: "Compare with…" }).isVisible(), false);
    const firstRow = await grid.locator(".grid .row").first().locator(".cell").allTextContents();
    assert.deepEqual(firstRow.slice(0, 2), ["even", "150"]);
    // The cell from the public, unquoted as written ("" is a quote) and shown as text.
    await grid.locator(".grid .row .cell", { hasText: '<img src=x onerror="window.__pwned = 9">' }).first().waitFor({ timeout: 10_000 });
    const pwned = await Promise.all(page.frames().map((f) => f.evaluate(() => (window as unknown as { __pwned?: number }).__pwned).catch(() => undefined)));
    assert.deepEqual(pwned.filter((v) => v !== undefined), [], "a cell ran as markup");
    await screenshot(page, "e2e-query-grid");

    // Export: the save dialog offers query-answer.parquet in the workspace folder; Enter takes it.
    await page.locator(".editor-instance .view-line", { hasText: "GROUP BY note" }).first().click();
    await runCommand(page, "Azure ML Data: Export Query Answer (CSV or Parquet)…");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ timeout: 15_000 });
    for (let i = 0; i < 50 && !(await input.inputValue()).endsWith("query-answer.parquet"); i++) await page.waitForTimeout(100);
    await input.press("Enter");
    const target = join(e2eContext().workspaceFolder, "query-answer.parquet");
    for (let i = 0; i < 150 && !existsSync(target); i++) await page.waitForTimeout(100);
    assert.equal(readFileSync(target).subarray(0, 4).toString("latin1"), "PAR1");
  });
});
