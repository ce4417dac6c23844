// The production window made of its days: each day's sorted values folded in as the day completes, held
// exactly up to EXACT_VALUES a feature, then one sketch that every later day is added to.
import type { ColumnWindow } from "./compare";
import { knownSorted, mergeSorted, sorted } from "./compare";
import { EXACT_VALUES, NumberSketch } from "./sketch";

/** The values of a window made of days, folded in day by day: the sorted days held exactly up to EXACT_VALUES, then one sketch. */
export class FoldedColumn {
  rows = 0;
  nulls = 0;
  fractional = 0;
  overflowTexts = 0;
  readonly texts = new Map<string, number>();
  private parts: Float64Array[] = [];
  private held = 0;
  private sketch: NumberSketch | undefined;

  constructor(rowsBefore: number) {
    // Days folded before the column first appeared had no cell for it.
    this.rows = rowsBefore;
    this.nulls = rowsBefore;
  }

  add(day: ColumnWindow & { overflowTexts: number }): void {
    this.rows += day.rows;
    this.nulls += day.nulls;
    this.fractional += day.fractional;
    this.overflowTexts += day.overflowTexts;
    for (const [text, count] of day.texts) this.texts.set(text, (this.texts.get(text) ?? 0) + count);
    const incoming = day.numbers.length + (day.sketch?.total ?? 0);
    if (!this.sketch && this.held + incoming > EXACT_VALUES) {
      // Past what a window holds exactly: the days so far go into one sketch, and every day after them.
      this.sketch = NumberSketch.of(mergeSorted(this.parts));
      this.parts = [];
      this.held = 0;
    }
    if (this.sketch) {
      if (day.sketch) this.sketch.merge(day.sketch);
      for (let i = 0; i < day.numbers.length; i++) this.sketch.add(day.numbers[i]);
      return;
    }
    // The day's sorted values; copied when their array has much room left (it grew past the expected size).
    const daySorted = sorted(day.numbers);
    const values = daySorted.buffer.byteLength <= daySorted.byteLength * 1.25 ? daySorted : daySorted.slice();
    knownSorted(values, values);
    this.parts.push(values);
    this.held += values.length;
  }

  window(): ColumnWindow & { overflowTexts: number } {
    const numbers = this.sketch ? new Float64Array(0) : mergeSorted(this.parts);
    knownSorted(numbers, numbers);
    return { rows: this.rows, nulls: this.nulls, numbers, fractional: this.fractional, texts: this.texts, overflowTexts: this.overflowTexts, sketch: this.sketch };
  }
}
