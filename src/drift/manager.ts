// Drift compares and their reports: each compare runs on its own engine thread (ended with it); each
// report is a webview panel. Exposes the latest reports for tests and other extensions.
import * as vscode from "vscode";
import type { EngineThreads } from "../engine/threads";
import { runCompare, type CompareWindow } from "../engine/compareClient";
import type { WindowProgress } from "../engine/protocol";
import type { CompareResult, DriftReport } from "../core/drift/report";
import type { DriftDefaults, FeatureOptions } from "../core/drift/compare";
import { DriftReportPanel, type ReportActions } from "./reportPanel";
import { exportReport } from "./exportReport";
import type { ExportFormat } from "../driftProtocol";
import { RunningJobs } from "../core/runningJobs";
import { KindMemory } from "./kindMemory";

export type { CollectionDrift, DriftReport } from "../core/drift/report";

export interface DriftRun {
  reference: CompareWindow;
  production: CompareWindow;
  features?: string[];
  perFeature?: Record<string, FeatureOptions>;
  signal?: AbortSignal;
  onProgress?(progress: WindowProgress): void;
}

export class DriftManager implements vscode.Disposable {
  private readonly panels = new Set<DriftReportPanel>();
  private lastShown: DriftReportPanel | undefined;
  private latest: DriftReport | undefined;
  private readonly running = new RunningJobs();

  /** Each collection's feature types, kept across reports (and reloads) in the workspace's state. */
  readonly kinds: KindMemory;

  constructor(private readonly extensionUri: vscode.Uri, private readonly threads: EngineThreads, private readonly log: vscode.LogOutputChannel, state: vscode.Memento) {
    this.kinds = new KindMemory(state);
  }

  run(run: DriftRun): Promise<CompareResult> {
    const drift = vscode.workspace.getConfiguration("modelData.drift");
    const preview = vscode.workspace.getConfiguration("modelData.preview");
    const defaults: DriftDefaults = {
      numerical: { metric: drift.get("numericalMetric", "normalizedWasserstein"), threshold: drift.get("numericalThreshold", 0.1) },
      categorical: { metric: drift.get("categoricalMetric", "jensenShannon"), threshold: drift.get("categoricalThreshold", 0.1) },
    };
    const started = Date.now();
    return runCompare({
      ...run, worker: this.threads.take(), downloads: this.threads.downloads, defaults,
      maxColumns: preview.get<number>("maxColumns", 2_000), parallelRanges: preview.get<number>("parallelRanges", 4), rangeBytes: preview.get<number>("rangeMB", 4) * 1024 * 1024,
    }).then((result) => {
      this.log.info(`compare ${run.production.label} vs ${run.reference.label}: ${result.features.length} features, ${result.drifted.length} drifted, ${Date.now() - started} ms`);
      return result;
    });
  }

  /** A compare in progress, stopped by cancelRunning() (the progress notification's Cancel does the same). */
  track(controller: AbortController): vscode.Disposable {
    return this.running.track(controller);
  }

  get runningCount(): number {
    return this.running.count;
  }

  cancelRunning(): void {
    this.running.cancelAll();
  }

  /** The active report's production window and node ("Query this window"). */
  activeWindow(): { targetId: string; from: string; to: string } | undefined {
    for (const panel of this.panels) {
      const window = panel.activeWindow();
      if (window) return window;
    }
    // A panel's `active` is set a moment after it opens: the report shown last answers meanwhile.
    return this.lastShown && this.panels.has(this.lastShown) ? this.lastShown.activeWindow(true) : undefined;
  }

  /** The same as the report's Export buttons; `target` skips the dialog. */
  exportReport(report: DriftReport, format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return exportReport(report, format, target);
  }

  /**
   * Shows a report with what its buttons do (compare again, notebook, monitor). `targetId` (the tree node it
   * was compared on) is kept with it so a reload can restore it, in `restored` when VS Code brings it back.
   */
  show(report: DriftReport, actions: ReportActions = {}, targetId?: string, restored?: vscode.WebviewPanel): void {
    this.latest = report;
    const { recompute } = actions;
    const panel = new DriftReportPanel(report, this.extensionUri, this.log, () => this.panels.delete(panel), { ...actions, recompute: recompute && (async (feature, options) => {
      const again = await recompute(feature, options);
      if (again) this.latest = again;
      return again;
    }) }, targetId, restored);
    this.notebookOf = actions.notebook;
    this.panels.add(panel);
    this.lastShown = panel;
  }

  private notebookOf: ((report: DriftReport, collection: number) => Promise<unknown>) | undefined;

  /** The same as a report's Open in Notebook button, for the last report shown. */
  openLastInNotebook(collection = 0): Promise<unknown> | undefined {
    return this.latest && this.notebookOf?.(this.latest, collection);
  }

  /** The last report shown (for tests and other extensions). */
  lastReport(): DriftReport | undefined {
    return this.latest;
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
  }
}
