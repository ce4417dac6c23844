// A failed listing becomes message nodes with a way out: retry, sign in, use the account key, re-attach.
import { describeError } from "../core/errors";
import type { ModelDataNode } from "./nodes";
import type { CredentialKind } from "../core/storageConnection";

export function errorNodes(parent: ModelDataNode, error: unknown): { nodes: ModelDataNode[]; detail: string } {
  const d = describeError(error, credentialOf(parent));
  const nodes: ModelDataNode[] = [];
  if (d.suggestion === "signIn") {
    nodes.push({ kind: "message", id: `${parent.id}/sign-in`, text: "Sign in to Azure…", detail: d.detail, severity: "action", action: { command: "modelData.signIn" } });
    return { nodes, detail: d.detail };
  }
  nodes.push({ kind: "message", id: `${parent.id}/error`, text: d.message, detail: `${d.detail}${d.retryable ? "\nClick to retry." : ""}`, severity: "error",
    action: d.retryable ? { command: "modelData.refresh", arguments: [parent] } : undefined });
  const account = accountOf(parent);
  if (d.suggestion === "useAccountKey" && account && sourceKindOf(parent) === "azure") {
    nodes.push({ kind: "message", id: `${parent.id}/use-key`, text: "Use the storage account key instead…", severity: "action", action: { command: "modelData.useAccountKey", arguments: [account] } });
  }
  const attached = attachedIdOf(parent);
  if (d.suggestion === "reattach" && attached) {
    const text = credentialOf(parent)?.kind === "key" ? "Enter the connection string again…" : "Enter a new SAS…";
    nodes.push({ kind: "message", id: `${parent.id}/reenter`, text, severity: "action", action: { command: "modelData.reenterStorageSecret", arguments: [attached] } });
  } else if (d.suggestion === "useAccountKey" && attached) {
    nodes.push({ kind: "message", id: `${parent.id}/reattach`, text: "Attach storage with a SAS that can list…", severity: "action", action: { command: "modelData.attachStorage" } });
  }
  if (d.retryable) nodes.push({ kind: "message", id: `${parent.id}/retry`, text: "Retry", severity: "action", action: { command: "modelData.refresh", arguments: [parent] } });
  return { nodes, detail: d.detail };
}

function credentialOf(node: ModelDataNode): CredentialKind | undefined {
  switch (node.kind) {
    case "source": return node.source.credential;
    case "workspace": return (node.scope.legacy?.blobs ?? node.scope.current?.blobs)?.credential;
    case "service": case "model": case "identifier": return node.where.blobs.credential;
    default: return undefined;
  }
}

function accountOf(node: ModelDataNode): string | undefined {
  switch (node.kind) {
    case "workspace": return node.scope.legacy?.blobs.accountName ?? node.scope.current?.blobs.accountName;
    case "service": case "model": case "identifier": return node.where.blobs.accountName;
    default: return undefined;
  }
}

/** The attached record a node reads through (its secret can be entered again). */
function attachedIdOf(node: ModelDataNode): string | undefined {
  const source = node.kind === "source" ? node.source : node.kind === "workspace" || node.kind === "service" ? node.scope.source : undefined;
  return source?.kind === "attached" ? source.id.replace(/^attached:/, "") : undefined;
}

function sourceKindOf(node: ModelDataNode): string | undefined {
  switch (node.kind) {
    case "source": return node.source.kind;
    case "workspace": case "service": return node.scope.source?.kind;
    default: return undefined;
  }
}
