// Collected blobs opened as text (Open Raw, a payload link, the bytes around a broken record): read-only
// documents named after the blob (`modeldata-blob:/<account>/<container>/<path>`), not untitled ones that
// ask to be saved on close. Their text is read through the preview's own gateway and credentials.
import * as vscode from "vscode";
import type { BlobGateway } from "../core/gateways";

const BLOB_SCHEME = "modeldata-blob";

interface Source {
  blobs: BlobGateway;
  container: string;
  name: string;
  start: number;
  length: number;
  /** The bytes, when the caller has already read them (not read again). */
  bytes?: Buffer;
}

const sources = new Map<string, Source>();

export function registerBlobDocuments(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(BLOB_SCHEME, {
      async provideTextDocumentContent(uri) {
        const source = sources.get(uri.toString());
        if (!source) return "This blob's text is no longer held here: open it again from its preview or the Azure ML Data view.";
        const bytes = source.bytes ?? (await source.blobs.readRange(source.container, source.name, source.start, source.length));
        return bytes.toString("utf8");
      },
    }),
    // A blob's document is forgotten when it closes (held bytes with it).
    vscode.workspace.onDidCloseTextDocument((document) => sources.delete(document.uri.toString())),
  );
}

/** Opens bytes of a blob (the whole blob when `whole`) as a read-only document named after it. */
export async function showBlobText(source: Source, whole: boolean, language?: string): Promise<vscode.TextDocument> {
  const path = `/${source.blobs.accountName}/${source.container}/${source.name}`;
  const uri = vscode.Uri.from({ scheme: BLOB_SCHEME, path, query: whole ? "" : `bytes=${source.start}-${source.start + source.length - 1}` });
  sources.set(uri.toString(), source);
  let document = await vscode.workspace.openTextDocument(uri);
  if (language && document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}
