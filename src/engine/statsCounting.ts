// Applies batches of rows and steps (statsProtocol.ts) to one StatsAccumulator, in the order given: on the
// statistics thread, and on the engine thread for a preview too small to start one.
import type { ByteRowLayout } from "../core/table/rowStore";
import { StatsAccumulator } from "../core/table/stats";
import type { StatsStep } from "./statsProtocol";

export class BatchCounter {
  readonly stats = new StatsAccumulator([]);
  private readonly names: string[] = [];
  /** Layouts by id: one object each, its mapping updated in place (the accumulator caches by layout). */
  private readonly layouts = new Map<number, { mapping: number[]; source?: { column: number; label: string } }>();
  private layout: ByteRowLayout = { mapping: [] };

  /** `bounds` holds each byte row's start and end in `bytes`. */
  count(steps: readonly StatsStep[], bytes: Uint8Array, bounds: Int32Array): void {
    let row = 0;
    for (const step of steps) {
      switch (step.step) {
        case "columns":
          for (const name of step.added) this.names.push(name);
          this.stats.setColumns(this.names);
          break;
        case "layout": {
          let known = this.layouts.get(step.id);
          if (known) known.mapping.splice(0, known.mapping.length, ...step.mapping);
          else this.layouts.set(step.id, (known = { mapping: [...step.mapping], source: step.source }));
          this.layout = known;
          break;
        }
        case "bytes":
          for (const last = row + step.rows; row < last; row++) this.stats.addByteRow(bytes, bounds[2 * row], bounds[2 * row + 1], this.layout);
          break;
        case "text":
          for (const cells of step.rows) this.stats.add(cells);
          break;
        case "overflow":
          this.stats.addOverflowCell(step.column, step.text);
          break;
      }
    }
  }
}
