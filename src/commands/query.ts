// Query Data… (modelData.query): SQL over a window of collected data. Opens an untitled SQL document whose
// comment lists the views; Run Query (Ctrl+Enter, or ▶ above a statement) shows the answer in the preview
// grid; Export writes CSV or Parquet with DuckDB's COPY; with { show: false } the rows come back as JSON.
import * as vscode from "vscode";
import { untitledDocument } from "./untitledDocument";
import { copyFile, rm } from "node:fs/promises";
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { PreviewManager } from "../preview/manager";
import { localPreviewFile } from "../reading/localFile";
import { queryWindow, type QueryWindow } from "../sql/queryWindow";
import type { PreparedWindow, QueryService } from "../sql/queryService";
import { SqlError, type SqlAnswer } from "../sql/sqlEngine";
import { askRange } from "./preview";
import { findNode } from "../tree/findNode";
import { queryDocumentText, readWindowMarker, type WindowKey } from "../core/sql/queryHeader";
import { errorHeadline, errorOffset, splitStatements, statementAt, type Statement } from "../core/sql/sqlText";
import { formatBytes } from "../core/dates";
import { QueryDocuments } from "../sql/queryDocuments";
import type { DriftManager } from "../drift/manager";
import { queryNotebookCells } from "../core/sql/queryNotebook";
import type { NotebookCell } from "../core/azureml/notebook";
import { openNotebook } from "./notebook";
import { RunningJobs } from "../core/runningJobs";

/** Downloads, view definitions and queries in progress: each notification's Cancel, Cancel Running Queries and tests stop them here. */
export const queryRuns = new RunningJobs();

/** A job tracked in queryRuns while `work` runs. */
async function tracked<T>(work: (signal: AbortSignal) => Promise<T>, token?: vscode.CancellationToken): Promise<T> {
  const controller = new AbortController();
  const registration = queryRuns.track(controller);
  const listener = token?.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    registration.dispose();
    listener?.dispose();
  }
}

export interface QueryArgs {
  sql?: string;
  from?: string;
  to?: string;
  /** false: no document or grid; the answer's rows come back as JSON (at most `limit`, default 10,000). */
  show?: boolean;
  limit?: number;
}

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  ms: number;
  views: Array<{ name: string; collection: string; files: number; columns: Array<{ name: string; type: string }> }>;
  downloadedBlobs: number;
  downloadedBytes: number;
}

export interface RunOutcome {
  /** The grid's preview key, when the answer is shown. */
  key?: string;
  rowCount?: number;
  columns?: Array<{ name: string; type: string }>;
  error?: string;
  /** Where the error is in the document (0-based), when DuckDB says. */
  line?: number;
  character?: number;
  cancelled?: boolean;
}

export class QueryCommands {
  /** The answer file each document's grid shows (removed when the next answer replaces it). */
  private readonly shown = new Map<string, string>();
  /** The query document run last (Export and Run from the palette use it when the grid has the focus). */
  private lastDocument: vscode.Uri | undefined;

  constructor(private readonly tree: ModelDataTreeProvider, private readonly previews: PreviewManager, private readonly service: QueryService,
    private readonly documents: QueryDocuments, private readonly drift: DriftManager, private readonly log: vscode.LogOutputChannel) {}

