// On an engine thread: reads both windows as the preview reads files (same streaming, parsing, encodings,
// layouts), gathers every feature value, and computes the drift result.
import type { PreviewFile } from "../reading/previewFile";
import type { Progress } from "../protocol";
import { BucketedGatherer, ColumnarGatherer, WindowGatherer } from "../core/drift/gather";
import { buildResult, isFeatureName, timelinePoints, type CompareOptions, type CompareResult, type GatheredWindow } from "../core/drift/report";
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
    const reference = await this.gather("reference", this.start.reference);
    // The reference's values are sorted (in place) while the production window downloads (this thread
    // mostly waits for bytes then): one feature at a time, between the parser's slices.
    const presorted = reference.sortColumns?.(() => this.turn()) ?? Promise.resolve();
    // Awaited below; a cancel during the production read must not leave it unhandled.
    presorted.catch(() => undefined);
    try {
      const production = await this.gather("production", this.start.production, { reference, presorted });
      await presorted;
      return buildResult(reference, production, this.options);
    } finally {
      // The sort's working arrays stay between a compare's sorts, not after it (the thread serves previews next).
      releaseSortScratch();
    }
  }

  private get options(): CompareOptions {
    return { features: this.start.features, perFeature: this.start.perFeature, defaults: this.start.defaults };
  }

  /** A window's values; the production window's days (with `against`) each get their timeline point as they complete, then are folded in. */
  private async gather(which: "reference" | "production", window: CompareStart["reference"] | CompareStart["production"], against?: { reference: GatheredWindow; presorted: Promise<void> }): Promise<GatheredWindow> {
    if (this.controller.signal.aborted) throw cancelledError();
    if (window.format === "parquet") return this.gatherParquet(which, window);
    const files: PreviewFile[] = window.files.map((i) => ({ ...this.start.files[i], blobs: this.reads.gateway(i) }));
    const features = new Map<number, boolean>();
    const isFeature = (column: number) => {
      let known = features.get(column);
      if (known === undefined) {
        const name = loader.columnNames()[column];
        known = name !== undefined && isFeatureName(name) && (!this.start.features || this.start.features.includes(name));
        features.set(column, known);
      }
      return known;
    };
    const buckets = against ? (window as CompareStart["production"]).buckets : undefined;
    // A finished day of the production window is sorted (in place) while the next days download, then
    // measured against the (sorted) reference for the timeline, then folded into the window.
    const finishDay = async (day: WindowGatherer) => {
      await day.sortColumns(() => this.turn());
      await against!.presorted;
      return timelinePoints(against!.reference, loader.columnNames(), (j) => day.window(j), this.options, () => this.turn());
    };
    const gatherer = buckets ? new BucketedGatherer(buckets, isFeature, finishDay) : new WindowGatherer(isFeature);
    const report = (p: Progress) =>
      this.progress({ window: which, rowsLoaded: p.rowsLoaded, bytesLoaded: p.bytesLoaded, bytesTotal: p.bytesTotal, filesDone: p.filesDone, filesTotal: p.filesTotal });
    // No rows are held: every value goes to the gatherer as it is parsed.
    const loader = this.streamingLoader(files, window.format, gatherer, report);
    await loader.run();
    if (gatherer instanceof BucketedGatherer) await gatherer.end();
    const p = this.finished(loader, `The ${which} window (${window.label})`);
    report(p);
    return {
      summary: { label: window.label, files: files.length, rows: p.rowsLoaded, bytes: p.bytesLoaded },
      columns: loader.columnInfo().map((c) => c.name),
      notices: [...p.notices.map((n) => `${window.label}: ${n.text}`),
        ...(gatherer.replacements > 0 && !p.notices.some((n) => n.id === "invalidUtf8")
          ? [`${window.label}: ${gatherer.replacements.toLocaleString("en-US")} cell(s) are not valid UTF-8 (read with �); the files may be Latin-1 or Windows-1252 text.`] : [])],
      // The same object each time: sorted copies are kept per array.
      column: memoized((index) => gatherer.window(index)),
      sortColumns: gatherer instanceof WindowGatherer ? (turn) => gatherer.sortColumns(turn) : undefined,
      buckets: gatherer instanceof BucketedGatherer ? gatherer.bucketList() : undefined,
    };
  }

  /**
   * A Parquet window (the training data users keep): its footer first, then only the feature columns'
   * chunks, read as ranges through the host. Values keep their types: a float column is numerical
   * whatever its values look like.
   */
  private async gatherParquet(which: "reference" | "production", window: CompareStart["reference"]): Promise<GatheredWindow> {
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
      const wanted = columns.filter((name) => isFeatureName(name) && (!this.start.features || this.start.features.includes(name)));
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
    return {
      summary: { label: window.label, files: window.files.length, rows, bytes: bytesLoaded },
      columns: names ?? [],
      notices: [],
      column: (i) => (gatherer as ColumnarGatherer).window(i),
    };
  }
}

function memoized<T>(make: (index: number) => T): (index: number) => T {
  const made = new Map<number, T>();
  return (index) => {
    let value = made.get(index);
    if (value === undefined) {
      value = make(index);
      made.set(index, value);
    }
    return value;
  };
}
