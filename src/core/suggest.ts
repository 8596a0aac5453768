import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance.js';

/**
 * The candidate nearest to `word`, for "did you mean" hints, or undefined when
 * nothing is close enough (at most a third of the word's length in edits).
 * Ties go to the candidate listed first, so hints are deterministic.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    let d = DamerauLevenshteinDistance(w, c, { search: false, restricted: true }) as number;
    // A dotted id whose last part matches is a strong hint (`etat` → `freins.etat`).
    if (c.endsWith(`.${w}`)) d = Math.min(d, 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = Math.max(2, Math.ceil(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ", did you mean `x`?" or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const n = nearest(word, candidates);
  return n === undefined ? '' : `; did you mean \`${n}\`?`;
}

/** Formats a list of names as "`a`, `b` or `c`". */
export function listNames(names: readonly string[], conjunction = 'or'): string {
  const q = names.map((n) => `\`${n}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
