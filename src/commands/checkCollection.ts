// modelData.checkCollection(target?, { show, tail, asOf }): "why is no data arriving?" for one deployment or
// legacy service. Runs the chain of checks, marks the tree node with the worst status, and shows the panel;
// `{ show: false }` returns the result as plain JSON (each check: id, status, seen, todo, fix).
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import { serviceLabel } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { findServiceNode, serviceArmId, serviceNodes } from "./findService";
import { CHECK_IDS, unknownCheck, worstStatus, type CheckId, type CheckResult } from "../core/collectionCheck/checkResult";
import { studioPageUrl } from "../core/clouds";
import { checkCurrentDeployment } from "../check/currentChecks";
import { checkLegacyService } from "../check/legacyChecks";
import { CheckPanel } from "../check/checkPanel";
import type { CheckOptions, CheckTarget, CollectionCheckReport, DeployedFile } from "../check/checkTarget";
import { showBlobText } from "../preview/blobDocuments";

type ServiceNode = Extract<ModelDataNode, { kind: "service" }>;
const CODE_SCHEME = "modeldata-check";
const NEWEST_BYTES = 1 << 20;

export interface CheckCommandOptions {
  show?: boolean;
  tail?: number;
  /** ISO time to judge ages against (default now). */
  asOf?: string;
}

export function checkCommandOptions(value: Record<string, unknown> | undefined): CheckCommandOptions {
  return {
    show: typeof value?.show === "boolean" ? value.show : undefined,
    tail: typeof value?.tail === "number" && Number.isInteger(value.tail) && value.tail > 0 ? Math.min(value.tail, 10_000) : undefined,
    asOf: typeof value?.asOf === "string" && !Number.isNaN(Date.parse(value.asOf)) ? value.asOf : undefined,
  };
}

export class CollectionChecks implements vscode.Disposable {
  private readonly panels = new Map<string, CheckPanel>();
  /** The last full report (with what the fix buttons use) and its node, per target id (lower case). */
  private readonly last = new Map<string, { node: ServiceNode; report: CollectionCheckReport }>();
  private readonly files = new Map<string, string>();
  private readonly provider: vscode.Disposable[];

  constructor(private readonly tree: ModelDataTreeProvider, private readonly log: vscode.LogOutputChannel, private readonly extensionUri: vscode.Uri) {
    // The deployed file and its corrected copy, as read-only documents for the diff editor.
    this.provider = [
      vscode.workspace.registerTextDocumentContentProvider(CODE_SCHEME, { provideTextDocumentContent: (uri) => this.files.get(uri.toString()) ?? "" }),
      vscode.workspace.onDidCloseTextDocument((document) => this.files.delete(document.uri.toString())),
    ];
  }

