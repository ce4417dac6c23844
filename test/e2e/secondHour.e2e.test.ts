// What a new user does in the second hour, in the UI: a legacy service that moved to a new model version is
// compared on the live version (and the report says which), and a payload stored beside the data opens
// from its link in the grid.
import * as assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { e2eContext } from "./context";
import { contextMenu, expand, openModelDataView, openWorkbench, screenshot, webview } from "./workbench";

async function pick(page: Page, label: string): Promise<void> {
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: label }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

describe("the second hour in the UI (code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    const ctx = e2eContext();
    page = await ctx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
    await openModelDataView(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, "-").slice(0, 60)}`);
  });

  after(async () => page?.close());

  it("compares a legacy service on its live model version and names the version in the report", async () => {
    await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
    await expand(page, "Local emulator");
    await expand(page, e2eContext().scenario.workspace);
    const service = page.getByRole("treeitem", { name: /^churn-aks-v1,/ }).first();
    await expand(page, "churn-aks-v1");
    // Versions newest first: the live one leads.
    const models = page.getByRole("treeitem", { name: /^churn_model:\d/ });
    await models.first().waitFor({ timeout: 60_000 });
    assert.match((await models.first().getAttribute("aria-label")) ?? "", /^churn_model:4/);
    await contextMenu(page, service, "Compare Data (Drift and Data Quality)…");
    await pick(page, "Newest day with data");
    await pick(page, "The window just before");
    const report = webview(page);
    await report.locator("h1", { hasText: "Drift: churn-aks-v1 · churn_model:4" }).waitFor({ timeout: 120_000 });
    await screenshot(page, "e2e-live-model-report");
  });

  it("opens a payload stored beside the data from its link cell", async () => {
    await expand(page, "credit-endpoint/blue");
    await expand(page, "credit_model:2");
    await expand(page, "model_inputs");
    const newest = e2eContext().scenario.dates[e2eContext().scenario.dates.length - 1];
    await contextMenu(page, page.getByRole("treeitem", { name: new RegExp(`^${newest}`) }).first(), "Preview Collected Data");
    const grid = webview(page);
    const link = grid.locator(".grid .cell.link").filter({ hasText: /^https:\/\/.+\/payloads\/.+\.json$/ }).first();
    await link.waitFor({ timeout: 60_000 });
    await link.click({ modifiers: ["Control"] });
    // A read-only document named after the payload blob, with the request's rows.
    const tab = page.getByRole("tab", { name: /^[0-9a-f-]{36}\.json/ }).first();
    await tab.waitFor({ timeout: 30_000 });
    await page.locator(".monaco-editor .view-lines", { hasText: "[{" }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, "e2e-payload-opened");
  });
});
