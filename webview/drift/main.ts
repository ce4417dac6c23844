// Entry of dist/webview/drift.js: the drift report inside its webview.
import "uplot/dist/uPlot.min.css";
import { renderReport } from "./report";
import type { DriftHostToWebview, DriftWebviewToHost } from "../../src/driftProtocol";

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void };

const api = acquireVsCodeApi();
const post = (message: DriftWebviewToHost) => api.postMessage(message);
const root = document.getElementById("report");
window.addEventListener("message", (event: MessageEvent<DriftHostToWebview>) => {
  if (!root || event.data?.type !== "report" || typeof event.data.report !== "object") return;
  // Kept by VS Code with the panel: a reload brings the same report back.
  api.setState({ report: event.data.report, targetId: event.data.targetId });
  renderReport(root, event.data.report, post);
});
post({ type: "ready" });
