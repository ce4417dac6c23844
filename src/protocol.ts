// The one typed message protocol between the extension host and the preview webview.

export type WebviewToHost = { type: "ready" };

export type HostToWebview = { type: "status"; text: string };

/** Validates a message received from the webview; anything else is dropped by the host. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "ready";
}
