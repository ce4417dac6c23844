// "Add collector code to a scoring file…" on a service: the model name and feature names come from the
// service's own collected data (the newest inputs file's header or record keys).
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { insertCollector, pickScoringFile, type InsertResult } from "../snippets/insertCollector";
import { modelLabelFromId } from "../tree/children";
import { liveModel } from "./modelCollections";
import { parseCsvPrefix } from "../core/table/csv";
import { isSystemColumn, resolveLegacyColumns } from "../core/table/legacyColumns";
import { JsonlFlattener, PAYLOAD_LINK_COLUMN } from "../core/table/jsonl";

const SAMPLE_BYTES = 64 * 1024;

export async function insertCollectorForService(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, target?: vscode.Uri): Promise<InsertResult | undefined> {
  if (node?.kind !== "service") return insertCollector(target, {}, true);
  // The file first (never whatever happens to be open), then what the service's data says.
  const file = target ?? (await pickScoringFile(true));
  if (!file) return undefined;
  const model = await liveModel(tree, node);
  const modelName = (node.service.layout === "current" ? modelLabelFromId(node.service.deployment?.modelId) : model?.label)?.split(":")[0];
  const sdk = node.service.layout === "legacy" ? "legacy" : "current";
  const columns = async (identifier: string) => (model ? columnsOf(tree, model, identifier) : undefined);
  const [featureNames, predictionNames] = await Promise.all([
    columns(sdk === "legacy" ? "inputs" : "model_inputs"),
    sdk === "legacy" ? columns("predictions") : Promise.resolve(undefined),
  ]);
  return insertCollector(file, { sdk, modelName, featureNames: featureNames ?? [], predictionNames });
}

async function columnsOf(tree: ModelDataTreeProvider, model: ModelDataNode, identifier: string): Promise<string[] | undefined> {
  const id = (await tree.getChildren(model)).find((n) => n.kind === "identifier" && n.name === identifier);
  if (!id) return undefined;
  const newest = (await tree.getChildren(id)).find((n) => n.kind === "date");
  if (newest?.kind !== "date" || newest.blobs.length === 0) return undefined;
  const blob = newest.blobs[0];
  const text = (await newest.where.blobs.readRange(newest.where.container, blob.name, 0, SAMPLE_BYTES)).toString("utf8");
  const complete = blob.size <= SAMPLE_BYTES;
  if (blob.name.endsWith(".jsonl")) {
    const flattener = new JsonlFlattener();
    flattener.push(text, complete);
    return flattener.columns.filter((c) => c !== "time" && c !== "correlationid" && c !== PAYLOAD_LINK_COLUMN);
  }
  const resolved = resolveLegacyColumns(parseCsvPrefix(text, complete));
  return resolved.hasHeader ? resolved.columns.filter((c) => !isSystemColumn(c)) : undefined;
}
