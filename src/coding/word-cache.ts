/**
 * A cache keyed by a word of a text, looked up without building the word's
 * string: the characters are hashed in place (FNV-1a) and compared with the
 * stored key. A candidate word is then one hash and one probe, where a `Map`
 * would need a new string and its hash for every occurrence.
 */

import { detach } from '../core/location.js';

const EMPTY = 0;

export class WordCache<V> {
  private slots: Int32Array;
  private hashes: Int32Array;
  private keys: string[] = [];
  private values: V[] = [];

  /**
   * @param capacity
   *   Entries kept before the cache starts again empty (memory stays bounded).
   */
  constructor(private readonly capacity = 1 << 17) {
    this.slots = new Int32Array(capacity * 2);
    this.hashes = new Int32Array(capacity);
  }

  /** The value stored for `text[start, end)`, or undefined. */
  get(text: string, start: number, end: number): V | undefined {
    const h = hash(text, start, end);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.slots[i] as number;
      if (e === EMPTY) return undefined;
      if (this.hashes[e - 1] === h && same(this.keys[e - 1] as string, text, start, end)) return this.values[e - 1];
    }
  }

  /** Stores a value for `text[start, end)` (which must not be stored yet). */
  set(text: string, start: number, end: number, value: V): void {
    if (this.keys.length >= this.capacity) this.clear();
    const h = hash(text, start, end);
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
    this.keys.push(detach(text.slice(start, end)));
    this.values.push(value);
    this.hashes[this.keys.length - 1] = h;
    this.slots[i] = this.keys.length;
  }

  clear(): void {
    this.slots.fill(EMPTY);
    this.keys = [];
    this.values = [];
  }
}

function hash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function same(key: string, text: string, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
