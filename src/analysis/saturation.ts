/**
 * Thematic saturation: in interview order, how many codes each interview
 * brings that no earlier interview carried. Saturation is reached when the
 * last k interviews brought no new code.
 */
import type { Language } from '../project/model.js';
import { compareIds, unitsOf, type Dataset } from './dataset.js';
import { DEFAULT_SATURATION_K } from './defaults.js';

/** Options of {@link saturation}. */
export interface SaturationOptions {
  /** Interviews in a row without a new code that make saturation (default {@link DEFAULT_SATURATION_K}). */
  k?: number;
}

/** The default k: three interviews in a row without a new code. */
export { DEFAULT_SATURATION_K };

/** One interview of the saturation curve. */
export interface SaturationStep {
  transcript: string;
  date?: string;
  /** Codes this interview carries that no earlier interview carried. */
  new: number;
  /** Distinct codes carried so far. */
  cumulative: number;
  /** The new codes, in codebook order (order of first coding without a codebook). */
  codes: string[];
}

/** The result of {@link saturation}. */
export interface Saturation {
  k: number;
  steps: SaturationStep[];
  /** True when the last k interviews brought no new code (and some code was applied). */
  saturated: boolean;
  /** The last interview that brought a new code, when any did. */
  lastNew?: string;
  /** Interviews at the end that brought no new code. */
  trailing: number;
}

/**
 * Interview order: date ascending, then id; transcripts without a date come
 * after the dated ones, by id.
 */
export function interviewOrder<T extends { id: string; date?: string }>(transcripts: readonly T[]): T[] {
  return [...transcripts].sort((a, b) => {
    if (a.date !== undefined && b.date !== undefined && a.date !== b.date) return a.date < b.date ? -1 : 1;
    if ((a.date === undefined) !== (b.date === undefined)) return a.date === undefined ? 1 : -1;
    return compareIds(a.id, b.id);
  });
}

/**
 * The saturation curve. Codes are counted as applied (the most specific ones:
 * a parent is not added because a child was applied), so that an interview
 * bringing a new sub-theme of a known theme counts it as new.
 *
 * @param ds
 *   The dataset.
 * @param options
 *   k, the run of interviews without a new code that makes saturation.
 * @returns
 *   One step per interview, in interview order, and the verdict.
 */
export function saturation(ds: Dataset, options: SaturationOptions = {}): Saturation {
  const k = options.k ?? DEFAULT_SATURATION_K;
  const order = ds.codebook ? new Map([...ds.codebook.codes.values()].map((c) => [c.id, c.order])) : new Map<string, number>();
  const applied = new Map(unitsOf(ds, 'respondents', { rollUp: false }).map((u) => [u.transcript.id, u.codes]));
  const seen = new Set<string>();
  const steps: SaturationStep[] = interviewOrder(ds.transcripts).map((t) => {
    const codes = [...(applied.get(t.id) ?? [])].filter((c) => !seen.has(c));
    codes.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || compareIds(a, b));
    for (const c of codes) seen.add(c);
    return { transcript: t.id, ...(t.date !== undefined ? { date: t.date } : {}), new: codes.length, cumulative: seen.size, codes };
  });
  let last = -1;
  steps.forEach((s, i) => {
    if (s.new > 0) last = i;
  });
  const trailing = steps.length - 1 - last;
  return {
    k,
    steps,
    saturated: last >= 0 && trailing >= k,
    ...(last >= 0 ? { lastNew: (steps[last] as SaturationStep).transcript } : {}),
    trailing,
  };
}

/**
 * Where saturation was reached, in a sentence.
 *
 * @param s
 *   A {@link saturation} result.
 * @param language
 *   `en` for the CLI, `fr` for French reports.
 * @returns
 *   One sentence, ending with a full stop.
 */
export function saturationStatement(s: Saturation, language: Language = 'en'): string {
  const total = s.steps.length;
  const lastIndex = s.steps.findIndex((x) => x.transcript === s.lastNew) + 1;
  const lastRun = s.steps.slice(total - s.trailing).map((x) => x.transcript);
  const final = s.steps[total - 1];
  if (language === 'fr') {
    if (s.lastNew === undefined) return "Aucun entretien ne porte de code : la saturation ne peut pas être évaluée.";
    if (s.saturated) {
      return `Saturation atteinte : ${plural(s.trailing, 'le dernier entretien', `les ${s.trailing} derniers entretiens`)} (${lastRun.join(', ')}) n'${s.trailing === 1 ? 'apporte' : 'apportent'} aucun code nouveau ; le dernier code nouveau apparaît avec ${s.lastNew} (entretien ${lastIndex} sur ${total}).`;
    }
    if (s.trailing === 0) {
      return `Saturation non atteinte : le dernier entretien (${final?.transcript ?? ''}) apporte encore ${plural(final?.new ?? 0, 'un code nouveau', `${final?.new ?? 0} codes nouveaux`)} ; il en faudrait ${s.k} de suite sans code nouveau.`;
    }
    return `Saturation non atteinte : seuls ${plural(s.trailing, 'le dernier entretien', `les ${s.trailing} derniers entretiens`)} (${lastRun.join(', ')}) n'${s.trailing === 1 ? 'apporte' : 'apportent'} aucun code nouveau ; il en faudrait ${s.k} de suite.`;
  }
  if (s.lastNew === undefined) return 'No interview carries a code: saturation cannot be assessed.';
  if (s.saturated) {
    return `Saturation reached: the last ${plural(s.trailing, 'interview', `${s.trailing} interviews`)} (${lastRun.join(', ')}) brought no new code; the last new code came with ${s.lastNew} (interview ${lastIndex} of ${total}).`;
  }
  if (s.trailing === 0) {
    return `Saturation not reached: the last interview (${final?.transcript ?? ''}) still brought ${plural(final?.new ?? 0, 'a new code', `${final?.new ?? 0} new codes`)}; saturation needs ${s.k} interviews in a row without one.`;
  }
  return `Saturation not reached: only the last ${plural(s.trailing, 'interview', `${s.trailing} interviews`)} (${lastRun.join(', ')}) brought no new code; saturation needs ${s.k} in a row.`;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
