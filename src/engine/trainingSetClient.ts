// The extension host's side of building a training set: the engine thread reads the service's outputs,
// the labels and the inputs through the host, joins them and writes the file; the host only moves bytes.
import type { Worker } from "node:worker_threads";
import type { PreviewFile } from "../reading/previewFile";
import { engineFiles, runEngineJob } from "./jobClient";
import type { ReadRouter } from "./client";
import type { TrainingSetProgress, TrainingSetStart, TrainingSetSummary } from "./protocol";

export interface TrainingSetRun extends Omit<TrainingSetStart, "files" | "inputs" | "outputs" | "groundTruth"> {
  worker: Worker;
  /** Serves the job's reads off the host's thread (EngineThreads.downloads). */
  downloads?: ReadRouter;
  inputs: { files: PreviewFile[]; format: "csv" | "jsonl" };
  outputs: { files: PreviewFile[]; format: "csv" | "jsonl" };
  groundTruth?: { file: PreviewFile; format: "csv" | "parquet"; labelKey: string; joinOn: string };
  signal?: AbortSignal;
  onProgress?(progress: TrainingSetProgress): void;
}

export function runTrainingSet(run: TrainingSetRun): Promise<TrainingSetSummary> {
  const files = [...run.outputs.files, ...run.inputs.files, ...(run.groundTruth ? [run.groundTruth.file] : [])];
  const indexes = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  const { inputs, outputs, groundTruth } = run;
  return runEngineJob<TrainingSetSummary>({
    worker: run.worker, files, downloads: run.downloads, signal: run.signal, what: "training set", outOfMemoryAdvice: "build it over fewer days (the outputs of the whole range are held while the inputs stream).",
    start: { kind: "startTrainingSet", trainingSet: {
      layout: run.layout, how: run.how, output: run.output, maxColumns: run.maxColumns, parallelRanges: run.parallelRanges, rangeBytes: run.rangeBytes, encoding: run.encoding,
      files: engineFiles(files),
      outputs: { files: indexes(0, outputs.files.length), format: outputs.format },
      inputs: { files: indexes(outputs.files.length, inputs.files.length), format: inputs.format },
      groundTruth: groundTruth && { file: files.length - 1, format: groundTruth.format, labelKey: groundTruth.labelKey, joinOn: groundTruth.joinOn },
    } },
    cancel: { kind: "cancelTrainingSet" },
    received: (message) => {
      if (message.kind === "trainingSetProgress") run.onProgress?.(message.progress);
      if (message.kind === "trainingSetBuilt") return { result: message.summary };
      if (message.kind === "trainingSetFailed") return { failed: message.error, cancelled: message.cancelled };
      return undefined;
    },
  });
}
