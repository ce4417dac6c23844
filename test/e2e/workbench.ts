// Helpers for driving the code-server workbench in Chromium.
import type { FrameLocator, Locator, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../host/codeServer";
import { e2eContext } from "./context";

export const RESULTS_DIR = join(REPO_ROOT, "test-results");

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
  await page.locator(".activitybar").waitFor({ timeout: 90_000 });
  // The suites share one workspace folder, whose editors (previews and reports too) come back with each
  // new window: every suite starts with none.
  await runCommand(page, "View: Close All Editors");
  // A suite may leave an unsaved document (Query Data's untitled SQL), which comes back with the window:
  // closing it asks whether to save it, in a modal over the whole workbench. It is not saved.
  const dontSave = page.locator(".monaco-dialog-box").getByRole("button", { name: /^Don.t Save$/ });
  if (await dontSave.waitFor({ timeout: 1_500 }).then(() => true, () => false)) {
    await dontSave.click();
    await page.locator(".monaco-dialog-box").waitFor({ state: "detached", timeout: 10_000 });
  }
}

export async function openModelDataView(page: Page): Promise<void> {
  await page.locator('.activitybar [aria-label^="Azure ML Data"]').first().click();
  // A container with a single view shows the container's title and hides the view's own header.
  await page.locator(".sidebar .title-label", { hasText: /Azure ML Data/i }).first().waitFor({ timeout: 30_000 });
}

export async function expand(page: Page, label: string): Promise<void> {
  // Accessible names start with the label, then say what the node is and its state ("inputs, collected data").
  const item = page.getByRole("treeitem", { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(,|$)`) }).first();
  await item.waitFor({ timeout: 60_000 });
  if ((await item.getAttribute("aria-expanded")) !== "true") await item.click();
}

/**
 * Right-click `item` and choose `label`. VS Code's menus ignore a click that comes too soon after they open
 * (so the right-click's own release cannot pick an item), so wait a moment and retry if the menu stays.
 */
export async function contextMenu(page: Page, item: Locator, label: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await item.click({ button: "right" });
    const entry = page.getByRole("menuitem", { name: label });
    await entry.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(400);
    await entry.click();
    if (await entry.waitFor({ state: "detached", timeout: 3_000 }).then(() => true, () => false)) return;
    await page.keyboard.press("Escape");
  }
  throw new Error(`the context menu item '${label}' did not run`);
}

/** A new page on the workbench with the Azure ML Data view open. */
export async function newWorkbenchPage(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = e2eContext();
  const page = await ctx.browser.newPage({ viewport });
  await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
  await openModelDataView(page);
  return page;
}

/** The tree collapsed, then opened down to the demo's workspace (its services listed). */
export async function showWorkspace(page: Page): Promise<void> {
  await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
  await expand(page, "Local emulator");
  await expand(page, e2eContext().scenario.workspace);
}

/** Registers a suite's last hooks: a screenshot of each failed test, and the page closed at the end. */
export function screenshotFailuresAndClose(page: () => Page | undefined): void {
  afterEach(async function () {
    const current = page();
    if (this.currentTest?.state === "failed" && current) await screenshot(current, `failed-${this.currentTest.title.replace(/\W+/g, "-").slice(0, 60)}`);
  });
  after(async () => page()?.close());
}

/**
 * Picks the quick-pick row with `text`, then waits for that question to go (the next one replaces its list:
 * a pick made before it did would land on the old question's rows).
 */
export async function pick(page: Page, text: string | RegExp): Promise<void> {
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: text });
  await row.first().waitFor({ timeout: 30_000 });
  const title = page.locator(".quick-input-widget .quick-input-title");
  const before = await title.textContent().catch(() => null);
  await row.first().click();
  for (let i = 0; i < 50; i++) {
    const visible = await page.locator(".quick-input-widget").isVisible();
    if (!visible || (await title.textContent().catch(() => null)) !== before) return;
    await page.waitForTimeout(100);
  }
}

/** Runs a command from the palette by its title, as a user does (F1, type, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator(".quick-input-widget input");
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: title }).first();
  // The palette lists what the context keys allow when it opens; a key that follows a focus change (a
  // query editor taking focus back from a webview) can arrive just after: open it again then.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("F1");
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    const listed = await row.waitFor({ timeout: attempt < 3 ? 5_000 : 15_000 }).then(() => true, (error: Error) => {
      if (attempt >= 3) throw error;
      return false;
    });
    if (listed) break;
    await page.keyboard.press("Escape");
  }
  await input.press("Enter");
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The visible webview's content (hidden panels keep their iframes with retainContextWhenHidden). */
export function webview(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview.ready >> visible=true").frameLocator("#active-frame");
}