  /** modelData.query */
  async query(target: ModelDataNode | string | undefined, args: QueryArgs = {}): Promise<QueryResult | { document: string } | undefined> {
    const show = args.show !== false;
    const missing = this.service.unavailable();
    if (missing) {
      if (show) void vscode.window.showErrorMessage(missing);
      else throw new Error(missing);
      return undefined;
    }
    const node = typeof target === "string" ? await findNode(this.tree, target) : target;
    if (!node) {
      const message = "Choose a service, a collection or a date in the Azure ML Data view, then Query Data….";
      if (show) void vscode.window.showInformationMessage(message);
      else throw new Error(message);
      return undefined;
    }
    const window = await queryWindow(this.tree, node, { from: args.from, to: args.to }, { range: (dates) => askRange(dates, "Query which dates?") });
    if (!window) return undefined;
    if ("nothing" in window) {
      if (show) void vscode.window.showInformationMessage(window.nothing);
      else throw new Error(window.nothing);
      return undefined;
    }
    const prepared = await this.prepareWithProgress(window, show);
    if (!prepared) return undefined;
    if (!show) {
      const sql = args.sql ?? `SELECT * FROM ${window.collections.find((c) => c.name === window.first)?.view} LIMIT 1000`;
      const answer = await tracked((signal) => this.service.run(prepared, sql, { kind: "rows", limit: args.limit ?? 10_000 }, signal));
      return { ...answer, views: prepared.views, downloadedBlobs: prepared.downloadedBlobs, downloadedBytes: prepared.downloadedBytes };
    }
    let text = queryDocumentText({ title: window.title, key: prepared.key, views: prepared.views, others: prepared.others, refused: prepared.refused,
      converted: prepared.converted, first: window.collections.find((c) => c.name === window.first)?.view ?? prepared.views[0].name, hour: window.hour, formatBytes });
    // A function, not a string: `$&` or `$1` in the user's SQL must stay as written.
    const sql = args.sql;
    if (sql) text = text.replace(/\nSELECT \*\nFROM [^\n]*\n(WHERE hour = \d+\n)?ORDER BY date, source\nLIMIT 1000;\n$/, () => `\n${sql.trim().replace(/;?$/, ";")}\n`);
    const document = await untitledDocument("sql", text);
    const editor = await vscode.window.showTextDocument(document);
    const lastStatement = splitStatements(text).pop();
    if (lastStatement) editor.selection = new vscode.Selection(document.positionAt(lastStatement.start), document.positionAt(lastStatement.start));
    return { document: document.uri.toString() };
  }

