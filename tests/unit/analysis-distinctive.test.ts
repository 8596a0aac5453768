import { describe, expect, it } from 'vitest';
import type { Coding } from '../../src/coding/code-transcript.js';
import type { Dataset } from '../../src/analysis/dataset.js';
import { distinctiveCodes, distinctiveRuleStatement, passesShareRule, type Distinctive } from '../../src/analysis/distinctive.js';
import type { Transcript } from '../../src/project/model.js';
import { codedFixture, fakeCoding, fakeTranscript } from '../helpers/analysis-fixture.js';

// Hand-computed from tests/fixtures/analysis/README.md.
const ds = codedFixture();

/** "group: code count/n vs restCount/restN (+gap)". */
function found(r: Distinctive): string[] {
  return r.groups.flatMap((g) => (g.codes.length === 0 ? [`${g.value} (${g.n}): –`] : g.codes.map((c) => `${g.value} (${g.n}): ${c.code} ${c.count}/${c.n} vs ${c.restCount}/${c.restN} (+${Math.round(c.gap)})`)));
}

describe('passesShareRule', () => {
  it('passes at exactly the gap, in whole numbers', () => {
    // 75 % against 50 %: 25 points.
    expect(passesShareRule(3, 4, 2, 4, 25, 2)).toBe(true);
    // 75 % against 55.6 %: 19.4 points.
    expect(passesShareRule(3, 4, 5, 9, 25, 2)).toBe(false);
    // 1 of 3 against 0 of 9: 33 points but a single respondent.
    expect(passesShareRule(1, 3, 0, 9, 25, 2)).toBe(false);
    expect(passesShareRule(1, 3, 0, 9, 25, 1)).toBe(true);
    // No rest, or an empty group: nothing to compare.
    expect(passesShareRule(3, 3, 0, 0, 25, 2)).toBe(false);
    expect(passesShareRule(0, 0, 2, 4, 25, 0)).toBe(false);
  });
});

describe('distinctiveCodes with the share rule (small corpus)', () => {
  const r = distinctiveCodes(ds, { by: 'role' });

  it('chooses the share rule below 30 respondents and states it', () => {
    expect(r.rule).toEqual({ method: 'share', auto: true, unit: 'respondents', n: 6, largeCorpus: 30, minGap: 25, minCount: 2, alpha: 0.05 });
    expect(r.statement).toBe(
      "Share rule (6 respondents compared, fewer than 30): a code is distinctive of a group when the share of the group's respondents carrying it is at least 25 points above its share among the other respondents, and at least 2 respondents of the group carry it.",
    );
    expect(distinctiveRuleStatement(r.rule, 'fr')).toBe(
      "Règle des parts (6 interviewés comparés, moins de 30) : un code caractérise un groupe quand la part des interviewés du groupe qui le portent dépasse d'au moins 25 points sa part parmi les autres interviewés, et qu'au moins 2 interviewés du groupe le portent.",
    );
  });

  it('compares each group with everybody else, (none) included in the rest', () => {
    // r1 = T1 T2 against T3 T4 T5 T6: a 2/2 vs 2/4 (+50); every other code has a single r1 respondent.
    // r2 = T3 T4 T6 against T1 T2 T5: c and c.z 2/3 vs 1/3 (+33); a 2/3 vs 2/3 (0).
    // r3 is empty; (none) is not reported as a group.
    expect(found(r)).toEqual(['r1 (2): a 2/2 vs 2/4 (+50)', 'r2 (3): c 2/3 vs 1/3 (+33)', 'r2 (3): c.z 2/3 vs 1/3 (+33)', 'r3 (0): –']);
    expect(r.groups[0]?.codes[0]).toMatchObject({ code: 'a', label: 'Famille A' });
    expect(r.groups[0]?.codes[0]?.g2).toBeUndefined();
  });

  it('takes its thresholds as options', () => {
    // 33.3 points is below 34.
    expect(found(distinctiveCodes(ds, { by: 'role', minGap: 34 }))).toEqual(['r1 (2): a 2/2 vs 2/4 (+50)', 'r2 (3): –', 'r3 (0): –']);
    // One respondent is enough: a.x 1/2 vs 1/4 (T4) and a.y 1/2 vs 1/4 (T6), both +25; b 1/2 vs 2/4 is 0.
    expect(found(distinctiveCodes(ds, { by: 'role', minCount: 1, codes: ['a', 'b'] }))[0]).toBe('r1 (2): a 2/2 vs 2/4 (+50)');
    expect(found(distinctiveCodes(ds, { by: 'role', minCount: 1, codes: ['a', 'b'] })).slice(1, 3)).toEqual(['r1 (2): a.x 1/2 vs 1/4 (+25)', 'r1 (2): a.y 1/2 vs 1/4 (+25)']);
  });

  it('works on segments', () => {
    const s = distinctiveCodes(ds, { by: 'role', unit: 'segments', codes: ['c'] });
    expect(s.rule.n).toBe(12);
    // r2: c on 3 of 6 segments against 1 of 6 (T2:2) → +33; r1: 1 of 5 → no.
    expect(found(s)).toEqual(['r1 (5): –', 'r2 (6): c 3/6 vs 1/6 (+33)', 'r2 (6): c.z 3/6 vs 1/6 (+33)', 'r3 (0): –']);
  });
});

