// The first screen of a preview, made on the extension host from the first range it has just read, so
// rows show while the engine thread boots (~100 ms when started on demand) or is handed the bytes (a
// message each way, and its work beside the download on a small machine). The same loader the engine
// runs reads the same bytes with the same options, so these are the rows the engine's own first screen
// holds; the engine takes over from there. One range of at most 256 KiB: a few ms of the host's thread.
import { PreviewLoader } from "../reading/loader";
import type { LoaderOptions } from "../reading/loaderOptions";
import type { PreviewFile } from "../reading/previewFile";
import type { ColumnInfo, Progress } from "../protocol";
import { heldBytesGateway } from "./heldBytes";

export interface FirstScreen {
  columns: ColumnInfo[];
  rows: string[][];
  progress: Progress;
}

/** The first screen from `first`, the first file's first range; undefined when the loader could not make one (the engine then says why). */
export async function firstScreen(files: PreviewFile[], format: "csv" | "jsonl", options: LoaderOptions, first: Buffer): Promise<FirstScreen | undefined> {
  if (files.length === 0) return undefined;
  let shown: FirstScreen | undefined;
  const held = [{ ...files[0], blobs: heldBytesGateway(first) }, ...files.slice(1)];
  // Without statistics: the rows are the same, and the first screen shows none (1.2 ms of 28 columns' counters, cold).
  const loader: PreviewLoader = new PreviewLoader(held, format, { ...options, statistics: false }, {
    // The first screen is all it makes: stop there, as a Cancel would (nothing past the range is read).
    init: (columns, rows, progress) => {
      shown = { columns, rows, progress };
      loader.cancel();
    },
    columnsAdded: () => undefined,
    progress: () => undefined,
  });
  await loader.run();
  return shown;
}
