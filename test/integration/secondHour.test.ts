// What a new user met in the demo's second hour (issue 21's wrong results), in the real host: a service-level
// action reads the live model version, a training set under a model reads that model's dates and pairs the
// legacy rows the collector correlates, a join with no id column says so at once, payload links open (or
// say why not), a monitor from a deployment gets the settings' data-quality thresholds, and a refused
// account key is told as such with a way to enter it again.
import * as assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, labels, scenario, walk } from "./helpers";
import { storedResource } from "./emulatorAdmin";
import { emulatorConnectionString } from "../../src/core/emulator";
import { legacyBlobName } from "../../src/core/blobLayout";
import { versionOnDay } from "../fixtures/legacyData";
import type { DriftReport } from "../../src/core/drift/report";
import type { TrainingSetResult } from "../../src/commands/trainingSet";
import type { MonitorResult } from "../../src/commands/monitor";
import type { ModelDataNode } from "../../src/tree/nodes";

const WS = ["Local emulator", scenario.workspace];
const CHURN = [...WS, "churn-aks-v1"];
const workspaceId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`;
const churn = scenario.legacyServices[0];
const daysOf = (version: string) => scenario.dates.filter((_, i) => versionOnDay(churn, i, scenario.dates.length) === version);
const build = (node: ModelDataNode, args: Record<string, unknown>) => Promise.resolve(vscode.commands.executeCommand<TrainingSetResult | undefined>("modelData.buildTrainingSet", node, { show: false, ...args }));

describe("the second hour: right model version, real pairs, links that open", function () {
  this.timeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), "second-hour-"));
  const newest = daysOf("4");

  it("lists a legacy service's model versions newest first", async () => {
    const api = await activeApi();
    assert.deepEqual(labels(api, await children(api, await walk(api, CHURN))), ["churn_model:4", "churn_model:3"]);
  });

  it("compares a service on its live model version and names it in the report", async () => {
    const api = await activeApi();
    assert.ok(newest.length >= 3, "the fixture gives model 4 at least three days");
    const production = { from: newest[newest.length - 1], to: newest[newest.length - 1] };
    const reference = { from: newest[0], to: newest[newest.length - 2] };
    const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", await walk(api, CHURN), { production, reference, show: false });
    assert.equal(report.title, "churn-aks-v1 · churn_model:4");
    const inputs = report.collections.find((c) => c.name === "inputs");
    assert.ok(inputs, "inputs compared");
    // Model 4's days only: one file a day of rowsPerFile rows.
    assert.deepEqual(inputs.result.features[0].values, { reference: (newest.length - 1) * scenario.options.rowsPerFile, production: scenario.options.rowsPerFile });
  });

  it("builds a training set from a date under churn_model:4 and from the service, pairing every legacy row", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...CHURN, "churn_model:4", "inputs"])))[0];
    assert.equal(date.kind === "date" && date.group.date, newest[newest.length - 1]);
    const fromDate = await build(date, { how: "inner", format: "csv", target: { file: join(folder, "date.csv") }, groundTruth: null });
    assert.equal(fromDate?.rows, scenario.options.rowsPerFile);
    assert.equal(fromDate?.counts.inputsWithoutOutput, 0);
    const fromService = await build(await walk(api, CHURN), { from: newest[0], to: newest[newest.length - 1], how: "inner", format: "csv", target: { file: join(folder, "service.csv") }, groundTruth: null });
    assert.equal(fromService?.rows, newest.length * scenario.options.rowsPerFile);
    assert.ok(fromService?.columns.includes("churn_probability"), fromService?.columns.join(","));
  });

  it("refuses a join whose outputs have no id column at once, saying what the scoring code must do", async () => {
    const api = await activeApi();
    const modeldata = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
    const name = (identifier: string, day: string) => legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
      service: "no-correlations", model: "m", version: "1", identifier, date: `2031-02-0${day}`, file: "data.csv" });
    const uploads = ["1", "2"].flatMap((day) => [
      [name("inputs", day), "age,$aml_dc_correlation_id\r\n41,id-1\r\n"],
      [name("predictions", day), "score\r\n0.5\r\n"],
    ]);
    for (const [blob, text] of uploads) await modeldata.getBlockBlobClient(blob).uploadData(Buffer.from(text));
    try {
      api.tree.refresh();
      await assert.rejects(build(await walk(api, [...WS, "no-correlations"]), { from: "2031-02-01", to: "2031-02-02", how: "inner", format: "csv", target: { file: join(folder, "none.csv") }, groundTruth: null }),
        /The outputs have no \$aml_dc_correlation_id column \(2031\/02\/01\/data\.csv\), so no row can be paired with its input\..*add_correlations/);
    } finally {
      for (const [blob] of uploads) await modeldata.deleteBlob(blob);
      api.tree.refresh();
    }
  });

  it("gives a monitor made on a deployment node the settings' data-quality thresholds, not 0", async () => {
    const api = await activeApi();
    const result = await vscode.commands.executeCommand<MonitorResult>("modelData.createMonitor", await walk(api, [...WS, "credit-endpoint/blue"]),
      { name: "blue-quality", taskType: "Classification", confirm: false, show: false });
    try {
      const signals = (result.body as { properties: { action: { monitorDefinition: { signals: Record<string, { signalType: string; metricThresholds: Array<{ metric: string; threshold: { value: number } }> }> } } } })
        .properties.action.monitorDefinition.signals;
      const quality = Object.values(signals).find((s) => s.signalType === "DataQuality");
      assert.ok(quality, "a data quality signal");
      const byMetric = new Map(quality.metricThresholds.map((t) => [t.metric, t.threshold.value]));
      assert.deepEqual(Object.fromEntries(byMetric), { NullValueRate: 0.01, DataTypeErrorRate: 0.01, OutOfBoundsRate: 0.05 });
      const stored = await storedResource(`${workspaceId}/schedules/blue-quality`);
      assert.equal((stored.properties as { provisioningState: string }).provisioningState, "Succeeded");
    } finally {
      const monitors = await walk(api, [...WS, "credit-endpoint/blue", "Monitors"]);
      api.tree.refresh(monitors);
      for (const monitor of await children(api, monitors)) {
        if (monitor.kind === "monitor") await vscode.commands.executeCommand("modelData.deleteMonitor", monitor, { confirm: false, show: false });
      }
    }
  });

  it("opens Raw as a read-only document named after the blob, not an untitled one that asks to be saved", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...CHURN, "churn_model:4", "inputs"])))[0];
    const opened = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", date);
    await api.previews.openRaw(opened.key);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document);
    assert.equal(document.uri.scheme, "modeldata-blob");
    assert.match(document.uri.path, /^\/devstoreaccount1\/modeldata\/.*\/churn-aks-v1\/churn_model\/4\/inputs\/\d{4}\/\d\d\/\d\d\/data\.csv$/);
    assert.equal(document.isUntitled, false);
    assert.equal(document.isDirty, false);
    assert.match(document.getText(), /^tenure_months,monthly_charges,/);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    // Copies start with the column names when asked (the panel's default), and leave them out otherwise.
    const state = api.previews.state(opened.key);
    await state?.done;
    const names = state?.columns.map((c) => c.name) ?? [];
    const [first] = (await state?.rows(0, 1)) ?? [];
    await api.previews.copy(opened.key, { start: 0, end: 0, columns: [0, 1], format: "csv", header: true });
    assert.equal(await vscode.env.clipboard.readText(), `${names[0]},${names[1]}\n${first[0]},${first[1]}`);
    await api.previews.copy(opened.key, { start: 0, end: 0, columns: [0, 1], format: "tsv", header: false });
    assert.equal(await vscode.env.clipboard.readText(), `${first[0]}\t${first[1]}`);
    api.previews.close(opened.key);
  });

  it("names both windows in a report's tab, so two reports on one collection are told apart", async () => {
    const api = await activeApi();
    const inputs = await walk(api, [...CHURN, "churn_model:4", "inputs"]);
    const last = newest[newest.length - 1];
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).filter((l) => l.startsWith("Drift"));
    const first = await vscode.commands.executeCommand<DriftReport | undefined>("modelData.compare", inputs, { production: { from: last, to: last }, reference: { from: newest[0], to: newest[0] } });
    const second = await vscode.commands.executeCommand<DriftReport | undefined>("modelData.compare", inputs, { production: { from: last, to: last }, reference: { from: newest[1], to: newest[1] } });
    assert.ok(first && second, "both compares finished");
    const expected = [`Drift: churn-aks-v1 · churn_model:4 · inputs · ${last} vs ${newest[0]}`, `Drift: churn-aks-v1 · churn_model:4 · inputs · ${last} vs ${newest[1]}`];
    let labels = tabs();
    for (let i = 0; i < 50 && !expected.every((e) => labels.includes(e)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      labels = tabs();
    }
    assert.ok(labels.includes(`Drift: churn-aks-v1 · churn_model:4 · inputs · ${last} vs ${newest[0]}`), labels.join(" | "));
    assert.ok(labels.includes(`Drift: churn-aks-v1 · churn_model:4 · inputs · ${last} vs ${newest[1]}`), labels.join(" | "));
    for (const group of vscode.window.tabGroups.all) {
      await vscode.window.tabGroups.close(group.tabs.filter((t) => t.label.startsWith("Drift")));
    }
  });

  it("says what a node holds on hover: files, bytes, the newest write in UTC, which model version is live", async () => {
    const api = await activeApi();
    const [date] = await children(api, await walk(api, [...CHURN, "churn_model:4", "inputs"]));
    assert.match(String(api.tree.getTreeItem(date).tooltip), /^\d{4}-\d\d-\d\d \(UTC day\): 1 file, [\d.]+ KB\nnewest write \d{4}-\d\d-\d\d \d\d:\d\d UTC\nmodeldata\//);
    const models = await children(api, await walk(api, CHURN));
    assert.match(String(api.tree.getTreeItem(models[0]).tooltip), /^Model churn_model, version 4: the newest version with data/);
    assert.match(String(api.tree.getTreeItem(models[1]).tooltip), /^Model churn_model, version 3: an older version's data/);
    const [inputs] = await children(api, models[0]);
    assert.match(String(api.tree.getTreeItem(inputs).tooltip), /^Collected data 'inputs': the model's inputs, one folder per UTC day/);
    const hourParent = (await children(api, await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2", "model_inputs"])))[0];
    const [hour] = await children(api, hourParent);
    assert.match(String(api.tree.getTreeItem(hour).tooltip), /^\d\d:00–\d\d:59 UTC: 1 file, /);
    const services = await children(api, await walk(api, WS));
    const churnItem = services.map((n) => api.tree.getTreeItem(n)).find((i) => i.label === "churn-aks-v1");
    assert.match(String(churnItem?.tooltip), /^collecting · web service \(v1\)\nAKS web service/);
  });

  it("shows the new collection state on the node with the message, not a listing later", async () => {
    const api = await activeApi();
    const service = (await children(api, await walk(api, WS))).find((n) => api.tree.getTreeItem(n).label === "churn-aks-v1");
    assert.ok(service);
    const id = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}/services/churn-aks-v1`;
    const off = await vscode.commands.executeCommand<{ ok: boolean }>("modelData.disableCollection", id, { confirm: false });
    assert.equal(off.ok, true);
    // The node the tree had when the message appeared says it at once.
    const node = (await children(api, await walk(api, WS))).find((n) => n.id === service.id) ?? service;
    assert.equal(api.tree.getTreeItem(service).description, "collection off · web service (v1)", "the node shown before the change");
    assert.equal(api.tree.getTreeItem(node).description, "collection off · web service (v1)");
    assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>("modelData.enableCollection", id, { confirm: false })).ok, true);
  });

  it("names a storage host that does not resolve, at once rather than after ten seconds of retries", async () => {
    const attached = await vscode.commands.executeCommand<{ id: string }>("modelData.attachStorage", "https://madeupacct7301.blob.core.windows.net/?sv=2024-11-04&ss=b&srt=co&sp=rl&se=2099-01-01T00:00:00Z&sig=bm90YXNpZw%3D%3D", "made-up-host");
    try {
      const api = await activeApi();
      const started = Date.now();
      const nodes = await children(api, await walk(api, ["made-up-host"]));
      const elapsed = Date.now() - started;
      const texts = labels(api, nodes);
      assert.match(texts[0], /^The host madeupacct7301\.blob\.core\.windows\.net does not resolve \(DNS\)/);
      assert.ok(elapsed < 5000, `said in ${elapsed} ms`);
      assert.ok(texts.includes("Enter a new SAS…"), texts.join(" | "));
    } finally {
      await vscode.commands.executeCommand("modelData.detachStorage", attached.id);
    }
  });

  it("keeps a feature's type from one report of a collection to the next, whatever the windows, and says why", async () => {
    const api = await activeApi();
    const modeldata = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
    const days = Array.from({ length: 8 }, (_, i) => `2031-03-0${i + 1}`);
    const name = (date: string) => legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
      service: "types-svc", model: "m", version: "1", identifier: "inputs", date, file: "data.csv" });
    // "code" takes 3 values every day: 10% of one day's 30 rows (numerical by the 5% rule), 1.4% of a week's.
    for (const [d, date] of days.entries()) {
      const rows = Array.from({ length: 30 }, (_, r) => `${(r % 3) + 1},${(d * 30 + r) / 7}`);
      await modeldata.getBlockBlobClient(name(date)).uploadData(Buffer.from(["code,x", ...rows].join("\r\n") + "\r\n"));
    }
    try {
      api.tree.refresh();
      const inputs = await walk(api, [...WS, "types-svc", "m:1", "inputs"]);
      const code = (report: DriftReport) => report.collections[0].result.features.find((f) => f.name === "code");
      const oneDay = await vscode.commands.executeCommand<DriftReport>("modelData.compare", inputs, { production: { from: days[7], to: days[7] }, reference: { from: days[6], to: days[6] }, show: false });
      assert.equal(code(oneDay)?.kind, "numerical");
      assert.match(code(oneDay)?.kindReason ?? "", /^integers: 3 distinct of 30 reference values \(10% ≥ 5%/);
      const week = await vscode.commands.executeCommand<DriftReport>("modelData.compare", inputs, { production: { from: days[7], to: days[7] }, reference: { from: days[0], to: days[6] }, show: false });
      assert.equal(code(week)?.kind, "numerical", "the same type as the first report, not the week's 1.4%");
      assert.match(code(week)?.kindReason ?? "", /remembered/);
      // A type the user chooses is remembered in its place.
      await vscode.commands.executeCommand("modelData.compare", inputs, { production: { from: days[7], to: days[7] }, reference: { from: days[0], to: days[6] }, metrics: { code: { kind: "categorical" } }, show: false });
      const after = await vscode.commands.executeCommand<DriftReport>("modelData.compare", inputs, { production: { from: days[7], to: days[7] }, reference: { from: days[6], to: days[6] }, show: false });
      assert.equal(code(after)?.kind, "categorical");
    } finally {
      for (const date of days) await modeldata.deleteBlob(name(date));
      api.tree.refresh();
    }
  });

  it("says a refused account key is the key, and takes the current connection string in its place", async () => {
    const good = emulatorConnectionString(blobEndpoint);
    const wrongKey = good.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.alloc(64, 7).toString("base64")}`);
    const attached = await vscode.commands.executeCommand<{ id: string }>("modelData.attachStorage", wrongKey, "rotated-key");
    try {
      const api = await activeApi();
      const nodes = await children(api, await walk(api, ["rotated-key"]));
      const texts = labels(api, nodes);
      assert.match(texts[0], /refused the account key of this connection string/);
      assert.equal(texts.some((t) => /Storage Blob Data Reader/.test(t)), false, texts.join(" | "));
      const reenter = nodes.find((n) => api.tree.getTreeItem(n).label === "Enter the connection string again…");
      assert.ok(reenter, texts.join(" | "));
      const command = api.tree.getTreeItem(reenter).command;
      assert.equal(command?.command, "modelData.reenterStorageSecret");
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []), good);
      const workspaces = await children(api, await walk(api, ["rotated-key"]));
      assert.deepEqual(labels(api, workspaces), [scenario.workspace.toLowerCase(), scenario.datastoreContainer]);
    } finally {
      await vscode.commands.executeCommand("modelData.detachStorage", attached.id);
    }
  });
});
