// The query cache's download thread against Azurite: a window's ranges are fetched on the thread into the
// cache's files (the host's gateway reads nothing), a bearer-token account gets each token from the host's
// credential, and a cancel or a storage error ends the download as the host-side download did.
import { describe, it, before, after } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { createServer as createHttpsServer, type Server } from "node:https";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { BlobServiceClient } from "@azure/storage-blob";
import { BlobCache, type CacheBlob } from "../../src/sql/blobCache";
import { DownloadThread } from "../../src/engine/downloadThread";
import { createBlobGatewayFromConnectionString, createBlobGatewayWithToken } from "../../src/azure/blob";
import type { BlobGateway } from "../../src/core/gateways";
import { startAzurite, type AzuriteServer } from "../servers/azurite";
import { ensureCertificate } from "../servers/arm/certificate";
import { AZURITE_ACCOUNT } from "../../src/core/emulator";
import { Worker } from "node:worker_threads";
import { PreviewEngine } from "../../src/engine/client";
import { runCompare } from "../../src/engine/compareClient";
import { startThrottlingProxy } from "../servers/throttlingProxy";
import type { PreviewFile } from "../../src/reading/previewFile";

const ENGINE = join(__dirname, "..", "..", "previewWorker.js");

function preview(files: PreviewFile[], downloads: DownloadThread): PreviewEngine {
  return new PreviewEngine(files, "csv", { worker: new Worker(ENGINE), cap: 500_000, maxColumns: 2000, maxHeldBytes: 1 << 30, parallelRanges: 2, rangeBytes: 256 << 10, downloads },
    { init: () => undefined, columnsAdded: () => undefined, progress: () => undefined, stats: () => undefined, stopped: () => undefined });
}

const WORKER = join(__dirname, "..", "..", "downloadWorker.js");
const CONTAINER = "collected";
const BIG = "a,b,c\n" + Array.from({ length: 120_000 }, (_, i) => `${i},x${i % 97},${(i * 0.37).toFixed(2)}`).join("\n") + "\n";
const SMALL = "a,b\n1,2\n";
const ZIPPED = "a,b\n3,4\n";

/** The gateway, with every read it makes on this thread counted. */
function counted(inner: BlobGateway): { gateway: BlobGateway; reads: () => number } {
  let reads = 0;
  return {
    gateway: { ...inner, recipe: inner.recipe,
      openStream: (...args) => { reads += 1; return inner.openStream(...args); },
      readRange: (...args) => { reads += 1; return inner.readRange(...args); } },
    reads: () => reads,
  };
}

function blobOf(gateway: BlobGateway, name: string, size: number): CacheBlob {
  return { blobs: gateway, container: CONTAINER, name, size, etag: `${name}@${size}`, format: "csv" };
}

