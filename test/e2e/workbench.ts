// Helpers for driving the code-server workbench in Chromium.
import type { Page } from "playwright-core";
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
  const item = page.getByRole("treeitem", { name: label, exact: false }).first();
  await item.waitFor({ timeout: 60_000 });
  if ((await item.getAttribute("aria-expanded")) !== "true") await item.click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
