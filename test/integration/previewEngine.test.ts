// The preview's data engine in the real extension host: 500,000 rows loaded and sorted on the worker while
// the host's event loop is measured; a worker that dies becomes a message with Retry; closing ends it.
import * as assert from "node:assert/strict";
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, scenario, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";

const WS = ["Local emulator", scenario.workspace];
const ROWS = 500_000;

describe("preview engine (worker thread)", function () {
  this.timeout(240_000);
  const service = () => BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
  const name = (day: number) => `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/engine-svc/engine_model/1/inputs/2030/2/${day}/data.csv`.toLowerCase();

  before(async () => {
    const lines = ["id,score,segment,note"];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},${((i * 2654435761) % 100000) / 100},seg-${i % 37},n${i % 1000}`);
    await service().getBlockBlobClient(name(1)).uploadData(Buffer.from(lines.join("\n") + "\n"));
    // Quoted cells are held as strings on the worker's heap: enough of them exhaust a tiny one.
    await service().getBlockBlobClient(name(2)).uploadData(Buffer.from("text,n\n" + '"quoted text",1\n'.repeat(1_500_000)));
  });

  after(async () => {
    const api = await activeApi();
    api.previews.engineLimits = undefined;
    for (const key of api.previews.keys()) api.previews.close(key);
    await service().deleteBlob(name(1));
    await service().deleteBlob(name(2));
    api.tree.refresh();
  });

  async function dateNode(day: number) {
    const api = await activeApi();
    api.tree.refresh();
    const dates = await children(api, await walk(api, [...WS, "engine-svc", "engine_model:1", "inputs"]));
    const node = dates.find((d) => api.tree.getTreeItem(d).label === `2030-02-${String(day).padStart(2, "0")}`);
    assert.ok(node, `date 2030-02-${day} listed`);
    return node;
  }

  it("loads and sorts 500,000 rows off the host's thread", async () => {
    const api = await activeApi();
    const node = await dateNode(1);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", node);
    const state = api.previews.state(result.key);
    assert.ok(state);
    await state.done;
    assert.equal(state.progress.state, "done", state.progress.message);
    assert.equal(state.progress.rowsLoaded, ROWS);
    const numeric = await state.setView({ sort: { column: 1, direction: "desc" }, filters: {} });
    const text = await state.setView({ sort: { column: 3, direction: "asc" }, filters: {} });
    const filtered = await state.setView({ filters: {}, global: "SEG-36" });
    delay.disable();
    assert.ok(numeric && text && filtered);
    assert.equal(filtered.visibleRows, Math.floor(ROWS / 37) + (ROWS % 37 > 36 ? 1 : 0));
    const maxMs = delay.max / 1e6;
    // On the host, these sorts held its thread 0.5–2 s. The 50 ms goal is the benchmark's (npm run bench:preview);
    // this bound only has to catch the work coming back to the host on a busy CI machine.
    assert.ok(maxMs < 250, `the extension host stalled ${maxMs.toFixed(0)} ms`);
    await state.setView({ sort: { column: 1, direction: "desc" }, filters: {} });
    const top = await state.rows(0, 2);
    assert.ok(Number(top[0][1]) >= Number(top[1][1]), "sorted as numbers, largest first");
    console.log(`      host event loop during load + 3 sorts/filters of ${ROWS.toLocaleString("en-US")} rows: max ${maxMs.toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; worker: numeric sort ${numeric.ms.toFixed(0)} ms, text sort ${text.ms.toFixed(0)} ms, global filter ${filtered.ms.toFixed(0)} ms`);

    // Closing the panel ends its worker thread.
    const exited = state.engineExited;
    api.previews.close(result.key);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 10_000))]);
    assert.equal(code, 1, "the worker was terminated with its panel");
  });

  it("a worker that runs out of memory turns into a message with Retry, and Retry loads the data", async () => {
    const api = await activeApi();
    const node = await dateNode(2);
    api.previews.engineLimits = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 };
    const result = await vscode.commands.executeCommand<{ key: string }>("modelData.preview", node);
    const state = api.previews.state(result.key);
    assert.ok(state);
    await state.done;
    assert.equal(state.progress.state, "error");
    const notice = state.progress.notices.find((n) => n.action?.kind === "retry");
    assert.ok(notice, JSON.stringify(state.progress.notices));
    assert.match(notice.text, /ran out of memory.*Retry/);
    assert.notEqual(await state.engineExited, 0);

    // The host and the tree carry on.
    assert.ok((await children(api, await walk(api, [...WS, "engine-svc", "engine_model:1", "inputs"]))).length >= 2);

    api.previews.engineLimits = undefined;
    await api.previews.noticeAction(result.key, notice.id);
    const again = api.previews.state(result.key);
    assert.ok(again);
    await again.done;
    assert.ok(again.engineThreadId > 0 && again.engineThreadId !== state.engineThreadId, "a new engine thread");
    assert.equal(again.progress.state, "done", again.progress.message);
    assert.equal(again.progress.rowsLoaded, 1_500_000);
    assert.deepEqual(await again.rows(0, 1), [["quoted text", "1"]]);
  });
});
