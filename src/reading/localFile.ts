// A file on the user's disk read like a blob (the training data a compare uses as its reference): the
// engine asks for ranges and streams as it does of storage; the host reads them from the file.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { BlobGateway } from "../core/gateways";
import type { PreviewFile } from "./previewFile";

export async function localPreviewFile(path: string): Promise<PreviewFile> {
  const size = (await stat(path)).size;
  const refuse = () => Promise.reject(new Error("not available for a local file"));
  const blobs: BlobGateway = {
    accountName: "local", listByHierarchy: refuse, listFlat: refuse, listContainers: refuse, download: refuse, blobUrl: () => path,
    readRange: async (_c, _n, offset, count) => {
      const handle = await open(path, "r");
      try {
        const bytes = Buffer.alloc(Math.max(0, Math.min(count, size - offset)));
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
        return bytes.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    openStream: async (_c, _n, offset, signal, count) => ({ stream: createReadStream(path, { start: offset, end: count === undefined ? undefined : offset + count - 1, signal, highWaterMark: 1 << 20 }),
      contentLength: count === undefined ? size - offset : Math.min(count, size - offset) }),
  };
  return { blobs, container: "", name: path, size, label: basename(path) };
}
