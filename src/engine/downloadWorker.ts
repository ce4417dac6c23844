// The download thread: fetches blob ranges straight into the query cache's part files, and answers the data
// engines' reads on their own ports, with the storage SDK: gigabytes of a window's bytes (and their socket
// buffers' garbage) stay off the extension host's thread. Token credentials stay on the host: this thread
// asks it for each token the SDK wants.
import { parentPort, type MessagePort } from "node:worker_threads";
import { open } from "node:fs/promises";
import type { BlobGateway, TokenSource } from "../core/gateways";
import { withTimeouts } from "../core/networkTimeouts";
import { cancelledError } from "../core/errors";
import { createBlobGatewayFromConnectionString, createBlobGatewayFromSasUrl, createBlobGatewayWithKey, createBlobGatewayWithToken } from "../azure/blob";
import { isEngineToHost, revive, serializeError, type HostToEngine } from "./protocol";
import type { FromDownloadWorker, RangeJob, ServedFile, ToDownloadWorker, WorkerRecipe } from "./downloadProtocol";
import { isReadRequest, ReadService } from "./readService";
import type { PreviewFile } from "../reading/previewFile";

/** Progress is told in steps of this many bytes (a message per socket read would cost the host more than the bytes did). */
const REPORT_BYTES = 1 << 20;

const port = parentPort;
if (!port) throw new Error("downloadWorker.js runs as a worker thread");
const post = (message: FromDownloadWorker) => port.postMessage(message);

const gateways = new Map<string, BlobGateway>();
const running = new Map<number, AbortController>();
const tokenRequests = new Map<number, { resolve(token: { token: string; expiresOnTimestamp: number } | null): void; reject(error: Error): void }>();
let nextTokenRequest = 1;

/** A credential whose tokens come from the host's (the SDK caches each until it nears expiry). */
function hostCredential(credential: number): TokenSource {
  return {
    getToken: (scopes) => new Promise((resolve, reject) => {
      const request = nextTokenRequest++;
      tokenRequests.set(request, { resolve, reject });
      post({ type: "getToken", request, credential, scopes: Array.isArray(scopes) ? scopes : [scopes] });
    }),
  };
}

function gatewayOf(recipe: WorkerRecipe): BlobGateway {
  const key = JSON.stringify(recipe);
  let gateway = gateways.get(key);
  if (!gateway) {
    switch (recipe.kind) {
      case "connectionString":
        gateway = createBlobGatewayFromConnectionString(recipe.connectionString);
        break;
      case "sasUrl":
        gateway = createBlobGatewayFromSasUrl(recipe.sasUrl, recipe.accountName, recipe.container);
        break;
      case "key":
        gateway = createBlobGatewayWithKey(recipe.blobEndpoint, recipe.accountName, recipe.key);
        break;
      case "token":
        gateway = createBlobGatewayWithToken(recipe.blobEndpoint, recipe.accountName, hostCredential(recipe.credential) as Parameters<typeof createBlobGatewayWithToken>[2]);
        break;
    }
    gateways.set(key, gateway);
  }
  return gateway;
}

async function fetchRange(id: number, job: RangeJob): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  let handle: import("node:fs/promises").FileHandle | undefined;
  try {
    const gateway = withTimeouts(gatewayOf(job.recipe), () => job.timeoutMs);
    handle = await open(job.path, "r+");
    const { stream } = await gateway.openStream(job.container, job.name, job.offset, controller.signal, job.length);
    let at = job.offset;
    let told = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (controller.signal.aborted) throw cancelledError();
      const part = chunk.subarray(0, Math.max(0, job.offset + job.length - at));
      await handle.write(part, 0, part.length, at);
      at += part.length;
      if (at - job.offset - told >= REPORT_BYTES) {
        post({ type: "bytes", id, count: at - job.offset - told });
        told = at - job.offset;
      }
    }
    if (controller.signal.aborted) throw cancelledError();
    if (at - job.offset > told) post({ type: "bytes", id, count: at - job.offset - told });
    post({ type: "done", id, written: at - job.offset });
  } catch (error) {
    post({ type: "failed", id, error: serializeError(controller.signal.aborted ? cancelledError() : error) });
  } finally {
    running.delete(id);
    await handle?.close().catch(() => undefined);
  }
}

/** Reads one byte: the host learns whether requests from this thread reach the account. */
async function probe(id: number, recipe: WorkerRecipe, container: string, name: string, timeoutMs: number): Promise<void> {
  try {
    const bytes = await withTimeouts(gatewayOf(recipe), () => timeoutMs).readRange(container, name, 0, 1);
    post({ type: "done", id, written: bytes.length });
  } catch (error) {
    post({ type: "failed", id, error: serializeError(error) });
  }
}

/** An engine's reads, answered on its port as the host's ReadService answers them; ended when the port closes. */
function serve(enginePort: MessagePort, served: ServedFile[], timeoutMs: number): void {
  const files = served.map((file): PreviewFile | undefined => file ? { ...file, blobs: withTimeouts(gatewayOf(file.recipe), () => timeoutMs) } : undefined);
  const reads = new ReadService(files as PreviewFile[], (message: HostToEngine, transfer?: ArrayBuffer[]) => enginePort.postMessage(message, transfer ?? []));
  enginePort.on("message", (message: unknown) => {
    if (isEngineToHost(message) && isReadRequest(message)) reads.received(message);
  });
  enginePort.on("close", () => reads.stopAll());
}

port.on("message", (message: ToDownloadWorker) => {
  switch (message.type) {
    case "fetch":
      void fetchRange(message.id, message.job);
      break;
    case "serve":
      serve(message.port, message.files, message.timeoutMs);
      break;
    case "probe":
      void probe(message.id, message.recipe, message.container, message.name, message.timeoutMs);
      break;
    case "cancel":
      running.get(message.id)?.abort();
      break;
    case "token":
    case "tokenFailed": {
      const waiting = tokenRequests.get(message.request);
      tokenRequests.delete(message.request);
      if (message.type === "token") waiting?.resolve(message.token);
      else waiting?.reject(revive(message.error));
      break;
    }
  }
});