  async run(target?: ModelDataNode | string, options: CheckCommandOptions = {}): Promise<CollectionCheckReport | undefined> {
    const node = typeof target === "string" ? await findServiceNode(this.tree, target) : target?.kind === "service" ? target : await this.pick();
    if (!node) {
      if (typeof target === "string") void vscode.window.showErrorMessage(`No deployed service with id ${target} is in the Azure ML Data view.`);
      return undefined;
    }
    const check = (signal?: AbortSignal) => this.check(node, { ...checkOptionsOf(options), signal });
    if (options.show === false) return withoutPanelData(await check());
    const controller = new AbortController();
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking data collection on ${serviceLabel(node.service)}…`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return check(controller.signal);
      });
    // Cancelled: the links read so far would say "unknown" for no reason of the service's.
    if (controller.signal.aborted) return undefined;
    this.showPanel(node, report, options);
    return withoutPanelData(report);
  }

  private async check(node: ServiceNode, options: CheckOptions): Promise<CollectionCheckReport> {
    const target = targetOf(node);
    const id = serviceArmId(node) ?? node.id;
    const outcome: { checks: CheckResult[]; deployedFile?: DeployedFile; newest?: CollectionCheckReport["newest"] } = node.service.layout === "current" && node.service.deployment
      ? await checkCurrentDeployment(target, node.service.deployment.id, options)
      : node.service.layout === "current"
        ? { checks: CHECK_IDS.map((check) => unknownCheck(check, "The deployment no longer exists (only its data does): there is nothing running to check.")) }
        : await checkLegacyService(target, options);
    const report: CollectionCheckReport = {
      target: { id, label: serviceLabel(node.service), layout: node.service.layout, workspace: node.scope.info.name },
      checkedAt: new Date().toISOString(), worst: worstStatus(outcome.checks), checks: outcome.checks, deployedFile: outcome.deployedFile, newest: outcome.newest,
    };
    if (options.signal?.aborted) return report;
    this.tree.setCheckStatus(node, report.worst, report.checkedAt);
    this.last.set(id.toLowerCase(), { node, report });
    this.log.info(`collection check ${report.target.label}: ${report.checks.map((c) => `${c.id}=${c.status}`).join(", ")}`);
    return report;
  }

  private showPanel(node: ServiceNode, report: CollectionCheckReport, options: CheckCommandOptions): void {
    const key = report.target.id.toLowerCase();
    const open = this.panels.get(key);
    if (open) return open.show(report);
    const panel = new CheckPanel(report, this.extensionUri, this.log, {
      fix: (current, check) => this.fix(node, current, check),
      rerun: () => this.check(node, checkOptionsOf(options)),
    }, () => this.panels.delete(key));
    this.panels.set(key, panel);
  }

  /** Runs the fix of check `id` from the last check of `targetId` (what the panel's buttons do). */
  async fixLast(targetId: string, id: CheckId, options: { confirm?: boolean } = {}): Promise<unknown> {
    const last = this.last.get(targetId.toLowerCase());
    if (!last) throw new Error(`${targetId} has not been checked yet.`);
    return this.fix(last.node, last.report, id, options);
  }

  /** `confirm: false`: Enable without its question (scripts); the panel's button asks. */
  private async fix(node: ServiceNode, report: CollectionCheckReport, id: CheckId, options: { confirm?: boolean } = {}): Promise<unknown> {
    const fix = report.checks.find((c) => c.id === id)?.fix;
    switch (fix?.kind) {
      case "enable": {
        const done = await vscode.commands.executeCommand<{ changed?: boolean } | undefined>("modelData.enableCollection", node, { confirm: options.confirm });
        if (done?.changed) this.panels.get(report.target.id.toLowerCase())?.show(await this.check(node, {}));
        return done;
      }
      case "showCorrectedCode": return this.showCorrectedCode(report);
      case "openStudio": return this.openStudio(node);
      case "previewNewest": {
        const newest = report.newest;
        const blobs = node.service.layout === "current" ? node.scope.current?.blobs : node.scope.legacy?.blobs;
        if (!newest || !blobs) return vscode.window.showInformationMessage("There is no collected file to open.");
        return showBlobText({ blobs, container: newest.container, name: newest.blob, start: 0, length: NEWEST_BYTES }, false, newest.blob.endsWith(".csv") ? "csv" : "json");
      }
      default: return undefined;
    }
  }

  private async showCorrectedCode(report: CollectionCheckReport): Promise<{ deployed: vscode.Uri; corrected: vscode.Uri } | undefined> {
    const file = report.deployedFile;
    if (!file) {
      void vscode.window.showInformationMessage("The deployed scoring file could not be read, so there is no corrected copy to show.");
      return undefined;
    }
    const stamp = Date.now();
    const deployed = vscode.Uri.from({ scheme: CODE_SCHEME, path: `/deployed/${stamp}/${file.name}` });
    const corrected = vscode.Uri.from({ scheme: CODE_SCHEME, path: `/corrected/${stamp}/${file.name}` });
    this.files.set(deployed.toString(), file.original);
    this.files.set(corrected.toString(), file.corrected);
    await vscode.commands.executeCommand("vscode.diff", deployed, corrected, `${file.name}: deployed ↔ corrected`);
    void vscode.window.showInformationMessage(`The right side is ${file.name} with the fixes applied. Make the same changes in your source, then redeploy: a deployment runs the code it was deployed with.`);
    return { deployed, corrected };
  }

  private async openStudio(node: ServiceNode): Promise<string | undefined> {
    const workspaceUrl = node.scope.source?.studioUrl?.(node.scope.info);
    if (!workspaceUrl) {
      void vscode.window.showInformationMessage("This source does not know Azure ML studio's address (the local emulator has none).");
      return undefined;
    }
    const page = node.service.layout === "current" ? `endpoints/realtime/${encodeURIComponent(node.service.endpointName)}/detail` : "endpoints";
    const url = studioPageUrl(workspaceUrl, page);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  }

  private async pick(): Promise<ServiceNode | undefined> {
    const services = await serviceNodes(this.tree, false);
    if (services.length === 0) {
      void vscode.window.showInformationMessage("No deployed service is in the Azure ML Data view. Sign in to Azure (or use the local emulator).");
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(services.map((node) => ({ label: serviceLabel(node.service), description: node.scope.info.name, node })), { title: "Check data collection on…", matchOnDescription: true });
    return picked?.node;
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    for (const d of this.provider) d.dispose();
  }
}

function checkOptionsOf(options: CheckCommandOptions): CheckOptions {
  return { tail: options.tail, asOf: options.asOf ? new Date(options.asOf) : undefined };
}

function targetOf(node: ServiceNode): CheckTarget {
  const scope = node.scope;
  const service: CheckTarget["service"] = node.service.layout === "current"
    ? { layout: "current", endpointName: node.service.endpointName, deploymentName: node.service.deploymentName, deployment: node.service.deployment }
    : { layout: "legacy", name: node.service.name, service: node.service.service };
  return { workspace: scope.info, arm: scope.arm, current: scope.current, legacy: scope.legacy, service };
}

/** The report as scripts get it: plain JSON, without what only the panel's buttons use. */
function withoutPanelData(report: CollectionCheckReport): CollectionCheckReport {
  return JSON.parse(JSON.stringify({ target: report.target, checkedAt: report.checkedAt, worst: report.worst, checks: report.checks })) as CollectionCheckReport;
}
