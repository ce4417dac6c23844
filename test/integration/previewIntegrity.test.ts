// Files shaped like what collectors, pandas and people leave in storage, through the real tree and preview
// in the extension host, against Azurite; and storage that stops answering.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, labels, scenario, setSetting, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";
import { startFreezingProxy } from "../servers/freezingProxy";
import type { ModelDataApi } from "../../src/extension";
import type { ModelDataNode } from "../../src/tree/nodes";

const WS = ["Local emulator", scenario.workspace];
const BASE = `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/odd-svc/odd_model/1/inputs/2030/2`.toLowerCase();

function container() {
  return BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
}

async function dateNode(api: ModelDataApi, date: string): Promise<ModelDataNode | undefined> {
  const dates = await children(api, await walk(api, [...WS, "odd-svc", "odd_model:1", "inputs"]));
  return dates.find((d) => d.kind === "date" && d.group.date === date);
}

async function open(api: ModelDataApi, node: ModelDataNode) {
  const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", node);
  const state = api.previews.state(result.key);
  assert.ok(state);
  return { key: result.key, state };
}

describe("preview integrity in the real host", function () {
  this.timeout(180_000);
  const files: Record<string, Buffer> = {};
  const put = (day: number, name: string, body: string | Buffer) => (files[`${BASE}/${day}/${name}`] = typeof body === "string" ? Buffer.from(body, "utf8") : body);

  before(async () => {
    put(1, "data.csv", "x,y\n10,20\n30,40\n50,60");
    put(2, "data.csv", `\uFEFF"a","b","c"\r\n${Array.from({ length: 20_000 }, (_, i) => `${i},v${i},${i % 13}`).join("\r\n")}\r\n`);
    const lines = ["id,text"];
    for (let i = 0; i < 4000; i++) lines.push(i === 2000 ? `${i},"never closed,y` : `${i},t${i}`);
    put(3, "data.csv", `${lines.join("\n")}\n`);
    const normal = Array.from({ length: 12_000 }, (_, i) => `${i},${i * 2},x${i}`);
    put(4, "data.csv", `a,b,c\n${normal.join("\n")}\n${Array.from({ length: 5000 }, (_, i) => String(i)).join(",")}\n`);
    put(5, "_SUCCESS", "");
    put(6, "data.csv", "f1,f2\n1,2\n3,4\n");
    put(6, "model.pkl", Buffer.from([0x80, 0x04, 0x95, 0x10, 0, 0]));
    put(6, "screenshot.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    put(7, "data.csv", Buffer.from("name,city\r\nJosé,Zürich\r\nRenée,Besançon\r\n", "latin1"));
    await Promise.all(Object.entries(files).map(([name, body]) => container().getBlockBlobClient(name).uploadData(body)));
    (await activeApi()).tree.refresh();
  });
  after(async () => {
    await Promise.all(Object.keys(files).map((name) => container().deleteBlob(name)));
    const api = await activeApi();
    for (const key of api.previews.keys()) api.previews.close(key);
    api.tree.refresh();
  });

  it("the tree counts only the collector's files: a _SUCCESS-only day is no date, other files are not counted", async () => {
    const api = await activeApi();
    assert.equal(await dateNode(api, "2030-02-05"), undefined);
    const day6 = await dateNode(api, "2030-02-06");
    assert.ok(day6);
    assert.match(String(api.tree.getTreeItem(day6).description), /^1 file · /);
    const { state } = await open(api, day6);
    await state.done;
    assert.deepEqual(await state.rows(0, 10), [["1", "2"], ["3", "4"]]);
    assert.match(state.progress.notices.find((n) => n.id === "skipped")?.text ?? "", /2 file\(s\) that are not the collector's data \(model\.pkl, screenshot\.png\)/);
  });

  it("a file without a final newline shows its real last row", async () => {
    const api = await activeApi();
    const { state } = await open(api, (await dateNode(api, "2030-02-01"))!);
    await state.done;
    assert.deepEqual(await state.rows(0, 10), [["10", "20"], ["30", "40"], ["50", "60"]]);
  });

  it("a BOM before a quoted header: clean column names, no column blank past the first range", async () => {
    const api = await activeApi();
    const { state } = await open(api, (await dateNode(api, "2030-02-02"))!);
    await state.done;
    assert.deepEqual(state.columns.map((c) => c.name), ["a", "b", "c"]);
    const rows = await state.rows(0, 20_000);
    assert.equal(rows.length, 20_000);
    assert.deepEqual(rows[19_999], ["19999", "v19999", String(19_999 % 13)]);
    assert.equal(rows.filter((r) => r[0] === "").length, 0);
  });

  it("an unclosed quote: the rows before it, where it went wrong, and the raw text around it", async () => {
    const api = await activeApi();
    const { key, state } = await open(api, (await dateNode(api, "2030-02-03"))!);
    await state.done;
    const progress = api.previews.state(key)!.progress;
    assert.equal(progress.state, "done");
    assert.equal(progress.rowsLoaded, 2000);
    const notice = progress.notices.find((n) => n.id.startsWith("unclosedQuote"));
    assert.ok(notice, JSON.stringify(progress.notices));
    assert.match(notice.text, /record 2,002 \(which starts at about byte [\d,]+\) never closes/);
    await api.previews.noticeAction(key, notice.id);
    const raw = vscode.window.activeTextEditor?.document.getText() ?? "";
    assert.match(raw, /1999,t1999\n2000,"never closed,y\n2001,t2001/, "the raw text around the broken record opens in an editor");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("Latin-1 text: said, and read as Latin-1 when the user asks", async () => {
    const api = await activeApi();
    const { key, state } = await open(api, (await dateNode(api, "2030-02-07"))!);
    await state.done;
    const notice = api.previews.state(key)!.progress.notices.find((n) => n.id === "invalidUtf8");
    assert.equal(notice?.action?.label, "Reopen as Latin-1");
    assert.equal((await state.rows(0, 2))[0][0], "Jos\uFFFD");
    await api.previews.noticeAction(key, "invalidUtf8");
    const reopened = api.previews.state(key);
    assert.ok(reopened);
    await reopened.done;
    assert.deepEqual(await api.previews.state(key)!.rows(0, 2), [["José", "Zürich"], ["Renée", "Besançon"]]);
    assert.ok(api.previews.state(key)!.progress.notices.some((n) => n.id === "latin1"));
  });

  it("a 5,000-cell row: bounded columns, the row kept whole, and the host answers a tree expansion within 1 s meanwhile", async () => {
    const api = await activeApi();
    const node = (await dateNode(api, "2030-02-04"))!;
    const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", node);
    const started = Date.now();
    api.tree.refresh(await walk(api, WS));
    const services = await children(api, await walk(api, WS));
    const answeredIn = Date.now() - started;
    assert.ok(services.length > 0);
    assert.ok(answeredIn < 1000, `tree expansion answered in ${answeredIn} ms while the wide file loaded`);
    const state = api.previews.state(result.key)!;
    await state.done;
    const final = api.previews.state(result.key)!;
    assert.equal(final.progress.rowsLoaded, 12_001);
    assert.equal(final.columns.length, 2000);
    assert.equal(final.columns[1999].name, "(more cells)");
    const wide = (await final.rows(12_000, 1))[0];
    assert.equal(wide[1999], Array.from({ length: 5000 - 1999 }, (_, i) => String(i + 1999)).join(","));
    assert.match(final.progress.notices.find((n) => n.id === "wideRows")?.text ?? "", /1 row\(s\) have more cells than the 2,000-column limit/);
  });

  it("storage that stops answering: 'No answer from <host>' with Retry, and Refresh lists again once it answers", async () => {
    const api = await activeApi();
    const target = new URL(blobEndpoint);
    const proxy = await startFreezingProxy(target.hostname, Number(target.port));
    const proxied = emulatorConnectionString(`http://127.0.0.1:${proxy.port}${target.pathname}`);
    await setSetting("network.timeoutSeconds", 2);
    const attached = await vscode.commands.executeCommand<{ id: string }>("modelData.attachStorage", proxied, "frozen");
    try {
      proxy.freeze();
      const source = await walk(api, ["frozen"]);
      const startedAt = Date.now();
      const frozenNodes = await children(api, source);
      assert.ok(Date.now() - startedAt < 15_000, "the listing gave up");
      assert.match(labels(api, frozenNodes)[0], new RegExp(`^No answer from 127\\.0\\.0\\.1:${proxy.port} after 2 s\\.`));
      assert.ok(labels(api, frozenNodes).includes("Retry"));
      proxy.thaw();
      api.tree.refresh(source);
      const recovered = await children(api, source);
      assert.deepEqual(labels(api, recovered), [scenario.workspace.toLowerCase(), scenario.datastoreContainer]);
    } finally {
      await vscode.commands.executeCommand("modelData.detachStorage", attached.id);
      await setSetting("network.timeoutSeconds", undefined);
      await proxy.close();
    }
  });

  it("Refresh on a listing that hangs starts a fresh one instead of showing 'Listing cancelled.'", async () => {
    const api = await activeApi();
    const target = new URL(blobEndpoint);
    const proxy = await startFreezingProxy(target.hostname, Number(target.port));
    const attached = await vscode.commands.executeCommand<{ id: string }>("modelData.attachStorage", emulatorConnectionString(`http://127.0.0.1:${proxy.port}${target.pathname}`), "hanging");
    try {
      proxy.freeze();
      const source = await walk(api, ["hanging"]);
      const spinning = children(api, source);
      await new Promise((r) => setTimeout(r, 300));
      proxy.thaw();
      api.tree.refresh(source);
      assert.deepEqual(labels(api, await spinning), [scenario.workspace.toLowerCase(), scenario.datastoreContainer], "the waiting expansion got the fresh listing");
    } finally {
      await vscode.commands.executeCommand("modelData.detachStorage", attached.id);
      await proxy.close();
    }
  });
});
