// From a look to action, in the real host against Azurite and the local ARM server: a training set from
// the fixture's known pairs (counts and values exact, CSV and Parquet, labels joined, cancel leaves
// nothing), each data asset kind registered, a monitor created from a drift report and managed under
// Monitors, and every refusal leaving nothing half-made.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { BlobServiceClient } from "@azure/storage-blob";
import { activeApi, blobEndpoint, children, labels, scenario, setSetting, walk } from "./helpers";
import { clearFaults, injectFault, storedResource } from "./emulatorAdmin";
import { emulatorConnectionString } from "../../src/core/emulator";
import { legacyBlobName } from "../../src/core/blobLayout";
import { currentBlobs } from "../fixtures/currentData";
import { parseCsvPrefix } from "../../src/core/table/csv";
import type { TrainingSetResult } from "../../src/commands/trainingSet";
import type { RegisterResult } from "../../src/commands/dataAsset";
import type { MonitorResult } from "../../src/commands/monitor";
import type { DriftReport } from "../../src/core/drift/report";
import type { ModelDataNode } from "../../src/tree/nodes";

const WS = ["Local emulator", scenario.workspace];
const BLUE = [...WS, "credit-endpoint/blue"];
const workspaceId = `/subscriptions/${scenario.subscriptionId}/resourceGroups/${scenario.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${scenario.workspace}`;
const range = { from: scenario.dates[scenario.dates.length - 2], to: scenario.dates[scenario.dates.length - 1] };
const container = () => BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient(scenario.datastoreContainer);

interface Expected {
  /** Input rows in file order with their keys. */
  inputs: Array<{ key: string | null; row: Record<string, unknown> }>;
  outputs: Map<string, Record<string, unknown>>;
  outputsWithoutInput: number;
}

/** The pairs the fixture wrote for blue over the range, computed from its records on their own terms. */
function expectedPairs(): Expected {
  const inRange = (name: string) => {
    const m = /\/(\d{4})\/(\d\d)\/(\d\d)\/\d\d\//.exec(name);
    const date = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
    return date >= range.from && date <= range.to;
  };
  const blobs = [...currentBlobs(scenario)].filter((b) => b.name.includes("/credit-endpoint/blue/") && inRange(b.name));
  const records = (collection: string) => blobs.filter((b) => b.name.includes(`/${collection}/`))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))
    .flatMap((b) => String(b.content).split("\n").filter(Boolean).map((l) => JSON.parse(l) as { correlationid: string; data: unknown }));
  const rowsOf = (record: { correlationid: string; data: unknown }) => (Array.isArray(record.data) ? record.data as Array<Record<string, unknown>> : [{ $payload: record.data }]);
  const inputs = records("model_inputs").flatMap((r) => rowsOf(r).map((row, i) => ({ key: `${r.correlationid}_${i}`, row })));
  const outputs = new Map<string, Record<string, unknown>>();
  for (const r of records("model_outputs")) rowsOf(r).forEach((row, i) => outputs.set(`${r.correlationid}_${i}`, row));
  const asked = new Set(inputs.map((i) => i.key));
  return { inputs, outputs, outputsWithoutInput: [...outputs.keys()].filter((k) => !asked.has(k)).length };
}

const build = (node: ModelDataNode, args: Record<string, unknown>) => Promise.resolve(vscode.commands.executeCommand<TrainingSetResult | undefined>("modelData.buildTrainingSet", node, { show: false, ...args }));

