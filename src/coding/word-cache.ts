/**
 * A cache keyed by a word of a text, looked up without building the word's
 * string: the characters are hashed in place (FNV-1a) and compared with the
 * stored key. A candidate word is then one hash and one probe, where a `Map`
 * would need a new string and its hash for every occurrence.
 *
 * Laid out for the memory caches: a probe reads one slot of the table (the
 * hash and the entry side by side, in a table sized to the entries, not to
 * the capacity), then the key's characters, stored one after the other in
 * one array of code units; no string is touched.
 */

const EMPTY = 0;
const FIRST_SLOTS = 1 << 10;

export class WordCache<V> {
  /** Slot `i`: `[2i]` the hash, `[2i + 1]` the entry's number + 1 (0: empty). */
  private table = new Int32Array(2 * FIRST_SLOTS);
  /** The keys' code units, one after the other; entry `e`'s start and length. */
  private units = new Uint16Array(1 << 12);
  private used = 0;
  private starts = new Int32Array(FIRST_SLOTS);
  private lengths = new Int32Array(FIRST_SLOTS);
  private values: V[] = [];

  /**
   * @param capacity
   *   Entries kept before the cache starts again empty (memory stays bounded).
   */
  constructor(private readonly capacity = 1 << 17) {}

  /** The value stored for `text[start, end)`, or undefined. */
  get(text: string, start: number, end: number): V | undefined {
    const h = hash(text, start, end);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    const n = end - start;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = table[2 * i + 1] as number;
      if (e === EMPTY) return undefined;
      if (table[2 * i] === h && this.lengths[e - 1] === n && this.same(e - 1, text, start, n)) return this.values[e - 1];
    }
  }

  /** Stores a value for `text[start, end)` (which must not be stored yet). */
  set(text: string, start: number, end: number, value: V): void {
    if (this.values.length >= this.capacity) this.clear();
    const entry = this.values.length;
    if (2 * (entry + 1) > this.table.length >> 1) this.grow();
    const n = end - start;
    if (this.used + n > this.units.length) {
      const units = new Uint16Array(Math.max(2 * this.units.length, this.used + n));
      units.set(this.units.subarray(0, this.used));
      this.units = units;
    }
    if (entry >= this.starts.length) {
      const starts = new Int32Array(2 * this.starts.length);
      starts.set(this.starts);
      this.starts = starts;
      const lengths = new Int32Array(2 * this.lengths.length);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    const units = this.units;
    for (let k = 0; k < n; k++) units[this.used + k] = text.charCodeAt(start + k);
    this.starts[entry] = this.used;
    this.lengths[entry] = n;
    this.used += n;
    this.values.push(value);
    this.place(hash(text, start, end), entry + 1);
  }

  clear(): void {
    this.table = new Int32Array(2 * FIRST_SLOTS);
    this.units = new Uint16Array(1 << 12);
    this.used = 0;
    this.starts = new Int32Array(FIRST_SLOTS);
    this.lengths = new Int32Array(FIRST_SLOTS);
    this.values = [];
  }

  private same(e: number, text: string, start: number, n: number): boolean {
    const units = this.units;
    const from = this.starts[e] as number;
    for (let k = 0; k < n; k++) if (units[from + k] !== text.charCodeAt(start + k)) return false;
    return true;
  }

  private place(h: number, slotValue: number): void {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let i = h & mask;
    while (table[2 * i + 1] !== EMPTY) i = (i + 1) & mask;
    table[2 * i] = h;
    table[2 * i + 1] = slotValue;
  }

  /** Twice the slots (kept at most half full), every entry placed again by its stored hash. */
  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(2 * old.length);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== EMPTY) this.place(old[i] as number, old[i + 1] as number);
  }
}

function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
