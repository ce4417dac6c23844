// The newest files of a collection, found by walking its date folders newest first: one listing per level
// (year, month, day[, hour]), then the files of the newest folder. Folders are zero-padded, so the
// greatest name is the newest.
import type { BlobGateway, BlobInfo } from "../core/gateways";
import { allPages } from "../core/blobPages";

/** Folders and files directly under `prefix` (every page). */
async function folders(blobs: BlobGateway, container: string, prefix: string, signal?: AbortSignal): Promise<{ prefixes: string[]; files: BlobInfo[] }> {
  const pages = await allPages((options) => blobs.listByHierarchy(container, prefix, options), (listing) => [listing], signal);
  return { prefixes: pages.flatMap((p) => p.prefixes), files: pages.flatMap((p) => p.blobs) };
}

/** The newest date folder's files under `root` (`levels` date levels deep), or undefined when there is none. */
export async function newestFolderFiles(blobs: BlobGateway, container: string, root: string, levels: number, signal?: AbortSignal): Promise<{ folder: string; files: BlobInfo[] } | undefined> {
  let prefix = root;
  for (let level = 0; level < levels; level++) {
    const { prefixes } = await folders(blobs, container, prefix, signal);
    const dated = prefixes.filter((p) => /\/\d{1,4}\/$/.test(p)).sort(byNumberedSegment);
    const newest = dated[dated.length - 1];
    if (!newest) return undefined;
    prefix = newest;
  }
  const { files } = await folders(blobs, container, prefix, signal);
  return files.length > 0 ? { folder: prefix, files } : undefined;
}

/** Folder names compare as numbers (the legacy layout does not always pad months and days). */
function byNumberedSegment(a: string, b: string): number {
  const n = (p: string) => Number(p.slice(0, -1).split("/").pop());
  return n(a) - n(b);
}
