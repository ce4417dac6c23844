// From what storage holds to UTF-8 text bytes: gzip is decompressed, UTF-16 and Latin-1 are transcoded.
// Plain UTF-8 (the collectors' own output) passes untouched, so the fast path costs nothing extra.
import { Transform, pipeline, type Readable } from "node:stream";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import type { TextEncoding } from "../core/table/sniff";

/** As much of a gzip file as its first bytes hold (the rest of a ranged read is cut mid-stream). */
export function gunzipPrefix(bytes: Buffer): Buffer {
  return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
}

/** A chunk-by-chunk converter to UTF-8 (characters cut between chunks are kept whole). */
export function utf8Converter(encoding: TextEncoding): (chunk: Uint8Array, final: boolean) => Buffer {
  if (encoding === "utf8") return (chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  if (encoding === "latin1") return (chunk) => Buffer.from(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString("latin1"), "utf8");
  const decoder = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be");
  return (chunk, final) => Buffer.from(decoder.decode(chunk, { stream: !final }), "utf8");
}

export interface ContentOptions {
  gzip: boolean;
  encoding: TextEncoding;
  /** Bytes as stored (compressed, before transcoding), as they arrive. */
  onStoredBytes(count: number): void;
}

/** The stored stream as UTF-8 bytes; errors anywhere (an abort, bad gzip) end the returned stream with them. */
export function contentStream(stored: Readable, options: ContentOptions): Readable {
  const stages: Array<NodeJS.ReadWriteStream> = [new Transform({
    transform(chunk: Buffer, _e, done) {
      options.onStoredBytes(chunk.length);
      done(null, chunk);
    },
  })];
  if (options.gzip) stages.push(createGunzip());
  if (options.encoding !== "utf8") {
    const convert = utf8Converter(options.encoding);
    stages.push(new Transform({
      transform(chunk: Buffer, _e, done) {
        done(null, convert(chunk, false));
      },
      flush(done) {
        const rest = convert(new Uint8Array(0), true);
        done(null, rest.length > 0 ? rest : undefined);
      },
    }));
  }
  return pipeline([stored, ...stages], () => undefined) as unknown as Readable;
}
