// Browser entry for bench:preview: the real grid app (webview/app.ts) against an in-page host that answers
// the same protocol, serving 1,000,000 generated rows (in the product the rows live in the extension host).
import { startApp } from "../../webview/app";
import type { HostChannel } from "../../webview/channel";
import type { HostToWebview, WebviewToHost } from "../../src/protocol";

const COLUMNS = 28;
const names = Array.from({ length: COLUMNS }, (_, i) => (i < 20 ? `feature_${i + 1}` : i < 27 ? `text_${i - 19}` : "label"));

function row(i: number): string[] {
  return names.map((_, c) => (c < 20 ? String(((i * 2654435761 + c * 97) % 100000) / 100) : c < 27 ? `v${(i + c) % 977}` : i % 2 ? "yes" : "no"));
}

declare global {
  interface Window {
    bench: { load(rows: number): Promise<number>; scrollToMiddle(): Promise<number>; domNodes(): number };
  }
}

let listener: (m: HostToWebview) => void = () => undefined;
let total = 0;
const channel: HostChannel = {
  post(message: WebviewToHost) {
    if (message.type === "getRows") {
      const rows: string[][] = [];
      for (let i = message.start; i < Math.min(total, message.start + message.count); i++) rows.push(row(i));
      queueMicrotask(() => listener({ type: "rows", requestId: message.requestId, start: message.start, rows, visibleRows: total }));
    }
  },
  onMessage(l) {
    listener = l;
  },
};

const root = document.getElementById("app") as HTMLElement;
const app = startApp(root, channel);
/** One frame: the next animation frame, then the task after it (when that frame has been painted). */
if (new URLSearchParams(location.search).has("trace")) {
  const grid = app.grid as unknown as { render: () => void };
  const original = grid.render.bind(grid);
  grid.render = () => {
    const t = performance.now();
    original();
    console.log(`render at ${t.toFixed(0)} took ${(performance.now() - t).toFixed(1)} ms`);
  };
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Resolves when the grid shows row `index` in its first visible row slot. */
async function shown(index: number): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const first = root.querySelector(".row:not([hidden]):not(.loading)");
    if (first && Number(first.getAttribute("aria-rowindex")) - 2 === index && first.querySelector(".cell")?.textContent) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`row ${index} never shown`);
}

window.bench = {
  async load(rows: number) {
    total = rows;
    const progress = { state: "done" as const, rowsLoaded: rows, visibleRows: rows, bytesLoaded: 0, bytesTotal: 0, filesDone: 1, filesTotal: 1, capped: false, cap: rows, raggedRows: 0, malformedLines: 0, notices: [] };
    // The message is built before the clock starts: in the product the extension host builds it.
    const init = { type: "init" as const, title: "bench", columns: names.map((name) => ({ name, system: false, link: false })), firstRows: Array.from({ length: Math.min(200, rows) }, (_, i) => row(i)), progress };
    const started = performance.now();
    performance.mark("init");
    listener(init);
    performance.mark("handled");
    await shown(0);
    performance.mark("shown");
    await frame();
    const marks = performance.getEntriesByType("mark").map((m) => `${m.name}:${(m.startTime - started).toFixed(0)}`).join(" ");
    console.log(marks);
    return performance.now() - started;
  },
  async scrollToMiddle() {
    const started = performance.now();
    const middle = Math.floor(total / 2);
    app.grid.scrollToRow(middle);
    await shown(middle);
    await frame();
    return performance.now() - started;
  },
  domNodes: () => app.grid.domNodeCount(),
};
