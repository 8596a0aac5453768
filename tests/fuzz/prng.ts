/**
 * A small seeded pseudo-random generator for the mutation fuzz: the same seed
 * gives the same cases on every machine and Node version (Math.random cannot
 * be seeded).
 */

/** A seeded source of random choices. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n) (0 when n ≤ 0). */
  int(n: number): number;
  /** An integer in [min, max], both included. */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element, chosen with the given weights (`[weight, item]` pairs). */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  /** A size between 1 and max, small sizes much more often (log-uniform). */
  size(max: number): number;
}

/** mulberry32: 32 bits of state, good enough spread for choosing mutations. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => (n <= 0 ? 0 : Math.floor(next() * n));
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)] as (typeof items)[number],
    weighted: (items) => {
      const total = items.reduce((sum, [w]) => sum + w, 0);
      let r = next() * total;
      for (const [w, item] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return (items[items.length - 1] as (typeof items)[number])[1];
    },
    size: (max) => Math.max(1, Math.min(max, Math.floor(Math.exp(next() * Math.log(max + 1))))),
  };
}

/** The seed of case `index` of a run seeded with `seed`: each case can be replayed alone. */
export function caseSeed(seed: number, index: number): number {
  // splitmix32-style mixing of the pair, so that neighbouring cases do not share streams.
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
