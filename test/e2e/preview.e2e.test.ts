// The preview grid in the real webview (code-server + Chromium): a 100k-row file, sort, filter, system
// columns, scrolling, and a file of hostile cells that must stay text.
import * as assert from "node:assert/strict";
import type { FrameLocator, Page } from "playwright-core";
import { BlobServiceClient } from "@azure/storage-blob";
import { e2eContext } from "./context";
import { contextMenu, expand, openModelDataView, openWorkbench, screenshot, screenshotFailuresAndClose, webview } from "./workbench";
import { legacyBlobName } from "../../src/core/blobLayout";
import { AML_SYSTEM_COLUMNS } from "../../src/core/table/legacyColumns";

const ROWS = 100_000;

async function upload(service: string, content: string): Promise<void> {
  const { scenario, connectionString } = e2eContext();
  const name = legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
    service, model: "m", version: "1", identifier: "inputs", date: "2030-01-01", file: "data.csv" });
  await BlobServiceClient.fromConnectionString(connectionString).getContainerClient("modeldata").getBlockBlobClient(name).uploadData(Buffer.from(content));
}

function bigCsv(): string {
  const lines = [["row_id", "value", "label", ...AML_SYSTEM_COLUMNS].join(",")];
  for (let i = 0; i < ROWS; i++) {
    // value runs backwards so an ascending sort visibly reorders the rows.
    lines.push([i, (ROWS - i) / 10, i % 2 ? "odd" : "even", "3f2b1c4d-0000-4000-8000-000000000001", "2030-01-01T00:00:00.000001", "1440", "s/rg/ws", "big", "m", "1", "00000000-0000-0000-0000-000000000000"].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

const HOSTILE = [
  "<script>window.__pwned = 1</script>",
  "<img src=x onerror=\"window.__pwned = 2\">",
  "javascript:window.__pwned = 3",
  "=HYPERLINK(\"http://evil.example\",\"click\")",
  "<b onmouseover=\"window.__pwned = 4\">bold</b>",
];

/** An inputs file whose feature names came from the request (a DataFrame's columns): hostile too. */
function hostileCsv(): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const system = ["3f2b1c4d-0000-4000-8000-000000000001", "2030-01-01T00:00:00.000001", "1440", "s/rg/ws", "hostile-e2e", "m", "1", "00000000-0000-0000-0000-000000000000"];
  const header = [...["<svg onload=window.__pwned=5>", "note", "big"].map(quote), ...AML_SYSTEM_COLUMNS].join(",");
  const rows = HOSTILE.map((cell, i) => [quote(cell), `row ${i}`, i === 0 ? "A".repeat(1024 * 1024) : "x", ...system].join(","));
  return [header, ...rows].join("\r\n") + "\r\n";
}

/** 40 features before the system columns: turned on, the system columns start far off screen. */
function wideCsv(): string {
  const features = Array.from({ length: 40 }, (_, i) => `feature_${String(i + 1).padStart(2, "0")}`);
  const system = ["3f2b1c4d-0000-4000-8000-000000000001", "2030-01-01T00:00:00.000001", "1440", "s/rg/ws", "wide-e2e", "m", "1", "00000000-0000-0000-0000-000000000000"];
  const rows = Array.from({ length: 50 }, (_, r) => [...features.map((_, c) => String(r * 100 + c)), ...system].join(","));
  return [[...features, ...AML_SYSTEM_COLUMNS].join(","), ...rows].join("\r\n") + "\r\n";
}

async function openPreview(page: Page, service: string): Promise<FrameLocator> {
  // Collapse first: labels such as "m:1" repeat under other services. (Both files were uploaded before
  // the workbench opened, so no refresh is needed.)
  await page.locator('.sidebar .title-actions [aria-label^="Collapse All"]').first().click();
  await expand(page, "Local emulator");
  await expand(page, e2eContext().scenario.workspace);
  await expand(page, service);
  await expand(page, "m:1");
  await expand(page, "inputs");
  await contextMenu(page, page.getByRole("treeitem", { name: /2030-01-01/ }).first(), "Preview Collected Data");
  const frame = webview(page);
  await frame.locator(".grid .row .cell").first().waitFor({ timeout: 60_000 });
  return frame;
}

describe("preview grid (webview in code-server)", function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    await upload("big-e2e", bigCsv());
    await upload("hostile-e2e", hostileCsv());
    await upload("wide-e2e", wideCsv());
    const ctx = e2eContext();
    page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, ctx.codeServerUrl, ctx.workspaceFolder);
    await openModelDataView(page);
  });

  screenshotFailuresAndClose(() => page);

  it("streams a 100k-row file into a windowed grid with system columns hidden", async () => {
    const frame = await openPreview(page, "big-e2e");
    await frame.locator(".status", { hasText: /Loaded · 100,000 rows/ }).waitFor({ timeout: 120_000 });
    const headers = await frame.locator(".hcell .hname").allTextContents();
    assert.deepEqual(headers, ["row_id", "value", "label"]);
    assert.ok((await frame.locator(".grid .row").count()) < 100, "only visible rows are in the DOM");
    await frame.locator(".hcell .htype").first().filter({ hasText: "int" }).waitFor({ timeout: 10_000 });
    await screenshot(page, "e2e-preview-100k");
  });

  it("sorts numerically and filters per column", async () => {
    const frame = webview(page);
    await frame.locator(".hcell .htitle", { hasText: "value" }).click();
    await frame.locator(".grid .row").first().locator(".cell").nth(1).filter({ hasText: /^0\.1$/ }).waitFor({ timeout: 30_000 });
    await frame.locator(".hcell .htitle", { hasText: "value" }).click();
    await frame.locator(".grid .row").first().locator(".cell").nth(1).filter({ hasText: /^10000$/ }).waitFor({ timeout: 30_000 });
    await frame.locator(".hfilter").nth(2).fill("odd");
    await frame.locator(".status", { hasText: /50,000 of 100,000 rows/ }).waitFor({ timeout: 30_000 });
    await frame.locator(".hfilter").nth(1).fill("<= 0.5");
    await frame.locator(".status", { hasText: /3 of 100,000 rows/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, "e2e-preview-sorted-filtered");
    await frame.locator(".hfilter").nth(1).fill("");
    await frame.locator(".hfilter").nth(2).fill("");
    await frame.locator(".status", { hasText: /Loaded · 100,000 rows/ }).waitFor({ timeout: 30_000 });
  });

  it("shows the $aml_* system columns on request", async () => {
    const frame = webview(page);
    const columnsBefore = Number(await frame.locator(".grid").getAttribute("aria-colcount"));
    await frame.locator(".system-toggle").click();
    await frame.locator(".hcell.system").first().waitFor({ timeout: 10_000 });
    assert.equal(Number(await frame.locator(".grid").getAttribute("aria-colcount")), columnsBefore + 8);
    // Only the columns on screen are in the DOM: End moves to the last one, which is the last system column.
    await frame.locator(".grid .row").first().locator(".cell").first().click();
    await frame.locator(".grid").press("End");
    await frame.locator(".hcell.system .hname", { hasText: "$aml_request_id" }).waitFor({ timeout: 10_000 });
    await frame.locator(".cell.active").filter({ hasText: /^[0-9a-f-]{36}$/ }).waitFor({ timeout: 10_000 });
  });

  it("hiding the system columns while scrolled right keeps a valid view", async () => {
    const frame = webview(page);
    // Scrolled right onto the last system column (previous test); hide the system columns.
    await frame.locator(".system-toggle").click();
    await frame.locator(".hcell .hname", { hasText: "row_id" }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await frame.locator(".hcell .hname").allTextContents(), ["row_id", "value", "label"]);
    assert.ok((await frame.locator(".grid .row").first().locator(".cell:not([hidden])").count()) >= 3, "the rows show their cells");
    assert.match((await frame.locator(".grid .row").first().locator(".cell").first().textContent()) ?? "", /^\d+$/);
    // Column names are not cut: columns are sized to their header and first rows.
    const cut = await frame.locator(".hcell .hname").evaluateAll((names) => names.filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent));
    assert.deepEqual(cut, []);
    // Resizing a column after hiding the system columns resizes that column, not another.
    const widths = () => frame.locator(".hcell").evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width)));
    const before = await widths();
    const handle = frame.locator(".hcell").nth(1).locator(".resize");
    const box = await handle.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = await widths();
    assert.ok(after[1] - before[1] >= 50, `the "value" column grew (${before[1]} → ${after[1]})`);
    assert.deepEqual([after[0], after[2]], [before[0], before[2]], "the other columns kept their widths");
    await screenshot(page, "e2e-preview-system-hidden-after-scroll");
  });

  it("opens a column's statistics from the keyboard, over all rows and over the filtered rows", async () => {
    const frame = webview(page);
    await frame.locator(".hfilter").nth(1).fill("> abc");
    await frame.locator(".hfilter.invalid").waitFor({ timeout: 10_000 });
    assert.match((await frame.locator(".hfilter").nth(1).getAttribute("title")) ?? "", /^Not a valid filter: > needs a number/);
    await frame.locator(".status", { hasText: /Loaded · 100,000 rows/ }).waitFor({ timeout: 10_000 });
    await frame.locator(".hfilter").nth(1).fill("1..10");
    await frame.locator(".status", { hasText: /91 of 100,000 rows/ }).waitFor({ timeout: 30_000 });
    await frame.locator(".hcell .hdetails").nth(1).focus();
    await frame.locator(".hcell .hdetails").nth(1).press("Enter");
    const dialog = frame.locator(".column-detail[role=dialog]");
    await dialog.locator("dd", { hasText: "all 100,000 rows" }).waitFor({ timeout: 10_000 });
    const text = (await dialog.textContent()) ?? "";
    for (const label of ["std", "p5", "p25", "p50", "p75", "p95"]) assert.ok(text.includes(label), `${label} in ${text}`);
    await dialog.getByRole("button", { name: "Filtered rows" }).click();
    await dialog.locator("dd", { hasText: "the filtered 91 rows" }).waitFor({ timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? "", /min1max10/);
    await screenshot(page, "e2e-preview-column-detail");
    await dialog.press("Escape");
    assert.equal(await dialog.isVisible(), false);
    await frame.locator(".hfilter").nth(1).fill("");
    await frame.locator(".status", { hasText: /Loaded · 100,000 rows/ }).waitFor({ timeout: 30_000 });
  });

  it("scrolls to the end of 100k rows with a bounded DOM", async () => {
    const frame = webview(page);
    await frame.locator(".grid").click();
    await frame.locator(".grid").press("Control+End");
    await frame.locator(".cell.active").filter({ hasText: /./ }).waitFor({ timeout: 30_000 });
    const nodes = await frame.locator(".grid *").count();
    assert.ok(nodes < 3000, `${nodes} DOM nodes`);
    assert.ok(await frame.locator(".row[aria-rowindex='100001']").count() === 1, "the last row is on screen");
    await screenshot(page, "e2e-preview-scrolled");
  });

  it("says why a column filter is not applied under its box", async () => {
    const frame = webview(page);
    const message = frame.locator(".hfilter-error").nth(1);
    assert.equal(await message.isVisible(), false);
    await frame.locator(".hfilter").nth(1).fill("> abc");
    await message.waitFor({ state: "visible", timeout: 10_000 });
    assert.match((await message.textContent()) ?? "", /^Not a valid filter: > needs a number \(> abc\)/);
    const [box, under] = [await frame.locator(".hfilter").nth(1).boundingBox(), await message.boundingBox()];
    assert.ok(box && under && under.y >= box.y + box.height - 1 && Math.abs(under.x - box.x) < 2, "right under the filter box");
    await frame.locator(".status", { hasText: /Loaded · 100,000 rows/ }).waitFor({ timeout: 10_000 });
    await frame.locator(".hfilter").nth(1).fill("");
    await message.waitFor({ state: "hidden", timeout: 10_000 });
  });

  it("selects the grid's rows with Ctrl+A wherever the focus is, and copies with the header by default", async () => {
    const frame = webview(page);
    await frame.locator(".status").click();
    await page.keyboard.press("Control+a");
    await frame.locator(".grid .cell.selected").first().waitFor({ timeout: 10_000 });
    // Whatever the page selects besides, the grid's cells are not page text: the grid's own selection holds them.
    const selectedText = await frame.locator("body").evaluate(() => window.getSelection()?.toString() ?? "");
    const firstCell = (await frame.locator(".grid .row").first().locator(".cell").first().textContent()) ?? "";
    assert.ok(firstCell !== "" && !selectedText.includes(firstCell), `no cell text in the page selection (${selectedText.slice(0, 80)})`);
    assert.equal(await frame.locator(".grid").getAttribute("aria-rowcount"), "100001");
    const toggle = frame.locator(".header-toggle");
    assert.equal(await toggle.evaluate((t) => (t as HTMLElement & { checked?: boolean }).checked), true, "Copy with header is on by default");
  });

  it("turns the system columns on where they can be seen, not off screen", async () => {
    const frame = await openPreview(page, "wide-e2e");
    await frame.locator(".status", { hasText: /Loaded · 50 rows/ }).waitFor({ timeout: 60_000 });
    await frame.locator(".system-toggle").click();
    const system = frame.locator(".hcell.system").first();
    await system.waitFor({ timeout: 10_000 });
    const [grid, column] = [await frame.locator(".grid").boundingBox(), await system.boundingBox()];
    assert.ok(grid && column && column.x >= grid.x && column.x + 20 <= grid.x + grid.width, `the first system column is on screen (${column?.x} in ${grid?.x}..${grid && grid.x + grid.width})`);
    assert.equal(await frame.locator(".hcell.system .hname").first().textContent(), "$aml_dc_correlation_id");
    await frame.locator(".system-toggle").click();
  });

  it("renders hostile cells as text: nothing executes and the grid still works", async () => {
    const frame = await openPreview(page, "hostile-e2e");
    await frame.locator(".status", { hasText: /Loaded · 5 rows/ }).waitFor({ timeout: 60_000 });
    const first = await frame.locator(".grid .row").first().locator(".cell").first().textContent();
    assert.equal(first, HOSTILE[0]);
    assert.equal(await frame.locator(".hcell .hname").first().textContent(), "<svg onload=window.__pwned=5>");
    assert.equal(await frame.locator(".grid script, .grid img, .grid svg, .grid b, .header svg").count(), 0);
    await frame.locator(".grid .row").nth(4).locator(".cell").first().hover();
    const pwned = await Promise.all(page.frames().map((f) => f.evaluate(() => (window as unknown as { __pwned?: number }).__pwned).catch(() => undefined)));
    assert.deepEqual(pwned.filter((v) => v !== undefined), [], `something executed: ${pwned}`);
    // The 1 MB cell arrives shortened and the grid still sorts.
    assert.match((await frame.locator(".grid .row").first().locator(".cell").nth(2).textContent()) ?? "", /… \(1024 KB\)$/);
    await frame.locator(".hcell .htitle", { hasText: "note" }).click();
    await frame.locator(".hcell .htitle", { hasText: "note" }).click();
    await frame.locator(".grid .row").first().locator(".cell").nth(1).filter({ hasText: "row 4" }).waitFor({ timeout: 30_000 });
    await screenshot(page, "e2e-preview-hostile");
  });
});
