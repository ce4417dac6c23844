// A new untitled document with the text we give it. VS Code may give it the Untitled-N name of one just
// closed and resolve it from that one's hot-exit backup, not yet discarded: the integration tests saw a
// query document open with the previous query's text (its window and views). The text is checked and put right.
import * as vscode from "vscode";

export async function untitledDocument(language: string, content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  if (document.getText() !== content) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), content);
    if (!(await vscode.workspace.applyEdit(edit)) || document.getText() !== content) throw new Error("VS Code did not open the query document with its text; run the command again.");
  }
  return document;
}
