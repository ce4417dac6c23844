// On an engine thread: reads both windows as the preview reads files (same streaming, parsing, encodings,
// layouts), gathers every feature value, and computes the drift result.
import type { PreviewFile } from "../reading/previewFile";
import type { Progress } from "../protocol";
import { BucketedGatherer, ColumnarGatherer, WindowGatherer } from "../core/drift/gather";
import { wantedFeature, type CompareOptions, type CompareResult } from "../core/drift/report";
import type { GatheredColumn, ProductionEnd, WindowParcel } from "../core/drift/measure";
import { startMeasurer, type Measurer } from "./measurers";
import { cancelledError } from "../core/errors";
import type { RemoteReads } from "./remoteBlobs";
import type { CompareStart, WindowProgress } from "./protocol";
import { LoaderJob } from "./loaderJob";
import { parquetCompressors, remoteParquetFile } from "../reading/parquetSource";
import { releaseSortScratch } from "../core/table/sortKeys";

export class CompareJob extends LoaderJob<CompareResult> {
  constructor(private readonly start: CompareStart, private readonly reads: RemoteReads, private readonly progress: (progress: WindowProgress) => void) {
    super(start);
  }

  async run(): Promise<CompareResult> {
    // Sorting and metrics go to the measuring thread as soon as a window (or a day) is gathered.
    const measurer = startMeasurer(this.options, () => this.turn());
    // A cancel does not wait for the day or the result being measured.
    const cancelled = () => measurer.close(cancelledError());
    this.controller.signal.addEventListener("abort", cancelled, { once: true });
    try {
      measurer.reference(await this.gather("reference", this.start.reference));
      const production = await this.gather("production", this.start.production, measurer);
      return await measurer.result(production);
    } finally {
      this.controller.signal.removeEventListener("abort", cancelled);
      measurer.close();
      // Working arrays of a compare measured on this thread stay between its sorts, not after it.
      releaseSortScratch();
    }
  }

  private get options(): CompareOptions {
    return { features: this.start.features, perFeature: this.start.perFeature, defaults: this.start.defaults };
  }

  /**
   * A window's values, handed over whole; the production window's days (with `measurer`) each as they
   * complete, the reading waiting while more than one day is being measured.
   */
  private async gather(which: "reference", window: CompareStart["reference"]): Promise<WindowParcel>;
  private async gather(which: "production", window: CompareStart["production"], measurer: Measurer): Promise<WindowParcel | ProductionEnd>;
  private async gather(which: "reference" | "production", window: CompareStart["reference"] | CompareStart["production"], measurer?: Measurer): Promise<WindowParcel | ProductionEnd> {
    if (this.controller.signal.aborted) throw cancelledError();
    if (window.format === "parquet") return this.gatherParquet(which, window);
    const files: PreviewFile[] = window.files.map((i) => ({ ...this.start.files[i], blobs: this.reads.gateway(i) }));
    const features = new Map<number, boolean>();
    const isFeature = (column: number) => {
      let known = features.get(column);
      if (known === undefined) {
        const name = loader.columnNames()[column];
        known = name !== undefined && wantedFeature(name, this.options);
        features.set(column, known);
      }
      return known;
    };
    const buckets = measurer ? (window as CompareStart["production"]).buckets : undefined;
    const gatherer = buckets
      ? new BucketedGatherer(buckets, isFeature, (bucket, day) => measurer!.day({ bucket, rows: day.rows, columns: [...loader.columnNames()], windows: windowsOf(day) }))
      : new WindowGatherer(isFeature);
    const report = (p: Progress) =>
      this.progress({ window: which, rowsLoaded: p.rowsLoaded, bytesLoaded: p.bytesLoaded, bytesTotal: p.bytesTotal, filesDone: p.filesDone, filesTotal: p.filesTotal });
    // No rows are held: every value goes to the gatherer as it is parsed.
    const loader = this.streamingLoader(files, window.format, gatherer, report);
    await loader.run();
    if (gatherer instanceof BucketedGatherer) await gatherer.end();
    const p = this.finished(loader, `The ${which} window (${window.label})`);
    report(p);
    const end: ProductionEnd = {
      summary: { label: window.label, files: files.length, rows: p.rowsLoaded, bytes: p.bytesLoaded },
      columns: [...loader.columnNames()],
      notices: [...p.notices.map((n) => `${window.label}: ${n.text}`),
        ...(gatherer.replacements > 0 && !p.notices.some((n) => n.id === "invalidUtf8")
          ? [`${window.label}: ${gatherer.replacements.toLocaleString("en-US")} cell(s) are not valid UTF-8 (read with �); the files may be Latin-1 or Windows-1252 text.`] : [])],
    };
    return gatherer instanceof WindowGatherer ? { ...end, rows: gatherer.rows, windows: windowsOf(gatherer) } : end;
  }

