// What a node points at in storage: its container and blob prefix (or blob name), and the blobs under it.
import type { BlobInfo } from "../core/gateways";
import type { DataLocation, ModelDataNode } from "../tree/nodes";

export interface NodeTarget {
  where: DataLocation;
  /** Blob name for a file, virtual-directory prefix otherwise. */
  path: string;
  isBlob: boolean;
  /** Blobs already known for the node (dates, hours, files). */
  blobs?: BlobInfo[];
}

export function targetOf(node: ModelDataNode): NodeTarget | undefined {
  switch (node.kind) {
    case "service": return { where: node.where, path: node.service.prefix, isBlob: false };
    case "model": case "identifier": return { where: node.where, path: node.prefix, isBlob: false };
    case "date": return { where: node.where, path: node.group.prefixes[0], isBlob: false, blobs: node.blobs };
    case "hour": return { where: node.where, path: commonPrefix(node.blobs.map((b) => b.name)), isBlob: false, blobs: node.blobs };
    case "file": return { where: node.where, path: node.blob.name, isBlob: true, blobs: [node.blob] };
    default: return undefined;
  }
}

function commonPrefix(names: string[]): string {
  if (names.length === 0) return "";
  const dir = names[0].slice(0, names[0].lastIndexOf("/") + 1);
  return names.every((n) => n.startsWith(dir)) ? dir : "";
}
