// The packaged VSIX installed into code-server, driven through Chromium like a user would.
import * as assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { e2eContext } from "./context";
import { contextMenu, expand, openModelDataView, openWorkbench, screenshot } from "./workbench";

describe("Azure ML Data view (packaged VSIX in code-server)", function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    const ctx = e2eContext();
    page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
  });

  after(async () => page?.close());

  it("opens from the activity bar and shows the Local emulator source", async () => {
    await openModelDataView(page);
    await page.getByRole("treeitem", { name: /Local emulator/ }).waitFor({ timeout: 60_000 });
  });

  it("expands the source into the workspace and its services", async () => {
    const { scenario } = e2eContext();
    await expand(page, "Local emulator");
    await expand(page, scenario.workspace);
    for (const service of ["churn-aks-v1", "credit-endpoint/blue", "fraud-aks"]) {
      await page.getByRole("treeitem", { name: service }).first().waitFor({ timeout: 60_000 });
    }
    const retired = page.getByRole("treeitem", { name: /retired-endpoint\/default/ });
    assert.match((await retired.textContent()) ?? "", /no longer deployed/);
  });

  it("expands a legacy service down to its dates", async () => {
    const { scenario } = e2eContext();
    await expand(page, "churn-aks-v1");
    await expand(page, "churn_model:4");
    await expand(page, "inputs");
    const newest = scenario.dates[scenario.dates.length - 1];
    const dateItem = page.getByRole("treeitem", { name: new RegExp(newest) }).first();
    await dateItem.waitFor({ timeout: 60_000 });
    assert.match((await dateItem.textContent()) ?? "", /1 file/);
    await screenshot(page, "e2e-tree");
  });

  it("enables data collection from a service's context menu after confirming", async () => {
    const green = page.getByRole("treeitem", { name: /credit-endpoint\/green/ }).first();
    assert.match((await green.textContent()) ?? "", /collection off/);
    await contextMenu(page, green, "Enable Data Collection");
    // Nothing remembered from a Disable: it asks which collections, the configured ones picked, each explained.
    const picker = page.locator(".quick-input-widget");
    await picker.waitFor({ timeout: 30_000 });
    await page.locator(".quick-input-list").getByText("model_outputs").first().waitFor({ timeout: 10_000 });
    assert.match((await picker.textContent()) ?? "", /Enable which collections on credit-endpoint\/green\?/);
    assert.match((await picker.textContent()) ?? "", /only when the scoring file calls azureml-ai-monitoring/);
    await screenshot(page, "e2e-enable-pick-collections");
    await page.keyboard.press("Enter");
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.textContent()) ?? "", /model_inputs: off → on/);
    await screenshot(page, "e2e-enable-confirm");
    await dialog.getByRole("button", { name: "Enable" }).click();
    await page.getByRole("treeitem", { name: /credit-endpoint\/green/ }).filter({ hasText: /collecting/ }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, "e2e-enable-done");
  });
});
