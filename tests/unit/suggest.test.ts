/**
 * "Did you mean" hints (src/core/suggest.ts) against the implementation they
 * replace: natural's restricted Damerau-Levenshtein distance over every
 * candidate, whatever the lengths. The hints must be the same on every name
 * of ordinary length; only names longer than MAX_SUGGESTED get none.
 */
import fc from 'fast-check';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance.js';
import { describe, expect, it } from 'vitest';
import { editDistance, MAX_SUGGESTED, nearest } from '../../src/core/suggest.js';

const natural = (a: string, b: string): number => DamerauLevenshteinDistance(a, b, { search: false, restricted: true }) as number;

/** The hint as it was computed before (commit 4faa0f5). */
function nearestBefore(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    let d = natural(w, c);
    if (c.endsWith(`.${w}`)) d = Math.min(d, 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.ceil(word.length / 3)) ? best : undefined;
}

/** Names made of few letters (so that they are often close), dots, and letters whose lower case is longer (`İ`) or depends on the context (`Σ`). */
const letter = fc.constantFrom('a', 'b', 'c', 'e', 'A', 'B', 'é', 'É', '.', '-', 'İ', 'Σ', 'σ', 'ς', 'ß', 'x');
const name = fc.string({ unit: letter, maxLength: 14 });
const longName = fc.string({ unit: letter, minLength: 15, maxLength: 140 });
const longWord = fc.string({ unit: letter, minLength: 15, maxLength: MAX_SUGGESTED });

describe('editDistance', () => {
  it('is natural’s restricted Damerau-Levenshtein distance when it is at most `max`, and above `max` otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(name, longName), fc.oneof(name, longName), fc.integer({ min: 0, max: 40 }), (a, b, max) => {
        const expected = natural(a, b);
        const d = editDistance(a, b, max);
        if (expected <= max) expect(d).toBe(expected);
        else expect(d).toBeGreaterThan(max);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts transpositions of neighbours as one edit, and no edit inside them', () => {
    expect(editDistance('ab', 'ba', 5)).toBe(1);
    expect(editDistance('ca', 'abc', 5)).toBe(3);
    expect(editDistance('keywrods', 'keywords', 5)).toBe(1);
    expect(editDistance('', 'abc', 5)).toBe(3);
    expect(editDistance('abc', '', 2)).toBeGreaterThan(2);
  });
});

describe('nearest', () => {
  it('gives the hint it gave before on names of ordinary length', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: longWord }), fc.array(fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: longName }), { maxLength: 12 }), (word, candidates) => {
        expect(nearest(word, candidates)).toBe(nearestBefore(word, candidates));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same on candidates built from the word (one or two edits, a parent prefixed, the case changed)', () => {
    const around = name.chain((w) =>
      fc.tuple(
        fc.constant(w),
        fc.array(
          fc.oneof(
            fc.constant(w.toUpperCase()),
            fc.tuple(name, fc.constantFrom('.', '')).map(([p, dot]) => `${p}${dot}${w}`),
            fc.tuple(fc.nat(), letter).map(([i, c]) => w.slice(0, i % (w.length + 1)) + c + w.slice(i % (w.length + 1))),
            fc.nat().map((i) => w.slice(0, i % (w.length + 1)) + w.slice((i % (w.length + 1)) + 1)),
            name,
          ),
          { maxLength: 8 },
        ),
      ),
    );
    fc.assert(
      fc.property(around, ([word, candidates]) => {
        expect(nearest(word, candidates)).toBe(nearestBefore(word, candidates));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives no hint for a name longer than MAX_SUGGESTED, and takes no time over a huge one', () => {
    const long = 'x'.repeat(MAX_SUGGESTED + 1);
    expect(nearest(long, [long.slice(1)])).toBeUndefined();
    expect(nearest(long.slice(1), [long.slice(2)])).toBe(long.slice(2));
    const huge = 'é'.repeat(400_000);
    const started = performance.now();
    expect(nearest(huge, [huge, `${huge}x`, 'info.lack'])).toBeUndefined();
    expect(nearest('lack', [`${huge}.lack`, huge])).toBe(`${huge}.lack`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps the first of equally near candidates, and prefers a dotted id ending in the word', () => {
    expect(nearest('tie', ['tis', 'tia', 'ties'])).toBe('tis');
    expect(nearest('etat', ['etats', 'freins.etat'])).toBe('etats');
    expect(nearest('etat', ['eta', 'freins.etat'])).toBe('eta');
    expect(nearest('etat', ['freins.etat', 'etats'])).toBe('freins.etat');
    expect(nearest('Etat', ['freins.ÉTAT', 'freins.etat'])).toBe('freins.etat');
    expect(nearest('abc', ['xyz'])).toBeUndefined();
  });
});
