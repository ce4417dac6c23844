// TreeDataProvider for modelData.explorer: caches children, shares in-flight listings, turns errors into nodes.
import * as vscode from "vscode";
import type { ModelDataNode, DataSource } from "./nodes";
import { childrenOf } from "./children";
import { toTreeItem } from "./treeItems";
import { describeError } from "../core/errors";

export class ModelDataTreeProvider implements vscode.TreeDataProvider<ModelDataNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelDataNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new Map<string, Promise<ModelDataNode[]>>();
  private readonly inFlight = new Map<string, AbortController>();

  constructor(
    private readonly sources: () => DataSource[],
    private readonly pageSize: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(node: ModelDataNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: ModelDataNode): vscode.ProviderResult<ModelDataNode[]> {
    if (!node) return this.sources().map((source) => ({ kind: "source", id: source.id, source }));
    let pending = this.cache.get(node.id);
    if (!pending) {
      pending = this.load(node);
      this.cache.set(node.id, pending);
    }
    return pending;
  }

  /** Forgets cached children of `node` (or everything) and re-reads them; cancels listings in progress. */
  refresh(node?: ModelDataNode): void {
    for (const [id, controller] of this.inFlight) {
      if (!node || id === node.id || id.startsWith(`${node.id}/`)) controller.abort();
    }
    for (const id of [...this.cache.keys()]) {
      if (!node || id === node.id || id.startsWith(`${node.id}/`)) this.cache.delete(id);
    }
    this.changed.fire(node);
  }

  private async load(node: ModelDataNode): Promise<ModelDataNode[]> {
    const controller = new AbortController();
    this.inFlight.set(node.id, controller);
    const started = Date.now();
    try {
      const children = await childrenOf(node, { pageSize: this.pageSize(), signal: controller.signal });
      this.log.debug(`listed ${node.id}: ${children.length} children in ${Date.now() - started} ms`);
      return children.length > 0 ? children : [emptyNode(node)];
    } catch (error) {
      // A failed listing must not stick in the cache: the next expansion or Retry reads again.
      this.cache.delete(node.id);
      const described = describeError(error);
      this.log.error(`listing ${node.id} failed: ${described.detail}`);
      return [{ kind: "message", id: `${node.id}/error`, text: described.message, detail: described.detail, severity: "error", retry: described.retryable }];
    } finally {
      this.inFlight.delete(node.id);
    }
  }

  dispose(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.changed.dispose();
  }
}

function emptyNode(parent: ModelDataNode): ModelDataNode {
  const text = parent.kind === "workspace" ? "No collected data yet. Enable data collection on a deployment." : parent.kind === "source" ? "No workspaces found." : "Nothing here yet.";
  return { kind: "message", id: `${parent.id}/empty`, text, severity: "info" };
}
