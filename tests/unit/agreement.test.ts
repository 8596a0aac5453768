import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignCoders,
  binaryAgreement,
  coincidences,
  cohenKappa,
  familyAgreement,
  krippendorffAlpha,
  meanOf,
  percentAgreement,
  rollUp,
  subtree,
  type CoderInput,
  type Value,
} from '../../src/analysis/agreement.js';
import { autoVsManual } from '../../src/analysis/auto-vs-manual.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject } from '../../src/engine/pipeline.js';
import { parseCodebook } from '../../src/project/codebook.js';
import type { Codebook } from '../../src/project/model.js';
import { dedent, source } from '../helpers/source.js';

/** Units × coders from one row per coder (the layout of Krippendorff's papers); `.` is missing. */
function byCoder(...rows: string[]): Value[][] {
  const cells = rows.map((r) => r.trim().split(/\s+/));
  const width = (cells[0] as string[]).length;
  return Array.from({ length: width }, (_, u) => cells.map((row) => (row[u] === '.' ? null : (row[u] as string))));
}

describe('Krippendorff (2011), nominal, 4 coders × 12 units with missing values', () => {
  // The worked example of "Computing Krippendorff's Alpha-Reliability", section C.
  const units = byCoder(
    '1 2 3 3 2 1 4 1 2 . . .', //
    '1 2 3 3 2 2 4 1 2 5 . 3',
    '. 3 3 3 2 3 4 2 2 5 1 .',
    '1 2 3 3 2 4 4 1 2 5 1 .',
  );

  it('builds the coincidence matrix of the paper', () => {
    const o = coincidences(units, ['1', '2', '3', '4', '5']);
    // Unit 12 has one value: not pairable. n = 3+4+4+4+4+4+4+4+4+3+2 = 40.
    expect(o.units).toBe(11);
    expect(o.n).toBe(40);
    expect(o.totals).toEqual([9, 13, 10, 5, 3]);
    // o_11 = 3 (unit 1: six pairs / 2) + 2 (unit 8: six pairs / 3) + 2 (unit 11: two pairs / 1).
    expect(o.matrix[0]?.[0]).toBeCloseTo(7, 12);
    // o_12 = 1/3 (unit 6) + 1 (unit 8: three pairs / 3).
    expect(o.matrix[0]?.[1]).toBeCloseTo(4 / 3, 12);
    expect(o.matrix[1]?.[1]).toBeCloseTo(10, 12);
    expect(o.matrix[2]?.[2]).toBeCloseTo(8, 12);
    expect(o.matrix[4]?.[4]).toBeCloseTo(3, 12);
    // The matrix is symmetric and its rows sum to n_c.
    o.matrix.forEach((row, c) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(o.totals[c] as number, 12);
      row.forEach((x, k) => expect(x).toBeCloseTo(o.matrix[k]?.[c] as number, 12));
    });
  });

  it('gives alpha = 0.743', () => {
    const a = krippendorffAlpha(units);
    // 1 − (n − 1)·Σ_{c≠k} o_ck / (n² − Σ n_c²) = 1 − 39 · 8 / (1600 − 384) = 1 − 312/1216.
    expect(a.value).toBeCloseTo(1 - 312 / 1216, 12);
    expect(a.value?.toFixed(3)).toBe('0.743');
    expect(a.observedDisagreement).toBeCloseTo(8 / 40, 12);
    expect(a.expectedDisagreement).toBeCloseTo(1216 / (40 * 39), 12);
  });

  it('percent agreement is 1 − D_o: 32 of the 40 pairable values match', () => {
    expect(percentAgreement(units).value).toBeCloseTo(32 / 40, 12);
  });
});