describe('distinctiveCodes with the G² test', () => {
  it('finds nothing significant in six respondents when forced', () => {
    const r = distinctiveCodes(ds, { by: 'role', method: 'g2' });
    expect(r.rule).toMatchObject({ method: 'g2', auto: false });
    expect(found(r)).toEqual(['r1 (2): –', 'r2 (3): –', 'r3 (0): –']);
  });

  // 40 respondents: g1 = G01…G10, g2 = R01…R30.
  const transcripts: Transcript[] = [];
  const codings: Coding[] = [];
  for (let i = 1; i <= 40; i++) {
    const id = i <= 10 ? `G${String(i).padStart(2, '0')}` : `R${String(i - 10).padStart(2, '0')}`;
    transcripts.push(fakeTranscript(id, { role: i <= 10 ? 'r1' : 'r2' }, 1));
  }
  const give = (code: string, ids: string[]): void => {
    for (const id of ids) codings.push(fakeCoding(id, 1, code));
  };
  const g = (n: number[]): string[] => n.map((i) => `G${String(i).padStart(2, '0')}`);
  const rr = (n: number[]): string[] => n.map((i) => `R${String(i).padStart(2, '0')}`);
  give('b', [...g([1, 2, 3, 4, 5, 6, 7, 8]), ...rr([1, 2, 3])]); // 8/10 vs 3/30
  give('c.z', [...g([1, 2, 3]), ...rr([1, 2, 3, 4, 5, 6])]); // 3/10 vs 6/30
  give('a.x', g([9])); // 1/10 vs 0/30
  give('a.y', rr([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])); // 0/10 vs 10/30
  const big: Dataset = { transcripts, codings, ...(ds.codebook ? { codebook: ds.codebook } : {}), ...(ds.panel ? { panel: ds.panel } : {}) };

  it('is chosen from 30 respondents and gives G² with its p-value', () => {
    const r = distinctiveCodes(big, { by: 'role', codes: ['b', 'c.z', 'a.x', 'a.y'] });
    expect(r.rule).toMatchObject({ method: 'g2', auto: true, n: 40 });
    expect(r.statement).toBe(
      'Log-likelihood test (G², 2×2 table, 1 degree of freedom; 40 respondents compared): a code is distinctive of a group when it is more frequent in the group than among the other respondents, with p < 0.05, and at least 2 respondents of the group carry it.',
    );
    // g1: b only (c.z: G² 0.41, p 0.52; a.x: a single respondent). g2: a.y 10/30 vs 0/10.
    expect(found(r)).toEqual(['r1 (10): b 8/10 vs 3/30 (+70)', 'r2 (30): a.y 10/30 vs 0/10 (+33)', 'r3 (0): –']);
    const b = r.groups[0]?.codes[0];
    expect(b?.g2).toBeCloseTo(17.540475314, 6);
    expect(b?.p).toBeCloseTo(2.8125612e-5, 9);
    const ay = r.groups[1]?.codes[0];
    expect(ay?.g2).toBeCloseTo(6.795961472, 6);
    expect(ay?.p).toBeCloseTo(0.0091364306, 6);
  });

  it('uses alpha', () => {
    // p(a.y) = 0.0091 is not below 0.005.
    const r = distinctiveCodes(big, { by: 'role', codes: ['b', 'a.y'], alpha: 0.005 });
    expect(found(r)).toEqual(['r1 (10): b 8/10 vs 3/30 (+70)', 'r2 (30): –', 'r3 (0): –']);
  });

  it('can be replaced by the share rule on a large corpus', () => {
    const r = distinctiveCodes(big, { by: 'role', codes: ['b', 'c.z'], method: 'share' });
    // c.z: 30 % vs 20 % is only 10 points.
    expect(found(r)).toEqual(['r1 (10): b 8/10 vs 3/30 (+70)', 'r2 (30): –', 'r3 (0): –']);
    expect(r.statement.startsWith('Share rule (40 respondents compared): ')).toBe(true);
  });
});
