// A blob gateway that answers ranged reads from bytes already in memory and refuses anything else: the
// engine thread's warm-up reads its sample through it, and the host's first screen the range it just read.
import type { BlobGateway } from "../core/gateways";

export function heldBytesGateway(bytes: Buffer, name = "held"): BlobGateway {
  const refuse = () => Promise.reject(new Error(`${name}: only the bytes in memory can be read`));
  return {
    accountName: name, listByHierarchy: refuse, listFlat: refuse, listContainers: refuse, download: refuse, openStream: refuse, blobUrl: () => "",
    // Shorter than asked when the bytes end first, as a blob's last range is.
    readRange: async (_container, _name, offset, count) => bytes.subarray(offset, offset + count),
  };
}
