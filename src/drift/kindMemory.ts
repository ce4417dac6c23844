// A feature's type, remembered per collection: the first report of a collection decides it (Azure ML's rule
// on that report's reference) or the user does (the detail's Type), and later reports of any window length
// reuse it, so a column does not flip between categorical and numerical from one report to the next.
import type * as vscode from "vscode";
import type { FeatureKind, FeatureOptions } from "../core/drift/compare";

const KEY = "modelData.drift.featureKinds";
/** Collections remembered at most (the oldest are forgotten first). */
const LIMIT = 500;

export const REMEMBERED = "as in this collection's earlier reports (remembered); choose another type in the feature's detail to change it";

type Store = Record<string, Record<string, FeatureKind>>;

export class KindMemory {
  constructor(private readonly state: vscode.Memento) {}

  /** The remembered types of a collection's features, as compare options. */
  options(collection: string): Record<string, FeatureOptions> {
    const kinds = this.state.get<Store>(KEY, {})[collection] ?? {};
    return Object.fromEntries(Object.entries(kinds).map(([feature, kind]) => [feature, { kind, kindReason: REMEMBERED }]));
  }

  /** Keeps the types a report used: new features' as judged, and those the user chose (they replace the old). */
  async remember(collection: string, features: Array<{ name: string; kind: FeatureKind }>, chosen: ReadonlySet<string>): Promise<void> {
    const store = { ...this.state.get<Store>(KEY, {}) };
    const kinds = { ...(store[collection] ?? {}) };
    for (const f of features) if (!(f.name in kinds) || chosen.has(f.name)) kinds[f.name] = f.kind;
    delete store[collection];
    store[collection] = kinds;
    const names = Object.keys(store);
    for (const old of names.slice(0, Math.max(0, names.length - LIMIT))) delete store[old];
    await this.state.update(KEY, store);
  }
}
