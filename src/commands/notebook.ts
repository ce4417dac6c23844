// modelData.openInNotebook: an untitled Jupyter notebook that loads a date, a collection's date range, or a
// drift report's two windows with pandas, and for a report reproduces its numbers with SciPy.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { notebookCells, type DataAssetRef, type NotebookCell, type NotebookInput } from "../core/azureml/notebook";
import type { PandasSnippetInput } from "../core/pandasSnippet";
import { inRange, type DateRange } from "../core/drift/windows";
import { askRange, targetPrefix } from "./preview";

type DateNode = Extract<ModelDataNode, { kind: "date" }>;
type IdentifierNode = Extract<ModelDataNode, { kind: "identifier" }>;

/** The pandas loading input for a collection's dates in a range (the day folders, as Copy as pandas Code). */
export async function windowData(tree: ModelDataTreeProvider, identifier: IdentifierNode, range: DateRange): Promise<PandasSnippetInput | undefined> {
  const dates = (await tree.getChildren(identifier)).filter((d): d is DateNode => d.kind === "date" && inRange(d.group.date, range));
  if (dates.length === 0) return undefined;
  const layout = identifier.service.layout;
  const globs = dates.flatMap((d) => d.group.prefixes).map((p) => `${p}${layout === "legacy" ? "*.csv" : "*/*.jsonl"}`);
  return { auth: identifier.where.auth, container: identifier.where.container, globs, layout };
}

export async function openNotebook(cells: NotebookCell[]): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(cells.map((cell) => new vscode.NotebookCellData(
    cell.kind === "code" ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup, cell.text, cell.kind === "code" ? "python" : "markdown")));
  const document = await vscode.workspace.openNotebookDocument("jupyter-notebook", data);
  await vscode.window.showNotebookDocument(document);
  return document;
}

export interface NotebookArgs {
  from?: string;
  to?: string;
  /** A built training set (a local CSV or Parquet file). */
  trainingSet?: string;
  /** A registered data asset, read with mltable. */
  asset?: DataAssetRef;
}

/** A date, a collection's date range, a built training set or a registered data asset in a notebook; returns the cells. */
export async function openInNotebook(tree: ModelDataTreeProvider, node: ModelDataNode | undefined, range?: NotebookArgs): Promise<NotebookCell[] | undefined> {
  if (range?.trainingSet || range?.asset) {
    const production = range.asset ? { label: `${range.asset.name}:${range.asset.version} (${range.asset.kind})`, asset: range.asset } : { label: range.trainingSet as string, file: range.trainingSet as string };
    const cells = notebookCells({ title: range.asset ? `Data asset ${range.asset.name}:${range.asset.version}` : "Training set", production });
    await openNotebook(cells);
    return cells;
  }
  if (!node || (node.kind !== "date" && node.kind !== "identifier")) {
    void vscode.window.showInformationMessage("Choose a date or a collection in the Azure ML Data view, then Open in Notebook.");
    return undefined;
  }
  const identifier = node.kind === "date" ? tree.getParent(node) : node;
  if (identifier?.kind !== "identifier") return undefined;
  let window: DateRange | undefined;
  if (node.kind === "date") window = { from: node.group.date, to: node.group.date };
  else {
    const dates = (await tree.getChildren(node)).filter((d): d is DateNode => d.kind === "date").map((d) => d.group.date);
    const chosen = range?.from && range.to ? range : await askRange(dates, "Open which dates in a notebook?");
    if (!chosen) return undefined;
    window = { from: chosen.from ?? dates[dates.length - 1] ?? "0000-00-00", to: chosen.to ?? dates[0] ?? "9999-99-99" };
  }
  const data = await windowData(tree, identifier, window);
  if (!data) {
    void vscode.window.showInformationMessage("No collected data in that date range.");
    return undefined;
  }
  const input: NotebookInput = { title: targetPrefix(tree, identifier), production: { label: window.from === window.to ? window.from : `${window.from} → ${window.to}`, data } };
  const cells = notebookCells(input);
  await openNotebook(cells);
  return cells;
}
