// Blob data plane through @azure/storage-blob: one service round trip per listing call, paged by the caller.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import type { TokenCredential } from "@azure/core-auth";
import { BlobServiceClient, ContainerClient, StorageSharedKeyCredential, type StoragePipelineOptions } from "@azure/storage-blob";
import type { BlobGateway, BlobInfo, BlobListing, DownloadOptions, GatewayRecipe } from "../core/gateways";
import { credentialOf, type CredentialKind } from "../core/storageConnection";
import { checkHostResolves } from "./hostCheck";

const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 4 } };

export function createBlobGatewayFromConnectionString(connectionString: string): BlobGateway {
  const service = BlobServiceClient.fromConnectionString(connectionString, PIPELINE);
  return withRecipe(gateway(service.accountName, (c) => service.getContainerClient(c), service.url, credentialOf(connectionString), service), { kind: "connectionString", connectionString });
}

export function createBlobGatewayWithToken(blobEndpoint: string, accountName: string, credential: TokenCredential): BlobGateway {
  const service = new BlobServiceClient(blobEndpoint, credential, PIPELINE);
  return withRecipe(gateway(accountName, (c) => service.getContainerClient(c), service.url, { kind: "entra" }, service), { kind: "token", blobEndpoint, accountName, credential });
}

export function createBlobGatewayWithKey(blobEndpoint: string, accountName: string, key: string): BlobGateway {
  const service = new BlobServiceClient(blobEndpoint, new StorageSharedKeyCredential(accountName, key), PIPELINE);
  return withRecipe(gateway(accountName, (c) => service.getContainerClient(c), service.url, { kind: "key" }, service), { kind: "key", blobEndpoint, accountName, key: async () => key });
}

/** An account SAS URL (service client) or a container SAS URL (that one container only). */
export function createBlobGatewayFromSasUrl(sasUrl: string, accountName: string, container: string | undefined): BlobGateway {
  if (container) {
    const client = new ContainerClient(sasUrl, undefined, PIPELINE);
    const origin = new URL(sasUrl);
    const base = `${origin.origin}${origin.pathname.replace(/\/[^/]+\/?$/, "")}`;
    return withRecipe(gateway(accountName, (c) => {
      if (c !== container) throw Object.assign(new Error(`This SAS only grants access to container '${container}'.`), { statusCode: 403, code: "AuthorizationFailure" });
      return client;
    }, base, credentialOf(sasUrl)), { kind: "sasUrl", sasUrl, accountName, container });
  }
  const service = new BlobServiceClient(sasUrl, undefined, PIPELINE);
  return withRecipe(gateway(accountName, (c) => service.getContainerClient(c), service.url.split("?")[0], credentialOf(sasUrl), service), { kind: "sasUrl", sasUrl, accountName });
}

function withRecipe(made: BlobGateway, recipe: GatewayRecipe): BlobGateway {
  return { ...made, recipe };
}

function gateway(accountName: string, makeContainer: (name: string) => ContainerClient, serviceUrl: string, credential: CredentialKind, service?: BlobServiceClient): BlobGateway {
  const urlBase = serviceUrl.split("?")[0].replace(/\/+$/, "");
  // A ContainerClient builds its own service client; reuse one per container rather than one per call.
  const containers = new Map<string, ContainerClient>();
  const container = (name: string) => {
    let client = containers.get(name);
    if (!client) containers.set(name, (client = makeContainer(name)));
    return client;
  };
  return {
    accountName,
    credential,
    async listByHierarchy(containerName, prefix, options) {
      await checkHostResolves(urlBase);
      const pages = container(containerName)
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
    async listFlat(containerName, prefix, options): Promise<BlobListing> {
      await checkHostResolves(urlBase);
      const pages = container(containerName)
        .listBlobsFlat({ prefix, abortSignal: options.signal })
        .byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken });
      const page = (await pages.next()).value;
      if (!page) return { prefixes: [], blobs: [] };
      return { prefixes: [], blobs: page.segment.blobItems.map(toBlobInfo), continuationToken: page.continuationToken || undefined };
    },
    async listContainers(prefix, signal) {
      await checkHostResolves(urlBase);
      if (!service) return [];
      const names: string[] = [];
      for await (const c of service.listContainers({ prefix, abortSignal: signal })) names.push(c.name);
      return names;
    },
    blobUrl: (containerName, name) => blobUrlOf(urlBase, containerName, name),
    async readRange(containerName, name, offset, count, signal) {
      try {
        // A ranged GET; the answer may be shorter than asked (end of blob), never longer.
        const response = await container(containerName).getBlobClient(name).download(offset, count, { abortSignal: signal });
        const chunks: Buffer[] = [];
        for await (const chunk of response.readableStreamBody ?? []) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } catch (error) {
        // An empty blob has no range to read.
        if ((error as { statusCode?: number }).statusCode === 416) return Buffer.alloc(0);
        throw error;
      }
    },
    async openStream(containerName, name, offset, signal, count) {
      const response = await container(containerName).getBlobClient(name).download(offset, count, { abortSignal: signal });
      if (!response.readableStreamBody) throw new Error(`No content for ${name}`);
      return { stream: response.readableStreamBody, contentLength: response.contentLength ?? 0 };
    },
    uploadFile: (containerName, name, sourcePath, options) => uploadFile(container(containerName), name, sourcePath, options),
    uploadText: (containerName, name, text, signal) => uploadText(container(containerName), name, text, signal),
    async deleteBlob(containerName, name, signal) {
      await container(containerName).getBlobClient(name).deleteIfExists({ abortSignal: signal });
    },
    async download(containerName, name, targetPath, options: DownloadOptions) {
      // Stream into a .part file and rename at the end, so a cancelled or failed download leaves nothing half-written.
      const partial = `${targetPath}.part`;
      const response = await container(containerName).getBlobClient(name).download(0, undefined, { abortSignal: options.signal });
      if (!response.readableStreamBody) throw new Error(`No content for ${name}`);
      let received = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          options.onProgress?.(received);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(response.readableStreamBody, counter, createWriteStream(partial), { signal: options.signal });
        await rename(partial, targetPath);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return received;
    },
  };
}

