/**
 * Code co-occurrence: how often two codes are carried by the same segment and
 * by the same respondent, with the c-coefficient (Jaccard index)
 * c = n12 / (n1 + n2 − n12), between 0 (never together) and 1 (always
 * together), as in ATLAS.ti.
 */
import { codeLabel, eachUnit, lineage, selectCodes, type Dataset } from './dataset.js';

/** Options of {@link cooccurrence}. */
export interface CoocOptions {
  /**
   * Exactly these codes (not their descendants), in codebook order; default
   * the leaf codes of the codebook. A parent named here is rolled up from its
   * descendants.
   */
  codes?: readonly string[];
}

/** Co-occurrence counts of a pair at one level. */
export interface CoocCounts {
  /** Units carrying the first code. */
  n1: number;
  /** Units carrying the second code. */
  n2: number;
  /** Units carrying both. */
  n12: number;
  /** n12 / (n1 + n2 − n12); 0 when neither code is carried. */
  c: number;
}

/** Two codes and how often they go together. */
export interface CoocPair {
  /** The code first in codebook order. */
  a: string;
  b: string;
  /** Same segment. */
  segments: CoocCounts;
  /** Same respondent (anywhere in the interview). */
  respondents: CoocCounts;
}

/** A code of the co-occurrence analysis with its frequencies. */
export interface CoocCode {
  code: string;
  label: string;
  segments: number;
  respondents: number;
}

/** The result of {@link cooccurrence}. */
export interface Cooccurrence {
  codes: CoocCode[];
  /**
   * The pairs of distinct codes that occur together at least once, on a
   * segment or on a respondent, in codebook order (a before b); never a code
   * with one of its ancestors (they co-occur by construction). Every other
   * pair has n12 = 0 at both levels: {@link everyPair} lists them all.
   */
  pairs: CoocPair[];
}

/**
 * The c-coefficient n12 / (n1 + n2 − n12).
 *
 * @returns
 *   Between 0 and 1; 0 when the denominator is 0.
 */
export function cCoefficient(n1: number, n2: number, n12: number): number {
  const d = n1 + n2 - n12;
  return d === 0 ? 0 : n12 / d;
}

/** Per code, the number of units carrying it; per pair (key `i * codes + j`, i < j), the units carrying both. */
interface Level {
  single: number[];
  both: Map<number, number>;
}

/**
 * Co-occurrence of codes on the same segment and on the same respondent.
 * Only the pairs that some unit carries together are counted: the cost grows
 * with the codes per unit, and memory with the pairs that occur, never with
 * the square of the codebook (5,000 codes make 12.5 million pairs).
 *
 * @param ds
 *   The dataset.
 * @param options
 *   The codes (default the leaves).
 * @returns
 *   Frequencies of each code and the counts of the pairs that occur together.
 * @throws RangeError
 *   For an unknown code (validate user input with `codesProblem`).
 */
export function cooccurrence(ds: Dataset, options: CoocOptions = {}): Cooccurrence {
  const codes = coocCodes(ds, options);
  const n = codes.length;
  const index = new Map(codes.map((c, i) => [c, i]));
  const count = (unit: 'segments' | 'respondents'): Level => {
    const single = codes.map(() => 0);
    const both = new Map<number, number>();
    for (const u of eachUnit(ds, unit)) {
      const present: number[] = [];
      for (const c of u.codes) {
        const i = index.get(c);
        if (i !== undefined) present.push(i);
      }
      present.sort((x, y) => x - y);
      for (let k = 0; k < present.length; k++) {
        const i = present[k] as number;
        single[i] = (single[i] as number) + 1;
        for (let l = k + 1; l < present.length; l++) {
          const key = i * n + (present[l] as number);
          both.set(key, (both.get(key) ?? 0) + 1);
        }
      }
    }
    return { single, both };
  };
  const seg = count('segments');
  const resp = count('respondents');
  const paired = pairable(ds, codes);
  const keys = new Set([...seg.both.keys(), ...resp.both.keys()]);
  const pairs: CoocPair[] = [];
  for (const key of [...keys].sort((x, y) => x - y)) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    if (!paired(i, j)) continue;
    pairs.push(pairOf(codes, seg, resp, i, j));
  }
  return {
    codes: codes.map((code, i) => ({ code, label: codeLabel(ds, code), segments: seg.single[i] as number, respondents: resp.single[i] as number })),
    pairs,
  };
}

/**
 * Every pair of distinct codes of a result in codebook order (a before b),
 * except a code with one of its ancestors: the pairs that occur together with
 * their counts, the others with n12 = 0. Made one at a time, so that a large
 * codebook's pairs can be written out without being held in memory.
 *
 * @param ds
 *   The dataset the result was computed on (for the codes' ancestors).
 * @param result
 *   What {@link cooccurrence} returned.
 */
export function* everyPair(ds: Dataset, result: Cooccurrence): Generator<CoocPair> {
  const codes = result.codes.map((c) => c.code);
  const paired = pairable(ds, codes);
  const single = (level: 'segments' | 'respondents'): number[] => result.codes.map((c) => c[level]);
  const zero: [Level, Level] = [
    { single: single('segments'), both: new Map() },
    { single: single('respondents'), both: new Map() },
  ];
  let next = 0;
  for (let i = 0; i < codes.length; i++) {
    for (let j = i + 1; j < codes.length; j++) {
      if (!paired(i, j)) continue;
      const found = result.pairs[next];
      if (found && found.a === codes[i] && found.b === codes[j]) {
        next++;
        yield found;
      } else yield pairOf(codes, zero[0], zero[1], i, j);
    }
  }
}

/** The codes of the analysis: those named exactly, or the leaves. */
function coocCodes(ds: Dataset, options: CoocOptions): string[] {
  return options.codes && options.codes.length > 0
    ? selectCodes(ds.codebook, options.codes, { descendants: false })
    : selectCodes(ds.codebook).filter((c) => (ds.codebook?.codes.get(c)?.children.length ?? 0) === 0);
}

/** Whether codes `i` and `j` of `codes` make a pair: neither is an ancestor of the other. */
function pairable(ds: Dataset, codes: readonly string[]): (i: number, j: number) => boolean {
  // A code's ancestors once, not a walk up the tree per pair.
  const ancestors = codes.map((c) => new Set(lineage(ds.codebook, c).slice(1)));
  return (i, j) => !(ancestors[j] as Set<string>).has(codes[i] as string) && !(ancestors[i] as Set<string>).has(codes[j] as string);
}

function pairOf(codes: readonly string[], seg: Level, resp: Level, i: number, j: number): CoocPair {
  const counts = (level: Level): CoocCounts => {
    const n1 = level.single[i] as number;
    const n2 = level.single[j] as number;
    const n12 = level.both.get(i * codes.length + j) ?? 0;
    return { n1, n2, n12, c: cCoefficient(n1, n2, n12) };
  };
  return { a: codes[i] as string, b: codes[j] as string, segments: counts(seg), respondents: counts(resp) };
}
