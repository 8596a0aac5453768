/**
 * The longest word that gets a "did you mean" hint. A name or value longer
 * than this is not a misspelling of a key or an id, and comparing it with
 * every candidate would cost its length times theirs, for nothing.
 */
export const MAX_SUGGESTED = 100;

/**
 * The candidate nearest to `word`, for "did you mean" hints, or undefined when
 * nothing is close enough (at most a third of the word's length in edits,
 * case ignored; a dotted id whose last part is the word counts as one edit).
 * Ties go to the candidate listed first, so hints are deterministic.
 * Words longer than {@link MAX_SUGGESTED} get none.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_SUGGESTED) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.ceil(word.length / 3));
  const dotted = `.${w}`;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // Lower case never shortens a string, and keeps a dot where it was: a candidate this much
    // longer is too far, unless it has a dot where `.word` would begin (it need not be lowered).
    if (candidate.length > w.length + limit && candidate.indexOf('.', candidate.length - dotted.length) === -1) continue;
    const c = candidate.toLowerCase();
    // A dotted id whose last part matches is a strong hint (`etat` → `freins.etat`).
    const d = c.endsWith(dotted) ? 1 : editDistance(w, c, bestDistance - 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

/**
 * The restricted Damerau-Levenshtein distance between `a` and `b` (insertions,
 * deletions, substitutions and transpositions of neighbours, each costing 1;
 * no edit inside a transposed pair), in UTF-16 code units, when it is at most
 * `max`; otherwise any number above `max`. The same distance as natural's
 * `DamerauLevenshteinDistance(a, b, { restricted: true })`, in two rows of
 * numbers instead of an object per cell, and given up as soon as every cell
 * of a row is over `max` (a row's minimum never decreases).
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0].length <= n) rows = [new Int32Array(2 * n + 2), new Int32Array(2 * n + 2), new Int32Array(2 * n + 2)];
  // Rows i - 2, i - 1 and i of the matrix, columns 0 to n.
  let [before, previous, current] = rows;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min((current[j - 1] as number) + 1, (previous[j] as number) + 1, (previous[j - 1] as number) + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, (before[j - 2] as number) + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[n] as number;
}

/** The rows of {@link editDistance}, reused from call to call (hints compare a name with every code). */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(256), new Int32Array(256), new Int32Array(256)];

/** ", did you mean `x`?" or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const n = nearest(word, candidates);
  return n === undefined ? '' : `; did you mean \`${n}\`?`;
}

/**
 * {@link didYouMean} against a fixed list of candidates, memoised per word:
 * for a caller that asks about every marker of a transcript, where a renamed
 * code makes thousands of markers name the same few unknown codes.
 */
export function suggester(candidates: readonly string[]): (word: string) => string {
  const memo = new Map<string, string>();
  return (word) => {
    let hint = memo.get(word);
    if (hint === undefined) {
      hint = didYouMean(word, candidates);
      // Bounded: the memo lives as long as its caller's loop, but a corpus may name any number of codes.
      if (memo.size < 10_000) memo.set(word, hint);
    }
    return hint;
  };
}

/** Formats a list of names as "`a`, `b` or `c`". */
export function listNames(names: readonly string[], conjunction = 'or'): string {
  const q = names.map((n) => `\`${n}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
