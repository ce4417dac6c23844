// "Why is no data arriving?" in the UI: Check Data Collection from a deployment's context menu, the chain in
// its panel, the diff of the deployed file and its corrected copy, and Enable from the panel.
import * as assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { e2eContext } from "./context";
import { contextMenu, newWorkbenchPage, runCommand, screenshot, screenshotFailuresAndClose, showWorkspace, webview } from "./workbench";
import { CHECK_ENDPOINT, installCheckDeployments, removeCheckDeployments, type CheckInstall } from "../fixtures/checkDeployments";

describe("Check Data Collection in the UI (code-server)", function () {
  this.timeout(240_000);
  let page: Page;
  let install: CheckInstall;

  before(async () => {
    const ctx = e2eContext();
    install = await installCheckDeployments(ctx.arm, ctx.connectionString, ctx.scenario, ["healthy", "name-mismatch", "collection-off"]);
    page = await newWorkbenchPage({ width: 1400, height: 1000 });
    await runCommand(page, "Azure ML Data: Refresh");
  });

  screenshotFailuresAndClose(() => page);

  after(async () => {
    const ctx = e2eContext();
    await removeCheckDeployments(ctx.arm, ctx.connectionString, install);
  });

  it("runs from the tree, shows each link with its evidence, and opens the corrected code beside the deployed file", async () => {
    await showWorkspace(page);
    const item = page.getByRole("treeitem", { name: new RegExp(`^${CHECK_ENDPOINT}/name-mismatch,`) }).first();
    await item.waitFor({ timeout: 60_000 });
    await contextMenu(page, item, "Check Data Collection…");
    const panel = webview(page);
    await panel.locator("h1", { hasText: `Why is no data arriving? ${CHECK_ENDPOINT}/name-mismatch` }).waitFor({ timeout: 60_000 });
    const rows = panel.locator("li.check");
    assert.deepEqual(await rows.evaluateAll((items) => items.map((i) => `${(i as HTMLElement).dataset.check}=${(i as HTMLElement).dataset.status}`)),
      ["configuration=ok", "code=problem", "traffic=ok", "log=ok", "storage=problem", "monitoring=ok"]);
    const code = panel.locator('li.check[data-check="code"]');
    assert.match((await code.textContent()) ?? "", /did you mean "model_inputs"/);
    await screenshot(page, "e2e-check-panel");
    // The node carries the worst status of the check.
    await page.getByRole("treeitem", { name: new RegExp(`^${CHECK_ENDPOINT}/name-mismatch,.*check: problem`) }).first().waitFor({ timeout: 30_000 });
    await code.getByRole("button", { name: "Show Corrected Code" }).click();
    await page.getByRole("tab", { name: /score\.py: deployed ↔ corrected/ }).first().waitFor({ timeout: 30_000 });
    await page.locator(".monaco-diff-editor .modified-in-monaco-diff-editor .view-lines", { hasText: 'Collector(name="model_inputs")' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, "e2e-check-corrected-code");
  });

  it("applies a fix: Enable from the panel turns collection on, and the check says so", async () => {
    const item = page.getByRole("treeitem", { name: new RegExp(`^${CHECK_ENDPOINT}/collection-off,`) }).first();
    await item.waitFor({ timeout: 60_000 });
    await contextMenu(page, item, "Check Data Collection…");
    const panel = webview(page);
    await panel.locator("h1", { hasText: `${CHECK_ENDPOINT}/collection-off` }).waitFor({ timeout: 60_000 });
    const configuration = panel.locator('li.check[data-check="configuration"]');
    assert.equal(await configuration.getAttribute("data-status"), "problem");
    await configuration.getByRole("button", { name: "Enable Data Collection" }).click();
    const picker = page.locator(".quick-input-widget");
    if (await picker.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await page.keyboard.press("Enter");
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole("button", { name: "Enable" }).click();
    await panel.locator('li.check[data-check="configuration"][data-status="ok"]').waitFor({ timeout: 90_000 });
    await screenshot(page, "e2e-check-enabled");
  });
});
