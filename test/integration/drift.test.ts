// Drift compares in the real host against Azurite: planted drift in 3 of 20 features is found and only
// there (per day too), a compare against a local CSV, prediction drift on a service's outputs, cancel,
// and the report with its exports.
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, scenario, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";
import type { DriftReport } from "../../src/core/drift/report";

const WS = ["Local emulator", scenario.workspace];
const SERVICE = "drift-svc";
const DAYS = ["2030-04-01", "2030-04-02", "2030-04-03", "2030-04-04"];
const ROWS = 2500;

/** Seeded normal values. */
function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform()) };
}

/** 20 features; from 2030-04-03 on, f3's mean shifts, f8 spreads and f15 gets a new category. */
function inputsCsv(day: number, drifted: boolean): string {
  const { uniform, normal } = generator(1000 + day);
  const lines = [[...Array.from({ length: 20 }, (_, i) => `f${i}`), "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp"].join(",")];
  for (let r = 0; r < ROWS; r++) {
    const cells = Array.from({ length: 20 }, (_, i) => {
      if (i === 15) return ["red", "green", "blue", ...(drifted ? ["violet", "violet"] : [])][Math.floor(uniform() * (drifted ? 5 : 3))];
      return (10 * i + (drifted && i === 3 ? 1.5 : 0) + (drifted && i === 8 ? 3 : 1) * normal()).toFixed(4);
    });
    lines.push([...cells, `id-${day}-${r}`, "2030-04-01T00:00:00.000000"].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** The model's scores follow its inputs: higher from 2030-04-03 on. */
function predictionsCsv(day: number, drifted: boolean): string {
  const { normal } = generator(5000 + day);
  return ["score", ...Array.from({ length: ROWS }, () => (0.3 + (drifted ? 0.25 : 0) + 0.1 * normal()).toFixed(4))].join("\r\n") + "\r\n";
}

describe("drift compare", function () {
  this.timeout(240_000);
  const container = () => BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
  const path = (identifier: string, date: string) => `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/${SERVICE}/drift_model/1/${identifier}/${date.replace(/-/g, "/")}/data.csv`.toLowerCase();
  const names: string[] = [];

  before(async () => {
    for (const [i, date] of DAYS.entries()) {
      const drifted = i >= 2;
      for (const [identifier, body] of [["inputs", inputsCsv(i, drifted)], ["predictions", predictionsCsv(i, drifted)]] as const) {
        const name = path(identifier, date);
        names.push(name);
        await container().getBlockBlobClient(name).uploadData(Buffer.from(body));
      }
    }
    (await activeApi()).tree.refresh();
  });

  after(async () => {
    const api = await activeApi();
    for (const name of names) await container().deleteBlob(name);
    api.tree.refresh();
  });

  const inputs = async () => walk(await activeApi(), [...WS, SERVICE, "drift_model:1", "inputs"]);

  it("finds the planted drift in 3 of 20 features and only there, and shows when it began", async () => {
    const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", await inputs(), {
      production: { from: "2030-04-03", to: "2030-04-04" }, reference: { from: "2030-04-01", to: "2030-04-02" }, show: false });
    assert.equal(report.collections.length, 1);
    const result = report.collections[0].result;
    assert.deepEqual([...result.drifted].sort(), ["f15", "f3", "f8"]);
    assert.equal(result.features.length, 20);
    assert.equal(result.reference.rows, 2 * ROWS);
    assert.equal(result.production.rows, 2 * ROWS);
    assert.equal(result.reference.files, 2);
    const f3 = result.features.find((f) => f.name === "f3")!;
    assert.equal(f3.metric, "normalizedWasserstein");
    assert.ok(f3.value > 1, String(f3.value));
    assert.deepEqual(f3.timeline?.map((t) => t.bucket), ["2030-04-03", "2030-04-04"]);
    assert.ok(f3.timeline!.every((t) => (t.value ?? 0) > f3.threshold));
    const calm = result.features.find((f) => f.name === "f0")!;
    assert.equal(calm.drifted, false);
    assert.ok(calm.value < 0.1, String(calm.value));
    const f15 = result.features.find((f) => f.name === "f15")!;
    assert.equal(f15.kind, "categorical");
    assert.ok(Math.abs(f15.quality.production.outOfBoundsRate - 0.4) < 0.05, String(f15.quality.production.outOfBoundsRate));
    // The JSON is plain: no NaN, no Infinity.
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)));
  });

  it("compares against a local CSV (the training data)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "drift-"));
    const file = join(folder, "training.csv");
    writeFileSync(file, inputsCsv(0, false));
    const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", await inputs(), {
      production: { from: "2030-04-04", to: "2030-04-04" }, reference: { file }, show: false });
    const result = report.collections[0].result;
    assert.deepEqual(report.reference, { file });
    assert.equal(result.reference.label, "training.csv");
    assert.deepEqual([...result.drifted].sort(), ["f15", "f3", "f8"]);
  });

  it("a service compares its inputs and its predictions: prediction drift", async () => {
    const api = await activeApi();
    const service = await walk(api, [...WS, SERVICE]);
    const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", service, {
      production: { from: "2030-04-03", to: "2030-04-04" }, reference: { from: "2030-04-01", to: "2030-04-02" }, show: false });
    assert.deepEqual(report.collections.map((c) => [c.name, c.role]), [["inputs", "inputs"], ["predictions", "outputs"]]);
    assert.deepEqual(report.collections[1].result.drifted, ["score"]);
  });

  it("says what is missing instead of guessing when nothing may be asked", async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand("modelData.compare", await inputs(), { production: { from: "2031-01-01", to: "2031-01-02" }, show: false })),
      /no collected data from 2031-01-01/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand("modelData.compare", await inputs(), { show: false })), /production window/);
  });

  it("shows the report and exports it as Markdown, HTML and JSON with hostile names as text", async () => {
    const api = await activeApi();
    const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", await inputs(), {
      production: { from: "2030-04-03", to: "2030-04-04" }, reference: { from: "2030-04-01", to: "2030-04-02" } });
    assert.ok(report);
    assert.equal(api.drift.lastReport(), report);
    const folder = mkdtempSync(join(tmpdir(), "drift-export-"));
    // A feature name from the public: markup and a table-breaking pipe.
    const hostile: DriftReport = JSON.parse(JSON.stringify(report));
    hostile.collections[0].result.features[0].name = `<img src=x onerror=alert(1)>|**x**`;
    for (const format of ["markdown", "html", "json"] as const) {
      const uri = await api.drift.exportReport(hostile, format, vscode.Uri.file(join(folder, `report.${format}`)));
      assert.ok(uri, "written");
      const text = readFileSync(uri.fsPath, "utf8");
      if (format === "html") {
        assert.ok(!text.includes("<img"), "no markup from data");
        assert.ok(text.includes("&lt;img src=x onerror=alert(1)&gt;"));
        assert.ok(!/<script/i.test(text), "no script in the exported file");
      }
      if (format === "markdown") assert.ok(text.includes("\\<img src=x onerror=alert\\(1\\)\\>\\|\\*\\*x\\*\\*"), "escaped for Markdown");
      if (format === "json") assert.equal(JSON.parse(text).collections[0].result.features[0].name, hostile.collections[0].result.features[0].name);
    }
  });

  it("a cancelled compare stops and returns nothing", async () => {
    const api = await activeApi();
    const report = vscode.commands.executeCommand<DriftReport | undefined>("modelData.compare", await inputs(), {
      production: { from: "2030-04-03", to: "2030-04-04" }, reference: { from: "2030-04-01", to: "2030-04-02" }, show: false });
    // The same as the progress notification's Cancel, as soon as the compare has started.
    for (let i = 0; i < 5000 && api.drift.runningCount === 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(api.drift.runningCount, 1, "the compare started");
    api.drift.cancelRunning();
    assert.equal(await report, undefined);
    assert.equal(api.drift.runningCount, 0);
  });

  it("opens a date, and a report's two windows with its SciPy cells, in a Jupyter notebook", async () => {
    const api = await activeApi();
    const dates = await api.tree.getChildren(await inputs());
    const day = dates.find((d) => api.tree.getTreeItem(d).label === "2030-04-04");
    assert.ok(day);
    const cells = await vscode.commands.executeCommand<Array<{ kind: string; text: string }>>("modelData.openInNotebook", day);
    assert.equal(cells.length, 2);
    const opened = vscode.window.activeNotebookEditor?.notebook;
    assert.equal(opened?.notebookType, "jupyter-notebook");
    assert.equal(opened?.cellCount, 2);
    assert.ok(opened?.cellAt(1).document.getText().includes(`/${SERVICE}/drift_model/1/inputs/2030/04/04/*.csv`));
    assert.ok(!opened?.getCells().some((c) => /AccountKey|sig=/.test(c.document.getText())), "no key or SAS in a cell");

    await vscode.commands.executeCommand<DriftReport>("modelData.compare", await inputs(), {
      production: { from: "2030-04-03", to: "2030-04-04" }, reference: { from: "2030-04-01", to: "2030-04-02" } });
    const drift = (await api.drift.openLastInNotebook(0)) as Array<{ kind: string; text: string }>;
    assert.equal(drift.length, 5);
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.equal(notebook?.cellCount, 5);
    assert.ok(notebook?.cellAt(2).document.getText().includes("/inputs/2030/04/01/*.csv"), "the reference window's folders");
    assert.ok(notebook?.cellAt(4).document.getText().includes('("f3", "numerical", "normalizedWasserstein", 0.1),'));
  });
});