describe('two coders, binary, hand-computed', () => {
  // A: 1111100000, B: 1110000001 → both 1: 3, A only: 2, B only: 1, both 0: 4.
  const units = byCoder('1 1 1 1 1 0 0 0 0 0', '1 1 1 0 0 0 0 0 0 1');

  it('percent agreement 7/10', () => {
    expect(percentAgreement(units)).toEqual({ value: 0.7 });
  });

  it("Cohen's kappa: p_o = 0.7, p_e = 0.5·0.4 + 0.5·0.6 = 0.5, kappa = 0.2/0.5 = 0.4", () => {
    const k = cohenKappa(units);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.value).toBeCloseTo(0.4, 12);
    expect(k.units).toBe(10);
  });

  it("Krippendorff's alpha: o_11 = 6, o_00 = 8, o_01 = o_10 = 3, n_1 = 9, n_0 = 11 → 1 − 19·6/198 = 14/33", () => {
    const a = krippendorffAlpha(units, ['1', '0']);
    expect(a.coincidences.matrix).toEqual([
      [6, 3],
      [3, 8],
    ]);
    expect(a.coincidences.totals).toEqual([9, 11]);
    expect(a.value).toBeCloseTo(14 / 33, 12);
  });

  it('systematic disagreement gives negative figures: kappa −1, alpha 1 − 7·8/32 = −0.75', () => {
    const opposite = byCoder('1 0 1 0', '0 1 0 1');
    expect(percentAgreement(opposite).value).toBe(0);
    expect(cohenKappa(opposite).value).toBeCloseTo(-1, 12);
    expect(krippendorffAlpha(opposite).value).toBeCloseTo(-0.75, 12);
  });

  it('perfect agreement: 1, 1, 1', () => {
    const same = byCoder('1 0 0 1 0', '1 0 0 1 0');
    expect(percentAgreement(same).value).toBe(1);
    expect(cohenKappa(same).value).toBe(1);
    expect(krippendorffAlpha(same).value).toBe(1);
  });
});

describe('kappa with three categories', () => {
  it('p_o = 3/4, p_e = .5·.25 + .25·.5 + .25·.25 = .3125, kappa = 7/11', () => {
    const k = cohenKappa(byCoder('a a b c', 'a b b c'));
    expect(k.expected).toBeCloseTo(0.3125, 12);
    expect(k.value).toBeCloseTo(7 / 11, 12);
  });

  it('leaves out units where a coder gave no value', () => {
    const k = cohenKappa(byCoder('a a b c . x', 'a b b c y .'));
    expect(k.units).toBe(4);
    expect(k.value).toBeCloseTo(7 / 11, 12);
  });
});

describe('degenerate cases: undefined with a reason, never NaN', () => {
  it('a code nobody used: agreement 1, kappa and alpha undefined', () => {
    const none = byCoder('0 0 0 0', '0 0 0 0');
    expect(percentAgreement(none)).toEqual({ value: 1 });
    const k = cohenKappa(none);
    expect(k.value).toBeNull();
    expect(k.reason).toMatch(/no variation/);
    const a = krippendorffAlpha(none);
    expect(a.value).toBeNull();
    expect(a.reason).toMatch(/no variation/);
  });

  it('a code both coders put on every segment: same', () => {
    const all = byCoder('1 1 1', '1 1 1');
    expect(cohenKappa(all).value).toBeNull();
    expect(krippendorffAlpha(all).value).toBeNull();
  });

  it('kappa is defined when only one coder varies (p_e < 1): 0', () => {
    // A always 0, B once 1: p_o = 2/3, p_e = 1·2/3 → kappa 0; alpha: o_01 = o_10 = 1, n_0 = 5, n_1 = 1 → 1 − 5·2/10 = 0.
    const k = cohenKappa(byCoder('0 0 0', '0 0 1'));
    expect(k.value).toBe(0);
    expect(krippendorffAlpha(byCoder('0 0 0', '0 0 1')).value).toBeCloseTo(0, 12);
  });

  it('no unit with two values: agreement and alpha undefined', () => {
    const lonely = byCoder('1 . .', '. 2 .');
    expect(percentAgreement(lonely).value).toBeNull();
    expect(percentAgreement(lonely).reason).toMatch(/two coders/);
    expect(krippendorffAlpha(lonely).value).toBeNull();
    expect(cohenKappa(lonely).value).toBeNull();
    expect(cohenKappa([]).value).toBeNull();
  });

  it('cohenKappa rejects rows that do not have two values (a bug, not a user mistake)', () => {
    expect(() => cohenKappa([['a', 'b', 'c']])).toThrow(/two values/);
  });

  it('property: every figure is a finite number or null with a reason', () => {
    const cell = fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { maxLength: 12 }), fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 12 }), (two, three) => {
        for (const m of [cohenKappa(two), krippendorffAlpha(two), percentAgreement(two), krippendorffAlpha(three), percentAgreement(three)]) {
          if (m.value === null) expect(m.reason).toBeTruthy();
          else {
            expect(Number.isFinite(m.value)).toBe(true);
            expect(m.value).toBeLessThanOrEqual(1 + 1e-12);
          }
        }
        const k = cohenKappa(two);
        if (k.value !== null) expect(k.value).toBeGreaterThanOrEqual(-1 - 1e-12);
        const p = percentAgreement(three);
        if (p.value !== null) expect(p.value).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('meanOf skips undefined figures and says how many entered', () => {
    expect(meanOf([{ value: 0.5 }, { value: null, reason: 'x' }, { value: 1 }])).toEqual({ value: 0.75, codes: 2 });
    expect(meanOf([{ value: null, reason: 'x' }]).value).toBeNull();
  });
});

