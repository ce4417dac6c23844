// TreeDataProvider for modelData.explorer: caches children, shares in-flight listings, pages with
// "Load more…", cancels on refresh, and turns errors into nodes.
import * as vscode from "vscode";
import { newestModels, type ModelDataNode, type DataSource } from "./nodes";
import { childrenOf, type ChildrenPage } from "./children";
import { toTreeItem, withCheckBadge } from "./treeItems";
import { errorNodes } from "./errorNodes";
import type { ExpansionMemory } from "./expansionMemory";

interface CachedChildren {
  nodes: ModelDataNode[];
  more?: ChildrenPage["more"];
  /** Cancelled by a Refresh, which started a fresh listing in its place. */
  superseded?: boolean;
}

export class ModelDataTreeProvider implements vscode.TreeDataProvider<ModelDataNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelDataNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new Map<string, Promise<CachedChildren>>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly superseded = new WeakSet<AbortController>();
  private readonly known = new Map<string, ModelDataNode>();
  private readonly parents = new Map<string, ModelDataNode>();

  constructor(
    private readonly sources: () => DataSource[],
    private readonly pageSize: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The worst status of each service's last collection check (by node id), shown on its node. */
  private readonly checked = new Map<string, { status: string; at: string }>();

  setCheckStatus(node: ModelDataNode, status: string, at: string): void {
    this.checked.set(node.id, { status, at });
    this.changed.fire(node);
  }

  /** Forgets every check's badge (the view as it was before any check). */
  forgetCheckStatuses(): void {
    this.checked.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: ModelDataNode): vscode.TreeItem {
    const item = toTreeItem(node, this.updating.has(node.id), node.kind === "model" && this.isNewestModel(node));
    const check = node.kind === "service" ? this.checked.get(node.id) : undefined;
    if (check) withCheckBadge(item, check.status, check.at);
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed && this.expansion?.has(node.id)) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    return item;
  }

  private expansion: ExpansionMemory | undefined;

  /** Remembers what the view expands and collapses, and opens those nodes again after a reload. */
  rememberExpansion(view: vscode.TreeView<ModelDataNode>, memory: ExpansionMemory): vscode.Disposable {
    this.expansion = memory;
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => memory.expanded(e.element.id)),
      view.onDidCollapseElement((e) => memory.collapsed(e.element.id)),
    );
  }

  /** A model node that is its service's newest version of that model. */
  private isNewestModel(node: Extract<ModelDataNode, { kind: "model" }>): boolean {
    const parent = this.getParent(node);
    return newestModels((parent && this.knownChildren(parent)) ?? []).some((m) => m.id === node.id);
  }

  private readonly updating = new Set<string>();

  /** Marks a service as being changed (its node shows "updating…" until the change ends). */
  markUpdating(node: ModelDataNode, on: boolean): void {
    if (on) this.updating.add(node.id);
    else this.updating.delete(node.id);
    this.changed.fire(node);
  }

  getParent(node: ModelDataNode): ModelDataNode | undefined {
    return this.parents.get(node.id);
  }

  async getChildren(node?: ModelDataNode): Promise<ModelDataNode[]> {
    if (!node) return this.remember(undefined, this.sources().map((source): ModelDataNode => ({ kind: "source", id: source.id, source })));
    let entry: CachedChildren | undefined;
    // A Refresh while this listing was in flight cancels it and starts a fresh one: answer with that one.
    for (let attempts = 0; !entry && attempts < 5; attempts++) {
      let pending = this.cache.get(node.id);
      if (!pending) {
        pending = this.load(node);
        this.cache.set(node.id, pending);
      }
      const result = await pending;
      entry = result.superseded ? undefined : result;
    }
    entry ??= { nodes: [] };
    const nodes = entry.more ? [...entry.nodes, { kind: "loadMore", id: `${node.id}/load-more`, parentId: node.id } as ModelDataNode] : entry.nodes;
    return this.remember(node, nodes);
  }

  /** Appends the next page of a paged level; the parent re-renders with it. */
  async loadMore(loadMoreNode: ModelDataNode): Promise<void> {
    if (loadMoreNode.kind !== "loadMore") return;
    const parent = this.known.get(loadMoreNode.parentId);
    const entry = await this.cache.get(loadMoreNode.parentId);
    if (!parent || !entry?.more) return;
    const next = entry.more;
    entry.more = undefined;
    try {
      const page = await next({ pageSize: this.pageSize(), signal: new AbortController().signal });
      entry.nodes = [...entry.nodes, ...page.nodes];
      entry.more = page.more;
    } catch (error) {
      entry.more = next;
      const { detail } = errorNodes(parent, error);
      this.log.error(`loading more under ${parent.id} failed: ${detail}`);
      throw error;
    } finally {
      this.changed.fire(parent);
    }
  }

  /** Forgets cached children of `node` (or everything) and re-reads them; cancels listings in progress. */
  refresh(node?: ModelDataNode): void {
    const target = node?.kind === "message" || node?.kind === "loadMore" ? this.parents.get(node.id) : node;
    const covers = (id: string) => !target || id === target.id || id.startsWith(`${target.id}/`);
    for (const [id, controller] of this.inFlight) {
      if (!covers(id)) continue;
      this.superseded.add(controller);
      controller.abort();
    }
    for (const id of [...this.cache.keys()]) if (covers(id)) this.cache.delete(id);
    this.changed.fire(target);
  }

  /** The children last answered for a node (undefined before its first expansion). */
  knownChildren(node: ModelDataNode): readonly ModelDataNode[] | undefined {
    return this.answered.get(node.id);
  }

  private readonly answered = new Map<string, ModelDataNode[]>();

  private remember(parent: ModelDataNode | undefined, nodes: ModelDataNode[]): ModelDataNode[] {
    if (parent) this.answered.set(parent.id, nodes);
    for (const node of nodes) {
      this.known.set(node.id, node);
      if (parent) this.parents.set(node.id, parent);
    }
    return nodes;
  }

  private async load(node: ModelDataNode): Promise<CachedChildren> {
    const controller = new AbortController();
    this.inFlight.set(node.id, controller);
    const started = Date.now();
    try {
      const page = await childrenOf(node, { pageSize: this.pageSize(), signal: controller.signal });
      this.log.debug(`listed ${node.id}: ${page.nodes.length} children in ${Date.now() - started} ms${page.more ? " (more available)" : ""}`);
      return page.nodes.length > 0 || page.more ? { nodes: page.nodes, more: page.more } : { nodes: [emptyNode(node)] };
    } catch (error) {
      if (this.superseded.has(controller)) return { nodes: [], superseded: true };
      // A failed listing must not stick in the cache: the next expansion or Retry reads again.
      this.cache.delete(node.id);
      const { nodes, detail } = errorNodes(node, error);
      this.log.error(`listing ${node.id} failed: ${detail}`);
      return { nodes };
    } finally {
      if (this.inFlight.get(node.id) === controller) this.inFlight.delete(node.id);
    }
  }

  dispose(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.changed.dispose();
  }
}

function emptyNode(parent: ModelDataNode): ModelDataNode {
  if (parent.kind === "workspace") {
    return { kind: "message", id: `${parent.id}/empty`, text: "No collected data yet: enable data collection on a deployment.", severity: "info",
      action: { command: "modelData.openDocs", arguments: ["enable"] } };
  }
  return { kind: "message", id: `${parent.id}/empty`, text: parent.kind === "source" ? "No workspaces found." : "Nothing here yet.", severity: "info" };
}
