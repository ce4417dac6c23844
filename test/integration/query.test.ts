// Query Data (SQL) in the real host against Azurite: exact answers over a legacy service whose days carry
// the preview's quirks (BOM and CRLF, gzip, a day without a header, a stray file), over a current
// deployment (checked against the blobs flattened here independently), a second query that reads no blob,
// a changed blob fetched again, the document with its views, Run Query into the grid, a bad query's
// diagnostic, export, and cancel mid-download and mid-query.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, scenario, walk } from "./helpers";
import { emulatorConnectionString } from "../../src/core/emulator";
import type { QueryResult, RunOutcome } from "../../src/commands/query";

const WS = ["Local emulator", scenario.workspace];
const SERVICE = "sql-svc";
const BIG = "sql-big";
const legacyPath = (service: string, identifier: string, day: number, file = "data.csv") =>
  `${scenario.subscriptionId}/ml-prod-rg/churn-workspace/${service}/sql_model/1/${identifier}/2030/5/${day}/${file}`.toLowerCase();
const SYSTEM_TAIL = "0d6d1e1c-1a2b-4c5d-8e9f-0a1b2c3d4e5f,2030-05-03T10:00:00.123456,1440,sub/rg/ws,sql-svc,sql_model,1,req-3";

describe("Query Data (SQL)", function () {
  this.timeout(240_000);
  const container = () => BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
  const uploaded = new Set<string>();
  const upload = (name: string, body: string | Buffer) => {
    uploaded.add(name);
    return container().getBlockBlobClient(name).uploadData(typeof body === "string" ? Buffer.from(body, "utf8") : body);
  };

  // The suites after this one list the workspace's services exactly: what was written here goes.
  after(async () => {
    for (const name of uploaded) await container().deleteBlob(name).catch(() => undefined);
    (await activeApi()).tree.refresh();
  });

  before(async () => {
    await upload(legacyPath(SERVICE, "inputs", 1), "\ufeffage,city,$aml_dc_correlation_id\r\n30,Oslo,c1\r\n40,\"Bergen, NO\",c2\r\n");
    await upload(legacyPath(SERVICE, "inputs", 1, "_SUCCESS"), "");
    await upload(legacyPath(SERVICE, "inputs", 2), gzipSync(Buffer.from("age,city,$aml_dc_correlation_id\n50,Åre,c3\n")));
    await upload(legacyPath(SERVICE, "inputs", 3), `60,Lund,${SYSTEM_TAIL}\n`);
    await upload(legacyPath(SERVICE, "predictions", 1), "score,$aml_dc_correlation_id\n0.5,c1\n0.7,c2\n");
    // ~48 MB: long enough to download that a cancel lands in the middle.
    const row = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n";
    await upload(legacyPath(BIG, "inputs", 1), "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,a19,a20,a21,a22,a23,a24,a25,a26,a27,a28,a29,a30\n" + row.repeat(Math.ceil(48e6 / row.length)));
    const api = await activeApi();
    api.tree.refresh();
  });

  const query = async (target: unknown, args: Record<string, unknown>) => (await vscode.commands.executeCommand("modelData.query", target, { show: false, ...args })) as QueryResult;

  it("answers exactly over a legacy service's quirky days, with the preview's columns and the collector's files only", async () => {
    const api = await activeApi();
    const service = await walk(api, [...WS, SERVICE]);
    const result = await query(service, { from: "2030-05-01", to: "2030-05-03",
      sql: "SELECT date, coalesce(age, feature_1) AS age, coalesce(city, feature_2) AS city, source FROM inputs ORDER BY date, age" });
    assert.deepEqual(result.rows, [
      ["2030-05-01", 30, "Oslo", "2030/5/1/data.csv"],
      ["2030-05-01", 40, "Bergen, NO", "2030/5/1/data.csv"],
      ["2030-05-02", 50, "Åre", "2030/5/2/data.csv"],
      ["2030-05-03", 60, "Lund", "2030/5/3/data.csv"],
    ]);
    assert.deepEqual(result.views.map((v) => [v.name, v.files]), [["inputs", 3], ["predictions", 1]]);
    const inputs = result.views[0].columns.map((c) => c.name);
    assert.deepEqual(inputs.slice(0, 3), ["age", "city", "$aml_dc_correlation_id"]);
    assert.ok(inputs.includes("feature_1") && inputs.includes("$aml_model_version") && inputs.includes("date") && inputs.includes("hour"), inputs.join());
    assert.equal(result.downloadedBlobs, 4, "the stray _SUCCESS file is not downloaded");
    const joined = await query(service, { from: "2030-05-01", to: "2030-05-03",
      sql: "SELECT i.city, p.score FROM inputs i JOIN predictions p USING (\"$aml_dc_correlation_id\") ORDER BY p.score" });
    assert.deepEqual(joined.rows, [["Oslo", 0.5], ["Bergen, NO", 0.7]]);
    assert.equal(joined.downloadedBlobs, 0, "a second query over the same window reads no blob");
  });

  it("fetches a blob again when its ETag changed, and only that one", async () => {
    const api = await activeApi();
    await upload(legacyPath(SERVICE, "predictions", 1), "score,$aml_dc_correlation_id\n0.9,c1\n0.7,c2\n");
    api.tree.refresh();
    const service = await walk(api, [...WS, SERVICE]);
    const result = await query(service, { from: "2030-05-01", to: "2030-05-03", sql: "SELECT max(score) FROM predictions" });
    assert.deepEqual(result.rows, [[0.9]]);
    assert.equal(result.downloadedBlobs, 1);
  });

  it("flattens a current deployment's JSON lines as the preview does (checked against the blobs read here)", async () => {
    const api = await activeApi();
    const model = await walk(api, [...WS, "credit-endpoint/blue", "credit_model:2"]);
    const inputs = (await children(api, model)).find((n) => n.kind === "identifier" && n.name === "model_inputs");
    const dates = await children(api, inputs);
    const date = dates[0];
    assert.ok(date && date.kind === "date");
    // Independently: every record's data rows (a payload kept in its own blob is one row).
    let rows = 0;
    let files = 0;
    const perRequest = new Map<string, { inputs: number; outputs: number }>();
    for (const [collection, key] of [["model_inputs", "inputs"], ["model_outputs", "outputs"]] as const) {
      const store = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient(scenario.datastoreContainer);
      for await (const blob of store.listBlobsFlat({ prefix: `modelDataCollector/credit-endpoint/blue/${collection}/${date.group.date.replace(/-/g, "/")}/` })) {
        const text = (await store.getBlobClient(blob.name).downloadToBuffer()).toString("utf8");
        files += 1;
        for (const line of text.split("\n").filter(Boolean)) {
          const record = JSON.parse(line);
          const n = Array.isArray(record.data) ? record.data.length : 1;
          if (key === "inputs") rows += n;
          const entry = perRequest.get(record.correlationid) ?? { inputs: 0, outputs: 0 };
          entry[key] += n;
          perRequest.set(record.correlationid, entry);
        }
      }
    }
    assert.ok(files >= 6 && rows > 0, `read ${files} files here`);
    // A batched request's rows pair by their place in it (correlation_key), not every row with every row.
    const joins = [...perRequest.values()].reduce((sum, e) => sum + Math.min(e.inputs, e.outputs), 0);
    const result = await query(date, { sql: "SELECT (SELECT count(*) FROM model_inputs), (SELECT count(*) FROM model_inputs i JOIN model_outputs o USING (correlation_key)), (SELECT count(DISTINCT hour) FROM model_inputs)" });
    assert.deepEqual(result.rows, [[rows, joins, 3]]);
    assert.deepEqual(result.views.map((v) => v.name), ["model_inputs", "model_outputs"]);
    assert.deepEqual(result.views[0].columns.slice(0, 3).map((c) => c.name), ["time", "correlationid", "correlation_key"]);
    assert.ok(result.views[0].columns.some((c) => c.name === "$payload"));
    // From an hour: the views hold its day, the first query reads that hour.
    const hour = (await children(api, date)).find((n) => n.kind === "hour");
    assert.ok(hour && hour.kind === "hour");
    const opened = (await vscode.commands.executeCommand("modelData.query", hour)) as { document: string };
    const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document)?.getText() ?? "";
    assert.match(text, new RegExp(`\\nFROM model_inputs\\nWHERE hour = ${Number(hour.hour)}\\nORDER BY date, source\\nLIMIT 1000;\\n$`));
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("opens a document with the views, runs a statement into the grid, and puts a bad query's error on the document", async () => {
    const api = await activeApi();
    const service = await walk(api, [...WS, SERVICE]);
    const opened = (await vscode.commands.executeCommand("modelData.query", service, { from: "2030-05-01", to: "2030-05-03" })) as { document: string };
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document);
    assert.ok(document);
    assert.equal(document.languageId, "sql");
    const text = document.getText();
    assert.match(text, /-- {3}inputs {2}\(inputs: 3 files, /);
    assert.match(text, /-- {3}predictions {2}\(predictions: 1 file, /);
    assert.match(text, /Left out, not the collector's files: _success\n/);
    assert.match(text, /@modeldata window=/);
    const lenses = (await vscode.commands.executeCommand("vscode.executeCodeLensProvider", document.uri)) as vscode.CodeLens[];
    assert.deepEqual(lenses.map((l) => l.command?.title), ["▶ Run Query", "Export…", "Open in Notebook"]);
    const outcome = (await vscode.commands.executeCommand("modelData.runQuery", document.uri, { offset: text.lastIndexOf("SELECT") })) as RunOutcome;
    assert.equal(outcome.rowCount, 4);
    const state = api.previews.state(outcome.key as string);
    assert.ok(state);
    await state.done;
    assert.equal(state.progress.rowsLoaded, 4);
    assert.deepEqual(state.columns.map((c) => c.name).slice(0, 3), ["age", "city", "$aml_dc_correlation_id"]);

    const bad = (await vscode.commands.executeCommand("modelData.query", service, { from: "2030-05-01", to: "2030-05-03", sql: "SELECT age, '$&' AS x,\n  nosuch\nFROM inputs" })) as { document: string };
    const badDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === bad.document) as vscode.TextDocument;
    assert.match(badDoc.getText(), /\nSELECT age, '\$&' AS x,\n {2}nosuch\nFROM inputs;\n$/, "the SQL as given");
    const failed = (await vscode.commands.executeCommand("modelData.runQuery", badDoc.uri, { offset: badDoc.getText().lastIndexOf("SELECT") })) as RunOutcome;
    assert.match(failed.error ?? "", /Referenced column "nosuch" not found/);
    const at = badDoc.positionAt(badDoc.getText().indexOf("nosuch"));
    assert.deepEqual([failed.line, failed.character], [at.line, at.character]);
    const diagnostics = vscode.languages.getDiagnostics(badDoc.uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].source, "DuckDB");
    assert.deepEqual([diagnostics[0].range.start.line, diagnostics[0].range.start.character, diagnostics[0].range.end.character], [at.line, at.character, at.character + "nosuch".length]);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("Query This Window from a preview queries what the preview shows", async () => {
    const api = await activeApi();
    const inputs = await walk(api, [...WS, SERVICE, "sql_model:1", "inputs"]);
    const shown = (await vscode.commands.executeCommand("modelData.preview", inputs, { from: "2030-05-02", to: "2030-05-03" })) as { key: string };
    await api.previews.state(shown.key)?.done;
    const opened = (await vscode.commands.executeCommand("modelData.queryActiveWindow")) as { document: string };
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document) as vscode.TextDocument;
    assert.match(document.getText(), /sql-svc · sql_model:1 · 2030-05-02 → 2030-05-03/);
    assert.match(document.getText(), /-- {3}inputs {2}\(inputs: 2 files, /);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("exports an answer as CSV and Parquet", async () => {
    const api = await activeApi();
    const service = await walk(api, [...WS, SERVICE]);
    const opened = (await vscode.commands.executeCommand("modelData.query", service, { from: "2030-05-01", to: "2030-05-03", sql: "SELECT coalesce(age, feature_1) AS age FROM inputs ORDER BY 1" })) as { document: string };
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.document) as vscode.TextDocument;
    const uri = document.uri;
    assert.match(document.getText(), /\nSELECT coalesce\(age, feature_1\) AS age FROM inputs ORDER BY 1;\n$/);
    const offset = document.getText().lastIndexOf("SELECT");
    const dir = mkdtempSync(join(tmpdir(), "sql-export-"));
    const csv = (await vscode.commands.executeCommand("modelData.exportQueryResult", uri, { offset, target: join(dir, "ages.csv") })) as { rowCount: number };
    assert.equal(csv.rowCount, 4);
    assert.equal(readFileSync(join(dir, "ages.csv"), "utf8"), "age\n30\n40\n50\n60\n");
    await vscode.commands.executeCommand("modelData.exportQueryResult", uri, { offset, target: join(dir, "ages.parquet") });
    // Open in Notebook: the same views over the same blobs, with DuckDB in Python.
    const cells = (await vscode.commands.executeCommand("modelData.queryInNotebook", uri, { offset })) as Array<{ kind: string; text: string }>;
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    assert.ok(notebook, "a notebook opened");
    assert.equal(notebook.cellCount, cells.length);
    const code = cells.filter((c) => c.kind === "code").map((c) => c.text).join("\n");
    assert.match(code, /fs\.get\(remote, local\)/);
    assert.match(code, /sql-svc\/sql_model\/1\/inputs\/2030\/5\/1\/data\.csv/);
    assert.doesNotMatch(code, new RegExp(api.queries.cacheRoot.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "no path into the extension's cache");
    assert.match(code, /con\.sql\("SELECT coalesce\(age, feature_1\) AS age FROM inputs ORDER BY 1"\)/);
    const parquet = readFileSync(join(dir, "ages.parquet"));
    assert.equal(parquet.subarray(0, 4).toString("latin1"), "PAR1");
    const { parquetMetadata } = await import("hyparquet");
    assert.equal(Number(parquetMetadata(parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength)).num_rows), 4);
    assert.deepEqual(readdirSync(join(api.queries.cacheRoot, "exports")), [], "the cache keeps no copy of an export");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  it("cancels mid-download (no partial file kept) and mid-query", async () => {
    const api = await activeApi();
    const big = await walk(api, [...WS, BIG]);
    const blobsDir = join(api.queries.cacheRoot, "blobs");
    const running = query(big, { from: "2030-05-01", to: "2030-05-01", sql: "SELECT count(*) FROM inputs" });
    const started = Date.now();
    while (!(existsSync(blobsDir) && readdirSync(blobsDir).some((f) => f.endsWith(".part"))) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 2));
    assert.ok(readdirSync(blobsDir).some((f) => f.endsWith(".part")), "the download started");
    api.queries.cancelAll();
    assert.equal(await running, undefined);
    assert.deepEqual(readdirSync(blobsDir).filter((f) => f.endsWith(".part")), []);
    const whole = await query(big, { from: "2030-05-01", to: "2030-05-01", sql: "SELECT count(*) FROM inputs" });
    assert.equal(whole.downloadedBlobs, 1);
    assert.ok(Number(whole.rows[0][0]) > 500_000);

    const slow = query(big, { from: "2030-05-01", to: "2030-05-01", sql: "SELECT count(*) FROM range(100000000000) r WHERE r.range % 7 = 3" });
    setTimeout(() => api.queries.cancelAll(), 300);
    await assert.rejects(slow, /cancelled/);
    assert.equal(api.queries.count, 0);
  });
});
