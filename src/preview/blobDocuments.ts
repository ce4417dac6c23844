// Collected blobs opened as text (Open Raw, a payload link, the bytes around a broken record): read-only
// documents named after the blob (`modeldata-blob:/<account>/<container>/<path>`), not untitled ones that
// ask to be saved on close. Their text is read through the preview's own gateway and credentials.
import * as vscode from "vscode";
import type { BlobGateway } from "../core/gateways";

export const BLOB_SCHEME = "modeldata-blob";

interface Source {
  blobs: BlobGateway;
  container: string;
  name: string;
  start: number;
  length: number;
}

class BlobDocuments implements vscode.TextDocumentContentProvider {
  private readonly sources = new Map<string, Source>();

  /** The document for `length` bytes of a blob from `start` (the whole blob when they cover it). */
  uri(source: Source, whole: boolean): vscode.Uri {
    const path = `/${source.blobs.accountName}/${source.container}/${source.name}`;
    const uri = vscode.Uri.from({ scheme: BLOB_SCHEME, path, query: whole ? "" : `bytes=${source.start}-${source.start + source.length - 1}` });
    this.sources.set(uri.toString(), source);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = this.sources.get(uri.toString());
    if (!source) return "This blob's text is no longer held here: open it again from its preview or the Azure ML Data view.";
    const bytes = await source.blobs.readRange(source.container, source.name, source.start, source.length);
    return bytes.toString("utf8");
  }
}

export const blobDocuments = new BlobDocuments();

/** Opens bytes of a blob as a read-only document named after it. */
export async function showBlobText(source: Source, whole: boolean, language?: string): Promise<vscode.TextDocument> {
  let document = await vscode.workspace.openTextDocument(blobDocuments.uri(source, whole));
  if (language && document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}
