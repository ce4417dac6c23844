// Bytes from the SDK's download stream to UTF-8 text, counting bytes as they pass. Multi-byte characters
// split across chunks are kept whole (StringDecoder).
import { Transform } from "node:stream";
import { StringDecoder } from "node:string_decoder";

export function decodingCounter(onBytes: (bytes: number) => void, onInvalid?: () => void): Transform {
  const decoder = new StringDecoder("utf8");
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      const text = decoder.write(chunk);
      // Bytes that are not UTF-8 decode to U+FFFD.
      if (onInvalid && text.includes("\uFFFD")) onInvalid();
      callback(null, text);
    },
    flush(callback) {
      const rest = decoder.end();
      callback(null, rest || undefined);
    },
  });
}
