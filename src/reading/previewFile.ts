// One collected file as the engine reads it: where it is, how big, and how it is named when stitched.
import type { BlobGateway } from "../core/gateways";

export interface PreviewFile {
  blobs: BlobGateway;
  container: string;
  name: string;
  size: number;
  /** Shown in the source column when several files are stitched together. */
  label: string;
}
