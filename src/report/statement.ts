/**
 * The quantified statement under a code's synthesis: how many respondents
 * carry the code, in words, and which profile carries it most.
 *
 * "Exprimé par la plupart des interviewés (9 sur 12), en particulier dans le
 * groupe « Décideurs politiques » (5 sur 5)."
 *
 * - The words come from `quantifier()` on the share of respondents carrying the
 *   code or one of its sub-codes (the roll-up of `analysis/dataset.ts`).
 * - The profile is the group that `distinctiveCodes()` finds over-represented
 *   (share rule below 30 respondents: at least 25 points above the other
 *   respondents and at least 2 respondents; G² test from 30), over the
 *   attributes given: the section's `by`, else every `by` of the plan, else
 *   every attribute of the panel. When several groups qualify, the largest
 *   lead wins (G² for the test), then the first attribute, then the first
 *   value in panel order. A unanimous code names no group; neither does a code
 *   no group stands out for, nor a group of fewer than {@link MIN_GROUP}
 *   respondents (two people are not a profile, and may be recognised).
 * - Below {@link PLAIN_BELOW} respondents, the counts are said plainly
 *   ("Exprimé par 2 interviewés sur 4"): a quantifier word ("de nombreux")
 *   would overstate two people.
 */
import { distinctiveCodes } from '../analysis/distinctive.js';
import { unitsOf, type Dataset } from '../analysis/dataset.js';
import { quantifier } from '../analysis/quantifier.js';
import type { Language } from '../project/model.js';
import { labelsFor } from './labels.js';
import { formatInteger } from './typography.js';

/** The smallest group a statement names. */
export const MIN_GROUP = 3;

/** Below this many respondents, statements give the counts, not a quantifier word. */
export const PLAIN_BELOW = 6;

/** The group that carries a code most. */
export interface ProfileHit {
  attribute: string;
  value: string;
  label: string;
  /** Respondents of the group carrying the code, and the group's size. */
  count: number;
  n: number;
  /** Lead over the other respondents, in points (or G² with the test). */
  strength: number;
}

/** Respondents carrying each code (rolled up), and the number of respondents. */
export function respondentCounts(ds: Dataset): { counts: Map<string, number>; n: number } {
  const units = unitsOf(ds, 'respondents');
  const counts = new Map<string, number>();
  for (const u of units) for (const c of u.codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return { counts, n: units.length };
}

/**
 * The group that stands out for each code, over the given attributes (see the
 * module comment).
 *
 * @param ds
 *   The dataset.
 * @param codes
 *   The codes to look at (with their descendants).
 * @param attributes
 *   Attribute ids, in order of preference.
 */
export function standingOut(ds: Dataset, codes: readonly string[], attributes: readonly string[]): Map<string, ProfileHit> {
  const best = new Map<string, ProfileHit>();
  if (codes.length === 0) return best;
  for (const attribute of attributes) {
    const result = distinctiveCodes(ds, { by: attribute, codes, unit: 'respondents' });
    for (const g of result.groups) {
      for (const c of g.codes) {
        if (c.n < MIN_GROUP) continue;
        const strength = c.g2 ?? c.gap;
        const known = best.get(c.code);
        if (known && known.strength >= strength) continue;
        best.set(c.code, { attribute, value: g.value, label: g.label, count: c.count, n: c.n, strength });
      }
    }
  }
  return best;
}

/**
 * The statement, one sentence ending with a full stop (before typography).
 *
 * @param k
 *   Respondents carrying the code.
 * @param n
 *   Respondents.
 * @param hit
 *   The group that stands out, if any.
 * @param language
 *   The report's language.
 */
export function quantifiedStatement(k: number, n: number, hit: ProfileHit | undefined, language: Language): string {
  const L = labelsFor(language);
  const count = L.of(formatInteger(k, language), formatInteger(n, language));
  if (k === 0) return `${L.expressedByNone(count)}.`;
  const q = quantifier(n === 0 ? 0 : k / n, n, language);
  const group = hit && q.level !== 'all' ? L.especially(hit.label, L.of(formatInteger(hit.count, language), formatInteger(hit.n, language))) : '';
  if (n < PLAIN_BELOW) return `${L.expressedByCount(k, formatInteger(k, language), formatInteger(n, language))}${group}.`;
  return `${L.expressedBy(q.phrase, count)}${group}.`;
}
