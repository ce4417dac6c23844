// On an engine thread: reads both windows as the preview reads files (same streaming, parsing, encodings,
// layouts), gathers every feature value, and computes the drift result.
import { PreviewLoader, type PreviewFile } from "../loader";
import { BucketedGatherer, WindowGatherer } from "../../core/drift/gather";
import { buildResult, isFeatureName, type CompareResult, type GatheredWindow } from "../../core/drift/report";
import { cancelledError } from "../../core/errors";
import type { RemoteReads } from "./remoteBlobs";
import type { CompareStart, WindowProgress } from "./protocol";

export class CompareJob {
  private readonly controller = new AbortController();
  private current: PreviewLoader | undefined;

  constructor(private readonly start: CompareStart, private readonly reads: RemoteReads, private readonly progress: (progress: WindowProgress) => void) {}

  cancel(): void {
    this.controller.abort();
    this.current?.cancel();
  }

  async run(): Promise<CompareResult> {
    const reference = await this.gather("reference", this.start.reference);
    const production = await this.gather("production", this.start.production);
    return buildResult(reference, production, { features: this.start.features, perFeature: this.start.perFeature, defaults: this.start.defaults });
  }

  private async gather(which: "reference" | "production", window: CompareStart["reference"] | CompareStart["production"]): Promise<GatheredWindow> {
    if (this.controller.signal.aborted) throw cancelledError();
    const files: PreviewFile[] = window.files.map((i) => ({ ...this.start.files[i], blobs: this.reads.gateway(i) }));
    let names: string[] = [];
    const features = new Map<number, boolean>();
    const isFeature = (column: number) => {
      let known = features.get(column);
      if (known === undefined) {
        names = loader.columnInfo().map((c) => c.name);
        const name = names[column];
        known = name !== undefined && isFeatureName(name) && (!this.start.features || this.start.features.includes(name));
        features.set(column, known);
      }
      return known;
    };
    const buckets = (window as CompareStart["production"]).buckets;
    const gatherer = buckets ? new BucketedGatherer(buckets, isFeature) : new WindowGatherer(isFeature);
    const report = () => {
      const p = loader.progress();
      this.progress({ window: which, rowsLoaded: p.rowsLoaded, bytesLoaded: p.bytesLoaded, bytesTotal: p.bytesTotal, filesDone: p.filesDone, filesTotal: p.filesTotal });
    };
    // No rows are held: every value goes to the gatherer as it is parsed.
    const loader: PreviewLoader = new PreviewLoader(files, window.format, { cap: 0, maxColumns: this.start.maxColumns, maxHeldBytes: 0, parallelRanges: this.start.parallelRanges,
      rangeBytes: this.start.rangeBytes, encoding: this.start.encoding, sink: gatherer, statistics: false }, { init: () => undefined, columnsAdded: () => undefined, progress: report });
    this.current = loader;
    await loader.run();
    const p = loader.progress();
    if (p.state === "cancelled" || this.controller.signal.aborted) throw cancelledError();
    if (p.state === "error") throw new Error(`The ${which} window (${window.label}) could not be read: ${p.message ?? "unknown error"}`);
    report();
    return {
      summary: { label: window.label, files: files.length, rows: p.rowsLoaded, bytes: p.bytesLoaded },
      columns: loader.columnInfo().map((c) => c.name),
      notices: [...p.notices.map((n) => `${window.label}: ${n.text}`),
        ...(gatherer.replacements > 0 && !p.notices.some((n) => n.id === "invalidUtf8")
          ? [`${window.label}: ${gatherer.replacements.toLocaleString("en-US")} cell(s) are not valid UTF-8 (read with �); the files may be Latin-1 or Windows-1252 text.`] : [])],
      column: (index) => gatherer.window(index),
      buckets: gatherer instanceof BucketedGatherer ? gatherer.bucketList() : undefined,
    };
  }
}
