// The one place nodes become TreeItems. contextValues are capability tags matched by menus with =~.
import * as vscode from "vscode";
import { formatBytes } from "../core/dates";
import { lastSegment } from "../core/blobLayout";
import { describeCollectionState } from "../core/collectionState";
import type { ModelDataNode, ServiceRef } from "./nodes";
import { serviceLabel } from "./nodes";
import { collectionTooltip, dateTooltip, hourTooltip, modelTooltip, monitorTooltip } from "../core/tooltips";

const { Collapsed, None } = vscode.TreeItemCollapsibleState;
const tags = (...values: Array<string | false | undefined>) => values.filter(Boolean).join(";");

/**
 * `updating`: a collection change on this service is running (its state says so, and no Enable/Disable).
 * `newestModel`: a model node is its service's newest version (the one service-level actions read).
 */
export function toTreeItem(node: ModelDataNode, updating = false, newestModel = false): vscode.TreeItem {
  const leaf = node.kind === "file" || node.kind === "message" || node.kind === "loadMore" || node.kind === "monitor";
  const item = new vscode.TreeItem(labelOf(node), leaf ? None : Collapsed);
  item.id = node.id;
  switch (node.kind) {
    case "source":
      item.description = node.source.description;
      item.iconPath = new vscode.ThemeIcon(node.source.kind === "azure" ? "azure" : node.source.kind === "attached" ? "plug" : "server-environment");
      item.contextValue = tags("source", node.source.kind, node.source.kind === "attached" && "detachable", "refreshable");
      break;
    case "workspace": {
      const info = node.scope.info;
      item.description = info.resourceGroup || (node.scope.current ? "datastore container" : "");
      item.tooltip = new vscode.MarkdownString().appendText(info.name).appendMarkdown("\n\n").appendText(info.id);
      item.iconPath = new vscode.ThemeIcon("beaker");
      item.contextValue = tags("workspace", node.scope.source?.studioUrl && info.subscriptionId && "studio", "refreshable");
      break;
    }
    case "service": {
      const state = serviceState(node.service, updating);
      item.description = state.description;
      item.tooltip = [state.description, node.service.layout === "current" ? "Online deployment (azureml-ai-monitoring)" : "AKS web service (azureml-monitoring, SDK v1)",
        `${node.where.container}/${node.service.prefix}`].filter(Boolean).join("\n");
      item.iconPath = new vscode.ThemeIcon(node.service.layout === "current" ? "cloud" : "globe");
      const monitorable = node.service.layout === "current" && node.service.deployment && node.scope.arm?.ml && "monitorable";
      item.contextValue = tags("service", node.service.layout, ...state.tags, "comparable", "trainable", monitorable, "queryable", "copyable", "refreshable");
      break;
    }
    case "model":
      item.tooltip = modelTooltip(node.label, node.service.layout, newestModel, `${node.where.container}/${node.prefix}`);
      item.iconPath = new vscode.ThemeIcon("symbol-class");
      item.contextValue = tags("model", "queryable", "copyable", "refreshable");
      break;
    case "identifier":
      item.tooltip = collectionTooltip(node.name, `${node.where.container}/${node.prefix}`);
      item.iconPath = new vscode.ThemeIcon(/output|prediction/i.test(node.name) ? "output" : "symbol-field");
      item.contextValue = tags("identifier", "previewable", "comparable", "trainable", "registrable", "queryable", "copyable", "pandas", "refreshable");
      break;
    case "date":
      item.description = `${node.group.fileCount} ${node.group.fileCount === 1 ? "file" : "files"} · ${formatBytes(node.group.totalBytes)}`;
      item.tooltip = dateTooltip(node.group.date, node.blobs, node.group.others.length, `${node.where.container}/${node.group.prefixes.join(" + ")}`);
      item.iconPath = new vscode.ThemeIcon("calendar");
      item.contextValue = tags("date", "previewable", "comparable", "trainable", "registrable", "queryable", "copyable", "downloadable", "pandas");
      break;
    case "hour":
      item.description = `${node.blobs.length} ${node.blobs.length === 1 ? "file" : "files"}`;
      item.tooltip = hourTooltip(node.hour, node.blobs, `${node.where.container}/${node.blobs[0]?.name.replace(/[^/]+$/, "") ?? ""}`);
      item.iconPath = new vscode.ThemeIcon("clock");
      item.contextValue = tags("hour", "previewable", "registrable", "queryable", "downloadable", "copyable", "pandas");
      break;
    case "file":
      item.description = formatBytes(node.blob.size);
      item.tooltip = `${node.where.container}/${node.blob.name}`;
      item.iconPath = new vscode.ThemeIcon(node.blob.name.endsWith(".jsonl") ? "json" : "table");
      item.contextValue = tags("file", "previewable", "registrable", "copyable", "downloadable");
      break;
    case "monitors":
      item.iconPath = new vscode.ThemeIcon("pulse");
      item.tooltip = "Azure ML model monitors of this deployment (run on serverless Spark)";
      item.contextValue = tags("monitors", "refreshable");
      break;
    case "monitor": {
      const m = node.monitor;
      const state = m.provisioningState && m.provisioningState !== "Succeeded" ? m.provisioningState.toLowerCase() : m.enabled ? "enabled" : "disabled";
      item.description = [state, m.signals.join(", "), m.nextRun && `next ${m.nextRun.slice(0, 16).replace("T", " ")} UTC`].filter(Boolean).join(" · ");
      item.tooltip = monitorTooltip(m);
      item.iconPath = new vscode.ThemeIcon(m.enabled ? "pulse" : "circle-slash");
      item.contextValue = tags("monitor", m.enabled ? "monitor-enabled" : "monitor-disabled");
      break;
    }
    case "message":
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon({ error: "error", warning: "warning", info: "info", action: "arrow-right" }[node.severity],
        node.severity === "error" ? new vscode.ThemeColor("errorForeground") : undefined);
      item.contextValue = tags("message", node.severity);
      if (node.action) item.command = { title: node.text, command: node.action.command, arguments: node.action.arguments };
      break;
    case "loadMore":
      item.iconPath = new vscode.ThemeIcon("ellipsis");
      item.contextValue = "loadMore";
      item.command = { title: "Load more", command: "modelData.loadMore", arguments: [node] };
      break;
  }
  // Screen readers hear what the node is and its state, not its tooltip.
  item.accessibilityInformation = { label: accessibleLabel(node, item), role: "treeitem" };
  return item;
}

