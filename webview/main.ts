// The preview grid's webview app. It only ever renders text nodes; the host sends data, never markup.
import type { HostToWebview, WebviewToHost } from "../src/protocol";

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const vscodeApi = acquireVsCodeApi();
const status = document.getElementById("status");

window.addEventListener("message", (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === "status" && status) status.textContent = message.text;
});

vscodeApi.postMessage({ type: "ready" });
