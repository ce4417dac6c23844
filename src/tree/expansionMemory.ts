// Which nodes were expanded, kept in the workspace's state: after a reload (or a restart) the tree opens
// where the user left it. VS Code keeps an extension tree's expansion only within a session.
import type * as vscode from "vscode";

const KEY = "modelData.tree.expanded";
const LIMIT = 500;

export class ExpansionMemory {
  private readonly ids: Set<string>;

  constructor(private readonly state: vscode.Memento) {
    this.ids = new Set(state.get<string[]>(KEY, []));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  expanded(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    void this.save();
  }

  collapsed(id: string): void {
    // Collapsing a node forgets it and everything below it (VS Code collapses those too).
    for (const known of [...this.ids]) if (known === id || known.startsWith(`${id}/`)) this.ids.delete(known);
    void this.save();
  }

  private save(): Thenable<void> {
    return this.state.update(KEY, [...this.ids].slice(-LIMIT));
  }
}
