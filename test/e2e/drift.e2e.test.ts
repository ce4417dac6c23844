// The drift report in the real webview (code-server + Chromium): two dates selected in the tree and
// compared, the table sorted by drift, the drifted-only filter, a feature's charts, an export; feature
// names and categories from the public render as text and execute nothing.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { BlobServiceClient } from "@azure/storage-blob";
import { e2eContext } from "./context";
import { contextMenu, expand, openModelDataView, openWorkbench, runCommand, screenshot, screenshotFailuresAndClose, webview } from "./workbench";
import { legacyBlobName } from "../../src/core/blobLayout";

const HOSTILE_NAME = "<img src=x onerror=window.__pwned=7>";
const HOSTILE_CATEGORY = "<script>window.__pwned=8</script>";
const DATES = ["2030-05-01", "2030-05-02"];

function day(seed: number, drifted: boolean): string {
  let state = seed;
  const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [["age", "income", quote(HOSTILE_NAME), "segment", "score"].join(",")];
  for (let r = 0; r < 3000; r++) {
    const segment = drifted && uniform() < 0.3 ? HOSTILE_CATEGORY : ["a", "b", "c"][Math.floor(uniform() * 3)];
    lines.push([(40 + 10 * normal()).toFixed(2), (50_000 + (drifted ? 20_000 : 0) + 10_000 * normal()).toFixed(2), (5 + (drifted ? 4 : 1) * normal()).toFixed(3), quote(segment), (0.5 + 0.1 * normal()).toFixed(4)].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

describe("drift report (webview in code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    const { scenario, connectionString } = e2eContext();
    const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient("modeldata");
    for (const [i, date] of DATES.entries()) {
      const name = legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
        service: "drift-e2e", model: "m", version: "1", identifier: "inputs", date, file: "data.csv" });
      await container.getBlockBlobClient(name).uploadData(Buffer.from(day(7 + i, i === 1)));
    }
    const ctx = e2eContext();
    page = await ctx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
    await openModelDataView(page);
  });

  screenshotFailuresAndClose(() => page);

  it("compares two selected dates: drifted features first, hostile names as text", async () => {
    await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
    await expand(page, "Local emulator");
    await expand(page, e2eContext().scenario.workspace);
    await expand(page, "drift-e2e");
    await expand(page, "m:1");
    await expand(page, "inputs");
    const older = page.getByRole("treeitem", { name: /^2030-05-01/ }).first();
    const newer = page.getByRole("treeitem", { name: /^2030-05-02/ }).first();
    await older.click();
    await newer.click({ modifiers: ["Control"] });
    await contextMenu(page, newer, "Compare Selected Dates");
    const frame = webview(page);
    await frame.locator("table.features tr.feature").first().waitFor({ timeout: 120_000 });
    assert.match((await frame.locator(".verdict").first().textContent()) ?? "", /^3 of 5 features drifted/);
    // Sorted by how far past the threshold: the drifted three first.
    const names = await frame.locator("table.features tr.feature td.name").allTextContents();
    assert.deepEqual(new Set(names.slice(0, 3)), new Set(["income", HOSTILE_NAME, "segment"]));
    assert.equal(await frame.locator("table.features tr.feature.drifted").count(), 3);
    assert.equal(await frame.locator("#report img, #report script").count(), 0, "no markup from data");
    await screenshot(page, "e2e-drift-report");
  });

  it("filters to the drifted features and sorts by name", async () => {
    const frame = webview(page);
    await frame.getByLabel("Drifted only").check();
    assert.equal(await frame.locator("table.features tr.feature").count(), 3);
    await frame.locator("th button.sort", { hasText: "Feature" }).click();
    const names = await frame.locator("table.features tr.feature td.name").allTextContents();
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    await frame.getByLabel("Drifted only").uncheck();
    assert.equal(await frame.locator("table.features tr.feature").count(), 5);
  });

  it("opens a feature's detail from the keyboard with its charts and numbers", async () => {
    const frame = webview(page);
    const income = frame.locator("table.features tr.feature", { hasText: "income" });
    await income.focus();
    await income.press("Enter");
    await frame.locator(".detail h3", { hasText: "income" }).waitFor({ timeout: 10_000 });
    // uPlot draws on canvas: a distribution and the two CDFs.
    assert.ok((await frame.locator(".detail canvas").count()) >= 2);
    // The distribution's axis is numbers at readable intervals, not every bin's range run together.
    const ticks = JSON.parse((await frame.locator(".detail .chart .plot").first().getAttribute("data-x-ticks")) ?? "[]") as string[];
    assert.ok(ticks.length >= 2 && ticks.length <= 12, `x ticks: ${ticks.join(" | ")}`);
    for (const tick of ticks) assert.match(tick, /^-?\d[\d.]*(e[+-]?\d+)?$/, `a number, not a range: ${tick}`);
    // Hovers say what the metric and each column mean, and why the type is what it is.
    assert.match((await frame.locator(".detail table.metrics th", { hasText: "normalized Wasserstein distance" }).getAttribute("title")) ?? "", /standard deviations.*higher is more drift/i);
    assert.match((await frame.locator("table.features th", { hasText: "Data quality" }).first().getAttribute("title")) ?? "", /Higher in production is worse/);
    assert.match((await income.locator("td.kind").getAttribute("title")) ?? "", /^numbers with fractions$/);
    const metrics = (await frame.locator(".detail table.metrics").textContent()) ?? "";
    for (const label of ["normalized Wasserstein distance", "Jensen-Shannon distance", "PSI", "KS statistic", "null rate", "out-of-bounds rate"]) assert.ok(metrics.includes(label), `${label} in ${metrics}`);
    await frame.locator(".detail details.chart-numbers summary").first().click();
    assert.ok((await frame.locator(".detail details.chart-numbers[open] td").count()) > 10, "the chart's numbers as text");
    // The hostile category is a category like any other: text in the chart's table.
    const segment = frame.locator("table.features tr.feature", { hasText: "segment" });
    await segment.click();
    await frame.locator(".detail h3", { hasText: "segment" }).waitFor({ timeout: 10_000 });
    await frame.locator(".detail details.chart-numbers summary").first().click();
    await frame.locator(".detail details.chart-numbers td", { hasText: HOSTILE_CATEGORY }).first().waitFor({ timeout: 10_000 });
    const pwned = await Promise.all(page.frames().map((f) => f.evaluate(() => (window as unknown as { __pwned?: number }).__pwned).catch(() => undefined)));
    assert.deepEqual(pwned.filter((v) => v !== undefined), [], `something executed: ${pwned}`);
    await screenshot(page, "e2e-drift-detail");
  });

  it("exports the report as JSON through the save dialog", async () => {
    const frame = webview(page);
    // The dialog offers drift-<title>.json in the workspace folder; Enter takes it (typing a path into
    // code-server's dialog races its own completion).
    const target = join(e2eContext().workspaceFolder, "drift-drift-e2e_m_1_inputs.json");
    await frame.getByRole("button", { name: "Export JSON" }).click();
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ timeout: 15_000 });
    for (let i = 0; i < 50 && !(await input.inputValue()).endsWith("drift-drift-e2e_m_1_inputs.json"); i++) await page.waitForTimeout(100);
    await input.press("Enter");
    for (let i = 0; i < 100 && !existsSync(target); i++) await page.waitForTimeout(100);
    const saved = JSON.parse(readFileSync(target, "utf8"));
    assert.equal(saved.collections[0].result.drifted.length, 3);
    assert.ok(saved.collections[0].result.features.some((f: { name: string }) => f.name === HOSTILE_NAME));
  });

  it("the preview's Compare with… compares what it shows with the day before", async () => {
    // Nothing left open from the test before.
    if (await page.locator(".quick-input-widget input").isVisible()) await page.keyboard.press("Escape");
    await contextMenu(page, page.getByRole("treeitem", { name: /^2030-05-02/ }).first(), "Preview Collected Data");
    const preview = webview(page);
    await preview.locator(".status", { hasText: /Loaded · 3,000 rows/ }).waitFor({ timeout: 60_000 });
    await preview.getByRole("button", { name: "Compare with…" }).click();
    const pick = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: "The window just before" });
    await pick.waitFor({ timeout: 15_000 });
    await pick.click();
    const report = webview(page);
    await report.locator(".windows", { hasText: "Production 2030-05-02 → 2030-05-02 · reference 2030-05-01 → 2030-05-01" }).waitFor({ timeout: 60_000 });
    assert.match((await report.locator(".verdict").first().textContent()) ?? "", /^3 of 5 features drifted/);
  });

  it("ends quietly when its first question is dismissed with Escape", async () => {
    if (await page.locator(".quick-input-widget input").isVisible()) await page.keyboard.press("Escape");
    // One node selected (the dates were selected together before): its own menu.
    const inputs = page.getByRole("treeitem", { name: /^inputs/ }).first();
    await inputs.click();
    await contextMenu(page, inputs, "Compare Data (Drift and Data Quality)…");
    const question = page.locator(".quick-input-widget", { hasText: "Compare: which dates are production?" });
    await question.waitFor({ timeout: 15_000 });
    await page.keyboard.press("Escape");
    await question.waitFor({ state: "hidden", timeout: 10_000 });
    await page.waitForTimeout(1500);
    assert.equal(await page.locator(".notifications-toasts", { hasText: /Say which dates|production window/ }).count(), 0, "no error meant for API callers");
    // Back to the report the next test uses.
    await page.getByRole("tab", { name: /^Drift: drift-e2e/ }).last().click();
  });

  it("compares again with one feature's threshold changed, redrawing the report in place", async () => {
    const report = webview(page);
    const age = report.locator("table.features tr.feature", { hasText: "age" });
    await age.click();
    await report.locator(".detail h3", { hasText: "age" }).waitFor({ timeout: 10_000 });
    await report.getByLabel("Threshold").fill("0.01");
    await report.getByRole("button", { name: "Compare again" }).click();
    await report.locator(".verdict", { hasText: /^4 of 5 features drifted/ }).waitFor({ timeout: 60_000 });
    assert.equal(await report.locator("table.features tr.feature.drifted", { hasText: "age" }).count(), 1);
  });
  it("brings the report and the preview back after a reload, and the tree as it was", async () => {
    const tabs = async () => (await page.getByRole("tab").allTextContents()).map((t) => t.trim()).filter(Boolean);
    const before = await tabs();
    assert.ok(before.some((t) => t.startsWith("Drift: drift-e2e")), before.join(" | "));
    // As a user does it: Developer: Reload Window (VS Code saves the panels' state on the way out).
    await runCommand(page, "Developer: Reload Window");
    await page.waitForTimeout(3000);
    await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
    // The report comes back from the state its webview kept, as it was last drawn.
    const report = webview(page);
    await report.locator(".verdict").first().waitFor({ timeout: 120_000 });
    assert.match((await report.locator(".verdict").first().textContent()) ?? "", /^4 of 5 features drifted/);
    assert.equal(await report.getByRole("button", { name: "Export JSON" }).count(), 1);
    // The preview reads its data again from storage.
    await page.locator(".tabs-container .tab", { has: page.locator(".label-name", { hasText: /^drift-e2e · m:1 · inputs · 2030-05-02$/ }) }).first().click();
    await webview(page).locator(".status", { hasText: /Loaded · 3,000 rows/ }).waitFor({ timeout: 120_000 });
    await screenshot(page, "e2e-restored-after-reload");
    // The tree keeps what was expanded (the view itself is restored open).
    if (!(await page.locator(".sidebar .title-label", { hasText: /Azure ML Data/i }).first().isVisible())) await openModelDataView(page);
    const model = page.getByRole("treeitem", { name: /^m:1(,|$)/ }).first();
    await model.waitFor({ timeout: 60_000 });
    assert.equal(await model.getAttribute("aria-expanded"), "true");
  });
});
