import { describe, expect, it } from 'vitest';
import { cCoefficient, cooccurrence, everyPair, type CoocPair } from '../../src/analysis/cooccurrence.js';
import { filterDataset } from '../../src/analysis/dataset.js';
import { codedFixture } from '../helpers/analysis-fixture.js';

// Hand-computed from tests/fixtures/analysis/README.md.
const ds = codedFixture();

/** "a×b seg n1/n2/n12 · resp n1/n2/n12". */
function pairs(list: Iterable<CoocPair>): string[] {
  return [...list].map((p) => `${p.a}×${p.b} seg ${p.segments.n1}/${p.segments.n2}/${p.segments.n12} · resp ${p.respondents.n1}/${p.respondents.n2}/${p.respondents.n12}`);
}

describe('cCoefficient', () => {
  it('is n12 / (n1 + n2 − n12)', () => {
    expect(cCoefficient(3, 4, 1)).toBeCloseTo(1 / 6, 12);
    expect(cCoefficient(5, 5, 5)).toBe(1);
    expect(cCoefficient(2, 3, 0)).toBe(0);
    expect(cCoefficient(0, 0, 0)).toBe(0);
  });
});

describe('cooccurrence', () => {
  it('pairs the leaf codes by default, in codebook order', () => {
    const r = cooccurrence(ds);
    expect(r.codes).toEqual([
      { code: 'a.x', label: 'Code A-X', segments: 3, respondents: 2 },
      { code: 'a.y', label: 'Code A-Y', segments: 2, respondents: 2 },
      { code: 'b', label: 'Code B', segments: 4, respondents: 3 },
      { code: 'c.z', label: 'Code C-Z', segments: 4, respondents: 3 },
    ]);
    // Segments together: a.x+b on T1:2, a.y+c.z on T6:2, b+c.z on T3:2.
    // Respondents together: a.x+b T1; a.y+c.z T2 T6; b+c.z T3.
    // The result holds the pairs that occur together; everyPair adds the others, with n12 = 0.
    expect(pairs(r.pairs)).toEqual(['a.x×b seg 3/4/1 · resp 2/3/1', 'a.y×c.z seg 2/4/1 · resp 2/3/2', 'b×c.z seg 4/4/1 · resp 3/3/1']);
    expect(pairs(everyPair(ds, r))).toEqual([
      'a.x×a.y seg 3/2/0 · resp 2/2/0',
      'a.x×b seg 3/4/1 · resp 2/3/1',
      'a.x×c.z seg 3/4/0 · resp 2/3/0',
      'a.y×b seg 2/4/0 · resp 2/3/0',
      'a.y×c.z seg 2/4/1 · resp 2/3/2',
      'b×c.z seg 4/4/1 · resp 3/3/1',
    ]);
    const c = [...everyPair(ds, r)].map((p) => [p.segments.c, p.respondents.c]);
    const expected = [
      [0, 0],
      [1 / 6, 1 / 4],
      [0, 0],
      [0, 0],
      [1 / 5, 2 / 3],
      [1 / 7, 1 / 5],
    ];
    c.forEach(([s, r2], i) => {
      expect(s).toBeCloseTo(expected[i]?.[0] ?? NaN, 12);
      expect(r2).toBeCloseTo(expected[i]?.[1] ?? NaN, 12);
    });
  });

  it('rolls named parents up and never pairs a code with its ancestor', () => {
    const r = cooccurrence(ds, { codes: ['c', 'a', 'a.x'] });
    expect(r.codes.map((c) => `${c.code} ${c.segments} ${c.respondents}`)).toEqual(['a 5 4', 'a.x 3 2', 'c 4 3']);
    // a×c: segment T6:2; respondents T2 T6. a.x×c: nothing. a×a.x is left out.
    expect(pairs(r.pairs)).toEqual(['a×c seg 5/4/1 · resp 4/3/2']);
    expect(pairs(everyPair(ds, r))).toEqual(['a×c seg 5/4/1 · resp 4/3/2', 'a.x×c seg 3/4/0 · resp 2/3/0']);
    expect(r.pairs[0]?.segments.c).toBeCloseTo(1 / 8, 12);
    expect(r.pairs[0]?.respondents.c).toBeCloseTo(2 / 5, 12);
  });

  it('follows the filters', () => {
    const r = cooccurrence(filterDataset(ds, { origin: 'auto' }));
    expect(r.codes.map((c) => `${c.code} ${c.segments}`)).toEqual(['a.x 0', 'a.y 0', 'b 3', 'c.z 0']);
    expect(r.pairs).toEqual([]);
    const all = [...everyPair(filterDataset(ds, { origin: 'auto' }), r)];
    expect(all).toHaveLength(6);
    expect(all.every((p) => p.segments.n12 === 0 && p.respondents.n12 === 0)).toBe(true);
  });
});
