// The editor side of query documents: ▶ Run Query / Export / Open in Notebook above each statement, the
// context key Ctrl+Enter is bound to, and DuckDB's errors as diagnostics (cleared when the text changes).
import * as vscode from "vscode";
import { readWindowMarker } from "../core/sql/queryHeader";
import { splitStatements } from "../core/sql/sqlText";

export class QueryDocuments implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("modelData.sql");
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerCodeLensProvider({ language: "sql" }, this),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.setContext(editor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.diagnostics.has(e.document.uri) && e.contentChanges.length > 0) this.diagnostics.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
    );
    this.setContext(vscode.window.activeTextEditor);
  }

  static isQueryDocument(document: vscode.TextDocument): boolean {
    return document.languageId === "sql" && readWindowMarker(document.getText(new vscode.Range(0, 0, 40, 0))) !== undefined;
  }

  private setContext(editor: vscode.TextEditor | undefined): void {
    void vscode.commands.executeCommand("setContext", "modelData.queryEditor", !!editor && QueryDocuments.isQueryDocument(editor.document));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!QueryDocuments.isQueryDocument(document)) return [];
    return splitStatements(document.getText()).flatMap((statement) => {
      const range = new vscode.Range(document.positionAt(statement.start), document.positionAt(statement.start));
      const args = [document.uri, { offset: statement.start }];
      return [
        new vscode.CodeLens(range, { title: "▶ Run Query", command: "modelData.runQuery", arguments: args, tooltip: "Answer this statement in the grid (Ctrl+Enter)" }),
        new vscode.CodeLens(range, { title: "Export…", command: "modelData.exportQueryResult", arguments: args, tooltip: "Write the whole answer as CSV or Parquet" }),
        new vscode.CodeLens(range, { title: "Open in Notebook", command: "modelData.queryInNotebook", arguments: args, tooltip: "The same SQL with DuckDB in Python, reading the same blobs" }),
      ];
    });
  }

  report(uri: vscode.Uri, range: vscode.Range, message: string): void {
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = "DuckDB";
    this.diagnostics.set(uri, [diagnostic]);
  }

  clear(uri: vscode.Uri): void {
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