/** Built by hand from the endpoint, so a SAS in a client's URL never reaches a copied link. */
function blobUrlOf(base: string, container: string, name: string): string {
  return `${base}/${encodeURIComponent(container)}/${name.split("/").map(encodeURIComponent).join("/")}`;
}

function toBlobInfo(item: { name: string; properties: { contentLength?: number; lastModified?: Date; etag?: string } }): BlobInfo {
  return { name: item.name, size: item.properties.contentLength ?? 0, lastModified: item.properties.lastModified, etag: item.properties.etag };
}

/** A key-authenticated gateway whose key is fetched (ARM listKeys) on first use, not at construction. */
async function uploadFile(client: ContainerClient, name: string, sourcePath: string, options: DownloadOptions & { contentType?: string }): Promise<void> {
  // Blocks are committed at the end: a cancelled or failed upload leaves no blob behind.
  await client.getBlockBlobClient(name).uploadFile(sourcePath, {
    abortSignal: options.signal, concurrency: 4, blockSize: 8 * 1024 * 1024,
    blobHTTPHeaders: options.contentType ? { blobContentType: options.contentType } : undefined,
    onProgress: (p) => options.onProgress?.(p.loadedBytes),
  });
}

async function uploadText(client: ContainerClient, name: string, text: string, signal?: AbortSignal): Promise<void> {
  const body = Buffer.from(text, "utf8");
  await client.getBlockBlobClient(name).upload(body, body.length, { abortSignal: signal, blobHTTPHeaders: { blobContentType: "text/yaml; charset=utf-8" } });
}

export function createBlobGatewayWithLazyKey(blobEndpoint: string, accountName: string, key: () => Promise<string>): BlobGateway {
  let inner: Promise<BlobGateway> | undefined;
  const ready = () => (inner ??= key().then((k) => createBlobGatewayWithKey(blobEndpoint, accountName, k)));
  const base = blobEndpoint.replace(/\/+$/, "");
  return {
    accountName,
    credential: { kind: "key" },
    recipe: { kind: "key", blobEndpoint, accountName, key },
    listByHierarchy: async (container, prefix, options) => (await ready()).listByHierarchy(container, prefix, options),
    listFlat: async (container, prefix, options) => (await ready()).listFlat(container, prefix, options),
    listContainers: async (prefix, signal) => (await ready()).listContainers(prefix, signal),
    blobUrl: (container, name) => blobUrlOf(base, container, name),
    readRange: async (container, name, offset, count, signal) => (await ready()).readRange(container, name, offset, count, signal),
    openStream: async (container, name, offset, signal, count) => (await ready()).openStream(container, name, offset, signal, count),
    download: async (container, name, target, options) => (await ready()).download(container, name, target, options),
    uploadFile: async (container, name, source, options) => (await ready()).uploadFile?.(container, name, source, options),
    uploadText: async (container, name, text, signal) => (await ready()).uploadText?.(container, name, text, signal),
    deleteBlob: async (container, name, signal) => (await ready()).deleteBlob?.(container, name, signal),
  };
}