describe('three coders, missing data (hand-computed)', () => {
  // Segment values of three coders on a family {h, s}:
  //   u1: h h h (m=3: six pairs /2 → o_hh += 3)   u2: s s s (o_ss += 3)
  //   u3: h . s (m=2: o_hs += 1, o_sh += 1)       u4: s . s (o_ss += 2)      u5: . s . (not pairable)
  // o_hh = 3, o_ss = 5, o_hs = o_sh = 1; n_h = 4, n_s = 6, n = 10.
  // alpha = 1 − 9·2 / (100 − 16 − 36) = 1 − 18/48 = 0.625; agreement = 8/10.
  const units = byCoder('h s h s .', 'h s . . s', 'h s s s .');

  it('alpha = 0.625, agreement = 0.8', () => {
    const a = krippendorffAlpha(units, ['h', 's']);
    expect(a.coincidences.matrix).toEqual([
      [3, 1],
      [1, 5],
    ]);
    expect(a.coincidences.n).toBe(10);
    expect(a.coincidences.units).toBe(4);
    expect(a.value).toBeCloseTo(0.625, 12);
    expect(percentAgreement(units).value).toBeCloseTo(0.8, 12);
  });
});

// ---------------------------------------------------------------------------

const codebook = parseCodebook(
  source(
    dedent(`
      id: t
      title: T
      codes:
        - id: mood
          label: Mood
          children:
            - id: happy
              label: Happy
            - id: sad
              label: Sad
              children:
                - id: grief
                  label: Grief
        - id: money
          label: Money
    `),
    'codebooks/t.yaml',
  ),
) as Codebook;

const coder = (segments: Record<string, string[]>, codings: [string, number, string, ('auto' | 'manual')?][]): CoderInput => ({
  transcripts: Object.entries(segments).map(([id, texts]) => ({ id, segments: texts.map((text, i) => ({ segment: i + 1, text })) })),
  codings: codings.map(([transcript, segment, code, origin]) => ({ transcript, segment, code, origin: origin ?? 'manual' })),
});

describe('roll-up and subtrees', () => {
  it('adds every ancestor, once', () => {
    expect([...rollUp(['mood.sad.grief', 'mood.happy'], codebook)]).toEqual(['mood.sad.grief', 'mood.sad', 'mood', 'mood.happy']);
    expect([...rollUp(['nope'], codebook)]).toEqual(['nope']);
  });

  it('subtree lists a code and its descendants in codebook order', () => {
    expect(subtree(codebook, 'mood')).toEqual(['mood', 'mood.happy', 'mood.sad', 'mood.sad.grief']);
    expect(subtree(codebook, 'nope')).toEqual([]);
  });
});

