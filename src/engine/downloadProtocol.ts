// Messages between the extension host and the download thread (downloadWorker.ts), which fetches the query
// cache's blob ranges into their files and serves the data engines' reads on ports of their own, so the
// bytes never pass through the extension host's thread.
import type { SerializedError } from "./protocol";

/** A gateway's recipe as it crosses to the thread: a key resolved, a token credential by number (the thread asks the host for tokens). */
export type WorkerRecipe =
  | { kind: "connectionString"; connectionString: string }
  | { kind: "sasUrl"; sasUrl: string; accountName: string; container?: string }
  | { kind: "key"; blobEndpoint: string; accountName: string; key: string }
  | { kind: "token"; blobEndpoint: string; accountName: string; credential: number };

export interface RangeJob {
  recipe: WorkerRecipe;
  container: string;
  name: string;
  offset: number;
  length: number;
  /** The part file (it exists): bytes land at their own offset in it. */
  path: string;
  /** Per-call timeout (modelData.network.timeoutSeconds), counted from the last byte once bytes flow. */
  timeoutMs: number;
}

/** A file an engine reads through the download thread (null: the host reads it). */
export type ServedFile = { recipe: WorkerRecipe; container: string; name: string; size: number; label: string } | null;

export type ToDownloadWorker =
  | { type: "fetch"; id: number; job: RangeJob }
  /** One byte of a blob: whether this thread reaches the account (answered done or failed, as a fetch). */
  | { type: "probe"; id: number; recipe: WorkerRecipe; container: string; name: string; timeoutMs: number }
  /** An engine's reads of `files`, asked and answered on `port` (the engine's read messages: see RemoteReads). */
  | { type: "serve"; port: import("node:worker_threads").MessagePort; files: ServedFile[]; timeoutMs: number }
  | { type: "cancel"; id: number }
  | { type: "token"; request: number; token: { token: string; expiresOnTimestamp: number } | null }
  | { type: "tokenFailed"; request: number; error: SerializedError };

export type FromDownloadWorker =
  | { type: "bytes"; id: number; count: number }
  | { type: "done"; id: number; written: number }
  | { type: "failed"; id: number; error: SerializedError }
  | { type: "getToken"; request: number; credential: number; scopes: string[] };
