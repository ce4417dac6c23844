// What went wrong with a collection toggle, said so the user knows what to do. Nothing was changed in any
// of these cases: the deployment is only ever PUT once, and a refused PUT changes nothing.
import { redactSecrets } from "./errors";

export function describeToggleError(error: unknown, label: string): string {
  const e = (error ?? {}) as { statusCode?: number; code?: string; message?: string };
  const detail = redactSecrets((e.message ?? String(error)).split("\n")[0]);
  if (e.code === "LegacyApiGone") return detail;
  if (e.statusCode === 409) return `Another operation is running on ${label}. Nothing was changed; try again when it finishes. (${detail})`;
  if (e.statusCode === 403) {
    return `You are not allowed to update ${label}: it needs Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/write (for example the AzureML Data Scientist role). Nothing was changed.`;
  }
  if (e.statusCode === 429 || (e.statusCode !== undefined && e.statusCode >= 500)) {
    return `Azure kept answering ${e.statusCode} after retries (${detail}). Nothing was changed; try again later.`;
  }
  if (e.code === "OperationFailed" || (e.statusCode === 200 && e.code)) return `The update of ${label} failed: ${detail}`;
  return `Could not change data collection on ${label}: ${detail}`;
}
