// What a one-shot engine job (a drift compare, a training set) shares: files read as a preview reads them
// but without holding rows (each row goes to a sink as it is parsed), a cancel that stops the loader reading
// now and everything after it, and turns of the event loop at which a cancel lands.
import { PreviewLoader } from "../reading/loader";
import type { PreviewFile } from "../reading/previewFile";
import type { RowSink } from "../reading/loaderOptions";
import type { Progress } from "../protocol";
import type { TextEncoding } from "../core/table/sniff";
import { cancelledError } from "../core/errors";
import { setImmediate as nextTurn } from "node:timers/promises";

export interface ReadSettings {
  maxColumns: number;
  parallelRanges: number;
  rangeBytes: number;
  encoding?: TextEncoding;
}

export abstract class LoaderJob<T> {
  protected readonly controller = new AbortController();
  /** The loader reading now (a cancel stops it at once). */
  protected current: PreviewLoader | undefined;

  constructor(private readonly settings: ReadSettings) {}

  abstract run(): Promise<T>;

  cancel(): void {
    this.controller.abort();
    this.current?.cancel();
  }

  /** A turn of the event loop (a cancel stops the work that waits for it). */
  protected async turn(): Promise<void> {
    await nextTurn();
    if (this.controller.signal.aborted) throw cancelledError();
  }

  /** A loader over `files` that holds no rows and counts no statistics: each row goes to `sink`; `onFirstRows` once the first file's columns are known. */
  protected streamingLoader(files: PreviewFile[], format: "csv" | "jsonl", sink: RowSink, onProgress: (progress: Progress) => void, onFirstRows?: () => void): PreviewLoader {
    const { maxColumns, parallelRanges, rangeBytes, encoding } = this.settings;
    const loader: PreviewLoader = new PreviewLoader(files, format, { cap: 0, maxColumns, maxHeldBytes: 0, parallelRanges, rangeBytes, encoding, sink, statistics: false },
      { init: () => onFirstRows?.(), columnsAdded: () => undefined, progress: () => onProgress(loader.progress()) });
    this.current = loader;
    return loader;
  }

  /** The loader's end state; a cancel or a failure throws (`what` names what could not be read). */
  protected finished(loader: PreviewLoader, what: string): Progress {
    const p = loader.progress();
    if (p.state === "cancelled" || this.controller.signal.aborted) throw cancelledError();
    if (p.state === "error") throw new Error(`${what} could not be read: ${p.message ?? "unknown error"}`);
    return p;
  }
}
