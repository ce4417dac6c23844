// Collector problems in the editor: every open Python file that uses a collector SDK is analysed (on open
// and, debounced, as it changes); each finding is a diagnostic in the Problems panel, and each one with an
// edit that fixes it has a Quick Fix.
import * as vscode from "vscode";
import { analyseCollectors, type CollectorFinding } from "./collectorAnalysis";

const SOURCE = "Azure ML data collection";
const DEBOUNCE_MS = 400;
/** Cheap test before parsing: most Python files are not scoring scripts with a collector. */
const MENTIONS_COLLECTOR = /\b(ModelDataCollector|Collector)\b/;
/** Parsing runs on the shared extension host thread: 48 KB analyses in ~35 ms here; scoring scripts are far smaller. */
const MAX_ANALYSED_CHARS = 48 * 1024;

export class CollectorDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection("modelData.collectors");
  /** The findings behind each document's diagnostics, for their Quick Fixes. */
  private readonly findings = new Map<string, { version: number; findings: CollectorFinding[] }>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.analyse(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.later(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.languages.registerCodeActionsProvider({ language: "python" }, this, { providedCodeActionKinds: CollectorDiagnostics.providedCodeActionKinds }),
    ];
    for (const document of vscode.workspace.textDocuments) this.analyse(document);
  }

  private later(document: vscode.TextDocument): void {
    if (document.languageId !== "python") return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      this.analyse(document);
    }, DEBOUNCE_MS));
  }

  private analyse(document: vscode.TextDocument): void {
    if (document.languageId !== "python" || document.isClosed) return;
    const text = document.getText();
    const findings = text.length <= MAX_ANALYSED_CHARS && MENTIONS_COLLECTOR.test(text) ? analyseCollectors(text).findings : [];
    this.findings.set(document.uri.toString(), { version: document.version, findings });
    this.collection.set(document.uri, findings.map((f) => {
      const diagnostic = new vscode.Diagnostic(rangeOf(document, f), f.message, f.severity === "problem" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = SOURCE;
      diagnostic.code = f.id;
      return diagnostic;
    }));
  }

  private forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.findings.delete(uri.toString());
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const known = this.findings.get(document.uri.toString());
    if (!known || known.version !== document.version) return [];
    const wanted = context.diagnostics.filter((d) => d.source === SOURCE);
    const actions: vscode.CodeAction[] = [];
    for (const finding of known.findings) {
      if (!finding.fix) continue;
      const findingRange = rangeOf(document, finding);
      const diagnostic = wanted.find((d) => d.code === finding.id && d.range.isEqual(findingRange));
      if (!diagnostic && !findingRange.intersection(range)) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of finding.fix.edits) {
        const start = document.positionAt(edit.offset);
        action.edit.replace(document.uri, new vscode.Range(start, document.positionAt(edit.offset + (edit.replace ?? 0))), edit.text);
      }
      if (diagnostic) action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

function rangeOf(document: vscode.TextDocument, finding: CollectorFinding): vscode.Range {
  // A finding about the whole file (a collection no collector makes) sits on the first line.
  if (finding.to <= finding.from) return document.lineAt(document.positionAt(finding.from).line).range;
  return new vscode.Range(document.positionAt(finding.from), document.positionAt(finding.to));
}
