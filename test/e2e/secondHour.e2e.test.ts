// What a new user does in the second hour, in the UI: a legacy service that moved to a new model version is
// compared on the live version (and the report says which), and a payload stored beside the data opens
// from its link in the grid.
import * as assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { e2eContext } from "./context";
import { contextMenu, expand, newWorkbenchPage, pick, runCommand, screenshot, screenshotFailuresAndClose, showWorkspace, webview } from "./workbench";

describe("the second hour in the UI (code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    page = await newWorkbenchPage({ width: 1400, height: 1000 });
  });

  screenshotFailuresAndClose(() => page);

  it("compares a legacy service on its live model version and names the version in the report", async () => {
    await showWorkspace(page);
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
  it("asks before detaching attached storage, and keeps it when the answer is Cancel", async () => {
    await page.keyboard.press("Escape");
    await runCommand(page, "Azure ML Data: Attach Storage (Connection String or SAS)…");
    const input = page.locator(".quick-input-widget input");
    await page.locator(".quick-input-widget", { hasText: "Attach storage with collected model data" }).waitFor({ timeout: 15_000 });
    await input.fill(e2eContext().connectionString);
    await input.press("Enter");
    const source = page.getByRole("treeitem", { name: /^devstoreaccount1(,|$)/ }).first();
    await source.waitFor({ timeout: 30_000 });
    await contextMenu(page, source, "Detach Storage");
    const dialog = page.locator(".monaco-dialog-box", { hasText: "Detach devstoreaccount1?" });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.waitForTimeout(500);
    assert.equal(await source.count(), 1, "still attached after Cancel");
    await contextMenu(page, source, "Detach Storage");
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole("button", { name: "Detach" }).click();
    await source.waitFor({ state: "detached", timeout: 15_000 });
  });
});
