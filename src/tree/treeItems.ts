// The one place nodes become TreeItems. contextValues are capability tags matched by menus with =~.
import * as vscode from "vscode";
import { formatBytes } from "../core/dates";
import { lastSegment } from "../core/blobLayout";
import type { ModelDataNode } from "./nodes";
import { serviceLabel } from "./nodes";

const { Collapsed, None } = vscode.TreeItemCollapsibleState;

export function toTreeItem(node: ModelDataNode): vscode.TreeItem {
  const item = new vscode.TreeItem(labelOf(node), node.kind === "file" || node.kind === "message" ? None : Collapsed);
  item.id = node.id;
  switch (node.kind) {
    case "source":
      item.description = node.source.description;
      item.iconPath = new vscode.ThemeIcon("server-environment");
      item.contextValue = "source;refreshable";
      break;
    case "workspace":
      item.description = node.scope.info.resourceGroup;
      item.tooltip = node.scope.info.id;
      item.iconPath = new vscode.ThemeIcon("beaker");
      item.contextValue = "workspace;refreshable";
      break;
    case "service": {
      const s = node.service;
      const deployed = s.layout === "current" ? s.deployment !== undefined : s.deployed;
      item.description = deployed === false ? "no longer deployed" : s.layout === "current" ? `${s.deployment?.kind.toLowerCase() ?? "online"} deployment` : "web service (v1)";
      item.tooltip = `${s.layout === "current" ? "Online deployment (azureml-ai-monitoring)" : "AKS web service (azureml-monitoring, SDK v1)"}\n${node.where.container}/${s.prefix}`;
      item.iconPath = new vscode.ThemeIcon(s.layout === "current" ? "cloud" : "globe");
      item.contextValue = ["service", s.layout, deployed === false ? "orphaned" : "deployed", "refreshable"].join(";");
      break;
    }
    case "model":
      item.iconPath = new vscode.ThemeIcon("symbol-class");
      item.contextValue = "model;refreshable";
      break;
    case "identifier":
      item.iconPath = new vscode.ThemeIcon(/output|prediction/i.test(node.name) ? "output" : "symbol-field");
      item.contextValue = "identifier;previewable;refreshable";
      break;
    case "date":
      item.description = `${node.group.fileCount} ${node.group.fileCount === 1 ? "file" : "files"} · ${formatBytes(node.group.totalBytes)}`;
      item.iconPath = new vscode.ThemeIcon("calendar");
      item.contextValue = "date;previewable";
      break;
    case "hour":
      item.description = `${node.blobs.length} ${node.blobs.length === 1 ? "file" : "files"}`;
      item.iconPath = new vscode.ThemeIcon("clock");
      item.contextValue = "hour;previewable";
      break;
    case "file":
      item.description = formatBytes(node.blob.size);
      item.tooltip = `${node.where.container}/${node.blob.name}`;
      item.iconPath = new vscode.ThemeIcon(node.blob.name.endsWith(".jsonl") ? "json" : "table");
      item.contextValue = "file;previewable";
      break;
    case "message":
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon(node.severity === "error" ? "error" : node.severity === "warning" ? "warning" : "info");
      item.contextValue = node.retry ? "message;retryable" : "message";
      break;
  }
  return item;
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
    case "message": return node.text;
  }
}
