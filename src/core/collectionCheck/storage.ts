// Check 5: what reached storage. Per collection that is on: the newest file and its age against the
// deployment's last update, files that are not the collector's, and values a monitor cannot parse.
import { result, type CheckResult } from "./checkResult";

export interface CollectionStorage {
  collection: string;
  /** The folder that was listed (for the evidence). */
  folder: string;
  newest?: { name: string; lastModified: Date; size: number };
  /** Files in the newest folder that the collector does not write. */
  foreign: string[];
  /** Columns of the newest file whose numbers are written as text, and whose values mix types. */
  numbersAsText?: string[];
  mixedTypes?: string[];
}

const HOUR = 3600_000;

export function judgeStorage(collections: CollectionStorage[], deploymentUpdatedAt: Date | undefined, now: Date): CheckResult {
  if (collections.length === 0) return result("storage", "unknown", ["No collection is on, so there is no folder to look at."]);
  const seen: string[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const c of collections) {
    if (!c.newest) {
      seen.push(`${c.collection}: no file under ${c.folder}.`);
      const recent = deploymentUpdatedAt && now.getTime() - deploymentUpdatedAt.getTime() < HOUR;
      (recent ? warnings : problems).push(recent
        ? `${c.collection} has no file yet; the deployment was updated ${age(now.getTime() - deploymentUpdatedAt.getTime())} ago and files appear a few minutes after the first requests.`
        : `${c.collection} has no data at all${deploymentUpdatedAt ? ` since the deployment was updated ${age(now.getTime() - deploymentUpdatedAt.getTime())} ago` : ""}.`);
      continue;
    }
    const ageMs = now.getTime() - c.newest.lastModified.getTime();
    seen.push(`${c.collection}: newest file ${c.newest.name} (${c.newest.size.toLocaleString("en-US")} bytes), written ${age(ageMs)} ago.`);
    if (deploymentUpdatedAt && c.newest.lastModified < deploymentUpdatedAt && now.getTime() - deploymentUpdatedAt.getTime() > HOUR) {
      problems.push(`${c.collection}: nothing since the deployment was updated ${age(now.getTime() - deploymentUpdatedAt.getTime())} ago; the collector stopped writing with that update.`);
    } else if (ageMs > 24 * HOUR) {
      problems.push(`${c.collection}: data stopped ${age(ageMs)} ago (or no request has come since).`);
    }
    if (c.foreign.length > 0) warnings.push(`${c.collection}: ${c.foreign.length} file(s) the collector does not write (${c.foreign.slice(0, 3).join(", ")}); previews and monitors skip or trip on them.`);
    if (c.numbersAsText?.length) warnings.push(`${c.collection}: numbers written as text in ${c.numbersAsText.join(", ")}; a monitor's drift treats them as categories. Collect numeric columns as numbers (astype(float)).`);
    if (c.mixedTypes?.length) warnings.push(`${c.collection}: values of mixed types in ${c.mixedTypes.join(", ")}; a monitor's parser fails on such columns.`);
  }
  if (problems.length > 0) return result("storage", "problem", [...seen, ...problems, ...warnings], "Follow the earlier checks: data stops when collection is off, the code does not collect, or no request arrives.", { kind: "previewNewest", label: "Preview Newest Data" });
  if (warnings.length > 0) return result("storage", "warning", [...seen, ...warnings], "Look at the newest data.", { kind: "previewNewest", label: "Preview Newest Data" });
  return result("storage", "ok", seen, undefined, { kind: "previewNewest", label: "Preview Newest Data" });
}

/** A duration in the largest unit that fits: "3 days", "5 hours", "12 minutes". */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}
