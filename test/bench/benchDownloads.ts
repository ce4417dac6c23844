// The benches' download thread, as the extension has one (started on first use): the engines' reads and the
// query cache's ranges go through it, not through the bench's own (the host's) thread.
import { join } from "node:path";
import { REPO_ROOT } from "../host/codeServer";
import { DownloadThread } from "../../src/engine/downloadThread";

/** BENCH_HOST_READS=1: the engines read through the host instead, as before the download thread (to compare). */
export const downloads = process.env.BENCH_HOST_READS ? undefined : new DownloadThread(join(REPO_ROOT, "out", "downloadWorker.js"), () => 30_000);
