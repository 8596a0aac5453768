import { describe, expect, it } from 'vitest';
import {
  attributeIds,
  attributeProblem,
  codesProblem,
  compareIds,
  filterDataset,
  groupsOf,
  isAncestor,
  lineage,
  NONE,
  selectCodes,
  unitsOf,
  whereProblem,
  type Dataset,
} from '../../src/analysis/dataset.js';
import { codedFixture } from '../helpers/analysis-fixture.js';

// Figures below are read off tests/fixtures/analysis/README.md.
const ds = codedFixture();

/** "T1: a a.x b" for compact assertions. */
function sets(d: Dataset, unit: 'respondents' | 'segments', rollUp = true): string[] {
  return unitsOf(d, unit, { rollUp }).map((u) => `${u.transcript.id}${u.segment === undefined ? '' : `:${u.segment}`}: ${[...u.codes].sort().join(' ')}`.trimEnd());
}

describe('the fixture', () => {
  it('loads cleanly with the codings of its README', () => {
    expect(ds.transcripts.map((t) => t.id)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6']);
    expect(ds.codings.filter((c) => c.origin === 'auto').map((c) => `${c.transcript}:${c.segment} ${c.code}`)).toEqual(['T1:2 b', 'T3:1 b', 'T5:1 b']);
    expect(ds.codings).toHaveLength(13);
  });
});

describe('unitsOf (the roll-up)', () => {
  it('gives each respondent the codes of all its segments, with their ancestors', () => {
    expect(sets(ds, 'respondents')).toEqual(['T1: a a.x b', 'T2: a a.y c c.z', 'T3: b c c.z', 'T4: a a.x', 'T5: b', 'T6: a a.y c c.z']);
  });

  it('gives the codes as applied without roll-up', () => {
    expect(sets(ds, 'respondents', false)).toEqual(['T1: a.x b', 'T2: a.y c.z', 'T3: b c.z', 'T4: a.x', 'T5: b', 'T6: a.y c.z']);
  });

  it('lists every segment, coded or not', () => {
    expect(sets(ds, 'segments')).toEqual([
      'T1:1: a a.x',
      'T1:2: a a.x b',
      'T1:3:',
      'T2:1: a a.y',
      'T2:2: c c.z',
      'T3:1: b',
      'T3:2: b c c.z',
      'T4:1: a a.x',
      'T4:2:',
      'T5:1: b',
      'T6:1: c c.z',
      'T6:2: a a.y c c.z',
    ]);
  });
});

describe('filterDataset', () => {
  const ids = (d: Dataset): string[] => d.transcripts.map((t) => t.id);

  it('keeps the respondents with a value', () => {
    const f = filterDataset(ds, { where: [['role', 'r1']] });
    expect(ids(f)).toEqual(['T1', 'T2']);
    expect(new Set(f.codings.map((c) => c.transcript))).toEqual(new Set(['T1', 'T2']));
  });

  it('treats values of one attribute as alternatives and attributes as all required', () => {
    expect(ids(filterDataset(ds, { where: [['role', 'r1'], ['role', 'r2']] }))).toEqual(['T1', 'T2', 'T3', 'T4', 'T6']);
    expect(ids(filterDataset(ds, { where: [['role', 'r2'], ['city', 'lyon']] }))).toEqual(['T4']);
  });

  it('matches respondents without a value with (none)', () => {
    expect(ids(filterDataset(ds, { where: [['role', NONE]] }))).toEqual(['T5']);
    expect(ids(filterDataset(ds, { where: [['city', NONE]] }))).toEqual(['T6']);
  });

  it('keeps codings of one origin', () => {
    expect(sets(filterDataset(ds, { origin: 'auto' }), 'respondents')).toEqual(['T1: b', 'T2:', 'T3: b', 'T4:', 'T5: b', 'T6:']);
    expect(sets(filterDataset(ds, { origin: 'manual' }), 'respondents')).toEqual(['T1: a a.x', 'T2: a a.y c c.z', 'T3: b c c.z', 'T4: a a.x', 'T5:', 'T6: a a.y c c.z']);
  });

  it('leaves its input alone', () => {
    filterDataset(ds, { where: [['role', 'r1']], origin: 'auto' });
    expect(ds.transcripts).toHaveLength(6);
    expect(ds.codings).toHaveLength(13);
  });
});

describe('codes', () => {
  it('walks up the tree', () => {
    expect(lineage(ds.codebook, 'c.z')).toEqual(['c.z', 'c']);
    expect(lineage(ds.codebook, 'b')).toEqual(['b']);
    expect(lineage(ds.codebook, 'unknown.code')).toEqual(['unknown.code']);
    expect(isAncestor(ds.codebook, 'a', 'a.x')).toBe(true);
    expect(isAncestor(ds.codebook, 'a.x', 'a')).toBe(false);
    expect(isAncestor(ds.codebook, 'a', 'a')).toBe(false);
  });

  it('selects codes in codebook order, with descendants by default', () => {
    expect(selectCodes(ds.codebook)).toEqual(['a', 'a.x', 'a.y', 'b', 'c', 'c.z']);
    expect(selectCodes(ds.codebook, ['c', 'a.x'])).toEqual(['a.x', 'c', 'c.z']);
    expect(selectCodes(ds.codebook, ['c', 'a.x'], { descendants: false })).toEqual(['a.x', 'c']);
    expect(() => selectCodes(ds.codebook, ['nope'])).toThrow(RangeError);
  });
});

describe('groupsOf', () => {
  const shape = (by: string, d: Dataset = ds): string[] => groupsOf(d, by).map((g) => `${g.value}|${g.label}: ${g.transcripts.map((t) => t.id).join(' ')}`.trimEnd());

  it('follows the panel order, keeps empty values, and ends with (none)', () => {
    expect(shape('role')).toEqual(['r1|Rôle un: T1 T2', 'r2|Rôle deux: T3 T4 T6', 'r3|Rôle trois:', '(none)|(none): T5']);
  });

  it('sorts the values of a free attribute', () => {
    expect(shape('city')).toEqual(['lyon|lyon: T1 T4 T5', 'paris|paris: T2 T3', '(none)|(none): T6']);
  });

  it('has no (none) group when everybody has a value', () => {
    expect(shape('role', filterDataset(ds, { where: [['role', 'r1']] }))).toEqual(['r1|Rôle un: T1 T2', 'r2|Rôle deux:', 'r3|Rôle trois:']);
  });

  it('appends values the panel does not declare', () => {
    const t7 = { ...ds.transcripts[0], id: 'T7', attributes: { role: 'r10' } } as (typeof ds.transcripts)[number];
    const t8 = { ...ds.transcripts[0], id: 'T8', attributes: { role: 'r9' } } as (typeof ds.transcripts)[number];
    expect(shape('role', { ...ds, transcripts: [...ds.transcripts, t7, t8] }).slice(3)).toEqual(['r9|r9: T8', 'r10|r10: T7', '(none)|(none): T5']);
  });
});

describe('checks of user input', () => {
  it('knows attributes from the panel and the transcripts', () => {
    expect(attributeIds(ds)).toEqual(['role', 'city']);
    expect(attributeProblem(ds, 'role')).toBeUndefined();
    expect(attributeProblem(ds, 'rol')).toBe('Unknown attribute `rol`; did you mean `role`?');
    expect(attributeProblem(ds, 'gender')).toBe('Unknown attribute `gender`; use `role` or `city`.');
  });

  it('checks where values', () => {
    expect(whereProblem(ds, [['role', 'r2'], ['city', 'paris'], ['role', NONE]])).toBeUndefined();
    expect(whereProblem(ds, [['role', 'r22']])).toBe('No value `r22` for `role`; did you mean `r2`?');
    expect(whereProblem(ds, [['city', 'marseille']])).toBe('No value `marseille` for `city`; use `lyon` or `paris`.');
    expect(whereProblem(ds, [['ville', 'lyon']])).toBe('Unknown attribute `ville`; use `role` or `city`.');
  });

  it('checks codes', () => {
    expect(codesProblem(ds, ['a', 'c.z'])).toBeUndefined();
    expect(codesProblem(ds, ['a.w'])).toBe('Unknown code `a.w`; did you mean `a.x`?');
  });

  it('orders ids with numbers as people expect', () => {
    expect(['E10', 'E2', 'E1', 'e1'].sort(compareIds)).toEqual(['e1', 'E1', 'E2', 'E10']);
  });
});
