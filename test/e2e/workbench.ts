// Helpers for driving the code-server workbench in Chromium.
import type { FrameLocator, Locator, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../host/codeServer";

export const RESULTS_DIR = join(REPO_ROOT, "test-results");

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
  await page.locator(".activitybar").waitFor({ timeout: 90_000 });
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