  /** Downloads and defines, with a notification that shows progress and can cancel. */
  private async prepareWithProgress(window: QueryWindow, show: boolean): Promise<PreparedWindow | undefined> {
    const total = window.collections.reduce((n, c) => n + c.blobs.length, 0);
    const work = (progress: vscode.Progress<{ message?: string; increment?: number }>, token?: vscode.CancellationToken) => tracked((signal) => {
      let shown = 0;
      return this.service.prepare(window, signal, (stage, done, all) => {
        if (stage === "download" && all > 0) {
          const percent = Math.floor((done / all) * 100);
          progress.report({ message: `downloading ${formatBytes(done)} of ${formatBytes(all)} (${total} files)`, increment: percent - shown });
          shown = percent;
        } else if (stage === "define") progress.report({ message: `defining views (${done}/${all})` });
      }).catch((error) => {
        if (signal.aborted) return undefined;
        throw error;
      });
    }, token);
    if (!show) return work({ report: () => undefined });
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Preparing ${window.title} for SQL`, cancellable: true }, work);
    } catch (error) {
      void vscode.window.showErrorMessage((error as Error).message);
      return undefined;
    }
  }

  /** The window a document's marker names, prepared (after a reload: found again from the tree); else why not, said. */
  private async preparedFor(document: vscode.TextDocument): Promise<PreparedWindow | string> {
    const key = readWindowMarker(document.getText());
    const prepared = !key ? undefined : this.service.known(key) ?? (await this.rebuild(key));
    if (prepared) return prepared;
    const why = key ? "The data this document queries could not be found again in the Azure ML Data view (signed out, detached, or deleted?)."
      : "This document is not tied to collected data: start from Query Data… in the Azure ML Data view.";
    void vscode.window.showErrorMessage(why);
    return why;
  }

  private async rebuild(key: WindowKey): Promise<PreparedWindow | undefined> {
    const node = await findNode(this.tree, key.nodeId).catch(() => undefined);
    if (!node) return undefined;
    const window = await queryWindow(this.tree, node, { from: key.from, to: key.to }, { range: async () => ({ from: key.from, to: key.to }) });
    if (!window || "nothing" in window) return undefined;
    return this.prepareWithProgress(window, true);
  }

  /** modelData.runQuery: the statement under the cursor (or at `offset`) of a query document, answered in the grid. */
  async run(uri?: vscode.Uri | string, options: { offset?: number; show?: boolean } = {}): Promise<RunOutcome | undefined> {
    const found = await this.statementOf(uri, options.offset);
    if (!found) return undefined;
    const { document, statement } = found;
    if (!statement) {
      void vscode.window.showInformationMessage("There is no SQL statement to run in this document.");
      return { error: "no statement" };
    }
    const prepared = await this.preparedFor(document);
    if (typeof prepared === "string") return { error: prepared };
    this.documents.clear(document.uri);
    const path = await this.service.answerPath("results", "csv");
    let answer: SqlAnswer;
    try {
      answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Running query", cancellable: true }, (_p, token) =>
        tracked((signal) => this.service.run(prepared, statement.text, { kind: "file", path, format: "csv" }, signal), token));
    } catch (error) {
      await rm(path, { force: true });
      return this.failed(document, statement, error);
    }
    const key = `query|${document.uri.toString()}`;
    this.previews.close(key);
    const before = this.shown.get(key);
    if (before) await rm(before, { force: true });
    this.shown.set(key, path);
    const file = await localPreviewFile(path);
    // Beside the document: the SQL stays in view while its answer is read.
    this.previews.open({ key, title: `SQL · ${prepared.window.title}`, format: "csv", files: [{ ...file, label: "answer" }], headerRow: true }, undefined, vscode.ViewColumn.Beside);
    this.lastDocument = document.uri;
    this.log.info(`Query over ${prepared.window.title}: ${answer.rowCount} rows in ${Math.round(answer.ms)} ms`);
    return { key, rowCount: answer.rowCount, columns: answer.columns };
  }

  /** The document (see documentOf) and its statement at `offset`, else under its editor's cursor. */
  private async statementOf(uri: vscode.Uri | string | undefined, offset?: number): Promise<{ document: vscode.TextDocument; statement?: Statement } | undefined> {
    const document = await this.documentOf(uri);
    if (!document) return undefined;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    return { document, statement: statementAt(splitStatements(document.getText()), offset ?? (editor ? document.offsetAt(editor.selection.active) : 0)) };
  }

  /** The given document, else the active query document, else the one run last. */
  private async documentOf(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
    if (uri) return vscode.workspace.openTextDocument(typeof uri === "string" ? vscode.Uri.parse(uri) : uri);
    const active = vscode.window.activeTextEditor?.document;
    if (active && QueryDocuments.isQueryDocument(active)) return active;
    const last = this.lastDocument && vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.lastDocument?.toString());
    return last ?? active;
  }

  /** DuckDB's error on the statement (and its place), as a diagnostic and a message; a cancel is said quietly. */
  private failed(document: vscode.TextDocument, statement: Statement, error: unknown): RunOutcome {
    if (error instanceof SqlError && error.cancelled) {
      void vscode.window.showInformationMessage("Query cancelled.");
      return { cancelled: true, error: error.message };
    }
    const raw = (error as Error)?.message ?? String(error);
    // DuckDB's own advice names SET commands, which the locked configuration refuses: say what the user can change.
    const message = /^Out of Memory Error/.test(raw)
      ? `${raw.split("\n")[0]} Raise the setting modelData.query.memoryLimitMB (in force: ${this.service.memoryLimit}), or narrow the query (fewer days or columns).`
      : raw;
    const within = errorOffset(message, statement.text);
    const start = document.positionAt(statement.start + (within ?? 0));
    const end = within === undefined ? document.positionAt(statement.end) : document.positionAt(Math.min(statement.end, statement.start + within + wordLength(statement.text, within)));
    this.documents.report(document.uri, new vscode.Range(start, end), errorHeadline(message));
    void vscode.window.showErrorMessage(`Query failed: ${errorHeadline(message)}`);
    return { error: errorHeadline(message), line: start.line, character: start.character };
  }

  /** modelData.queryActiveWindow: the active preview's or drift report's window, queried. */
  async queryActiveWindow(): Promise<QueryResult | { document: string } | undefined> {
    const origin = this.previews.activeOrigin();
    if (origin) return this.query(origin.node as ModelDataNode, { from: origin.range?.from, to: origin.range?.to });
    const report = this.drift.activeWindow();
    if (report) return this.query(report.targetId, { from: report.from, to: report.to });
    void vscode.window.showInformationMessage("Query This Window works on a preview of collected data or a drift report.");
    return undefined;
  }

  /** modelData.queryInNotebook: the statement with DuckDB in Python over the same blobs. */
  async notebook(uri?: vscode.Uri | string, options: { offset?: number } = {}): Promise<NotebookCell[] | undefined> {
    const found = await this.statementOf(uri, options.offset);
    if (!found) return undefined;
    const { document, statement } = found;
    const prepared = await this.preparedFor(document);
    if (typeof prepared === "string") return undefined;
    const cells = queryNotebookCells({ title: prepared.window.title, sql: statement?.text ?? "", statements: prepared.statements, sources: prepared.sources, converted: prepared.converted });
    await openNotebook(cells);
    return cells;
  }

  /** modelData.exportQueryResult: the statement's whole answer written by DuckDB as CSV or Parquet, then moved where the user chose. */
  async export(uri?: vscode.Uri | string, options: { offset?: number; target?: string; format?: "csv" | "parquet" } = {}): Promise<{ path: string; rowCount: number } | undefined> {
    const found = await this.statementOf(uri, options.offset);
    if (!found?.statement) return undefined;
    const { document, statement } = found;
    let target = options.target;
    if (!target) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await vscode.window.showSaveDialog({ title: "Export the query's answer", filters: { "Parquet": ["parquet"], "CSV": ["csv"] }, saveLabel: "Export",
        defaultUri: folder && vscode.Uri.joinPath(folder, "query-answer.parquet") });
      if (!picked) return undefined;
      target = picked.fsPath;
    }
    const format = options.format ?? (target.toLowerCase().endsWith(".csv") ? "csv" : "parquet");
    const prepared = await this.preparedFor(document);
    if (typeof prepared === "string") return undefined;
    const path = await this.service.answerPath("exports", format);
    try {
      const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting the answer as ${format === "csv" ? "CSV" : "Parquet"}`, cancellable: true }, (_p, token) =>
        tracked((signal) => this.service.run(prepared, statement.text, { kind: "file", path, format }, signal), token));
      // Copied, not renamed: the cache and the target may be on different disks.
      await copyFile(path, target);
      void vscode.window.showInformationMessage(`Exported ${answer.rowCount.toLocaleString("en-US")} rows to ${target}.`);
      return { path: target, rowCount: answer.rowCount };
    } catch (error) {
      this.failed(document, statement, error);
      return undefined;
    } finally {
      await rm(path, { force: true });
    }
  }
}

