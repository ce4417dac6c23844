// Read-only documents showing exactly what is about to be sent to Azure (a monitor's JSON): a virtual
// document rather than an untitled one, so closing it asks nothing and it cannot be edited by mistake.
import * as vscode from "vscode";

export const REQUEST_SCHEME = "modeldata-request";
const contents = new Map<string, string>();

export function registerRequestPreviews(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(REQUEST_SCHEME, { provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? "" }),
    // A request shown is forgotten with its document.
    vscode.workspace.onDidCloseTextDocument((document) => contents.delete(document.uri.toString())),
  );
}

/** Opens `body` as JSON in a full editor tab of its own (readable whole, scrollable), titled `name`. */
export async function showRequest(name: string, body: unknown): Promise<void> {
  const uri = vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/${name}.json`, query: String(Date.now()) });
  contents.set(uri.toString(), JSON.stringify(body, null, 2) + "\n");
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), "json");
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Active });
}
