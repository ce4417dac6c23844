// "Add data collection" above `def run` in Python files that have no collector yet.
import * as vscode from "vscode";
import { readPython, textOf } from "./pythonSource";
import { FLAVOURS } from "./sdkFlavours";

export class CollectorCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap check first: most Python files are not scoring scripts.
    if (!/\bdef\s+run\s*\(/.test(text)) return [];
    const source = readPython(text);
    // Only code counts: a commented-out import is not a collector.
    const collects = source.imports.some((i) => { const t = textOf(source, i); return FLAVOURS.legacy.importPattern.test(t) || FLAVOURS.current.importPattern.test(t); });
    if (!source.run || collects) return [];
    const line = document.positionAt(source.run.node.from).line;
    return [new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: "Add data collection", command: "modelData.insertCollector", arguments: [document.uri], tooltip: "Log this model's inputs and predictions with an Azure ML data collector" })];
  }
}
