// What a query reads, from the node it starts on: every collection of the model (so inputs and outputs can
// be joined), over a date, a collection's date range, or a service's live model's range; files that are not
// the collector's are left out and named.
import type { ModelDataNode } from "../tree/nodes";
import type { ModelDataTreeProvider } from "../tree/provider";
import { identifiersOf, modelAbove, modelFor, type IdentifierNode, type ModelNode } from "../commands/modelCollections";
import { datesOf } from "../commands/compare";
import type { BlobInfo } from "../core/gateways";
import type { DataLocation } from "../tree/nodes";
import { targetPrefix } from "../commands/preview";
import { viewNames } from "../core/sql/windowViews";

export interface WindowBlob {
  blob: BlobInfo;
  where: DataLocation;
  /** The blob's name below its collection (what the source column shows). */
  source: string;
  date: string;
  hour?: string;
}

export interface QueryCollection {
  name: string;
  view: string;
  blobs: WindowBlob[];
  /** Other files in the window's day folders, by name (not the collector's). */
  others: string[];
}

export interface QueryWindow {
  /** The node it started on (found again by id after a reload). */
  nodeId: string;
  title: string;
  layout: "legacy" | "current";
  from: string;
  to: string;
  collections: QueryCollection[];
  /** The collection the first query reads. */
  first: string;
  /** Started on an hour: the first query reads that hour (the views hold its whole day). */
  hour?: number;
}

export type RangeAsker = (dates: string[]) => Promise<{ from?: string; to?: string } | undefined>;

/** The window for `node`; undefined when the user stepped back from a question or there is nothing to read. */
export async function queryWindow(tree: ModelDataTreeProvider, node: ModelDataNode, range: { from?: string; to?: string }, ask: {
  range: RangeAsker; model?: (models: ModelNode[]) => Promise<ModelNode | undefined>;
}): Promise<QueryWindow | { nothing: string } | undefined> {
  const start = node.kind === "hour" || node.kind === "file" ? dateAbove(tree, node) ?? node : node;
  const model = start.kind === "service" ? await modelFor(tree, start, ask.model) : modelAbove(tree, start);
  if (!model) return { nothing: "Query Data works on a service, a model, a collection or a date in the Azure ML Data view." };
  const identifiers = await identifiersOf(tree, model);
  const datesBy = new Map<IdentifierNode, Awaited<ReturnType<typeof datesOf>>>();
  for (const identifier of identifiers) datesBy.set(identifier, await datesOf(tree, identifier));
  let from = range.from;
  let to = range.to;
  let first = identifiers[0]?.name;
  if (start.kind === "date") {
    from = to = start.group.date;
    const parent = tree.getParent(start);
    if (parent?.kind === "identifier") first = parent.name;
  } else if (!from && !to) {
    const own = start.kind === "identifier" ? datesBy.get(start) ?? [] : [...datesBy.values()].flat();
    const dates = [...new Set(own.map((d) => d.group.date))].sort().reverse();
    const picked = await ask.range(dates);
    if (!picked) return undefined;
    ({ from, to } = picked);
  }
  if (start.kind === "identifier") first = start.name;
  const collections = collectionsIn(model, identifiers, datesBy, from, to);
  if (collections.length === 0) return { nothing: "No collected data in that date range." };
  const dates = collections.flatMap((c) => c.blobs.map((b) => b.date)).sort();
  const window = { from: dates[0], to: dates[dates.length - 1] };
  return {
    nodeId: start.id, layout: model.service.layout, from: window.from, to: window.to, collections,
    first: collections.some((c) => c.name === first) ? (first as string) : collections[0].name,
    title: `${targetPrefix(tree, model)} · ${window.from === window.to ? window.from : `${window.from} → ${window.to}`}`,
    hour: node.kind === "hour" && /^\d{1,2}$/.test(node.hour) ? Number(node.hour) : undefined,
  };
}

type DateNode = Awaited<ReturnType<typeof datesOf>>[number];

/** The collections' blobs in [from, to] (either open), by date then name (legacy day folders are not zero-padded); collections with none are left out. */
export function collectionsIn(model: ModelNode, identifiers: readonly IdentifierNode[], datesBy: ReadonlyMap<IdentifierNode, readonly DateNode[]>, from?: string, to?: string): QueryCollection[] {
  const names = viewNames(identifiers.map((i) => i.name));
  return identifiers.map((identifier) => {
    const dates = (datesBy.get(identifier) ?? []).filter((d) => (!from || d.group.date >= from) && (!to || d.group.date <= to));
    const blobs = dates.flatMap((d) => d.blobs.map((blob) => ({ blob, where: identifier.where, source: blob.name.startsWith(identifier.prefix) ? blob.name.slice(identifier.prefix.length) : blob.name,
      date: d.group.date, hour: model.service.layout === "current" ? hourOf(blob.name) : undefined })));
    return { name: identifier.name, view: names.get(identifier.name) as string, blobs: blobs.sort((a, b) => (a.date === b.date ? a.source.localeCompare(b.source) : a.date < b.date ? -1 : 1)), others: dates.flatMap((d) => d.group.others) };
  }).filter((c) => c.blobs.length > 0);
}

function dateAbove(tree: ModelDataTreeProvider, node: ModelDataNode): ModelDataNode | undefined {
  for (let n: ModelDataNode | undefined = node; n; n = tree.getParent(n)) if (n.kind === "date") return n;
  return undefined;
}

/** The hour folder of a current-layout blob (…/yyyy/MM/dd/HH/file.jsonl). */
function hourOf(name: string): string | undefined {
  const parts = name.split("/");
  const hour = parts[parts.length - 2];
  return hour && /^\d{1,2}$/.test(hour) ? hour.padStart(2, "0") : undefined;
}
