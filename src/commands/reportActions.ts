// What a drift report's buttons do (compare again, Open in Notebook, Create Azure ML Monitor), made from
// the node it was compared on: for a new report, and for one VS Code restores after a reload.
import * as vscode from "vscode";
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import type { DriftManager } from "../drift/manager";
import type { ReportActions } from "../drift/reportPanel";
import type { DateRange } from "../core/drift/windows";
import { notebookCells } from "../core/azureml/notebook";
import { serviceOf } from "../tree/ancestors";
import { openNotebook, windowData } from "./notebook";
import { targetPrefix } from "./preview";
import { compare, type CompareArgs } from "./compare";
import type { IdentifierNode } from "./modelCollections";

export function reportActions(tree: ModelDataTreeProvider, drift: DriftManager, target: ModelDataNode,
  args: CompareArgs & { production: DateRange; reference: DateRange | { file: string } }, identifiers: IdentifierNode[]): ReportActions {
  const { production, reference } = args;
  return {
    recompute: (feature, options) => compare(tree, drift, target, { ...args, metrics: { ...args.metrics, [feature]: options }, show: "inPlace" }),
    createMonitor: async (shown) => vscode.commands.executeCommand("modelData.createMonitor", serviceOf(tree, target), { report: shown }),
    notebook: async (shown, index) => {
      const identifier = identifiers[index];
      const collection = shown.collections[index];
      const productionData = identifier && (await windowData(tree, identifier, production));
      if (!identifier || !collection || !productionData) return undefined;
      const referenceData = "file" in reference ? undefined : await windowData(tree, identifier, reference);
      const cells = notebookCells({
        title: `Drift: ${targetPrefix(tree, identifier)}`,
        production: { label: collection.result.production.label, data: productionData },
        reference: "file" in reference ? { label: collection.result.reference.label, file: reference.file } : referenceData && { label: collection.result.reference.label, data: referenceData },
        features: collection.result.features.map((f) => ({ name: f.name, kind: f.kind, metric: f.metric, threshold: f.threshold })),
      });
      await openNotebook(cells);
      return cells;
    },
  };
}
