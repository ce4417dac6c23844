// A Parquet file read by hyparquet through the host: its ranges come from the engine's remote reads, and
// its pages decompress with Node's gzip and brotli and fzstd's zstd (Snappy is hyparquet's own).
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { cancelledError } from "../core/errors";

/** What a Parquet file's reads need: ranges of the file at an index (the engine's remote reads give them). */
export interface RangeReads {
  readRange(index: number, offset: number, count: number, signal?: AbortSignal): Promise<Buffer>;
}

export interface ParquetBuffer {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/** The file at `index` as hyparquet's async buffer; `onRead` hears how far each read went. */
export function remoteParquetFile(reads: RangeReads, index: number, size: number, signal: AbortSignal, onRead?: (bytes: number) => void): ParquetBuffer {
  return {
    byteLength: size,
    slice: async (start: number, end = size) => {
      if (signal.aborted) throw cancelledError();
      const bytes = await reads.readRange(index, start, end - start, signal);
      onRead?.(bytes.length);
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

export async function parquetCompressors() {
  const { decompress: zstd } = await import("fzstd");
  return {
    GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
    BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
    ZSTD: (input: Uint8Array, length: number) => zstd(input, new Uint8Array(length)),
  };
}
