// Distinct values of a column, by number: open addressing over typed arrays. A Set or Map keyed by doubles
// boxes every key it is handed; at tens of millions of cells that allocation was most of the scan's time.

const scratch = new Float64Array(1);
const halves = new Int32Array(scratch.buffer);

export class DistinctTable {
  // Small at first: a wide file has thousands of columns, most with few distinct values.
  private keys = new Float64Array(16);
  private used = new Uint8Array(16);
  private counts = new Int32Array(16);
  private texts: Array<string | undefined> = [];
  size = 0;
  /** The last key counted: runs of one value (constant and low-cardinality columns) skip the hashing. */
  private lastKey = NaN;
  private lastSlot = -1;

  /** Counts one occurrence of `key` (0 and -0 are one key). Returns the new entry's slot, or -1 if known. */
  add(key: number): number {
    const k = key === 0 ? 0 : key;
    if (k === this.lastKey) {
      this.counts[this.lastSlot] += 1;
      return -1;
    }
    let mask = this.keys.length - 1;
    let slot = hash(k) & mask;
    while (this.used[slot]) {
      if (this.keys[slot] === k) {
        this.counts[slot] += 1;
        this.lastKey = k;
        this.lastSlot = slot;
        return -1;
      }
      slot = (slot + 1) & mask;
    }
    if ((this.size + 1) * 2 > this.keys.length) {
      this.grow();
      mask = this.keys.length - 1;
      slot = hash(k) & mask;
      while (this.used[slot]) slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = k;
    this.counts[slot] = 1;
    this.size += 1;
    this.lastKey = k;
    this.lastSlot = slot;
    return slot;
  }

  /** Counts the key added last once more (false when there is none: the caller adds it). */
  repeatLast(): boolean {
    if (this.lastKey !== this.lastKey) return false;
    this.counts[this.lastSlot] += 1;
    return true;
  }

  /** The text shown for a new entry (made only once per distinct value). */
  setText(slot: number, text: string): void {
    this.texts[slot] = text;
  }

  /** The most frequent entries that carry a text, most frequent first. */
  top(limit: number): Array<{ text: string; count: number }> {
    const entries: Array<{ text: string; count: number }> = [];
    for (let slot = 0; slot < this.keys.length; slot++) {
      const text = this.texts[slot];
      if (this.used[slot] && text !== undefined) entries.push({ text, count: this.counts[slot] });
    }
    return entries.sort((a, b) => b.count - a.count).slice(0, limit);
  }

  private grow(): void {
    const { keys, used, counts, texts } = this;
    const capacity = keys.length * 2;
    this.keys = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    this.counts = new Int32Array(capacity);
    this.texts = [];
    this.lastKey = NaN;
    const mask = capacity - 1;
    for (let old = 0; old < keys.length; old++) {
      if (!used[old]) continue;
      let slot = hash(keys[old]) & mask;
      while (this.used[slot]) slot = (slot + 1) & mask;
      this.used[slot] = 1;
      this.keys[slot] = keys[old];
      this.counts[slot] = counts[old];
      if (texts[old] !== undefined) this.texts[slot] = texts[old];
    }
  }
}

/**
 * Distinct numbers, only how many (a numeric column shows no top values): keys alone, NaN marking an empty
 * slot (a number counted is never NaN), so a column's table is a third of a DistinctTable's memory.
 */
export class NumberSet {
  private keys = new Float64Array(16).fill(NaN);
  size = 0;
  /** The last key added: runs of one value skip the hashing. */
  private last = NaN;

  /** Adds `key` (0 and -0 are one key; never NaN). */
  add(key: number): void {
    const k = key === 0 ? 0 : key;
    if (k === this.last) return;
    this.last = k;
    let keys = this.keys;
    let mask = keys.length - 1;
    let slot = hash(k) & mask;
    for (let at = keys[slot]; at === at; at = keys[slot]) {
      if (at === k) return;
      slot = (slot + 1) & mask;
    }
    if ((this.size + 1) * 2 > keys.length) {
      keys = this.grow();
      mask = keys.length - 1;
      slot = hash(k) & mask;
      while (keys[slot] === keys[slot]) slot = (slot + 1) & mask;
    }
    keys[slot] = k;
    this.size += 1;
  }

  private grow(): Float64Array<ArrayBuffer> {
    const old = this.keys;
    const keys = new Float64Array(old.length * 2).fill(NaN);
    const mask = keys.length - 1;
    for (const k of old) {
      if (k !== k) continue;
      let slot = hash(k) & mask;
      while (keys[slot] === keys[slot]) slot = (slot + 1) & mask;
      keys[slot] = k;
    }
    return (this.keys = keys);
  }
}

function hash(key: number): number {
  scratch[0] = key;
  const h = Math.imul(halves[0] ^ Math.imul(halves[1], 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
