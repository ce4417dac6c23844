// How the grid app talks to its host: the VS Code webview API in the product, an in-page host in benchmarks.
import type { HostToWebview, WebviewToHost } from "../src/protocol";

export interface HostChannel {
  post(message: WebviewToHost): void;
  onMessage(listener: (message: HostToWebview) => void): void;
  /** Keeps what reopens this view after a reload (VS Code's webview state). */
  persist?(state: unknown): void;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void };

export function vscodeChannel(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    persist: (state) => api.setState(state),
    onMessage: (listener) => window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
      if (event.data && typeof event.data === "object" && typeof event.data.type === "string") listener(event.data);
    }),
  };
}
