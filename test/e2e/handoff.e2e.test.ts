// From a look to action through the real UI (code-server + Chromium): compare a deployment, press Create
// Azure ML Monitor…, answer, read the exact JSON, confirm, find the monitor under Monitors; and build a
// training set from the deployment's context menu into the workspace folder.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { e2eContext } from "./context";
import { contextMenu, expand, newWorkbenchPage, pick, screenshot, screenshotFailuresAndClose, showWorkspace, webview } from "./workbench";

async function acceptInput(page: Page, expected: RegExp): Promise<void> {
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: 30_000 });
  for (let i = 0; i < 50 && !expected.test(await input.inputValue()); i++) await page.waitForTimeout(100);
  assert.match(await input.inputValue(), expected);
  await input.press("Enter");
}

describe("Azure ML hand-off in the UI (code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    page = await newWorkbenchPage({ width: 1400, height: 1000 });
  });

  screenshotFailuresAndClose(() => page);

  it("shows the exact JSON, creates the monitor on confirm, and lists it under Monitors", async () => {
    await showWorkspace(page);
    const blue = page.getByRole("treeitem", { name: /^credit-endpoint\/blue,/ }).first();
    await blue.waitFor({ timeout: 60_000 });
    await contextMenu(page, blue, "Compare Data (Drift and Data Quality)…");
    await pick(page, "Newest day with data");
    await pick(page, "The window just before");

    const report = webview(page);
    const create = report.getByRole("button", { name: "Create Azure ML Monitor…" });
    await create.waitFor({ timeout: 120_000 });
    await create.click();
    await pick(page, "The report's reference dates");
    await pick(page, "Classification");
    await acceptInput(page, /^credit-endpoint-blue-drift$/);
    await acceptInput(page, /^$/);

    // The body opens in a full editor tab, readable and scrollable; the question is a notification that covers nothing.
    const question = page.locator(".notifications-toasts .notification-toast", { hasText: "Create the Azure ML monitor credit-endpoint-blue-drift?" });
    await question.waitFor({ timeout: 30_000 });
    assert.match((await question.textContent()) ?? "", /schedules\/credit-endpoint-blue-drift.*registers credit-endpoint-blue-model_inputs:1/s);
    assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "no modal over the JSON");
    const json = page.locator(".monaco-editor .view-lines", { hasText: '"actionType": "CreateMonitor"' }).first();
    await json.waitFor({ timeout: 15_000 });
    const [editor, workbench] = [await page.locator(".editor-group-container.active").boundingBox(), await page.locator(".monaco-workbench .part.editor").boundingBox()];
    assert.ok(editor && workbench && editor.width >= workbench.width - 2, "the JSON has the whole editor area, not half of it");
    await screenshot(page, "e2e-monitor-confirm");
    await question.getByRole("button", { name: "Create Monitor" }).click();

    await page.locator(".notifications-toasts", { hasText: "Azure ML monitor credit-endpoint-blue-drift created" }).waitFor({ timeout: 60_000 });
    await expand(page, "credit-endpoint/blue");
    await expand(page, "Monitors");
    const monitor = page.getByRole("treeitem", { name: /^credit-endpoint-blue-drift, azure ml monitor, enabled · DataDrift/ }).first();
    await monitor.waitFor({ timeout: 30_000 });
    await screenshot(page, "e2e-monitor-listed");
  });

  it("builds a training set from the deployment's context menu, into the workspace folder", async () => {
    const { scenario, workspaceFolder } = e2eContext();
    const newest = scenario.dates[scenario.dates.length - 1];
    const from = new Date(Date.parse(`${newest}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const target = join(workspaceFolder, `training-${from}_${newest}.parquet`);
    await contextMenu(page, page.getByRole("treeitem", { name: /^credit-endpoint\/blue,/ }).first(), "Build Training Set…");
    await pick(page, "Last 7 days of data");
    await pick(page, "Inputs with their outputs only");
    await pick(page, "No labels");
    await pick(page, "Parquet");
    await pick(page, "Save to a local file…");
    await acceptInput(page, new RegExp(`training-${from}_${newest}\\.parquet$`));
    const ready = page.locator(".notifications-toasts", { hasText: /Training set ready: [\d,]+ rows × \d+ columns\. [\d,]+ row\(s\) joined/ });
    await ready.waitFor({ timeout: 120_000 });
    await screenshot(page, "e2e-training-set");
    assert.ok(existsSync(target), target);
    assert.equal(readFileSync(target).subarray(0, 4).toString(), "PAR1");
  });
});
