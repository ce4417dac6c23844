// Blob listing through @azure/storage-blob: one service round trip per call, paged by the caller.
import { BlobServiceClient } from "@azure/storage-blob";
import type { BlobGateway, BlobInfo, BlobListing, ListOptions } from "../core/gateways";

export function createBlobGatewayFromConnectionString(connectionString: string): BlobGateway {
  return wrap(BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 3 } }));
}

function wrap(service: BlobServiceClient): BlobGateway {
  return {
    accountName: service.accountName,
    async listByHierarchy(container, prefix, options) {
      const pages = service.getContainerClient(container)
        .listBlobsByHierarchy("/", { prefix, abortSignal: options.signal })
        .byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken });
      const page = (await pages.next()).value;
      if (!page) return { prefixes: [], blobs: [] };
      return {
        prefixes: (page.segment.blobPrefixes ?? []).map((p: { name: string }) => p.name),
        blobs: page.segment.blobItems.map(toBlobInfo),
        continuationToken: page.continuationToken || undefined,
      };
    },
    async listFlat(container, prefix, options: ListOptions): Promise<BlobListing> {
      const pages = service.getContainerClient(container)
        .listBlobsFlat({ prefix, abortSignal: options.signal })
        .byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken });
      const page = (await pages.next()).value;
      if (!page) return { prefixes: [], blobs: [] };
      return { prefixes: [], blobs: page.segment.blobItems.map(toBlobInfo), continuationToken: page.continuationToken || undefined };
    },
    blobUrl(container, name) {
      return service.getContainerClient(container).getBlobClient(name).url;
    },
  };
}

function toBlobInfo(item: { name: string; properties: { contentLength?: number; lastModified?: Date } }): BlobInfo {
  return { name: item.name, size: item.properties.contentLength ?? 0, lastModified: item.properties.lastModified };
}
