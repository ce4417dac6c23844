// Rows live in the extension host; the grid fetches them in blocks around what is on screen.
import type { HostChannel } from "./channel";

const BLOCK = 200;

export class RowCache {
  private blocks = new Map<number, string[][]>();
  private pending = new Map<number, number>();
  private nextRequestId = 1;

  constructor(private readonly channel: HostChannel, private readonly onArrive: () => void) {}

  /** Forgets everything (the view changed: new sort, filter or rows). */
  clear(): void {
    this.blocks.clear();
    this.pending.clear();
  }

  /** Drops blocks that may still grow (the tail while rows stream in). */
  invalidateFrom(row: number): void {
    const first = Math.floor(row / BLOCK);
    for (const block of [...this.blocks.keys()]) if (block >= first) this.blocks.delete(block);
  }

  get(row: number): string[] | undefined {
    return this.blocks.get(Math.floor(row / BLOCK))?.[row % BLOCK];
  }

  seed(start: number, rows: string[][]): void {
    for (let i = 0; i < rows.length; i += BLOCK) {
      if ((start + i) % BLOCK === 0) this.blocks.set((start + i) / BLOCK, rows.slice(i, i + BLOCK));
    }
  }

  ensure(first: number, last: number): void {
    for (let block = Math.floor(first / BLOCK); block <= Math.floor(last / BLOCK); block++) {
      if (this.blocks.has(block) || this.pending.has(block)) continue;
      const requestId = this.nextRequestId++;
      this.pending.set(block, requestId);
      this.channel.post({ type: "getRows", requestId, start: block * BLOCK, count: BLOCK });
    }
  }

  receive(requestId: number, start: number, rows: string[][]): void {
    const block = Math.floor(start / BLOCK);
    if (this.pending.get(block) !== requestId) return;
    this.pending.delete(block);
    this.blocks.set(block, rows);
    this.onArrive();
  }
}