function accessibleLabel(node: ModelDataNode, item: vscode.TreeItem): string {
  const label = String(typeof item.label === "object" ? item.label?.label : item.label ?? "");
  const what: Partial<Record<ModelDataNode["kind"], string>> = {
    source: "Source", workspace: "Workspace", service: node.kind === "service" && node.service.layout === "current" ? "Online deployment" : "Web service",
    model: "Model", identifier: "Collected data", date: "Date", hour: "Hour", file: "File", monitors: "Monitors", monitor: "Azure ML monitor",
  };
  if (node.kind === "message") return `${node.severity === "error" ? "Error" : node.severity === "action" ? "Action" : "Note"}: ${node.text}`;
  if (node.kind === "loadMore") return "Load more";
  // The name first (what a listener scans for), then what it is and its state.
  return [label, what[node.kind]?.toLowerCase(), item.description ? String(item.description) : ""].filter(Boolean).join(", ");
}

function serviceState(service: ServiceRef, updating: boolean): { description: string; tags: string[] } {
  if (service.layout === "legacy") {
    if (service.service) {
      const state = updating ? "updating" : service.service.storageEnabled ? "on" : "off";
      return { description: `${describeCollectionState(state)} · web service (v1)`, tags: ["deployed", "aks", `collection-${state}`] };
    }
    if (service.apiKnows) return { description: "no longer deployed", tags: ["orphaned"] };
    return { description: service.apiGone ? "v1 API retired · web service (v1)" : "web service (v1)", tags: ["collection-unknown"] };
  }
  if (!service.deployment) {
    return service.armKnows ? { description: "no longer deployed", tags: ["orphaned"] } : { description: "deployment", tags: ["collection-unknown"] };
  }
  const state = updating ? "updating" : service.deployment.collectionState;
  const kind = service.deployment.kind.toLowerCase();
  return { description: [describeCollectionState(state, service.deployment.collecting), kind].filter(Boolean).join(" · "), tags: ["deployed", kind, `collection-${state}`] };
}

function labelOf(node: ModelDataNode): string {
  switch (node.kind) {
    case "source": return node.source.label;
    case "workspace": return node.scope.info.name;
    case "service": return serviceLabel(node.service);
    case "model": return node.label;
    case "identifier": return node.name;
    case "date": return node.group.date;
    case "hour": return `${node.hour}:00`;
    case "file": return lastSegment(node.blob.name);
    case "monitors": return "Monitors";
    case "monitor": return node.monitor.name;
    case "message": return node.text;
    case "loadMore": return "Load more…";
  }
}

const CHECK_COLORS: Record<string, string | undefined> = { problem: "list.errorForeground", warning: "list.warningForeground", ok: "testing.iconPassed" };

/** A service's last collection check on its node: the icon tinted by the worst status, the status in words. */
export function withCheckBadge(item: vscode.TreeItem, status: string, at: string): void {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : "cloud";
  const color = CHECK_COLORS[status];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.description = `${item.description ?? ""} · check: ${status}`.replace(/^ · /, "");
  item.tooltip = `${typeof item.tooltip === "string" ? item.tooltip : ""}\nLast collection check: ${status} (${at.slice(0, 16).replace("T", " ")} UTC)`.trim();
  item.contextValue = `${item.contextValue ?? ""};checked`;
  if (item.accessibilityInformation) item.accessibilityInformation = { ...item.accessibilityInformation, label: `${item.accessibilityInformation.label}, check: ${status}` };
}
