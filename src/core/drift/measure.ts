// The measuring half of a drift compare, apart from the reading half that gathers the values: each window's
// numbers sorted in place, each day of the production window measured against the reference as it comes
// (its timeline point) and folded in, then every feature's drift. The engine runs it on a thread of its own
// (measureWorker.ts), so sorting and metrics use the second core while the reading goes on.
import type { ColumnWindow } from "./compare";
import { knownSorted } from "./compare";
import { FoldedColumn } from "./foldedWindow";
import { absentColumn } from "./gather";
import { buildResult, timelinePoints, type CompareOptions, type CompareResult, type GatheredWindow, type WindowSummary } from "./report";
import { sortNumbersInPlace } from "../table/sortKeys";

export type GatheredColumn = ColumnWindow & { overflowTexts: number };

/** A gathered window as it is handed over: its feature columns' values by column index. */
export interface WindowParcel {
  summary: WindowSummary;
  /** Rows gathered: a column without a window was absent from every one of them. */
  rows: number;
  columns: string[];
  notices: string[];
  windows: Array<[number, GatheredColumn]>;
}

/** One complete day (or hour) of the production window. */
export interface DayParcel {
  bucket: string;
  rows: number;
  columns: string[];
  windows: Array<[number, GatheredColumn]>;
}

/** What the production window says at its end when its days came one by one (their values are folded in already). */
export type ProductionEnd = Omit<WindowParcel, "windows" | "rows">;

export class CompareMeasure {
  private reference: GatheredWindow | undefined;
  private readonly folded = new Map<number, FoldedColumn>();
  private rowsFolded = 0;
  private readonly points: Array<{ bucket: string; rows: number; values: ReadonlyMap<string, number> }> = [];

  /** `turn` yields between columns (on the reading thread, the reading goes on meanwhile). */
  constructor(private readonly options: CompareOptions, private readonly turn: () => Promise<void> = () => Promise.resolve()) {}

  async setReference(parcel: WindowParcel): Promise<void> {
    await this.sortInPlace(parcel.windows);
    this.reference = gatheredWindow(parcel);
  }

  /** A day of the production window: sorted, its timeline point measured against the reference, folded in. */
  async addDay(day: DayParcel): Promise<void> {
    const reference = this.referenceWindow();
    await this.sortInPlace(day.windows);
    const byIndex = new Map(day.windows);
    const column = (j: number) => byIndex.get(j) ?? absentColumn(day.rows);
    const values = await timelinePoints(reference, day.columns, column, this.options, this.turn);
    for (const index of new Set([...this.folded.keys(), ...byIndex.keys()])) {
      let folded = this.folded.get(index);
      if (!folded) {
        folded = new FoldedColumn(this.rowsFolded);
        this.folded.set(index, folded);
      }
      folded.add(column(index));
    }
    this.rowsFolded += day.rows;
    this.points.push({ bucket: day.bucket, rows: day.rows, values });
  }

  /** Every feature's drift: the production window as one parcel, or (after its days) what it says at its end. */
  async result(production: WindowParcel | ProductionEnd): Promise<CompareResult> {
    const reference = this.referenceWindow();
    if ("windows" in production) {
      await this.sortInPlace(production.windows);
      return buildResult(reference, gatheredWindow(production), this.options);
    }
    // buildResult asks each column once: merged here, not kept.
    const folded = (index: number) => this.folded.get(index)?.window() ?? absentColumn(this.rowsFolded);
    const buckets = [...this.points].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
    return buildResult(reference, { ...production, buckets, column: folded }, this.options);
  }

  private referenceWindow(): GatheredWindow {
    if (!this.reference) throw new Error("the production window was measured before the reference");
    return this.reference;
  }

  /** A window is a multiset (order means nothing to its metrics): sorted where it is, no second copy held. */
  private async sortInPlace(windows: Array<[number, GatheredColumn]>): Promise<void> {
    for (const [, window] of windows) {
      if (window.sketch) continue;
      await this.turn();
      sortNumbersInPlace(window.numbers);
      knownSorted(window.numbers, window.numbers);
    }
  }
}

function gatheredWindow(parcel: WindowParcel): GatheredWindow {
  const byIndex = new Map(parcel.windows);
  return { summary: parcel.summary, columns: parcel.columns, notices: parcel.notices, column: (i) => byIndex.get(i) ?? absentColumn(parcel.rows) };
}