describe('alignCoders', () => {
  it('pairs segments by transcript and number; leaves out what cannot be paired, and says so', () => {
    const a = coder({ T1: ['one', 'two'], T2: ['x', 'y'], T3: ['z'] }, [['T1', 1, 'money'], ['T1', 2, 'mood.happy', 'auto'], ['T2', 1, 'money']]);
    const b = coder({ T1: ['one', 'two  fixed'], T2: ['x', 'y', 'extra'], T4: ['w'] }, [['T1', 1, 'mood.happy'], ['T1', 1, 'other.code']]);
    const al = alignCoders([a, b], codebook);
    expect(al.transcripts).toEqual(['T1']);
    expect(al.segments.map((s) => [s.transcript, s.segment, s.codes])).toEqual([
      ['T1', 1, [['money'], ['mood.happy']]],
      ['T1', 2, [['mood.happy'], []]],
    ]);
    expect(al.mismatches).toEqual([
      { kind: 'segment-count', transcript: 'T2', counts: [2, 3] },
      { kind: 'missing-transcript', transcript: 'T3', missingIn: [1] },
      { kind: 'missing-transcript', transcript: 'T4', missingIn: [0] },
      { kind: 'segment-text', transcript: 'T1', segment: 2, coders: [1] },
    ]);
    expect(al.unknownCodes).toEqual([{ coder: 1, code: 'other.code', segments: 1 }]);
  });

  it('ignores whitespace differences in the text, and keeps only manual codings with origin manual', () => {
    const a = coder({ T1: ['one  two\n'] }, [['T1', 1, 'money', 'auto']]);
    const b = coder({ T1: ['one two'] }, [['T1', 1, 'money', 'manual']]);
    const al = alignCoders([a, b], codebook, 'manual');
    expect(al.mismatches).toEqual([]);
    expect(al.segments[0]?.codes).toEqual([[], ['money']]);
  });
});

describe('binaryAgreement', () => {
  // Four segments. A: s1 grief, s2 happy, s3 —, s4 money. B: s1 sad, s2 happy, s3 happy, s4 —.
  const a = coder({ T: ['s1', 's2', 's3', 's4'] }, [['T', 1, 'mood.sad.grief'], ['T', 2, 'mood.happy'], ['T', 4, 'money']]);
  const b = coder({ T: ['s1', 's2', 's3', 's4'] }, [['T', 1, 'mood.sad'], ['T', 2, 'mood.happy'], ['T', 3, 'mood.happy']]);
  const al = alignCoders([a, b], codebook);
  const r = binaryAgreement(al, codebook, subtree(codebook, 'mood').concat('money'));
  const byCode = new Map(r.codes.map((c) => [c.code, c]));

  it('rolls codes up: grief counts for sad and mood', () => {
    // sad: A 1 0 0 0 (via grief), B 1 0 0 0 → perfect.
    expect(byCode.get('mood.sad')?.coded).toEqual([1, 1]);
    expect(byCode.get('mood.sad')?.kappa.value).toBe(1);
    // mood: A 1 1 0 0, B 1 1 1 0 → agreement 3/4; p_e = .5·.75 + .5·.25 = .5 → kappa .5.
    expect(byCode.get('mood')?.agreement.value).toBe(0.75);
    expect(byCode.get('mood')?.kappa.value).toBeCloseTo(0.5, 12);
  });

  it('says why a figure is undefined, in words about codes', () => {
    // grief: A 1 0 0 0, B 0 0 0 0: kappa 0 (p_e = .75), alpha 1 − 7·2/(2·7) = 0.
    expect(byCode.get('mood.sad.grief')?.kappa.value).toBe(0);
    const nobody = binaryAgreement(alignCoders([coder({ T: ['s'] }, []), coder({ T: ['s'] }, [])], codebook), codebook, ['money']);
    expect(nobody.codes[0]?.kappa).toEqual({ value: null, reason: 'no coder used this code' });
    expect(nobody.codes[0]?.alpha).toEqual({ value: null, reason: 'no coder used this code' });
    expect(nobody.codes[0]?.agreement.value).toBe(1);
  });

  it('pools the leaf decisions only', () => {
    // Leaves: happy (1 1, 0 1 at s3), grief (1 0 at s1), money (1 0 at s4): 12 decisions, 3 disagree.
    expect(r.pooled.codes).toBe(3);
    expect(r.pooled.decisions).toBe(12);
    expect(r.pooled.agreement.value).toBeCloseTo(9 / 12, 12);
    // 2×2: both 1: 1, A only: 2, B only: 1, both 0: 8. p_o = 9/12; p_e = (3·2 + 9·10)/144 = 96/144 → kappa = (108 − 96)/(144 − 96) = 0.25.
    expect(r.pooled.kappa.value).toBeCloseTo(0.25, 12);
  });

  it('lists the disagreements with the codes as applied on each side', () => {
    expect(r.disagreements.map((d) => [d.segment, d.only, d.shared, d.differing])).toEqual([
      [1, [['mood.sad.grief'], ['mood.sad']], [], ['mood.sad.grief']],
      [3, [[], ['mood.happy']], [], ['mood', 'mood.happy']],
      [4, [['money'], []], [], ['money']],
    ]);
  });

  it('with three coders, kappa is undefined and says why', () => {
    const r3 = binaryAgreement(alignCoders([a, b, b], codebook), codebook, ['money']);
    expect(r3.codes[0]?.kappa.value).toBeNull();
    expect(r3.codes[0]?.kappa.reason).toMatch(/two coders/);
    // money: A 0001, B 0000, B 0000 → u4 (1,0,0): o_00 += 1, o_01 += 1, o_10 += 1; others add 3 to o_00.
    // o_00 = 10, o_01 = o_10 = 1, n_0 = 11, n_1 = 1, n = 12 → alpha = 1 − 11·2/(2·11) = 0; agreement 10/12.
    expect(r3.codes[0]?.alpha.value).toBeCloseTo(0, 12);
    expect(r3.codes[0]?.agreement.value).toBeCloseTo(10 / 12, 12);
  });
});