/** The query commands, registered with their services (the SQL worker starts on the first query, not here). */
export function registerQueryCommands(commands: QueryCommands, cache: { clear(): Promise<void> }, forget: () => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("modelData.query", (node?: ModelDataNode | string, args?: QueryArgs) => commands.query(node, isArgs(args) ? args : {})),
    vscode.commands.registerCommand("modelData.queryActiveWindow", () => commands.queryActiveWindow()),
    vscode.commands.registerCommand("modelData.runQuery", (uri?: vscode.Uri | string, options?: { offset?: number }) => commands.run(uri, options ?? {})),
    vscode.commands.registerCommand("modelData.exportQueryResult", (uri?: vscode.Uri | string, options?: { offset?: number; target?: string; format?: "csv" | "parquet" }) => commands.export(uri, options ?? {})),
    vscode.commands.registerCommand("modelData.queryInNotebook", (uri?: vscode.Uri | string, options?: { offset?: number }) => commands.notebook(uri, options ?? {})),
    vscode.commands.registerCommand("modelData.cancelQueries", () => queryRuns.cancelAll()),
    vscode.commands.registerCommand("modelData.clearQueryCache", async () => {
      forget();
      await cache.clear();
      void vscode.window.showInformationMessage("The SQL query cache is empty.");
    }),
  ];
}

/** Menus pass (node, selectedNodes[]); only a plain object counts as options. */
function isArgs(value: unknown): value is QueryArgs {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function wordLength(text: string, at: number): number {
  const match = /^[\w$."']+/.exec(text.slice(at));
  return match ? match[0].length : 1;
}
