// modelData.insertCollector(uri?, options?): plans with a real Python parser, applies the plan as one
// WorkspaceEdit (one undo restores the file exactly), highlights what was added, and says what was there.
import * as vscode from "vscode";
import { planCollector, type CollectorOptions, type Insertion } from "./collectorPlan";
import { FLAVOURS, type CollectorSdk } from "./sdkFlavours";

const SERVICE_KIND: Record<CollectorSdk, string> = {
  current: "managed and Kubernetes online deployments",
  legacy: "AKS web services deployed with SDK v1",
};

export interface InsertResult {
  changed: boolean;
  added: string[];
  present: string[];
  problems: string[];
}

const added = vscode.window.createTextEditorDecorationType({
  backgroundColor: new vscode.ThemeColor("diffEditor.insertedLineBackground"),
  isWholeLine: true,
  overviewRulerColor: new vscode.ThemeColor("editorOverviewRuler.addedForeground"),
  overviewRulerLane: vscode.OverviewRulerLane.Left,
});

export async function insertCollector(target?: vscode.Uri, given: Partial<CollectorOptions> = {}, askForFile = false): Promise<InsertResult | undefined> {
  const uri = target ?? (await pickScoringFile(askForFile));
  if (!uri) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  const options = await completeOptions(given);
  if (!options) return undefined;
  let plan = planCollector(document.getText(), options);
  if (plan.mixedWith && given.allowMixedSdks === undefined) {
    const mix = "Add Anyway";
    const answer = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(uri)} already uses ${FLAVOURS[plan.mixedWith].label}. ${FLAVOURS[options.sdk].label} collects for a different kind of service (${SERVICE_KIND[options.sdk]}); a file normally uses one of them.`,
      { modal: true }, mix);
    if (answer !== mix) return { changed: false, added: [], present: [], problems: plan.problems };
    plan = planCollector(document.getText(), { ...options, allowMixedSdks: true });
  }
  const result: InsertResult = { changed: plan.insertions.length > 0, added: plan.added, present: plan.present, problems: plan.problems };
  if (plan.insertions.length === 0) {
    const message = plan.problems.length > 0 ? plan.problems.join(" ") : `Data collection is already in ${vscode.workspace.asRelativePath(uri)}: ${plan.present.join(", ")}.`;
    void (plan.problems.length > 0 ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return result;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const insertion of plan.insertions) {
    const start = document.positionAt(insertion.offset);
    if (insertion.replace) edit.replace(uri, new vscode.Range(start, document.positionAt(insertion.offset + insertion.replace)), insertion.text);
    else edit.insert(uri, start, insertion.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error("The editor refused the edit (is the file read-only?).");
  await highlight(uri, document, plan.insertions);
  const summary = [`Added ${plan.added.join("; ")}.`, plan.present.length > 0 ? `Already there: ${plan.present.join(", ")}.` : "", ...plan.problems].filter(Boolean).join(" ");
  void (plan.problems.length > 0 ? vscode.window.showWarningMessage(summary) : vscode.window.showInformationMessage(summary));
  return result;
}

/** Highlights the inserted lines (their offsets after the edit) for a few seconds and reveals the first. */
async function highlight(uri: vscode.Uri, document: vscode.TextDocument, insertions: readonly Insertion[]): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (editor.document.uri.toString() !== uri.toString()) return;
  const sorted = [...insertions].sort((a, b) => a.offset - b.offset);
  let shift = 0;
  const ranges: vscode.Range[] = [];
  for (const ins of sorted) {
    const start = ins.offset + shift;
    shift += ins.text.length - (ins.replace ?? 0);
    ranges.push(new vscode.Range(document.positionAt(start), document.positionAt(start + ins.text.length - (ins.text.endsWith("\n") ? 1 : 0))));
  }
  editor.setDecorations(added, ranges);
  editor.revealRange(ranges[0], vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  setTimeout(() => editor.setDecorations(added, []), 5000);
}

async function completeOptions(given: Partial<CollectorOptions>): Promise<CollectorOptions | undefined> {
  let sdk = given.sdk;
  if (sdk !== "legacy" && sdk !== "current") {
    const picked = await vscode.window.showQuickPick<{ label: string; description: string; detail: string; sdk: CollectorSdk }>([
      { label: "azureml-ai-monitoring", description: `${SERVICE_KIND.current} (current)`, detail: "Collector(name=\"model_inputs\") / \"model_outputs\": the collection names become folders under modelDataCollector/<endpoint>/<deployment>/", sdk: "current" },
      { label: "azureml-monitoring", description: `${SERVICE_KIND.legacy} (legacy)`, detail: "ModelDataCollector(…, designation=\"inputs\") / \"predictions\": the designation becomes the identifier folder in the modeldata container", sdk: "legacy" },
    ], { title: "Which data collector?" });
    if (!picked) return undefined;
    sdk = picked.sdk;
  }
  let modelName = given.modelName;
  if (sdk === "legacy" && !modelName) {
    modelName = await vscode.window.showInputBox({ title: "Model name", prompt: "The registered model's name, as the collector should record it", value: "model" });
    if (modelName === undefined) return undefined;
  }
  let featureNames = given.featureNames;
  if (sdk === "legacy" && !featureNames) {
    const text = await vscode.window.showInputBox({ title: "Feature names (optional)", prompt: "Comma-separated; they become the CSV header. Leave empty for none." });
    if (text === undefined) return undefined;
    featureNames = text.split(",").map((f) => f.trim()).filter(Boolean);
  }
  return { sdk, modelName, featureNames, predictionNames: given.predictionNames, allowMixedSdks: given.allowMixedSdks };
}

/**
 * The file to instrument. From the editor the active Python file is it; from a service node (`ask`) the user
 * chooses, the open Python file offered first, then the workspace's (score* first), or any file on disk.
 */
export async function pickScoringFile(ask: boolean): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const activePython = active?.languageId === "python" ? active.uri : undefined;
  if (activePython && !ask) return activePython;
  const files = (await vscode.workspace.findFiles("**/*.py", "**/{.venv,venv,node_modules,site-packages}/**", 500))
    .filter((uri) => uri.toString() !== activePython?.toString())
    .sort((a, b) => Number(/score/i.test(b.path)) - Number(/score/i.test(a.path)) || a.path.localeCompare(b.path));
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [
    ...(activePython ? [{ label: vscode.workspace.asRelativePath(activePython), description: "open in the editor", uri: activePython }] : []),
    ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { label: "$(folder-opened) Browse…", description: "a scoring file outside the workspace" },
  ];
  const picked = await vscode.window.showQuickPick<Item>(items, { title: "Which scoring file (the one with init() and run())?", matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Python: ["py"] }, title: "Scoring file" });
  return chosen?.[0];
}