describe('familyAgreement', () => {
  it('uses the child applied as the value, missing when none, combinations when several', () => {
    // A: s1 sad (via grief), s2 happy, s3 happy+sad, s4 —. B: s1 sad, s2 happy, s3 happy, s4 happy.
    const a = coder({ T: ['s1', 's2', 's3', 's4'] }, [['T', 1, 'mood.sad.grief'], ['T', 2, 'mood.happy'], ['T', 3, 'mood.happy'], ['T', 3, 'mood.sad']]);
    const b = coder({ T: ['s1', 's2', 's3', 's4'] }, [['T', 1, 'mood.sad'], ['T', 2, 'mood.happy'], ['T', 3, 'mood.happy'], ['T', 4, 'mood.happy']]);
    const r = familyAgreement(alignCoders([a, b], codebook), codebook, 'mood');
    expect(r.categories).toEqual(['mood.happy', 'mood.sad']);
    expect(r.multiple).toEqual([{ transcript: 'T', segment: 3, coder: 0, codes: ['mood.happy', 'mood.sad'] }]);
    // Pairable: s1 (sad, sad), s2 (happy, happy), s3 (happy+sad, happy). n = 6.
    // o: sad-sad 2, happy-happy 2, (happy+sad)-happy 1, happy-(happy+sad) 1. n_h = 3, n_s = 2, n_hs = 1.
    // alpha = 1 − 5·2 / (36 − 9 − 4 − 1) = 1 − 10/22 = 6/11.
    expect(r.pairableValues).toBe(6);
    expect(r.alpha.value).toBeCloseTo(6 / 11, 12);
    expect(r.agreement.value).toBeCloseTo(4 / 6, 12);
    // kappa on s1..s3: p_o = 2/3; A: s .33 h .33 hs .33, B: s .33 h .67 → p_e = 1/9 + 2/9 = 1/3 → kappa = (2/3 − 1/3)/(2/3) = 0.5.
    expect(r.kappa.value).toBeCloseTo(0.5, 12);
    expect(r.counts).toEqual([
      { value: 'mood.happy', coded: [1, 3] },
      { value: 'mood.sad', coded: [1, 1] },
      { value: 'mood.happy+mood.sad', coded: [1, 0] },
      { value: null, coded: [1, 0] },
    ]);
    expect(r.disagreements.map((d) => [d.segment, d.values])).toEqual([
      [3, ['mood.happy+mood.sad', 'mood.happy']],
      [4, [null, 'mood.happy']],
    ]);
  });
});

