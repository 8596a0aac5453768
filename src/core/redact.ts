/**
 * Masking of redacted strings (names, places) in every output. Case is
 * ignored and any run of spaces in a redacted string matches any run of white
 * space (with at most one line break), so that a name broken across lines is
 * still masked.
 */

/** What replaces a redacted string. */
export const MASK = '[·]';

/**
 * A run of white space with at most one line break: a name may wrap, but not
 * cross paragraphs. The two branches never match the same text, so a long run
 * of spaces costs linear time.
 */
const SPACE = '(?:[^\\S\\r\\n]*(?:\\r\\n?|\\n)[^\\S\\r\\n]*|[^\\S\\r\\n]+)';

/** A function that masks the given strings in a text; the identity when there are none. */
export type Masker = (text: string) => string;

/**
 * The regular expression that finds `secrets` (longest first, so that "Jean
 * Dupont" wins over "Jean"), or undefined when there are none. Global, so
 * callers reset `lastIndex` or use `replace`/`matchAll`.
 */
export function redactionPattern(secrets: readonly string[]): RegExp | undefined {
  const clean = [...new Set(secrets.map((s) => s.trim()).filter((s) => s !== ''))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (clean.length === 0) return undefined;
  const source = clean.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, SPACE)).join('|');
  return new RegExp(source, 'giu');
}

/** Builds a masker for `secrets`. */
export function createMasker(secrets: readonly string[]): Masker {
  const re = redactionPattern(secrets);
  if (!re) return (text) => text;
  return (text) => text.replace(re, MASK);
}

/** `[start, end)` offsets of every redacted string in `text`, in order. */
export function redactedRanges(text: string, secrets: readonly string[]): [number, number][] {
  const re = redactionPattern(secrets);
  if (!re) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(re)) if (m[0] !== '') out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Masked excerpts of one long text: `slice(start, end)` is `text.slice(start,
 * end)` with every redacted string masked, including one that the cut goes
 * through (masking after cutting would leave half a name readable: "…ont").
 */
export function maskedSlicer(text: string, secrets: readonly string[]): (start: number, end: number) => string {
  const ranges = redactedRanges(text, secrets);
  if (ranges.length === 0) return (start, end) => text.slice(start, end);
  return (start, end) => {
    if (end <= start) return '';
    // First range ending after `start` (ranges are sorted and disjoint).
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ranges[mid] as [number, number])[1] <= start) lo = mid + 1;
      else hi = mid;
    }
    let out = '';
    let pos = start;
    for (let i = lo; i < ranges.length; i++) {
      const [s, e] = ranges[i] as [number, number];
      if (s >= end) break;
      if (s > pos) out += text.slice(pos, s);
      out += MASK;
      pos = Math.min(e, end);
    }
    return out + text.slice(pos, Math.max(pos, end));
  };
}
