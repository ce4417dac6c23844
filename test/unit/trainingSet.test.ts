// The pieces of #14 that are plain code: the inputs ⋈ outputs join on the correlation id (as Azure ML's
// monitoring pairs them), and what registering a data asset sends (body, datastore URI, MLTable).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { batchedKey, describeJoin, TrainingJoin } from "../../src/core/azureml/trainingJoin";
import { joinedColumnNames } from "../../src/core/azureml/trainingColumns";
import { isTypedNumber } from "../../src/core/azureml/keyedRows";
import { assetName, datastoreUri, dataVersionBody, mltableText, nextVersion } from "../../src/core/azureml/dataAsset";

type Row = { key: string | null; cells: string[] };

/** Current-collector records as rows: each data row keyed {correlationid}_{index}. */
function rowsOf(records: Array<{ correlationid: string | null; data: string[][] }>): Row[] {
  return records.flatMap((record) => record.data.map((cells, i) => ({ key: batchedKey(record.correlationid, i), cells })));
}

describe("training set join", () => {
  // Inputs have one column (x); outputs two (y, and an x of their own).
  const inputs = rowsOf([
    { correlationid: "a", data: [["1"], ["2"], ["3"]] },   // a batch of three requests
    { correlationid: "b", data: [["4"]] },
    { correlationid: "c", data: [["5"]] },                 // no output
    { correlationid: null, data: [["6"]] },                // no correlation id
  ]);
  const outputs = rowsOf([
    { correlationid: "a", data: [["10", ""], ["20", ""], ["30", ""]] },
    { correlationid: "b", data: [["40", "99"]] },          // a column named like an input's
    { correlationid: "b", data: [["41", ""]] },            // the same key again
    { correlationid: "z", data: [["90", ""]] },            // no input
    { correlationid: "", data: [["91", ""]] },             // empty key
  ]);

  const run = (how: "inner" | "left") => {
    const join = new TrainingJoin(how);
    for (const row of outputs) join.add(row.key, row.cells);
    const rows = inputs.flatMap((input) => {
      const output = join.pair(input.key);
      return output === undefined ? [] : [[input.key, input.cells[0], join.rows.cell(output, 0), join.rows.cell(output, 1)]];
    });
    return { rows, counts: join.counts(), join };
  };

  it("pairs a batched record row by row, and counts everything that did not pair", () => {
    const { rows, counts } = run("inner");
    assert.deepEqual(rows, [["a_0", "1", "10", null], ["a_1", "2", "20", null], ["a_2", "3", "30", null], ["b_0", "4", "40", "99"]]);
    assert.deepEqual(counts, { joined: 4, inputsWithoutOutput: 1, outputsWithoutInput: 1, inputsWithoutKey: 1, outputsWithoutKey: 1, duplicateOutputKeys: 1 });
    assert.equal(describeJoin(counts, "inner"), "4 row(s) joined; 1 input(s) without an output (left out); 1 input(s) without a correlation id (left out); 1 output(s) without an input (left out); 1 output(s) without a correlation id (left out); 1 output(s) repeating a correlation id (the first was used).");
  });

  it("a left join keeps every input, outputs empty where none paired", () => {
    const { rows, counts, join } = run("left");
    assert.equal(rows.length, inputs.length);
    assert.deepEqual(rows.map((r) => r[2]), ["10", "20", "30", "40", null, null]);
    assert.equal(counts.joined, 4);
    assert.match(describeJoin(counts, "left"), /1 input\(s\) without an output \(kept, outputs empty\)/);
    assert.equal(join.rows.isNumeric(0), true);
  });

  it("types a column as numbers only when no value would change: a leading zero keeps it text", () => {
    assert.deepEqual(["0", "0.5", "-0.25", "12", "1e3", "01234", "-007", "007.5", " 5", "0x1A"].map(isTypedNumber), [true, true, true, true, true, false, false, false, false, false]);
    const join = new TrainingJoin("inner");
    join.add("k1", ["8001", "1.5"]);
    join.add("k2", ["08002", "2"]);
    assert.deepEqual([join.rows.isNumeric(0), join.rows.isNumeric(1)], [false, true]);
  });

  it("names an output column that an input has output_<name>, and a label column that clashes label_<name>", () => {
    assert.deepEqual(joinedColumnNames(["x", "correlation_key"], ["y", "x"], ["label", "y", "x"]), ["x", "correlation_key", "y", "output_x", "label", "label_y", "label_x"]);
  });
});

describe("data asset registration", () => {
  it("sends the DataVersionBase body the REST API takes", () => {
    assert.deepEqual(dataVersionBody({ kind: "uri_folder", dataUri: "azureml://datastores/workspaceblobstore/paths/x/", description: "inputs of 2026-11-30", tags: { source: "vscode" } }), {
      properties: { dataType: "uri_folder", dataUri: "azureml://datastores/workspaceblobstore/paths/x/", isAnonymous: false, isArchived: false, description: "inputs of 2026-11-30", tags: { source: "vscode" } },
    });
    assert.deepEqual(dataVersionBody({ kind: "uri_file", dataUri: "u" }).properties.tags, {});
  });

  it("names data by datastore path (no key, no SAS), escaping what a path may hold", () => {
    assert.equal(datastoreUri({ subscription: "s", resourceGroup: "rg", workspace: "ws", datastore: "workspaceblobstore", path: "modelDataCollector/ep/blue/model_inputs/2026/11/30/" }),
      "azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/workspaceblobstore/paths/modelDataCollector/ep/blue/model_inputs/2026/11/30/");
    assert.equal(datastoreUri({ subscription: "s", resourceGroup: "rg", workspace: "ws", datastore: "d", path: "a b/c#d.csv" }),
      "azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/d/paths/a%20b/c%23d.csv");
  });

  it("offers the next free version and a name Azure ML accepts", () => {
    assert.equal(nextVersion([]), "1");
    assert.equal(nextVersion(["1", "2", "10", "draft"]), "11");
    assert.equal(assetName("credit-endpoint/blue · model_inputs"), "credit-endpoint-blue-model_inputs");
    assert.equal(assetName("__x"), "x");
    assert.equal(assetName("···"), "model-data");
  });

  it("writes MLTable files for both layouts", () => {
    assert.equal(mltableText({ layout: "current", patterns: ["./2026/11/2[4-9]/**/*.jsonl", "./2026/11/30/**/*.jsonl"] }), [
      "$schema: https://azuremlschemas.azureedge.net/latest/MLTable.schema.json",
      "type: mltable",
      "paths:",
      "  - pattern: \"./2026/11/2[4-9]/**/*.jsonl\"",
      "  - pattern: \"./2026/11/30/**/*.jsonl\"",
      "transformations:",
      "  - read_json_lines:",
      "      encoding: utf8",
      "      include_path_column: true",
      "  - extract_columns_from_partition_format: \"{PartitionDate:yyyy/MM/dd/HH}/{fileName}.jsonl\"",
      "",
    ].join("\n"));
    const legacy = mltableText({ layout: "legacy", patterns: ["./2026/11/30/*.csv"] });
    assert.match(legacy, /read_delimited:\n {6}delimiter: ","\n {6}encoding: utf8\n {6}header: all_files_same_headers/);
    assert.match(mltableText({ layout: "legacy", patterns: ["./we\"ird/*.csv"] }), /pattern: "\.\/we\\"ird\/\*\.csv"/);
    // A blob name is untrusted: a line break in it stays inside its scalar, not a new YAML key.
    assert.match(mltableText({ layout: "legacy", patterns: ["a\n  - file: evil"] }), /^ {2}- pattern: "a\\n {2}- file: evil"$/m);
  });
});
