// The collection check's panel: one row per link of the chain, in the order data flows, each with its
// status, evidence, what to do and its fix button. Everything from the service is set as text.
import { isCheckHostToWebview, type CheckView, type CheckWebviewToHost } from "../../src/checkProtocol";
import type { CheckResult } from "../../src/core/collectionCheck/checkResult";
import { el } from "../dom";

declare function acquireVsCodeApi(): { postMessage(message: CheckWebviewToHost): void };
const vscode = acquireVsCodeApi();
const root = document.getElementById("check") as HTMLElement;

const WORDS: Record<CheckResult["status"], string> = { ok: "OK", warning: "Warning", problem: "Problem", unknown: "Unknown" };
const ICONS: Record<CheckResult["status"], string> = { ok: "✓", warning: "!", problem: "✕", unknown: "?" };

function draw(view: CheckView): void {
  root.replaceChildren();
  const header = el("header");
  header.append(el("h1", undefined, view.title), el("p", "subtitle", view.subtitle));
  const summary = el("p", `summary status-${view.worst}`, `${ICONS[view.worst]} ${summarise(view)} · checked ${new Date(view.checkedAt).toLocaleString()}`);
  summary.dataset.worst = view.worst;
  const rerun = el("button", "secondary", "Check Again");
  rerun.addEventListener("click", () => vscode.postMessage({ type: "rerun" }));
  header.append(summary, rerun);
  const list = el("ol", "checks");
  for (const check of view.checks) list.append(row(check));
  root.append(header, list);
}

function summarise(view: CheckView): string {
  const count = (status: CheckResult["status"]) => view.checks.filter((c) => c.status === status).length;
  const parts = (["problem", "warning", "unknown"] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${WORDS[s].toLowerCase()}${count(s) === 1 ? "" : "s"}`);
  return parts.length > 0 ? parts.join(", ") : "Every check passed";
}

function row(check: CheckResult): HTMLElement {
  const item = el("li", `check status-${check.status}`);
  item.dataset.check = check.id;
  item.dataset.status = check.status;
  const title = el("h2");
  title.append(el("span", "badge", `${ICONS[check.status]} ${WORDS[check.status]}`), el("span", "name", check.title));
  item.append(title);
  const seen = el("ul", "seen");
  for (const line of check.seen) seen.append(el("li", undefined, line));
  item.append(seen);
  if (check.quotes?.length) {
    const quote = el("pre", "quotes");
    quote.textContent = check.quotes.join("\n");
    item.append(quote);
  }
  if (check.todo) item.append(el("p", "todo", check.todo));
  if (check.fix) {
    const button = el("button", undefined, check.fix.label);
    button.dataset.fix = check.fix.kind;
    button.addEventListener("click", () => vscode.postMessage({ type: "fix", check: check.id }));
    item.append(button);
  }
  return item;
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isCheckHostToWebview(message)) return;
  if (message.type === "busy") {
    root.setAttribute("aria-busy", "true");
    root.replaceChildren(el("p", "busy", message.text));
    return;
  }
  root.removeAttribute("aria-busy");
  draw(message.view);
});
vscode.postMessage({ type: "ready" });