// ---------------------------------------------------------------------------

const fixtures = path.resolve(import.meta.dirname, '../fixtures/agree');
const coded = (name: string) => codeProject(loadProject(path.join(fixtures, name)));

describe('autoVsManual on the fixture projects', () => {
  it('coder-a: per-code precision and recall, hand-computed', () => {
    const project = coded('coder-a');
    const r = autoVsManual({ ...project, codebook: project.codebook as Codebook });
    expect(r.transcripts).toEqual(['T1', 'T2']);
    expect(r.segments).toBe(7);
    // Manual: T1:2 sad, T1:4 money + happy, T2:1 sad. Keywords: T1:1 happy (glad), T1:3 money (budget), T1:4 money (funds).
    const by = new Map(r.codes.map((c) => [c.code, c]));
    expect([...by.keys()]).toEqual(['mood', 'mood.happy', 'mood.sad', 'money']);
    expect(r.notCompared).toEqual([{ code: 'unused', auto: 0 }]);
    const money = by.get('money');
    expect([money?.truePositives, money?.falsePositives, money?.falseNegatives]).toEqual([1, 1, 0]);
    expect(money?.precision.value).toBe(0.5);
    expect(money?.recall.value).toBe(1);
    expect(money?.f1.value).toBeCloseTo(2 / 3, 12);
    expect(money?.keywordsOnly.map((m) => [m.segment, m.keywords, m.rejected])).toEqual([[3, ['budget'], false]]);
    const happy = by.get('mood.happy');
    expect([happy?.precision.value, happy?.recall.value, happy?.f1.value]).toEqual([0, 0, 0]);
    expect(happy?.missedByKeywords.map((m) => `${m.transcript}:${m.segment}`)).toEqual(['T1:4']);
    const sad = by.get('mood.sad');
    expect(sad?.precision).toEqual({ value: null, reason: 'no keywords or patterns' });
    expect(sad?.recall.value).toBe(0);
    // mood rolls up: manual T1:2, T1:4, T2:1; auto T1:1 (happy's keyword).
    expect([by.get('mood')?.manual, by.get('mood')?.auto, by.get('mood')?.truePositives]).toEqual([3, 1, 0]);
    // Micro over leaves happy, sad, money: TP 1, FP 2, FN 3 → P 1/3, R 1/4, F1 2/7.
    expect(r.pooled.precision.value).toBeCloseTo(1 / 3, 12);
    expect(r.pooled.recall.value).toBeCloseTo(1 / 4, 12);
    expect(r.pooled.f1.value).toBeCloseTo(2 / 7, 12);
    // Macro: P (0 + .5)/2, R (0 + 0 + 1)/3, F1 (0 + 0 + 2/3)/3.
    expect(r.mean.precision).toEqual({ value: 0.25, codes: 2 });
    expect(r.mean.recall.value).toBeCloseTo(1 / 3, 12);
    expect(r.mean.f1.value).toBeCloseTo(2 / 9, 12);
  });

  it('coder-b: a {!money} rejection counts as a false positive of the keywords', () => {
    const project = coded('coder-b');
    // The rejected match is not a coding any more…
    expect(project.codings.some((c) => c.transcript === 'T1' && c.segment === 3 && c.code === 'money')).toBe(false);
    const r = autoVsManual({ ...project, codebook: project.codebook as Codebook }, ['money']);
    const money = r.codes[0];
    // …but the keywords did match there: auto T1:3 (rejected), T1:4; manual T1:4.
    expect(money?.keywordsOnly.map((m) => [m.segment, m.keywords, m.rejected])).toEqual([[3, ['budget'], true]]);
    expect(money?.precision.value).toBe(0.5);
    expect(money?.recall.value).toBe(1);
  });

  it('leaves out transcripts without any marker', () => {
    const project = coded('coder-d');
    const r = autoVsManual({ ...project, codebook: project.codebook as Codebook });
    expect(r.leftOut).toEqual(['T3']);
    expect(r.transcripts).toEqual(['T1', 'T2']);
  });
});
