// The two collector SDKs: what to import, how collectors are created and how collect() is called, with the
// signatures of the released packages:
// - azureml-monitoring: ModelDataCollector(model_name, designation='default', feature_names=None, workspace=…,
//   webservice_name=…, model_version=…, collection_name=…); collect(input_data, user_correlation_id="").
//   The designation is the identifier folder in storage. The 2018 article's `identifier=` keyword was renamed
//   in 0.1.0a15; files that still use it are recognised but never written.
// - azureml-ai-monitoring (earlier `azure.ai.mlmonitoring`): Collector(*, name, on_error=None);
//   collect(data, correlation_context=None) -> context. Only pandas DataFrames are logged.
import type { SyntaxNode } from "@lezer/common";
import { callArguments, textOf } from "./pythonSource";

export type CollectorSdk = "legacy" | "current";
export type CollectorRole = "inputs" | "outputs";

export interface Flavour {
  label: string;
  importLine: string;
  /** Imports that already provide the collector class (the current SDK's older package name included). */
  importPattern: RegExp;
  /** Matches the callee of a collector construction. */
  constructorPattern: RegExp;
  defaultNames: Record<CollectorRole, string>;
  /** The role a construction plays, from its arguments; undefined for other designations or collections. */
  roleOf(source: { text: string }, call: SyntaxNode): CollectorRole | undefined;
  create(role: CollectorRole, name: string, model: string, columns: string[] | undefined): string;
}

const py = (s: string) => JSON.stringify(s);
const list = (names: string[]) => `[${names.map(py).join(", ")}]`;
/** A string literal's text without its quotes and prefix; undefined for anything else. */
export const pythonString = (source: { text: string }, node: SyntaxNode | undefined) =>
  node?.name === "String" ? textOf(source, node).replace(/^[rRuUbB]*(['"]{1,3})([\s\S]*)\1$/, "$2") : undefined;

export const FLAVOURS: Record<CollectorSdk, Flavour> = {
  legacy: {
    label: "azureml-monitoring (ModelDataCollector)",
    importLine: "from azureml.monitoring import ModelDataCollector",
    importPattern: /\bazureml\.monitoring\b[\s\S]*\bModelDataCollector\b/,
    constructorPattern: /(^|\.)ModelDataCollector$/,
    defaultNames: { inputs: "inputs_dc", outputs: "prediction_dc" },
    roleOf: (source, call) => {
      const args = callArguments(source, call);
      const designation = pythonString(source, args.keywords.get("designation") ?? args.keywords.get("identifier") ?? args.positional[1]);
      return designation === "inputs" ? "inputs" : designation === "predictions" ? "outputs" : undefined;
    },
    create: (role, name, model, columns) =>
      `${name} = ModelDataCollector(${py(model)}, designation=${py(role === "inputs" ? "inputs" : "predictions")}${columns && columns.length > 0 ? `, feature_names=${list(columns)}` : ""})`,
  },
  current: {
    label: "azureml-ai-monitoring (Collector)",
    importLine: "from azureml.ai.monitoring import Collector",
    importPattern: /\b(azureml\.ai\.monitoring|azure\.ai\.mlmonitoring)\b[\s\S]*\bCollector\b/,
    constructorPattern: /(^|\.)Collector$/,
    defaultNames: { inputs: "inputs_collector", outputs: "outputs_collector" },
    roleOf: (source, call) => {
      const name = pythonString(source, callArguments(source, call).keywords.get("name"));
      return name === "model_inputs" ? "inputs" : name === "model_outputs" ? "outputs" : undefined;
    },
    // The released package's default on_error re-raises: a collection that is off, or a value that is not a
    // DataFrame, would fail init() or the request. Logged instead.
    create: (role, name) => `${name} = Collector(name=${py(role === "inputs" ? "model_inputs" : "model_outputs")}, on_error=lambda error: print("model data collection: %s" % error))`,
  },
};

export const OTHER_SDK: Record<CollectorSdk, CollectorSdk> = { legacy: "current", current: "legacy" };