  /**
   * A Parquet window (the training data users keep): its footer first, then only the feature columns'
   * chunks, read as ranges through the host. Values keep their types: a float column is numerical
   * whatever its values look like.
   */
  private async gatherParquet(which: "reference" | "production", window: CompareStart["reference"]): Promise<WindowParcel> {
    const { parquetMetadataAsync, parquetRead } = await import("hyparquet");
    const compressors = await parquetCompressors();
    let names: string[] | undefined;
    let gatherer: ColumnarGatherer | undefined;
    let bytesLoaded = 0;
    const bytesTotal = window.files.reduce((s, i) => s + this.start.files[i].size, 0);
    for (const [done, index] of window.files.entries()) {
      const file = this.start.files[index];
      const buffer = remoteParquetFile(this.reads, index, file.size, this.controller.signal, (read) => {
        bytesLoaded += read;
        this.progress({ window: which, rowsLoaded: gatherer?.rows ?? 0, bytesLoaded, bytesTotal, filesDone: done, filesTotal: window.files.length });
      });
      let metadata;
      try {
        metadata = await parquetMetadataAsync(buffer);
      } catch (error) {
        if ((error as Error).name === "AbortError") throw error;
        throw new Error(`The ${which} window (${window.label}) could not be read: ${file.label} is not a Parquet file we can read (${(error as Error).message}).`);
      }
      // Top-level columns (nested ones are not features).
      const leaves = metadata.schema.slice(1).filter((s) => !s.num_children);
      const columns = leaves.map((s) => s.name);
      if (!names) {
        names = columns;
        gatherer = new ColumnarGatherer(names);
      } else if (columns.join("\u0000") !== names.join("\u0000")) {
        throw new Error(`The ${which} window's Parquet files do not share one schema (${file.label} differs).`);
      }
      const floats = new Set(leaves.filter((s) => s.type === "FLOAT" || s.type === "DOUBLE" || s.converted_type === "DECIMAL").map((s) => s.name));
      const wanted = columns.filter((name) => wantedFeature(name, this.options));
      const target = gatherer as ColumnarGatherer;
      try {
        await parquetRead({ file: buffer, metadata, columns: wanted, compressors,
          onChunk: (chunk) => target.add(columns.indexOf(chunk.columnName), chunk.columnData as ArrayLike<unknown>, floats.has(chunk.columnName)) });
      } catch (error) {
        if ((error as Error).name === "AbortError") throw error;
        throw new Error(`The ${which} window (${window.label}) could not be read: ${file.label}: ${(error as Error).message}. Snappy, gzip, brotli and zstd compression are read; save it with one of those (pandas: compression="snappy").`);
      }
    }
    const rows = gatherer?.rows ?? 0;
    this.progress({ window: which, rowsLoaded: rows, bytesLoaded, bytesTotal, filesDone: window.files.length, filesTotal: window.files.length });
    const columns = names ?? [];
    const wanted = columns.flatMap((name, i) => (wantedFeature(name, this.options) ? [i] : []));
    return { summary: { label: window.label, files: window.files.length, rows, bytes: bytesLoaded }, rows, columns, notices: [],
      windows: gatherer ? wanted.map((i) => [i, gatherer!.window(i)]) : [] };
  }
}

/** A gatherer's feature columns' windows, by column index. */
function windowsOf(gatherer: WindowGatherer): Array<[number, GatheredColumn]> {
  return gatherer.featureIndexes().map((index) => [index, gatherer.window(index)]);
}
