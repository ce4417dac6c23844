// How the grid app talks to its host: the VS Code webview API in the product, an in-page host in benchmarks.
import type { HostToWebview, WebviewToHost } from "../src/protocol";

export interface HostChannel {
  post(message: WebviewToHost): void;
  onMessage(listener: (message: HostToWebview) => void): void;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

export function vscodeChannel(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
      if (event.data && typeof event.data === "object" && typeof event.data.type === "string") listener(event.data);
    }),
  };
}
