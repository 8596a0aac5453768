import { describe, expect, it } from 'vitest';
import { crossTab, percent, respondentCodeMatrix, type CrossTab } from '../../src/analysis/crosstab.js';
import { filterDataset } from '../../src/analysis/dataset.js';
import { codedFixture } from '../helpers/analysis-fixture.js';

// Hand-computed from tests/fixtures/analysis/README.md.
const ds = codedFixture();

/** "code: r1 r2 r3 (none) | total" for compact assertions. */
function grid(t: CrossTab): string[] {
  return t.rows.map((r) => `${r.code}: ${t.groups.map((g) => r.counts[g.value]).join(' ')} | ${r.total}`);
}

describe('crossTab by respondents', () => {
  const t = crossTab(ds, { by: 'role' });

  it('has the groups in panel order with their sizes, then (none)', () => {
    expect(t.by).toBe('role');
    expect(t.byLabel).toBe('Rôle');
    expect(t.unit).toBe('respondents');
    expect(t.n).toBe(6);
    expect(t.groups).toEqual([
      { value: 'r1', label: 'Rôle un', n: 2 },
      { value: 'r2', label: 'Rôle deux', n: 3 },
      { value: 'r3', label: 'Rôle trois', n: 0 },
      { value: '(none)', label: '(none)', n: 1 },
    ]);
  });

  it('counts each respondent once per code, parents rolled up', () => {
    // a: T1 T2 | T4 T6; a.x: T1 | T4; a.y: T2 | T6; b: T1 | T3 | T5; c and c.z: T2 | T3 T6.
    expect(grid(t)).toEqual(['a: 2 2 0 0 | 4', 'a.x: 1 1 0 0 | 2', 'a.y: 1 1 0 0 | 2', 'b: 1 1 0 1 | 3', 'c: 1 2 0 0 | 3', 'c.z: 1 2 0 0 | 3']);
    expect(t.rows.map((r) => [r.label, r.depth])).toEqual([
      ['Famille A', 0],
      ['Code A-X', 1],
      ['Code A-Y', 1],
      ['Code B', 0],
      ['Famille C', 0],
      ['Code C-Z', 1],
    ]);
  });

  it('gives percentages of the group', () => {
    const a = t.rows[0];
    expect(percent(a?.counts.r2 ?? -1, 3)).toBeCloseTo(66.667, 3);
    expect(percent(a?.total ?? -1, t.n)).toBeCloseTo(66.667, 3);
    expect(percent(0, 0)).toBeUndefined();
  });

  it('restricts rows to the codes named and their descendants', () => {
    expect(grid(crossTab(ds, { by: 'role', codes: ['c', 'a.x'] }))).toEqual(['a.x: 1 1 0 0 | 2', 'c: 1 2 0 0 | 3', 'c.z: 1 2 0 0 | 3']);
  });

  it('crosses a free attribute by the values seen', () => {
    const city = crossTab(ds, { by: 'city', codes: ['b'] });
    expect(city.groups.map((g) => `${g.value}=${g.n}`)).toEqual(['lyon=3', 'paris=2', '(none)=1']);
    // b: T1 T5 in lyon, T3 in paris.
    expect(grid(city)).toEqual(['b: 2 1 0 | 3']);
  });

  it('counts only the filtered codings', () => {
    expect(grid(crossTab(filterDataset(ds, { origin: 'manual' }), { by: 'role' }))).toEqual([
      'a: 2 2 0 0 | 4',
      'a.x: 1 1 0 0 | 2',
      'a.y: 1 1 0 0 | 2',
      'b: 0 1 0 0 | 1',
      'c: 1 2 0 0 | 3',
      'c.z: 1 2 0 0 | 3',
    ]);
    const r2 = crossTab(filterDataset(ds, { where: [['role', 'r2']] }), { by: 'role', codes: ['a'] });
    expect(r2.groups.map((g) => g.n)).toEqual([0, 3, 0]);
    expect(grid(r2)).toEqual(['a: 0 2 0 | 2', 'a.x: 0 1 0 | 1', 'a.y: 0 1 0 | 1']);
  });
});

describe('crossTab by segments', () => {
  const t = crossTab(ds, { by: 'role', unit: 'segments' });

  it('counts segments, coded or not, in the group sizes', () => {
    // r1: T1 (3) + T2 (2); r2: T3 (2) + T4 (2) + T6 (2); (none): T5 (1).
    expect(t.groups.map((g) => g.n)).toEqual([5, 6, 0, 1]);
    expect(t.n).toBe(12);
  });

  it('counts each segment carrying the code or a descendant', () => {
    // a: T1:1 T1:2 T2:1 | T4:1 T6:2; b: T1:2 | T3:1 T3:2 | T5:1; c: T2:2 | T3:2 T6:1 T6:2.
    expect(grid(t)).toEqual(['a: 3 2 0 0 | 5', 'a.x: 2 1 0 0 | 3', 'a.y: 1 1 0 0 | 2', 'b: 1 2 0 1 | 4', 'c: 1 3 0 0 | 4', 'c.z: 1 3 0 0 | 4']);
  });
});

describe('respondentCodeMatrix', () => {
  it('gives a 0/1 row per respondent with the attributes', () => {
    const m = respondentCodeMatrix(ds);
    expect(m.attributes).toEqual(['role', 'city']);
    expect(m.codes).toEqual(['a', 'a.x', 'a.y', 'b', 'c', 'c.z']);
    expect(m.rows.map((r) => `${r.transcript} ${r.attributes.role}/${r.attributes.city} ${r.values.join('')}`)).toEqual([
      'T1 r1/lyon 110100',
      'T2 r1/paris 101011',
      'T3 r2/paris 000111',
      'T4 r2/lyon 110000',
      'T5 /lyon 000100',
      'T6 r2/ 101011',
    ]);
    expect(m.rows[0]?.label).toBe('Premier répondant');
  });

  it('can give a row per segment and fewer codes', () => {
    const m = respondentCodeMatrix(ds, { unit: 'segments', codes: ['c'] });
    expect(m.codes).toEqual(['c', 'c.z']);
    expect(m.rows.map((r) => `${r.transcript}:${r.segment} ${r.values.join('')}`)).toEqual([
      'T1:1 00',
      'T1:2 00',
      'T1:3 00',
      'T2:1 00',
      'T2:2 11',
      'T3:1 00',
      'T3:2 11',
      'T4:1 00',
      'T4:2 00',
      'T5:1 00',
      'T6:1 11',
      'T6:2 11',
    ]);
  });
});
