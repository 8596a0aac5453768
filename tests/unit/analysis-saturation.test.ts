import { describe, expect, it } from 'vitest';
import { filterDataset, NONE } from '../../src/analysis/dataset.js';
import { interviewOrder, saturation, saturationStatement } from '../../src/analysis/saturation.js';
import { codedFixture, fakeCoding, fakeTranscript } from '../helpers/analysis-fixture.js';

// Hand-computed from tests/fixtures/analysis/README.md.
const ds = codedFixture();

describe('interviewOrder', () => {
  it('sorts by date, then id, undated last', () => {
    // T2 01-01, T3 and T5 01-02 (by id), T1 01-03, T6 01-05, T4 undated.
    expect(interviewOrder(ds.transcripts).map((t) => t.id)).toEqual(['T2', 'T3', 'T5', 'T1', 'T6', 'T4']);
  });

  it('orders ids numerically among equal or missing dates', () => {
    const ts = [{ id: 'E10' }, { id: 'E9', date: '2021-02-01' }, { id: 'E2' }, { id: 'E1', date: '2021-02-01' }];
    expect(interviewOrder(ts).map((t) => t.id)).toEqual(['E1', 'E9', 'E2', 'E10']);
  });
});

describe('saturation', () => {
  it('counts the codes as applied that no earlier interview carried', () => {
    const s = saturation(ds);
    // T2 brings a.y c.z; T3 b (c.z known); T5 nothing; T1 a.x; T6 and T4 nothing.
    // Parents are not counted: after T2 the total is 2, not 4.
    expect(s.steps.map((x) => ({ transcript: x.transcript, new: x.new, cumulative: x.cumulative, codes: x.codes }))).toEqual([
      { transcript: 'T2', new: 2, cumulative: 2, codes: ['a.y', 'c.z'] },
      { transcript: 'T3', new: 1, cumulative: 3, codes: ['b'] },
      { transcript: 'T5', new: 0, cumulative: 3, codes: [] },
      { transcript: 'T1', new: 1, cumulative: 4, codes: ['a.x'] },
      { transcript: 'T6', new: 0, cumulative: 4, codes: [] },
      { transcript: 'T4', new: 0, cumulative: 4, codes: [] },
    ]);
    expect(s.steps[0]?.date).toBe('2021-01-01');
    expect(s.steps[5]?.date).toBeUndefined();
  });

  it('is not reached with k = 3: only two interviews at the end bring nothing', () => {
    const s = saturation(ds);
    expect(s).toMatchObject({ k: 3, saturated: false, lastNew: 'T1', trailing: 2 });
    expect(saturationStatement(s)).toBe('Saturation not reached: only the last 2 interviews (T6, T4) brought no new code; saturation needs 3 in a row.');
    expect(saturationStatement(s, 'fr')).toBe("Saturation non atteinte : seuls les 2 derniers entretiens (T6, T4) n'apportent aucun code nouveau ; il en faudrait 3 de suite.");
  });

  it('is reached with k = 2', () => {
    const s = saturation(ds, { k: 2 });
    expect(s).toMatchObject({ k: 2, saturated: true, lastNew: 'T1', trailing: 2 });
    expect(saturationStatement(s)).toBe('Saturation reached: the last 2 interviews (T6, T4) brought no new code; the last new code came with T1 (interview 4 of 6).');
    expect(saturationStatement(s, 'fr')).toBe("Saturation atteinte : les 2 derniers entretiens (T6, T4) n'apportent aucun code nouveau ; le dernier code nouveau apparaît avec T1 (entretien 4 sur 6).");
  });

  it('says when the last interview still brings codes', () => {
    const s = saturation(filterDataset(ds, { where: [['role', 'r1']] }));
    // T2 (a.y c.z), then T1 (a.x b).
    expect(s.steps.map((x) => [x.transcript, x.new, x.cumulative])).toEqual([
      ['T2', 2, 2],
      ['T1', 2, 4],
    ]);
    expect(saturationStatement(s)).toBe('Saturation not reached: the last interview (T1) still brought 2 new codes; saturation needs 3 interviews in a row without one.');
  });

  it('counts a parent applied directly as a code of its own', () => {
    const d = {
      transcripts: [fakeTranscript('A', {}, 1, '2021-01-01'), fakeTranscript('B', {}, 1, '2021-01-02')],
      codebook: ds.codebook,
      codings: [fakeCoding('A', 1, 'a.x'), fakeCoding('B', 1, 'a'), fakeCoding('B', 1, 'a.x')],
    };
    expect(saturation(d).steps.map((x) => x.codes)).toEqual([['a.x'], ['a']]);
  });

  it('cannot be assessed without codings', () => {
    const s = saturation(filterDataset(ds, { where: [['role', NONE]], origin: 'manual' }));
    expect(s.steps.map((x) => x.new)).toEqual([0]);
    expect(s.saturated).toBe(false);
    expect(saturationStatement(s)).toBe('No interview carries a code: saturation cannot be assessed.');
  });
});
