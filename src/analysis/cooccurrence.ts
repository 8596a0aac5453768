/**
 * Code co-occurrence: how often two codes are carried by the same segment and
 * by the same respondent, with the c-coefficient (Jaccard index)
 * c = n12 / (n1 + n2 − n12), between 0 (never together) and 1 (always
 * together), as in ATLAS.ti.
 */
import { codeLabel, isAncestor, selectCodes, unitsOf, type Dataset } from './dataset.js';

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
   * Every pair of distinct codes in codebook order (a before b), except a code
   * with one of its ancestors (they co-occur by construction).
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

/**
 * Co-occurrence of codes on the same segment and on the same respondent.
 *
 * @param ds
 *   The dataset.
 * @param options
 *   The codes (default the leaves).
 * @returns
 *   Frequencies of each code and counts of every pair.
 * @throws RangeError
 *   For an unknown code (validate user input with `codesProblem`).
 */
export function cooccurrence(ds: Dataset, options: CoocOptions = {}): Cooccurrence {
  const codes =
    options.codes && options.codes.length > 0
      ? selectCodes(ds.codebook, options.codes, { descendants: false })
      : selectCodes(ds.codebook).filter((c) => (ds.codebook?.codes.get(c)?.children.length ?? 0) === 0);
  const index = new Map(codes.map((c, i) => [c, i]));
  const count = (unit: 'segments' | 'respondents'): { single: number[]; both: Map<number, number> } => {
    const single = codes.map(() => 0);
    const both = new Map<number, number>();
    // Cost grows with the codes per unit, not with the number of pairs.
    for (const u of unitsOf(ds, unit)) {
      const present = [...u.codes]
        .map((c) => index.get(c))
        .filter((i): i is number => i !== undefined)
        .sort((x, y) => x - y);
      present.forEach((i, k) => {
        single[i] = (single[i] as number) + 1;
        for (const j of present.slice(k + 1)) both.set(i * codes.length + j, (both.get(i * codes.length + j) ?? 0) + 1);
      });
    }
    return { single, both };
  };
  const seg = count('segments');
  const resp = count('respondents');
  const counts = (level: { single: number[]; both: Map<number, number> }, i: number, j: number): CoocCounts => {
    const n1 = level.single[i] as number;
    const n2 = level.single[j] as number;
    const n12 = level.both.get(i * codes.length + j) ?? 0;
    return { n1, n2, n12, c: cCoefficient(n1, n2, n12) };
  };
  const pairs: CoocPair[] = [];
  codes.forEach((a, i) => {
    codes.slice(i + 1).forEach((b, k) => {
      if (isAncestor(ds.codebook, a, b) || isAncestor(ds.codebook, b, a)) return;
      const j = i + 1 + k;
      pairs.push({ a, b, segments: counts(seg, i, j), respondents: counts(resp, i, j) });
    });
  });
  return {
    codes: codes.map((code, i) => ({ code, label: codeLabel(ds, code), segments: seg.single[i] as number, respondents: resp.single[i] as number })),
    pairs,
  };
}
