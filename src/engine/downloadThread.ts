// The host's side of the download thread (downloadWorker.ts): started on the first read it is given (a
// query cache range, or an engine's files), given each gateway's recipe (a key resolved here; a token
// credential kept here, its tokens sent on request), and told to cancel. Only progress counts and outcomes
// come back to the host: an engine's bytes go to it on a port of its own.
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { PreviewFile } from "../reading/previewFile";
import type { GatewayRecipe, TokenSource } from "../core/gateways";
import { cancelledError } from "../core/errors";
import { revive, serializeError } from "./protocol";
import type { FromDownloadWorker, ServedFile, ToDownloadWorker, WorkerRecipe } from "./downloadProtocol";
import type { CacheBlob } from "../sql/blobCache";

/**
 * Fetches a blob's range into the file at `path` (at the range's own offset); returns the bytes written, or
 * undefined when it cannot (the caller reads it itself).
 */
export interface RangeFetcher {
  fetch(blob: CacheBlob, offset: number, length: number, path: string, signal: AbortSignal, onBytes: (count: number) => void): Promise<number | undefined>;
}

/** How long a preview's start waits to learn whether the thread reaches its account (else the host reads, this once). */
const SERVE_WAIT_MS = 1500;
/** The longest a probe may take (a proxy that swallows connections must not hold a preview for the full timeout). */
const PROBE_TIMEOUT_MS = 10_000;

interface Waiting {
  resolve(written: number): void;
  reject(error: Error): void;
  onBytes(count: number): void;
}

export class DownloadThread implements RangeFetcher {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly credentials = new Map<number, TokenSource>();
  private readonly credentialIds = new WeakMap<TokenSource, number>();

  /** Per account: whether requests from the thread reach it (see reachable). */
  private readonly reach = new Map<string, Promise<boolean>>();

  /**
   * `script`: downloadWorker.js; `timeoutMs`: the per-call network timeout, read for each range; `env`: the
   * thread's environment (VS Code's proxy setting as HTTPS_PROXY: its proxy support patches the extension
   * host's own modules, not a thread's).
   */
  constructor(private readonly script: string, private readonly timeoutMs: () => number, private readonly env?: () => NodeJS.ProcessEnv) {}

  async fetch(blob: CacheBlob, offset: number, length: number, path: string, signal: AbortSignal, onBytes: (count: number) => void): Promise<number | undefined> {
    const recipe = blob.blobs.recipe;
    if (!recipe || !(await this.reachable(recipe, blob))) return undefined;
    if (signal.aborted) throw cancelledError();
    const job = { recipe: await this.workerRecipe(recipe), container: blob.container, name: blob.name, offset, length, path, timeoutMs: this.timeoutMs() };
    return this.ask((id) => ({ type: "fetch", id, job }), signal, onBytes);
  }

  /**
   * A port on which an engine reads its files from this thread (and the files it serves: those whose
   * gateway has a recipe); undefined when none can be served here. The engine gets the other end.
   */
  async serveReads(files: readonly PreviewFile[]): Promise<{ port: MessagePort; served: boolean[] } | undefined> {
    const soon = (known: Promise<boolean>) => Promise.race([known, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SERVE_WAIT_MS).unref())]);
    const served = await Promise.all(files.map((f) => (f.blobs.recipe ? soon(this.reachable(f.blobs.recipe, f)) : Promise.resolve(false))));
    if (!served.some(Boolean)) return undefined;
    const recipes = await Promise.all(files.map((f) => (f.blobs.recipe ? this.workerRecipe(f.blobs.recipe) : undefined)));
    const { port1, port2 } = new MessageChannel();
    const shared: ServedFile[] = files.map((f, i) => { const recipe = recipes[i]; return recipe && served[i] ? { recipe, container: f.container, name: f.name, size: f.size, label: f.label } : null; });
    this.started().postMessage({ type: "serve", port: port1, files: shared, timeoutMs: this.timeoutMs() } satisfies ToDownloadWorker, [port1]);
    return { port: port2, served };
  }

  /**
   * Whether the thread reaches the account of `where` (asked once per account, with one byte of that blob).
   * A TLS-inspecting proxy whose certificate VS Code trusts but Node does not, or a proxy VS Code knows of
   * but the environment does not, fails there and not on the host: such an account is read on the host.
   * Storage answering at all (even 403 or 404) means the thread reaches it.
   */
  private reachable(recipe: GatewayRecipe, where: { container: string; name: string }): Promise<boolean> {
    const account = recipe.kind === "connectionString" ? recipe.connectionString : recipe.kind === "sasUrl" ? recipe.sasUrl.split("?")[0] : `${recipe.blobEndpoint}|${recipe.kind}`;
    let known = this.reach.get(account);
    if (!known) {
      known = this.workerRecipe(recipe).then((shared) => this.ask((id) => ({ type: "probe", id, recipe: shared, container: where.container, name: where.name, timeoutMs: Math.min(this.timeoutMs(), PROBE_TIMEOUT_MS) })))
        .then(() => true, (error: { statusCode?: number }) => typeof error?.statusCode === "number" && error.statusCode > 0);
      this.reach.set(account, known);
    }
    return known;
  }

  /** Posts a request that is answered done or failed (a fetch, a probe). */
  private ask(make: (id: number) => ToDownloadWorker, signal?: AbortSignal, onBytes: (count: number) => void = () => undefined): Promise<number> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        this.post({ type: "cancel", id });
        this.waiting.delete(id);
        reject(cancelledError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.set(id, {
        resolve: (written) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(written);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
        onBytes,
      });
      worker.postMessage(make(id));
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private async workerRecipe(recipe: GatewayRecipe): Promise<WorkerRecipe> {
    switch (recipe.kind) {
      case "connectionString":
      case "sasUrl":
        return recipe;
      case "key":
        return { kind: "key", blobEndpoint: recipe.blobEndpoint, accountName: recipe.accountName, key: await recipe.key() };
      case "token": {
        let id = this.credentialIds.get(recipe.credential);
        if (id === undefined) {
          id = this.credentials.size + 1;
          this.credentials.set(id, recipe.credential);
          this.credentialIds.set(recipe.credential, id);
        }
        return { kind: "token", blobEndpoint: recipe.blobEndpoint, accountName: recipe.accountName, credential: id };
      }
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { env: this.env?.() ?? process.env });
    worker.on("message", (message: FromDownloadWorker) => this.received(message));
    worker.on("error", (error) => this.lost(worker, error));
    worker.on("exit", (code) => this.lost(worker, new Error(`The download thread ended (exit code ${code}); run it again.`)));
    // Idle between windows: it must not keep VS Code's extension host (or a test run) alive. After the
    // listeners: a 'message' listener added later refs the thread again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }

  private post(message: ToDownloadWorker): void {
    this.worker?.postMessage(message);
  }

  private received(message: FromDownloadWorker): void {
    if (message.type === "getToken") {
      void this.token(message.request, message.credential, message.scopes);
      return;
    }
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    if (message.type === "bytes") {
      waiting.onBytes(message.count);
      return;
    }
    this.waiting.delete(message.id);
    if (message.type === "done") waiting.resolve(message.written);
    else waiting.reject(revive(message.error));
  }

  private async token(request: number, credential: number, scopes: string[]): Promise<void> {
    try {
      const source = this.credentials.get(credential);
      if (!source) throw new Error("The download thread asked for a credential it was never given.");
      const token = await source.getToken(scopes);
      this.post({ type: "token", request, token: token && { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp } });
    } catch (error) {
      this.post({ type: "tokenFailed", request, error: serializeError(error) });
    }
  }
}
