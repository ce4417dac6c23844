// The data engine of one preview, on its own thread: it parses what the host downloads, holds the rows,
// sorts, filters and counts. Nothing here can hold up the extension host (or another panel's engine).
import { parentPort, workerData } from "node:worker_threads";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { PreviewLoader } from "../reading/loader";
import type { PreviewFile } from "../reading/previewFile";
import { StatsAccumulator, type ColumnStats } from "../core/table/stats";
import { toCsvLine, toTsvLine } from "../core/table/tableView";
import { Breather } from "../reading/breather";
import { RemoteReads } from "./remoteBlobs";
import { warmUp } from "./warmUp";
import { CompareJob } from "./compareJob";
import { TrainingSetJob } from "./trainingSetJob";
import { startStatistics } from "./statsThread";
import type { LoaderJob } from "./loaderJob";
import { isHostToEngine, loaderOptionsOf, serializeError, type EngineRequests, type EngineStart, type EngineToHost, type HostToEngine, type RequestKind, type SerializedError } from "./protocol";

const port = parentPort;
if (!port) throw new Error("the preview engine runs as a worker thread");

const post = (message: EngineToHost, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

class Superseded extends Error {
  constructor() {
    super("superseded by a newer sort or filter");
  }
}

/** The host's answers to this thread's reads (a preview's or a compare's). */
const reads = new RemoteReads(post);

class Engine {
  private readonly reads = reads;
  private readonly loader: PreviewLoader;
  private readonly generation: Int32Array;
  /** The generation of the view the table shows (re-applied as rows arrive). */
  private viewGeneration = 0;
  private statsTimer: NodeJS.Timeout | undefined;
  private firstRowsHeld!: () => void;
  private readonly firstRows = new Promise<void>((resolve) => (this.firstRowsHeld = resolve));

  constructor(start: EngineStart) {
    this.generation = new Int32Array(start.viewGeneration);
    const files: PreviewFile[] = start.files.map((file, i) => ({ ...file, blobs: this.reads.gateway(i) }));
    // CSV's statistics are counted on a thread of their own (JSON lines spend their time parsing text here).
    const countStatistics = start.format === "csv" ? () => startStatistics() : undefined;
    this.loader = new PreviewLoader(files, start.format, { ...loaderOptionsOf(start), countStatistics }, {
      init: (columns, firstRows, progress) => {
        this.firstRowsHeld();
        post({ kind: "init", columns, firstRows, progress });
      },
      columnsAdded: (from, columns) => post({ kind: "columnsAdded", from, columns }),
      progress: () => {
        // Rows arrived: the current sort/filter is re-applied first, so the counts sent match the view.
        this.loader.table.refresh(() => this.current(this.viewGeneration));
        this.sendProgress();
      },
    });
  }

  async run(): Promise<void> {
    this.statsTimer = setInterval(() => void this.sendStats(), 1000);
    await this.loader.run();
    this.firstRowsHeld();
    clearInterval(this.statsTimer);
    await this.sendStats();
    post({ kind: "finished", progress: this.loader.progress() });
  }

  private current(generation: number): boolean {
    return Atomics.load(this.generation, 0) === generation;
  }

  private sendProgress(): void {
    const broken = this.loader.brokenPlace;
    const file = broken ? this.loader.fileIndex(broken.file) : -1;
    post({ kind: "progress", progress: this.loader.progress(), brokenAt: broken && file >= 0 ? { file, byte: broken.byte } : undefined });
  }

  private async sendStats(): Promise<void> {
    // Statistics that could not be counted leave the columns without them; the loader says why.
    const stats = await this.statsForSorting().catch(() => undefined);
    if (stats) post({ kind: "stats", stats });
  }

  /** The statistics now, and the numeric columns they show given to the table (numbers sort as numbers). */
  private async statsForSorting(): Promise<ColumnStats[]> {
    const stats = await this.loader.stats.snapshot();
    this.loader.table.setNumericColumns(stats.flatMap((s, i) => (s.type === "integer" || s.type === "number" ? [i] : [])));
    return stats;
  }

  async request<K extends RequestKind>(op: K, args: EngineRequests[K]["args"]): Promise<EngineRequests[K]["result"]> {
    const table = this.loader.table;
    switch (op) {
      case "rows": {
        const { start, count, full } = args as EngineRequests["rows"]["args"];
        table.refresh();
        const rows = full ? [...table.rowsInView(start, start + count)] : table.window(start, count);
        return { rows, visibleRows: table.visibleRows } satisfies EngineRequests["rows"]["result"] as EngineRequests[K]["result"];
      }
      case "setView": {
        const spec = args as EngineRequests["setView"]["args"];
        const started = performance.now();
        const wanted = () => this.current(spec.generation);
        if (!wanted()) throw new Superseded();
        await this.statsForSorting();
        if (!wanted()) throw new Superseded();
        if (!table.apply({ sort: spec.sort, filters: spec.filters, global: spec.global }, wanted)) throw new Superseded();
        this.viewGeneration = spec.generation;
        return { visibleRows: table.visibleRows, ms: performance.now() - started } satisfies EngineRequests["setView"]["result"] as EngineRequests[K]["result"];
      }
      case "columnStats": {
        const { column, scope } = args as EngineRequests["columnStats"]["args"];
        const all = (await this.loader.stats.snapshot())[column];
        if (!all) return null as EngineRequests[K]["result"];
        if (scope === "all") return { stats: all, rows: this.loader.progress().rowsLoaded } as EngineRequests[K]["result"];
        table.refresh();
        const name = this.loader.columnInfo()[column]?.name ?? "";
        const stats = new StatsAccumulator([name]);
        const breather = new Breather();
        let i = 0;
        for (const row of table.rowsInView()) {
          stats.add([row[column] ?? ""]);
          // Other requests (a scroll, a cancel) get their turn.
          if ((++i & 1023) === 0) await breather.maybe();
        }
        return { stats: stats.snapshot()[0], rows: table.visibleRows } as EngineRequests[K]["result"];
      }
      case "copy": {
        const { start, end, columns, format, header } = args as EngineRequests["copy"]["args"];
        const line = (cells: string[]) => (format === "csv" ? toCsvLine(cells, false) : toTsvLine(cells));
        const names = this.loader.columnInfo().map((c) => c.name);
        const lines: string[] = header ? [line(columns.map((c) => names[c] ?? ""))] : [];
        for (const row of table.rowsInView(start, end + 1)) {
          const cells = columns.map((c) => row[c] ?? "");
          lines.push(line(cells));
        }
        return { text: lines.join("\n"), lines: lines.length - (header ? 1 : 0) } as EngineRequests[K]["result"];
      }
      case "exportCsv": {
        const { path, escapeFormulas } = args as EngineRequests["exportCsv"]["args"];
        const out = createWriteStream(path, { encoding: "utf8" });
        const failed = new Promise<never>((_, reject) => out.on("error", reject));
        const write = async () => {
          out.write(toCsvLine(this.loader.columnInfo().map((c) => c.name), escapeFormulas) + "\r\n");
          let rows = 0;
          for (const row of table.rowsInView()) {
            if (!out.write(toCsvLine(row, escapeFormulas) + "\r\n")) await once(out, "drain");
            rows += 1;
          }
          out.end();
          await once(out, "finish");
          return rows;
        };
        return { rows: await Promise.race([write(), failed]) } as EngineRequests[K]["result"];
      }
      case "cancelLoad":
        this.loader.cancel();
        return { rowsLoaded: this.loader.progress().rowsLoaded } as EngineRequests[K]["result"];
      default:
        throw new Error(`unknown request ${String(op)}`);
    }
  }

  received(message: Extract<HostToEngine, { kind: "request" }>): void {
    // The host may show its own first screen before this thread has read one (see engine/firstScreen.ts):
    // what the grid asks waits for this thread's first rows. A cancel does not wait.
    const ready = message.op === "cancelLoad" ? Promise.resolve() : this.firstRows;
    ready.then(() => this.request(message.op, message.args)).then(
      (result) => post({ kind: "reply", id: message.id, result }),
      (error) => post({ kind: "refused", id: message.id, error: serializeError(error), superseded: error instanceof Superseded }));
  }
}

let engine: Engine | undefined;
/** A one-shot job (a compare, a training set) this thread runs instead of a preview. */
let job: LoaderJob<unknown> | undefined;

/** Runs `made` as this thread's one job; its result or failure goes back as the job's messages. */
function startJob<T>(made: LoaderJob<T>, done: (result: T) => EngineToHost, failed: (error: SerializedError, cancelled: boolean) => EngineToHost): void {
  job = made;
  made.run().then((result) => post(done(result)), (error) => post(failed(serializeError(error), (error as Error)?.name === "AbortError")));
}
// A thread booted ahead warms up while it waits (messages wait for it, in order); one started for a
// preview at once does not make that preview wait.
const warm = (workerData?.warmUp === true ? warmUp() : Promise.resolve()).catch(() => undefined);
port.on("message", (message: unknown) => void warm.then(() => receive(message)));
// Loaded, warm and listening: a thread booted ahead (EngineThreads) is now ready for a preview.
void warm.then(() => post({ kind: "ready" }));

function receive(message: unknown): void {
  if (!isHostToEngine(message)) {
    // A message we do not understand is a bug on our side, never data: say so and go on.
    console.error("preview engine: dropped a malformed message");
    return;
  }
  switch (message.kind) {
    case "readDone": case "readFailed": case "streamChunk": case "streamEnd": case "streamFailed":
      return reads.answer(message);
    case "readPort": return reads.usePort(message.port, message.served, message.ahead);
    // One job a thread: a preview, a compare or a training set.
    case "start":
      if (engine || job) return;
      engine = new Engine(message.start);
      void engine.run();
      return;
    case "startCompare":
      if (engine || job) return;
      return startJob(new CompareJob(message.compare, reads, (progress) => post({ kind: "compareProgress", progress })),
        (result) => ({ kind: "compared", result }), (error, cancelled) => ({ kind: "compareFailed", error, cancelled }));
    case "startTrainingSet":
      if (engine || job) return;
      return startJob(new TrainingSetJob(message.trainingSet, reads, (progress) => post({ kind: "trainingSetProgress", progress })),
        (summary) => ({ kind: "trainingSetBuilt", summary }), (error, cancelled) => ({ kind: "trainingSetFailed", error, cancelled }));
    case "cancelCompare":
    case "cancelTrainingSet":
      job?.cancel();
      return;
    case "request":
      engine?.received(message);
      return;
  }
}
