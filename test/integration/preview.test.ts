import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, scenario, setSetting, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";
import { AML_SYSTEM_COLUMNS } from "../../src/core/table/legacyColumns";
import type { ModelDataApi } from "../../src/extension";

const WS = ["Local emulator", scenario.workspace];

async function open(api: ModelDataApi, node: unknown, options?: object) {
  const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", node, options);
  assert.ok(result?.key, "preview opened");
  const state = api.previews.state(result.key);
  assert.ok(state);
  await state.done;
  return { key: result.key, state: api.previews.state(result.key) ?? state };
}

describe("preview", function () {
  this.timeout(120_000);
  afterEach(async () => {
    const api = await activeApi();
    for (const key of api.previews.keys()) api.previews.close(key);
  });

  it("previews a legacy date: header row, features then the eight system columns, every row", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "churn-aks-v1", "churn_model:4", "inputs"])))[0];
    const { state } = await open(api, date);
    assert.equal(state.progress.state, "done");
    assert.equal(state.title, `churn-aks-v1 · churn_model:4 · inputs · ${date.kind === "date" ? date.group.date : ""}`);
    const names = state.columns.map((c) => c.name);
    assert.deepEqual(names, [...scenario.legacyServices[0].features.map((f) => f.name), ...AML_SYSTEM_COLUMNS]);
    assert.deepEqual(state.columns.filter((c) => c.system).map((c) => c.name), [...AML_SYSTEM_COLUMNS]);
    assert.equal(state.progress.rowsLoaded, scenario.options.rowsPerFile);
    assert.equal((await state.rows(0, 1))[0][names.indexOf("$aml_service_name")], "churn-aks-v1");
    assert.equal(state.progress.raggedRows, 0);
  });

  it("names a headerless file's columns from the collector layout and reads quoted cells with commas", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "fraud-aks", "fraud_gbm:7", "inputs"])))[0];
    const { state } = await open(api, date);
    const names = state.columns.map((c) => c.name);
    assert.deepEqual(names.slice(-8), [...AML_SYSTEM_COLUMNS]);
    assert.deepEqual(names.slice(0, 4), ["feature_1", "feature_2", "feature_3", "feature_4"]);
    assert.equal(state.progress.rowsLoaded, scenario.options.rowsPerFile);
    assert.match((await state.rows(0, 1))[0][3], /^\[[\d.]+, [\d.]+, [\d.]+\]$/);
  });

  it("previews a current-layout hour: data rows flattened with time and correlationid", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2", "model_outputs"])))[0];
    const hour = (await children(api, date))[0];
    const { state } = await open(api, hour);
    assert.deepEqual(state.columns.map((c) => c.name), ["time", "correlationid", "approved", "score"]);
    assert.ok(state.progress.rowsLoaded >= scenario.options.rowsPerFile);
    assert.match((await state.rows(0, 1))[0][0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("shows a payload stored elsewhere as a link cell, opens it in the editor through the same credentials, and says when it is gone", async () => {
    const api = await activeApi();
    const date = (await children(api, await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2", "model_inputs"])))[0];
    const { key, state } = await open(api, date);
    const columns = state.columns;
    const index = columns.findIndex((c) => c.link);
    assert.equal(columns[index]?.name, "$payload");
    const rows = await state.rows(0, state.progress.visibleRows);
    const links = rows.map((r) => r[index] ?? "").filter((cell) => /^https:\/\/.+\/payloads\/.+\.json$/.test(cell));
    assert.equal(links.length, 1);
    // The fixture writes the payload the record points at, as the collector does for payloads over 4 MB.
    const url = new URL(links[0]);
    const [container, ...name] = url.pathname.split("/").filter(Boolean);
    const payload = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient(container).getBlockBlobClient(name.join("/"));
    const stored = (await payload.downloadToBuffer()).toString("utf8");
    assert.ok(stored.length > 4 * 1024 * 1024, `a large payload (${stored.length} bytes)`);
    assert.deepEqual(await api.previews.openLink(key, links[0]), { opened: "editor" });
    assert.equal(vscode.window.activeTextEditor?.document.getText(), stored);
    assert.equal(vscode.window.activeTextEditor?.document.languageId, "json");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    // A payload blob that is gone is said, not silently ignored.
    const missing = links[0].replace(/[^/]+\.json$/, "deleted-payload.json");
    const outcome = await api.previews.openLink(key, missing);
    assert.match(String(outcome?.problem), /^The payload .*\/payloads\/deleted-payload\.json does not exist in devstoreaccount1/);
  });

  it("stitches a date range of an identifier into one view with a source column", async () => {
    const api = await activeApi();
    const identifier = await walk(api, [...WS, "fraud-aks", "fraud_gbm:7", "predictions"]);
    const range = { from: scenario.dates[scenario.dates.length - 3], to: scenario.dates[scenario.dates.length - 1] };
    const { key, state } = await open(api, identifier, range);
    assert.equal(state.columns[0].name, "source");
    assert.equal(state.progress.filesTotal, 3);
    assert.equal(state.progress.rowsLoaded, 3 * scenario.options.rowsPerFile);
    const sources = new Set((await state.rows(0, state.progress.visibleRows)).map((r) => r[0]));
    assert.equal(sources.size, 3);
    for (const s of sources) assert.match(s, /^\d{4}\/\d{1,2}\/\d{1,2}\/predictions\.csv$/);
    // Opening the same target again focuses the same panel.
    const again = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", identifier, range);
    assert.equal(again.key, key);
    assert.equal(api.previews.keys().filter((k) => k === key).length, 1);
  });

  it("reads a file past its first range exactly: every row once and in order, a wider row, quotes from row 25,000 on", async () => {
    const api = await activeApi();
    const service = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
    const name = `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/mixed-svc/mixed_model/1/inputs/2030/1/2/data.csv`.toLowerCase();
    const ROWS = 30_000;
    const lines = ["id,value,label"];
    for (let i = 0; i < ROWS; i++) {
      // Quote-free rows (the byte path) around one wider row and, later, RFC 4180 quoting with a line break.
      lines.push(i === 20_000 ? `${i},${i / 10},l${i},extra` : i === 25_000 ? `${i},${i / 10},"multi\r\nline, ""quoted"""` : `${i},${i / 10},l${i}`);
    }
    const body = Buffer.from(`${lines.join("\r\n")}\r\n`);
    assert.ok(body.length > 2 * 256 * 1024, "rows come from the first range and from the stream");
    await service.getBlockBlobClient(name).uploadData(body);
    try {
      api.tree.refresh();
      const date = (await children(api, await walk(api, [...WS, "mixed-svc", "mixed_model:1", "inputs"])))[0];
      const { state } = await open(api, date);
      assert.equal(state.progress.state, "done");
      assert.equal(state.progress.rowsLoaded, ROWS);
      assert.equal(state.progress.visibleRows, ROWS);
      assert.equal(state.progress.raggedRows, 1);
      assert.deepEqual(state.columns.map((c) => c.name), ["id", "value", "label", "col4"]);
      const rows = await state.rows(0, ROWS);
      assert.deepEqual(rows.map((r) => r[0]), Array.from({ length: ROWS }, (_, i) => String(i)));
      assert.deepEqual(rows[19_999], ["19999", "1999.9", "l19999", ""]);
      assert.deepEqual(rows[20_000], ["20000", "2000", "l20000", "extra"]);
      assert.deepEqual(rows[25_000], ["25000", "2500", 'multi\r\nline, "quoted"', ""]);
      assert.deepEqual(rows[ROWS - 1], [String(ROWS - 1), String((ROWS - 1) / 10), `l${ROWS - 1}`, ""]);
    } finally {
      await service.deleteBlob(name);
      api.tree.refresh();
    }
  });

  it("reads a big file as concurrent ranges, every row exactly once and in order", async () => {
    const api = await activeApi();
    const service = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
    const name = `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/ranged-svc/ranged_model/1/inputs/2030/1/3/data.csv`.toLowerCase();
    const ROWS = 150_000;
    const lines = ["id,value,label"];
    for (let i = 0; i < ROWS; i++) lines.push(i === 100_000 ? `${i},${i / 10},"quoted, ${i}"` : `${i},${i / 10},l${i}`);
    const body = Buffer.from(`${lines.join("\r\n")}\r\n`);
    await service.getBlockBlobClient(name).uploadData(body);
    await setSetting("preview.rangeMB", 1);
    try {
      assert.ok(body.length > 3 * 1024 * 1024, "several 1 MB ranges, rows cut across their edges");
      api.tree.refresh();
      const date = (await children(api, await walk(api, [...WS, "ranged-svc", "ranged_model:1", "inputs"])))[0];
      const { state } = await open(api, date);
      assert.equal(state.progress.state, "done");
      assert.equal(state.progress.rowsLoaded, ROWS);
      assert.equal(state.progress.bytesLoaded, body.length);
      const rows = await state.rows(0, ROWS);
      assert.deepEqual(rows.map((r) => r[0]), Array.from({ length: ROWS }, (_, i) => String(i)));
      assert.deepEqual(rows[100_000], ["100000", "10000", "quoted, 100000"]);
      assert.deepEqual(rows[ROWS - 1], [String(ROWS - 1), String((ROWS - 1) / 10), `l${ROWS - 1}`]);
    } finally {
      await setSetting("preview.rangeMB", undefined);
      await service.deleteBlob(name);
      api.tree.refresh();
    }
  });

  it("cancels mid-stream, keeps the rows that arrived, and closing stops downloads", async () => {
    const api = await activeApi();
    const service = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
    const name = `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/big-svc/big_model/1/inputs/2030/1/1/data.csv`.toLowerCase();
    const line = "0.12345,category_a,\"quoted, with comma\",12345678901234567890\r\n";
    const body = Buffer.from("a,b,c,d\r\n" + line.repeat(600_000));
    await service.getBlockBlobClient(name).uploadData(body);
    try {
      api.tree.refresh();
      const date = (await children(api, await walk(api, [...WS, "big-svc", "big_model:1", "inputs"])))[0];
      const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", date);
      const state = () => api.previews.state(result.key);
      for (let i = 0; i < 200 && (state()?.progress.rowsLoaded ?? 0) < 20_000; i++) await new Promise((r) => setTimeout(r, 25));
      const cancelledAt = performance.now();
      // The rows the engine had parsed when the Cancel reached it (the panel's count lags by one progress tick).
      const atCancel = (await api.previews.cancel(result.key)) ?? 0;
      await state()?.done;
      const stoppedIn = performance.now() - cancelledAt;
      const after = state();
      assert.equal(after?.progress.state, "cancelled");
      // The loop yields every ~15 ms, so a Cancel lands at once (the goal is 100 ms; the bound here leaves CI room).
      assert.ok(stoppedIn < 500, `stopped ${Math.round(stoppedIn)} ms after Cancel`);
      assert.ok((after?.progress.rowsLoaded ?? 0) - atCancel < 50_000, `${(after?.progress.rowsLoaded ?? 0) - atCancel} rows parsed after Cancel`);
      assert.ok((after?.progress.rowsLoaded ?? 0) > 0 && (after?.progress.rowsLoaded ?? 0) < 600_000, String(after?.progress.rowsLoaded));
      assert.ok((after?.progress.visibleRows ?? 0) > 0);
      assert.deepEqual((await after!.rows(0, 1))[0], ["0.12345", "category_a", "quoted, with comma", "12345678901234567890"]);

      // Closing a panel mid-stream stops its download.
      api.previews.close(result.key);
      const reopened = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", date);
      const live = api.previews.state(reopened.key);
      assert.ok(live);
      for (let i = 0; i < 200 && live.progress.rowsLoaded < 10_000; i++) await new Promise((r) => setTimeout(r, 25));
      api.previews.close(reopened.key);
      await live.done;
      assert.equal(live.progress.state, "cancelled");
      assert.ok(live.progress.rowsLoaded < 600_000);
      assert.equal(api.previews.state(reopened.key), undefined);
    } finally {
      await service.deleteBlob(name);
      api.tree.refresh();
    }
  });
});