describe("the Azure ML hand-off", function () {
  this.timeout(240_000);
  const folder = mkdtempSync(join(tmpdir(), "handoff-"));
  afterEach(clearFaults);

  describe("Build Training Set", () => {
    const expected = expectedPairs();
    const joinedKeys = expected.inputs.filter((i) => i.key && expected.outputs.has(i.key));

    it("joins blue's inputs with its outputs row by row on {correlationid}_{index}: counts and values exact", async () => {
      assert.ok(expected.inputs.length > 100 && expected.outputsWithoutInput > 0, "the fixture has batches and an unpaired output (a payload kept in its own blob)");
      const api = await activeApi();
      const path = join(folder, "inner.csv");
      const result = await build(await walk(api, BLUE), { ...range, how: "inner", format: "csv", target: { file: path }, groundTruth: null });
      assert.ok(result);
      assert.deepEqual(result.counts, { joined: joinedKeys.length, inputsWithoutOutput: expected.inputs.length - joinedKeys.length, outputsWithoutInput: expected.outputsWithoutInput,
        inputsWithoutKey: 0, outputsWithoutKey: 0, duplicateOutputKeys: 0 });
      const [header, ...rows] = parseCsvPrefix(readFileSync(path, "utf8"), true);
      assert.equal(rows.length, joinedKeys.length);
      for (const column of ["time", "correlationid", "correlation_key", "approved", "score", ...scenario.currentDeployments[0].features.map((f) => f.name)]) assert.ok(header.includes(column), column);
      // Every row carries its own output's values, in the inputs' order.
      const at = (name: string) => header.indexOf(name);
      rows.forEach((row, i) => {
        const { key, row: input } = joinedKeys[i];
        const output = expected.outputs.get(key as string) as Record<string, unknown>;
        assert.equal(row[at("correlation_key")], key);
        assert.equal(row[at("approved")], String(output.approved));
        assert.equal(row[at("score")], String(output.score));
        const feature = scenario.currentDeployments[0].features[0].name;
        assert.equal(row[at(feature)], input[feature] === null || input[feature] === undefined ? "" : String(input[feature]));
      });
      assert.match(result.summary, new RegExp(`${joinedKeys.length.toLocaleString("en-US")} row\\(s\\) joined; .*output\\(s\\) without an input \\(left out\\)`));
      assert.equal(result.joinedBy, "duckdb");
      // The engine's join (what the universal VSIX uses) builds the same set: the same columns, rows and counts.
      const enginePath = join(folder, "inner-engine.csv");
      const byEngine = await build(await walk(api, BLUE), { ...range, how: "inner", format: "csv", target: { file: enginePath }, groundTruth: null, joinWith: "engine" });
      assert.equal(byEngine?.joinedBy, "engine");
      assert.deepEqual(byEngine?.counts, result.counts);
      assert.deepEqual(byEngine?.columns, result.columns);
      assert.deepEqual(parseCsvPrefix(readFileSync(enginePath, "utf8"), true), parseCsvPrefix(readFileSync(path, "utf8"), true));
    });

    it("a window larger than the query cache is joined by the engine, and the summary says how to build it hour by hour", async () => {
      const api = await activeApi();
      await setSetting("query.cacheSizeGB", 1e-6);
      try {
        const path = join(folder, "over-cache.csv");
        const result = await build(await walk(api, BLUE), { ...range, how: "inner", format: "csv", target: { file: path }, groundTruth: null });
        assert.equal(result?.joinedBy, "engine");
        assert.match(result?.summary ?? "", /Joined in memory: the window's .+ are more than the query cache's 1000 B; raise modelData\.query\.cacheSizeGB to build it hour by hour\./);
        assert.equal(parseCsvPrefix(readFileSync(path, "utf8"), true).length - 1, joinedKeys.length);
      } finally {
        await setSetting("query.cacheSizeGB", undefined);
      }
    });

    it("keeps every input in a left join, and writes Parquet that reads back typed", async () => {
      const api = await activeApi();
      const path = join(folder, "left.parquet");
      const result = await build(await walk(api, BLUE), { ...range, how: "left", format: "parquet", target: { file: path }, groundTruth: null });
      assert.ok(result);
      assert.equal(result.rows, expected.inputs.length);
      const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
      const bytes = readFileSync(path);
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const metadata = parquetMetadata(buffer);
      assert.equal(Number(metadata.num_rows), expected.inputs.length);
      const types = Object.fromEntries(metadata.schema.slice(1).map((s) => [s.name, s.type]));
      assert.equal(types.score, "DOUBLE");
      assert.equal(types.correlation_key, "BYTE_ARRAY");
      const read = await parquetReadObjects({ file: buffer, columns: ["correlation_key", "score"] });
      for (const row of read as Array<{ correlation_key: string; score: number | null }>) {
        const output = expected.outputs.get(row.correlation_key);
        assert.equal(row.score, output ? Number(output.score) : null, row.correlation_key);
      }
    });

    it("joins ground truth labels from a local CSV, counting what matched", async () => {
      const api = await activeApi();
      const labelled = joinedKeys.filter((_, i) => i % 2 === 0);
      const lines = ["request_key,label", ...labelled.map((k, i) => `${k.key},${i % 3 === 0 ? "fraud" : "ok"}`), `${labelled[0].key},duplicate`, "never-seen_0,ok"];
      const labels = join(folder, "labels.csv");
      writeFileSync(labels, lines.join("\n") + "\n");
      const path = join(folder, "labelled.csv");
      const result = await build(await walk(api, BLUE), { ...range, how: "inner", format: "csv", target: { file: path }, groundTruth: { file: labels, labelKey: "request_key", joinOn: "correlation_key" } });
      assert.ok(result?.labels);
      assert.deepEqual(result.labels, { matched: labelled.length, unmatched: joinedKeys.length - labelled.length, duplicateKeys: 1, labelsWithoutKey: 0, unusedLabels: 1 });
      const [header, ...rows] = parseCsvPrefix(readFileSync(path, "utf8"), true);
      assert.equal(rows.length, labelled.length);
      assert.equal(rows[0][header.indexOf("label")], "fraud");

      // The same labels as Parquet (what training pipelines keep), matched on the same key.
      const { parquetWriteBuffer } = await import("hyparquet-writer");
      const parquetLabels = join(folder, "labels.parquet");
      const keys = lines.slice(1).map((l) => l.split(",")[0]);
      writeFileSync(parquetLabels, Buffer.from(parquetWriteBuffer({ columnData: [
        { name: "request_key", data: keys, type: "STRING" },
        { name: "label", data: lines.slice(1).map((l) => l.split(",")[1]), type: "STRING" },
      ] })));
      const fromParquet = await build(await walk(api, BLUE), { ...range, how: "inner", format: "csv", target: { file: join(folder, "labelled-parquet.csv") }, groundTruth: { file: parquetLabels, labelKey: "request_key" } });
      assert.deepEqual(fromParquet?.labels, result.labels);
      assert.equal(fromParquet?.rows, labelled.length);
    });

    it("uploads to the default datastore, and a cancelled build leaves no file behind", async () => {
      const api = await activeApi();
      const uploaded = await build(await walk(api, BLUE), { ...range, how: "inner", format: "parquet", target: { datastore: true }, groundTruth: null });
      assert.ok(uploaded?.uploaded);
      assert.equal(uploaded.uploaded.name, `training-sets/credit-endpoint-blue/${range.from}_${range.to}/training.parquet`);
      assert.match(uploaded.uploaded.dataUri ?? "", /^azureml:\/\/subscriptions\/.+\/datastores\/workspaceblobstore\/paths\/training-sets\/credit-endpoint-blue\//);
      const properties = await container().getBlobClient(uploaded.uploaded.name).getProperties();
      assert.equal(properties.contentLength, uploaded.bytes);
      assert.equal(existsSync(uploaded.path), false, "the local copy made for the upload is removed");
      // The uploaded set registers as a uri_file on the default datastore.
      const registered = await vscode.commands.executeCommand<RegisterResult>("modelData.registerDataAsset", await walk(api, BLUE), { trainingSet: uploaded.uploaded, show: false });
      assert.equal(registered.kind, "uri_file");
      assert.equal(registered.name, "credit-endpoint-blue-training");
      assert.equal(registered.dataUri, uploaded.uploaded.dataUri);
      assert.equal((await storedResource(`${workspaceId}/data/credit-endpoint-blue-training/versions/1`) as { properties: { dataType: string } }).properties.dataType, "uri_file");

      const path = join(folder, "cancelled.csv");
      const pending = build(await walk(api, BLUE), { from: scenario.dates[0], to: range.to, how: "left", format: "csv", target: { file: path }, groundTruth: null });
      for (let i = 0; i < 200 && api.trainingSets.count === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(api.trainingSets.count, 1);
      api.trainingSets.cancelAll();
      assert.equal(await pending, undefined);
      assert.equal(existsSync(path), false);
      assert.deepEqual(readdirSync(folder).filter((f) => f.startsWith("cancelled")), []);
    });

    it("joins a legacy service's CSV files on $aml_dc_correlation_id (add_correlations), quoted and plain rows alike", async () => {
      const api = await activeApi();
      const modeldata = BlobServiceClient.fromConnectionString(emulatorConnectionString(blobEndpoint)).getContainerClient("modeldata");
      const name = (identifier: string) => legacyBlobName({ subscription: scenario.subscriptionId, resourceGroup: scenario.resourceGroup, workspace: scenario.workspace,
        service: "ts-legacy", model: "m", version: "1", identifier, date: "2031-01-01", file: "data.csv" });
      // 3,000 inputs: plain rows (the engine's byte path) and, every 7th, a quoted cell (the text path).
      const inputs = ["age,city,$aml_dc_correlation_id,$aml_dc_scoring_timestamp"];
      const predictions = ["score,$aml_dc_correlation_id"];
      for (let r = 0; r < 3000; r++) {
        inputs.push(`${20 + (r % 50)},${r % 7 === 0 ? `"Zürich, ZH"` : "Bern"},id-${r},2031-01-01T00:00:00.000000`);
        if (r % 3 !== 0) predictions.push(`${(r / 3000).toFixed(4)},id-${r}`);
      }
      predictions.push("0.9999,id-1", "0.5,", "0.4,id-unknown");
      await modeldata.getBlockBlobClient(name("inputs")).uploadData(Buffer.from(inputs.join("\r\n") + "\r\n"));
      await modeldata.getBlockBlobClient(name("predictions")).uploadData(Buffer.from(predictions.join("\r\n") + "\r\n"));
      try {
        api.tree.refresh();
        const path = join(folder, "legacy.csv");
        const result = await build(await walk(api, [...WS, "ts-legacy"]), { from: "2031-01-01", to: "2031-01-01", how: "inner", format: "csv", target: { file: path }, groundTruth: null });
        assert.ok(result);
        assert.deepEqual(result.counts, { joined: 2000, inputsWithoutOutput: 1000, outputsWithoutInput: 1, inputsWithoutKey: 0, outputsWithoutKey: 1, duplicateOutputKeys: 1 });
        const [header, ...rows] = parseCsvPrefix(readFileSync(path, "utf8"), true);
        assert.deepEqual(header, ["age", "city", "$aml_dc_correlation_id", "$aml_dc_scoring_timestamp", "score"]);
        assert.equal(rows.length, 2000);
        for (const row of rows) {
          const r = Number(row[2].slice(3));
          assert.deepEqual(row, [String(20 + (r % 50)), r % 7 === 0 ? "Zürich, ZH" : "Bern", `id-${r}`, "2031-01-01T00:00:00.000000", (r / 3000).toFixed(4)], `row of id-${r}`);
        }
        assert.equal(result.joinedBy, "duckdb");
        const enginePath = join(folder, "legacy-engine.csv");
        const byEngine = await build(await walk(api, [...WS, "ts-legacy"]), { from: "2031-01-01", to: "2031-01-01", how: "inner", format: "csv", target: { file: enginePath }, groundTruth: null, joinWith: "engine" });
        assert.deepEqual(byEngine?.counts, result.counts);
        assert.deepEqual(parseCsvPrefix(readFileSync(enginePath, "utf8"), true), parseCsvPrefix(readFileSync(path, "utf8"), true), "the engine's join writes the same set");
      } finally {
        await modeldata.deleteBlob(name("inputs"));
        await modeldata.deleteBlob(name("predictions"));
        api.tree.refresh();
      }
    });

    it("opens a built set in a notebook that loads exactly that file", async () => {
      const cells = await vscode.commands.executeCommand<Array<{ text: string }>>("modelData.openInNotebook", undefined, { trainingSet: join(folder, "left.parquet") });
      assert.match(cells[1].text, new RegExp(`pd\\.read_parquet\\(${JSON.stringify(join(folder, "left.parquet")).replace(/[\\/.]/g, "\\$&")}\\)`));
      assert.equal(vscode.window.activeNotebookEditor?.notebook.cellAt(1).document.getText(), cells[1].text);
      await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
    });
  });

  describe("Register as Data Asset", () => {
    const register = (node: ModelDataNode, args: Record<string, unknown>) => Promise.resolve(vscode.commands.executeCommand<RegisterResult | undefined>("modelData.registerDataAsset", node, { show: false, ...args }));
    const version = (name: string, v: string) => storedResource(`${workspaceId}/data/${name}/versions/${v}`);
    const uriOf = (datastore: string, path: string) => `azureml://subscriptions/${scenario.subscriptionId}/resourcegroups/${scenario.resourceGroup}/workspaces/${scenario.workspace}/datastores/${datastore}/paths/${path}`;

    it("registers a date folder, an hour folder and a file of current data on the default datastore", async () => {
      const api = await activeApi();
      const dates = await children(api, await walk(api, [...BLUE, "credit_model:2", "model_inputs"]));
      const day = await register(dates[0], { name: "blue-inputs-day" });
      assert.equal(day?.kind, "uri_folder");
      const [y, m, d] = labels(api, [dates[0]])[0].split("-");
      const stored = (await version("blue-inputs-day", "1")).properties as Record<string, unknown>;
      assert.equal(stored.dataType, "uri_folder");
      assert.equal(stored.dataUri, uriOf("workspaceblobstore", `modelDataCollector/credit-endpoint/blue/model_inputs/${y}/${m}/${d}/`));
      assert.deepEqual(stored.tags, { source: "vscode-model-data" });

      const hour = (await children(api, dates[0]))[0];
      const hourAsset = await register(hour, { name: "blue-inputs-hour" });
      assert.equal(hourAsset?.kind, "uri_folder");
      assert.match(hourAsset?.dataUri ?? "", new RegExp(`/model_inputs/${y}/${m}/${d}/19/$`));
      const file = (await children(api, hour))[0];
      const fileAsset = await register(file, { name: "blue-inputs-file", description: "one file" });
      assert.equal(fileAsset?.kind, "uri_file");
      assert.match(fileAsset?.dataUri ?? "", /\/19\/blue-[0-9a-f]+-\d{5}\.jsonl$/);
      // The next version is the next free one.
      const again = await register(file, { name: "blue-inputs-file" });
      assert.equal(again?.version, "2");
    });

    it("registers a date range as an MLTable written beside the data, with Azure ML monitoring's partition format", async () => {
      const api = await activeApi();
      const identifier = await walk(api, [...BLUE, "credit_model:2", "model_inputs"]);
      const result = await register(identifier, { ...range, name: "blue-inputs-range" });
      assert.equal(result?.kind, "mltable");
      assert.equal(result?.mltable?.name, `modeldata-mltables/modelDataCollector/credit-endpoint/blue/model_inputs/${range.from}_${range.to}/MLTable`);
      const text = (await container().getBlobClient(result?.mltable?.name ?? "").downloadToBuffer()).toString("utf8");
      assert.equal(text, result?.mltable?.text);
      assert.match(text, /read_json_lines:\n {6}encoding: utf8\n {6}include_path_column: true\n {2}- extract_columns_from_partition_format: "\{PartitionDate:yyyy\/MM\/dd\/HH\}\/\{fileName\}\.jsonl"/);
      for (const date of [range.from, range.to]) assert.ok(text.includes(`- pattern: "${uriOf("workspaceblobstore", `modelDataCollector/credit-endpoint/blue/model_inputs/${date.replace(/-/g, "/")}/`)}**/*.jsonl"`), date);
      const stored = (await version("blue-inputs-range", "1")).properties as Record<string, unknown>;
      assert.equal(stored.dataType, "mltable");
      assert.equal(stored.dataUri, uriOf("workspaceblobstore", `modeldata-mltables/modelDataCollector/credit-endpoint/blue/model_inputs/${range.from}_${range.to}/`));
      assert.equal((stored.referencedUris as string[]).length, 2);
    });

    it("makes an identity-based datastore for legacy data in 'modeldata' and registers on it", async () => {
      const api = await activeApi();
      const legacy = scenario.legacyServices[0];
      const service = await walk(api, [...WS, legacy.name]);
      const model = (await children(api, service))[0];
      const inputs = (await children(api, model)).find((n) => n.kind === "identifier" && n.name === "inputs") as ModelDataNode;
      const date = (await children(api, inputs))[0];
      // Refused while ARM says 403: the datastore made for it is removed again.
      await injectFault({ method: "PUT", path: "/data/legacy-day/versions/", action: "respond", status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/data/versions/write'." });
      await assert.rejects(register(date, { name: "legacy-day", createDatastore: true }), /nothing was left behind.*AuthorizationFailed.*data\/versions\/write.*AzureML Data Scientist/);
      await assert.rejects(storedResource(`${workspaceId}/datastores/modeldata`), /not stored/);
      await assert.rejects(storedResource(`${workspaceId}/data/legacy-day/versions/1`), /not stored/);
      // Without leave to make one, nothing is made.
      await assert.rejects(register(date, { name: "legacy-day" }), /No datastore points at the 'modeldata' container/);

      const result = await register(date, { name: "legacy-day", createDatastore: true });
      assert.equal(result?.createdDatastore, "modeldata");
      const datastore = (await storedResource(`${workspaceId}/datastores/modeldata`)).properties as Record<string, unknown>;
      assert.deepEqual([datastore.datastoreType, datastore.containerName, datastore.credentials], ["AzureBlob", "modeldata", { credentialsType: "None" }]);
      assert.match(result?.dataUri ?? "", new RegExp(`/datastores/modeldata/paths/${scenario.subscriptionId}/`));
      // The next registration finds the datastore: it is not made twice.
      const second = await register(date, { name: "legacy-day" });
      assert.equal(second?.createdDatastore, undefined);
      assert.equal(second?.datastore, "modeldata");
    });

    it("leaves no MLTable file when ARM refuses the version (409, 400)", async () => {
      const api = await activeApi();
      const identifier = await walk(api, [...BLUE, "credit_model:2", "model_outputs"]);
      for (const [status, code] of [[409, "Conflict"], [400, "UserError"]] as const) {
        await injectFault({ method: "PUT", path: "/data/blue-outputs-range/versions/", action: "respond", status, code, message: `refused with ${status}` });
        await assert.rejects(register(identifier, { ...range, name: "blue-outputs-range" }), new RegExp(`nothing was left behind.*refused with ${status}`));
        const left = [];
        for await (const blob of container().listBlobsFlat({ prefix: "modeldata-mltables/modelDataCollector/credit-endpoint/blue/model_outputs/" })) left.push(blob.name);
        assert.deepEqual(left, []);
      }
    });
  });

  describe("Create Azure ML Monitor and the Monitors node", () => {
    it("creates a monitor from a drift report, lists it under Monitors, disables and deletes it", async () => {
      const api = await activeApi();
      const blue = await walk(api, BLUE);
      const report = await vscode.commands.executeCommand<DriftReport>("modelData.compare", blue,
        { production: { from: range.to, to: range.to }, reference: { from: scenario.dates[0], to: range.from }, show: false });
      assert.equal(report.monitorable, true);
      const result = await vscode.commands.executeCommand<MonitorResult>("modelData.createMonitor", blue,
        { report, name: "blue-drift", taskType: "Classification", emails: ["ml@contoso.com"], confirm: false, show: false });
      assert.deepEqual(result.registered, ["credit-endpoint-blue-model_inputs:1", "credit-endpoint-blue-model_outputs:1"]);
      const stored = await storedResource(`${workspaceId}/schedules/blue-drift`);
      const properties = stored.properties as { provisioningState: string; isEnabled: boolean; action: { monitorDefinition: { signals: Record<string, { signalType: string; features?: { features?: string[] }; metricThresholds: Array<{ metric: string; threshold: { value: number } }> }> } } };
      assert.equal(properties.provisioningState, "Succeeded");
      const signals = Object.values(properties.action.monitorDefinition.signals);
      // Every input feature of the report is watched, with the metric and threshold it was judged by.
      const inputs = report.collections.find((c) => c.role === "inputs");
      const watched = signals.filter((s) => s.signalType === "DataDrift").flatMap((s) => s.features?.features ?? []).sort();
      assert.deepEqual(watched, (inputs?.result.features.filter((f) => !f.problem).map((f) => f.name) ?? []).sort());
      assert.ok(signals.some((s) => s.signalType === "PredictionDrift"));
      assert.ok(signals.some((s) => s.signalType === "DataQuality"));
      const inputsAsset = (await storedResource(`${workspaceId}/data/credit-endpoint-blue-model_inputs/versions/1`)).properties as Record<string, unknown>;
      assert.match(String(inputsAsset.dataUri), /\/datastores\/workspaceblobstore\/paths\/modelDataCollector\/credit-endpoint\/blue\/model_inputs\/$/);

      api.tree.refresh();
      const monitors = await walk(api, [...BLUE, "Monitors"]);
      const [monitor] = await children(api, monitors);
      assert.equal(api.tree.getTreeItem(monitor).label, "blue-drift");
      assert.match(String(api.tree.getTreeItem(monitor).description), /^enabled · DataDrift.*PredictionDrift.*DataQuality · next \d{4}-\d\d-\d\d 03:00 UTC$/);
      assert.match(String(api.tree.getTreeItem(monitor).contextValue), /(^|;)monitor-enabled(;|$)/);

      assert.equal(await vscode.commands.executeCommand("modelData.disableMonitor", monitor, { show: false }), true);
      assert.equal(((await storedResource(`${workspaceId}/schedules/blue-drift`)).properties as { isEnabled: boolean }).isEnabled, false);
      const [disabled] = await children(api, monitors);
      assert.match(String(api.tree.getTreeItem(disabled).description), /^disabled · /);
      assert.equal(await vscode.commands.executeCommand("modelData.enableMonitor", disabled, { show: false }), true);
      const [enabled] = await children(api, monitors);
      assert.equal(await vscode.commands.executeCommand("modelData.deleteMonitor", enabled, { confirm: false, show: false }), true);
      await assert.rejects(storedResource(`${workspaceId}/schedules/blue-drift`), /not stored/);
      assert.deepEqual(labels(api, await children(api, monitors)), ["No monitors yet: create one…"]);
    });

    it("says ARM's refusal in its words and stores nothing (403, a failed operation)", async () => {
      const api = await activeApi();
      const blue = await walk(api, BLUE);
      await injectFault({ method: "PUT", path: "/schedules/refused", action: "respond", status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.MachineLearningServices/workspaces/schedules/write'." });
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand("modelData.createMonitor", blue, { name: "refused", taskType: "Regression", confirm: false, show: false })),
        /The monitor was not created: AuthorizationFailed: .*schedules\/write.*AzureML Data Scientist/);
      await assert.rejects(storedResource(`${workspaceId}/schedules/refused`), /not stored/);
      await injectFault({ method: "PUT", path: "/schedules/failing", action: "failOperation", code: "UserError", message: "Production data asset credit-endpoint-blue-model_inputs:1 has no data in the window." });
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand("modelData.createMonitor", blue, { name: "failing", taskType: "Regression", confirm: false, show: false })), /has no data in the window/);
      await assert.rejects(storedResource(`${workspaceId}/schedules/failing`), /not stored/);
    });
  });
});
