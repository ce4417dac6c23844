// The two collector SDKs: what to import, how collectors are created and how collect() is called.

export type CollectorSdk = "legacy" | "current";

export interface Flavour {
  importLine: string;
  importPattern: RegExp;
  inputs: { defaultName: string; pattern: RegExp };
  outputs: { defaultName: string; pattern: RegExp };
  create(kind: "inputs" | "outputs", name: string, model: string, columns: string[] | undefined): string;
}

const py = (s: string) => JSON.stringify(s);
const list = (names: string[]) => `[${names.map(py).join(", ")}]`;

export const FLAVOURS: Record<CollectorSdk, Flavour> = {
  legacy: {
    importLine: "from azureml.monitoring import ModelDataCollector",
    importPattern: /\bazureml\.monitoring\b[\s\S]*\bModelDataCollector\b/,
    inputs: { defaultName: "inputs_dc", pattern: /ModelDataCollector\([\s\S]*identifier\s*=\s*["']inputs["']/ },
    outputs: { defaultName: "prediction_dc", pattern: /ModelDataCollector\([\s\S]*identifier\s*=\s*["']predictions["']/ },
    create: (kind, name, model, columns) =>
      `${name} = ModelDataCollector(${py(model)}, identifier=${py(kind === "inputs" ? "inputs" : "predictions")}${columns && columns.length > 0 ? `, feature_names=${list(columns)}` : ""})`,
  },
  current: {
    importLine: "from azureml.ai.monitoring import Collector",
    importPattern: /\bazureml\.ai\.monitoring\b[\s\S]*\bCollector\b/,
    inputs: { defaultName: "inputs_collector", pattern: /Collector\([\s\S]*name\s*=\s*["']model_inputs["']/ },
    outputs: { defaultName: "outputs_collector", pattern: /Collector\([\s\S]*name\s*=\s*["']model_outputs["']/ },
    create: (kind, name) => `${name} = Collector(name=${py(kind === "inputs" ? "model_inputs" : "model_outputs")})`,
  },
};
