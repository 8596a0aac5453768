/**
 * Quantifier words: how a restitution says "how many respondents" without
 * figures ("unanime", "la plupart", "plusieurs", "certains"). One table, used
 * by every command and report.
 *
 * | level     | respondents carrying it (k of n)  | fr word     | fr phrase                    | en word   | en phrase              |
 * |-----------|-----------------------------------|-------------|------------------------------|-----------|------------------------|
 * | `none`    | k = 0                             | aucun       | aucun interviewé             | none      | no interviewee         |
 * | `one`     | k = 1                             | un seul     | un seul interviewé           | one       | a single interviewee   |
 * | `all`     | k = n (n ≥ 2)                     | unanime     | l'ensemble des interviewés   | unanimous | all the interviewees   |
 * | `most`    | k ≥ 75 % of n                     | la plupart  | la plupart des interviewés   | most      | most interviewees      |
 * | `many`    | k ≥ 50 % of n                     | de nombreux | de nombreux interviewés      | many      | many interviewees      |
 * | `several` | k ≥ 25 % of n and k ≥ 3           | plusieurs   | plusieurs interviewés        | several   | several interviewees   |
 * | `some`    | otherwise (k ≥ 2)                 | certains    | certains interviewés         | some      | some interviewees      |
 *
 * The first row that matches wins, from top to bottom. With 12 interviews:
 * 12 → unanime, 9–11 → la plupart, 6–8 → de nombreux, 3–5 → plusieurs,
 * 2 → certains, 1 → un seul. Thresholds are compared on whole numbers
 * (4k ≥ 3n, 2k ≥ n, 4k ≥ n), so there is no rounding at the boundaries.
 */
import type { Language } from '../project/model.js';

/** A quantifier level, from none to all. */
export type QuantifierLevel = 'none' | 'one' | 'all' | 'most' | 'many' | 'several' | 'some';

/** What {@link quantifier} returns. */
export interface Quantifier {
  level: QuantifierLevel;
  /** The word alone: "unanime", "la plupart", "plusieurs". */
  word: string;
  /** A phrase naming the respondents: "l'ensemble des interviewés". */
  phrase: string;
}

/** The words of each level, by language (the table above). */
export const QUANTIFIER_WORDS: Readonly<Record<Language, Readonly<Record<QuantifierLevel, { word: string; phrase: string }>>>> = {
  fr: {
    none: { word: 'aucun', phrase: 'aucun interviewé' },
    one: { word: 'un seul', phrase: 'un seul interviewé' },
    all: { word: 'unanime', phrase: "l'ensemble des interviewés" },
    most: { word: 'la plupart', phrase: 'la plupart des interviewés' },
    many: { word: 'de nombreux', phrase: 'de nombreux interviewés' },
    several: { word: 'plusieurs', phrase: 'plusieurs interviewés' },
    some: { word: 'certains', phrase: 'certains interviewés' },
  },
  en: {
    none: { word: 'none', phrase: 'no interviewee' },
    one: { word: 'one', phrase: 'a single interviewee' },
    all: { word: 'unanimous', phrase: 'all the interviewees' },
    most: { word: 'most', phrase: 'most interviewees' },
    many: { word: 'many', phrase: 'many interviewees' },
    several: { word: 'several', phrase: 'several interviewees' },
    some: { word: 'some', phrase: 'some interviewees' },
  },
};

/**
 * The level of k respondents out of n (see the table in this module's header).
 *
 * @param k
 *   Respondents carrying the code.
 * @param n
 *   Respondents of the group.
 */
export function quantifierLevel(k: number, n: number): QuantifierLevel {
  if (k <= 0 || n <= 0) return 'none';
  if (k === 1) return 'one';
  if (k >= n) return 'all';
  if (4 * k >= 3 * n) return 'most';
  if (2 * k >= n) return 'many';
  if (4 * k >= n && k >= 3) return 'several';
  return 'some';
}

/**
 * The quantifier word and phrase for a share of respondents.
 *
 * @param share
 *   The share of the group carrying the code, between 0 and 1 (k / n).
 * @param n
 *   The number of respondents of the group; the count k is `round(share × n)`.
 * @param language
 *   `fr` or `en`.
 * @returns
 *   The level, the word ("unanime") and the phrase ("l'ensemble des interviewés").
 */
export function quantifier(share: number, n: number, language: Language): Quantifier {
  const k = Math.round(share * n);
  const level = quantifierLevel(k, n);
  return { level, ...QUANTIFIER_WORDS[language][level] };
}