describe("the query cache's download thread", () => {
  let azurite: AzuriteServer;
  let root: string;
  let thread: DownloadThread;
  let zippedSize = 0;

  before(async () => {
    azurite = await startAzurite();
    root = mkdtempSync(join(tmpdir(), "download-thread-"));
    thread = new DownloadThread(WORKER, () => 30_000);
    // Public read access: the token test's proxy checks the token itself and forwards without one.
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
    await container.create({ access: "blob" });
    await container.getBlockBlobClient("d/1.csv").upload(BIG, BIG.length);
    await container.getBlockBlobClient("d/2.csv").upload(SMALL, SMALL.length);
    const zipped = gzipSync(Buffer.from(ZIPPED));
    zippedSize = zipped.length;
    await container.getBlockBlobClient("d/3.csv").upload(zipped, zipped.length);
  });
  after(async () => {
    thread.dispose();
    await azurite.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("fetches a window's ranges on its own thread: the cached files are the blobs, every byte counted, none read on the host", async () => {
    const { gateway, reads } = counted(createBlobGatewayFromConnectionString(azurite.connectionString));
    const cache = new BlobCache({ root: join(root, "plain"), limitBytes: () => 1e9, parallelRanges: 3, rangeBytes: 256 << 10, fetcher: thread });
    const blobs = [blobOf(gateway, "d/1.csv", BIG.length), blobOf(gateway, "d/2.csv", SMALL.length), blobOf(gateway, "d/3.csv", zippedSize)];
    const seen: number[] = [];
    const result = await cache.ensure(blobs, new AbortController().signal, (done) => seen.push(done));
    assert.equal(result.downloadedBlobs, 3);
    assert.equal(readFileSync(result.files.get(blobs[0])?.path as string, "utf8"), BIG);
    assert.equal(readFileSync(result.files.get(blobs[1])?.path as string, "utf8"), SMALL);
    assert.equal(readFileSync(result.files.get(blobs[2])?.path as string, "utf8"), ZIPPED, "gzip decompressed from the file the thread wrote");
    assert.deepEqual(result.files.get(blobs[0])?.meta, { format: "csv", columns: ["a", "b", "c"], hasHeader: true });
    assert.equal(seen[seen.length - 1], BIG.length + SMALL.length + zippedSize);
    assert.ok(seen.length >= 3, "progress heard while the bytes came");
    assert.equal(reads(), 0, "the host's gateway read nothing");
  });

  it("gets each token for a bearer-token account from the host's credential", async () => {
    const { key, cert } = await ensureCertificate();
    const upstream = new URL(azurite.blobEndpoint);
    const authorizations: string[] = [];
    // A TLS front for Azurite that accepts only the token the host's credential hands out (the SDK sends a
    // bearer token over HTTPS only), as storage would; Azurite answers without it (the container is public).
    const proxy: Server = createHttpsServer({ key, cert }, (req, res) => {
      authorizations.push(String(req.headers.authorization));
      if (req.headers.authorization !== "Bearer token-for-storage") {
        res.writeHead(403, { "x-ms-error-code": "AuthorizationFailure" }).end();
        return;
      }
      const headers = { ...req.headers, host: upstream.host };
      delete headers.authorization;
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const scopes: string[][] = [];
      const credential = {
        getToken: async (wanted: string | string[]) => {
          scopes.push(Array.isArray(wanted) ? wanted : [wanted]);
          return { token: "token-for-storage", expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      };
      const endpoint = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/${AZURITE_ACCOUNT}`;
      const { gateway, reads } = counted(createBlobGatewayWithToken(endpoint, AZURITE_ACCOUNT, credential));
      const cache = new BlobCache({ root: join(root, "token"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 512 << 10, fetcher: thread });
      const blob = blobOf(gateway, "d/1.csv", BIG.length);
      const result = await cache.ensure([blob], new AbortController().signal, () => undefined);
      assert.equal(readFileSync(result.files.get(blob)?.path as string, "utf8"), BIG);
      assert.ok(scopes.length >= 1 && scopes.every((s) => s.includes("https://storage.azure.com/.default")), JSON.stringify(scopes));
      assert.ok(authorizations.length >= 2 && authorizations.every((a) => a === "Bearer token-for-storage"), authorizations.join(", "));
      assert.equal(reads(), 0);

      // A credential whose token storage refuses: the refusal comes back as storage's own status.
      const refused = { getToken: async () => ({ token: "expired", expiresOnTimestamp: Date.now() + 3_600_000 }) };
      const other = createBlobGatewayWithToken(endpoint, AZURITE_ACCOUNT, refused);
      const failing = new BlobCache({ root: join(root, "refused"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 512 << 10, fetcher: thread });
      await assert.rejects(failing.ensure([blobOf(other, "d/2.csv", SMALL.length)], new AbortController().signal, () => undefined),
        (error: Error & { statusCode?: number }) => error.statusCode === 403);
      assert.deepEqual(readdirSync(join(root, "refused", "blobs")), [], "no partial file");
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("serves a preview's and a compare's reads: the host reads only the preview's first range", async () => {
    const { gateway, reads } = counted(createBlobGatewayFromConnectionString(azurite.connectionString));
    const file = { blobs: gateway, container: CONTAINER, name: "d/1.csv", size: BIG.length, label: "1.csv" };
    const engine = preview([file], thread);
    await engine.done;
    assert.equal(engine.progress().state, "done", engine.progress().message);
    assert.equal(engine.progress().rowsLoaded, 120_000);
    assert.equal(engine.stats()[2].type, "number");
    assert.equal(reads(), 1, "the host read the first range ahead, nothing else");
    await engine.dispose();

    const result = await runCompare({ worker: new Worker(ENGINE), downloads: thread, maxColumns: 2000, parallelRanges: 2, rangeBytes: 256 << 10,
      reference: { label: "a", files: [file], format: "csv" }, production: { label: "b", files: [{ ...file, label: "again" }], format: "csv" } });
    assert.equal(result.reference.rows, 120_000);
    assert.equal(result.production.rows, 120_000);
    assert.equal(reads(), 1, "the compare's reads all went to the download thread");
  });

  it("a preview whose download thread ends mid-read finishes through the host (its ranges are tried again there)", async () => {
    const upstream = new URL(azurite.blobEndpoint);
    const proxy = await startThrottlingProxy(upstream.hostname, Number(upstream.port), 256 << 10);
    const own = new DownloadThread(WORKER, () => 30_000);
    try {
      const { gateway, reads } = counted(createBlobGatewayFromConnectionString(azurite.connectionString.replace(azurite.blobEndpoint, `http://127.0.0.1:${proxy.port}${upstream.pathname}`)));
      const engine = preview([{ blobs: gateway, container: CONTAINER, name: "d/1.csv", size: BIG.length, label: "1.csv" }], own);
      // Once the engine's own ranges are under way on the thread (past the first range the host read), the thread goes.
      while (engine.progress().bytesLoaded < 300_000 && engine.progress().state === "loading") await new Promise((r) => setTimeout(r, 20));
      assert.equal(reads(), 1, "until then only the first range was read on the host");
      own.dispose();
      await engine.done;
      assert.equal(engine.progress().state, "done", engine.progress().message);
      assert.equal(engine.progress().rowsLoaded, 120_000);
      assert.ok(reads() > 1, "the ranges in flight were read again on the host");
      await engine.dispose();
    } finally {
      own.dispose();
      await proxy.close();
    }
  });

  it("reads on the host an account the thread cannot reach (a proxy only the thread is sent to)", async () => {
    // The thread's environment names a proxy where nothing listens: its requests fail before storage, as
    // behind a proxy or TLS inspection only VS Code's own requests get through; the host's reach storage.
    const unreachable = new DownloadThread(WORKER, () => 30_000, () => ({ ...process.env, HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9" }));
    try {
      const { gateway, reads } = counted(createBlobGatewayFromConnectionString(azurite.connectionString));
      const cache = new BlobCache({ root: join(root, "unreachable"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 256 << 10, fetcher: unreachable });
      const blob = blobOf(gateway, "d/1.csv", BIG.length);
      const result = await cache.ensure([blob], new AbortController().signal, () => undefined);
      assert.equal(readFileSync(result.files.get(blob)?.path as string, "utf8"), BIG);
      assert.equal(reads(), Math.ceil(BIG.length / (256 << 10)), "every range read on the host");
      const engine = preview([{ blobs: gateway, container: CONTAINER, name: "d/2.csv", size: SMALL.length, label: "2.csv" }], unreachable);
      await engine.done;
      assert.equal(engine.progress().state, "done", engine.progress().message);
      assert.equal(engine.progress().rowsLoaded, 1);
      await engine.dispose();
    } finally {
      unreachable.dispose();
    }
  });

  it("a cancel stops the thread's ranges and leaves no partial file; a missing blob fails with storage's status", async () => {
    const gateway = createBlobGatewayFromConnectionString(azurite.connectionString);
    const cache = new BlobCache({ root: join(root, "cancel"), limitBytes: () => 1e9, parallelRanges: 2, rangeBytes: 64 << 10, fetcher: thread });
    const controller = new AbortController();
    const run = cache.ensure([blobOf(gateway, "d/1.csv", BIG.length)], controller.signal, (done) => {
      if (done > 0) controller.abort();
    });
    await assert.rejects(run, /Cancelled/);
    assert.deepEqual(readdirSync(join(root, "cancel", "blobs")), []);
    assert.equal((await cache.usage()).entries, 0);

    await assert.rejects(cache.ensure([blobOf(gateway, "d/missing.csv", 100)], new AbortController().signal, () => undefined),
      (error: Error & { statusCode?: number }) => error.statusCode === 404);
    assert.deepEqual(readdirSync(join(root, "cancel", "blobs")), []);
  });
});
