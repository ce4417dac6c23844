// One column's distinct cells, numbered in order of first sight. A text sort ranks the distinct values
// only, so a quote-free row's cell is looked up by its bytes (hashed, then compared): half a million rows
// make no string each, only one per distinct value.
import { HASH_MULTIPLIER_1, HASH_SEED_1, utf8Text } from "./bytes";

export class CellIds {
  /** The text of each id. */
  readonly values: string[] = [];
  private ofText = new Map<string, number>();
  // Open addressing over the bytes' hash; a slot holds id + 1 (0 is empty).
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  // Each byte-made id's bytes, back to back (-1 start for an id made from text).
  private arena = new Uint8Array(64 << 10);
  private arenaUsed = 0;
  private starts: number[] = [];
  private byteIds = 0;

  get size(): number {
    return this.values.length;
  }

  idOfText(text: string): number {
    let id = this.ofText.get(text);
    if (id === undefined) {
      id = this.add(text, -1);
      this.ofText.set(text, id);
    }
    return id;
  }

  /** The id of the cell bytes[start, end). Equal bytes are one id; the text decides equality for the rest (see ranks). */
  idOfBytes(bytes: Uint8Array, start: number, end: number): number {
    let h = HASH_SEED_1;
    let high = 0;
    for (let p = start; p < end; p++) {
      const c = bytes[p];
      high |= c;
      h = Math.imul(h ^ c, HASH_MULTIPLIER_1);
    }
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (let held = this.slots[slot]; held !== 0; held = this.slots[slot]) {
      const id = held - 1;
      if (this.hashes[slot] === h && this.sameBytes(id, bytes, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const text = high < 128 ? latin1(bytes, start, end) : utf8Text(bytes, start, end);
    const id = this.add(text, this.keep(bytes, start, end));
    this.slots[slot] = id + 1;
    this.hashes[slot] = h;
    this.byteIds += 1;
    if (this.byteIds * 2 > this.slots.length) this.grow();
    return id;
  }

  private add(text: string, start: number): number {
    this.values.push(text);
    this.starts.push(start);
    return this.values.length - 1;
  }

  private keep(bytes: Uint8Array, start: number, end: number): number {
    // Length first (4 bytes), then the bytes.
    const need = this.arenaUsed + 4 + end - start;
    if (need > this.arena.length) {
      const larger = new Uint8Array(Math.max(need, this.arena.length * 2));
      larger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = larger;
    }
    const at = this.arenaUsed;
    new DataView(this.arena.buffer).setUint32(at, end - start, true);
    this.arena.set(bytes.subarray(start, end), at + 4);
    this.arenaUsed = need;
    return at;
  }

  private sameBytes(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const at = this.starts[id];
    const arena = this.arena;
    const length = arena[at] | (arena[at + 1] << 8) | (arena[at + 2] << 16) | (arena[at + 3] << 24);
    if (length !== end - start) return false;
    for (let i = 0; i < length; i++) if (arena[at + 4 + i] !== bytes[start + i]) return false;
    return true;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let old = 0; old < slots.length; old++) {
      if (slots[old] === 0) continue;
      let slot = hashes[old] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = slots[old];
      this.hashes[slot] = hashes[old];
    }
  }
}

/** Ranks of the distinct values: equal under the collator means equal rank. */
export function rankValues(values: readonly string[], collator: Intl.Collator): { ofId: Uint32Array; distinct: number } {
  const order = Array.from(values.keys()).sort((a, b) => collator.compare(values[a], values[b]));
  const ofId = new Uint32Array(values.length);
  let rank = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && collator.compare(values[order[k - 1]], values[order[k]]) !== 0) rank += 1;
    ofId[order[k]] = rank;
  }
  return { ofId, distinct: rank + 1 };
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}
