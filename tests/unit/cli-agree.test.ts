import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import chalk from 'chalk';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { agree, type AgreeOptions } from '../../src/cli/commands/agree.js';
import { registerAgree as register } from '../../src/cli/register-commands.js';
import { UsageError, type Context, type ExitCode } from '../../src/cli/context.js';
import { memoryIo, type MemoryIo } from '../../src/cli/io.js';

/*
 * Fixtures (tests/fixtures/agree/coder-*): the same two transcripts, 7 segments,
 * codebook mood{happy (keyword glad), sad}, money (keywords budget, funds), unused.
 *
 *            text                              A                 B                  C
 *   T1:1  I was glad…                          (auto happy)      (auto happy)       (auto happy)
 *   T1:2  Then things got worse…               sad               sad                sad
 *   T1:3  The budget was cut in March.         (auto money)      {!money}           (auto money)
 *   T1:4  We found other funds…                money, happy      money              sad (auto money)
 *   T2:1  Nobody listened to us.               sad               —                  sad
 *   T2:2  The weather was fine.                —                 —                  —
 *   T2:3  Honestly I do not care about it.     —                 sad                —
 *
 * coder-d is coder-a with a word changed in T1:2, a fourth segment in T2 and a T3 of its own.
 */
const fixtures = path.resolve(import.meta.dirname, '../fixtures/agree');

function context(color = false): Context & { io: MemoryIo } {
  return { io: memoryIo(fixtures), root: fixtures, color, colorErr: false, debug: false };
}

async function run(folders: string[], options: AgreeOptions = {}, color = false): Promise<{ code: ExitCode; out: string; err: string }> {
  const ctx = context(color);
  const code = await agree(folders, options, ctx);
  return { code, out: ctx.io.out, err: ctx.io.err };
}

async function json(folders: string[], options: AgreeOptions = {}): Promise<any> {
  const r = await run(folders, { ...options, json: true });
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

const codeRow = (result: any, code: string): any => result.codes.find((c: any) => c.code === code);

describe('verbatim agree A B (all codings)', () => {
  it('gives per-code agreement, kappa and alpha computed by hand', async () => {
    const r = await json(['coder-a', 'coder-b']);
    expect(r.mode).toBe('codes');
    expect(r.segments).toBe(7);
    expect(r.transcripts).toEqual(['T1', 'T2']);
    expect(r.mismatches).toEqual([]);
    expect(r.codes.map((c: any) => c.code)).toEqual(['mood', 'mood.happy', 'mood.sad', 'money', 'unused']);

    // happy: A 1001000 (auto T1:1, manual T1:4), B 1000000.
    // p_o = 6/7; p_e = 2/7·1/7 + 5/7·6/7 = 32/49 → kappa = (42 − 32)/(49 − 32) = 10/17.
    // alpha: o_11 = 2, o_10 = o_01 = 1, o_00 = 10; n_1 = 3, n_0 = 11 → 1 − 13·2/66 = 20/33.
    const happy = codeRow(r, 'mood.happy');
    expect(happy.coded).toEqual([2, 1]);
    expect(happy.agreement).toBeCloseTo(6 / 7, 12);
    expect(happy.kappa).toBeCloseTo(10 / 17, 12);
    expect(happy.alpha).toBeCloseTo(20 / 33, 12);

    // sad: A 0100100, B 0100001. p_o = 5/7; p_e = 4/49 + 25/49 → kappa = (35 − 29)/(49 − 29) = 0.3.
    // alpha: o_11 = 2, o_10 = o_01 = 2, o_00 = 8; n_1 = 4, n_0 = 10 → 1 − 13·4/80 = 0.35.
    const sad = codeRow(r, 'mood.sad');
    expect(sad.agreement).toBeCloseTo(5 / 7, 12);
    expect(sad.kappa).toBeCloseTo(0.3, 12);
    expect(sad.alpha).toBeCloseTo(0.35, 12);

    // money: A 0011000 (auto T1:3, T1:4), B 0001000 (T1:3 rejected): same table as happy.
    expect(codeRow(r, 'money').kappa).toBeCloseTo(10 / 17, 12);

    // mood (rolled up): A 1101100, B 1100001. p_o = 4/7; p_e = 4/7·3/7 + 3/7·4/7 = 24/49 → kappa = 4/25.
    // alpha: o_11 = 4, o_00 = 4, o_10 = o_01 = 3; n_1 = n_0 = 7 → 1 − 13·6/98 = 10/49.
    const mood = codeRow(r, 'mood');
    expect(mood.leaf).toBe(false);
    expect(mood.coded).toEqual([4, 3]);
    expect(mood.kappa).toBeCloseTo(0.16, 12);
    expect(mood.alpha).toBeCloseTo(10 / 49, 12);

    // unused: nobody used it → kappa and alpha undefined (null), agreement 1.
    expect(codeRow(r, 'unused')).toEqual({
      code: 'unused',
      label: 'Never used',
      leaf: true,
      coded: [0, 0],
      agreement: 1,
      kappa: null,
      alpha: null,
      reasons: { kappa: 'no coder used this code', alpha: 'no coder used this code' },
    });
  });

  it('pools the 4 leaf codes × 7 segments, and averages the per-code figures', async () => {
    const r = await json(['coder-a', 'coder-b']);
    // Pooled 2×2: both 1: 3, A only: 3, B only: 1, both 0: 21.
    // p_o = 24/28; p_e = (6·4 + 22·24)/784 = 552/784 → kappa = (672 − 552)/(784 − 552) = 15/29.
    // alpha: o_11 = 6, o_00 = 42, o_10 = o_01 = 4; n_1 = 10, n_0 = 46, n = 56 → 1 − 55·8/920 = 12/23.
    expect(r.pooled.codes).toBe(4);
    expect(r.pooled.decisions).toBe(28);
    expect(r.pooled.agreement).toBeCloseTo(6 / 7, 12);
    expect(r.pooled.kappa).toBeCloseTo(15 / 29, 12);
    expect(r.pooled.alpha).toBeCloseTo(12 / 23, 12);
    // Means over leaf codes where defined: kappa (10/17 + 0.3 + 10/17)/3, alpha (20/33 + 0.35 + 20/33)/3.
    expect(r.mean.agreement).toBeCloseTo(6 / 7, 12);
    expect(r.mean.kappa).toBeCloseTo(251 / 510, 12);
    expect(r.mean.alpha).toBeCloseTo(1031 / 1980, 12);
    expect(r.mean.codes).toEqual({ agreement: 4, kappa: 3, alpha: 3 });
  });

  it('lists the disagreements with codes on each side and the masked beginning of the text', async () => {
    const r = await json(['coder-a', 'coder-b']);
    expect(r.disagreements).toEqual([
      // Where each segment is in the first copy (coder-a/corpus/T1.md: R paragraphs on lines 11, 15, 19, 23; T2.md: 10, 14, 18).
      { segment: 'T1:3', location: 'coder-a/corpus/T1.md:19', only: [['money'], []], shared: [], differing: ['money'], text: 'The budget was cut in [·].' },
      { segment: 'T1:4', location: 'coder-a/corpus/T1.md:23', only: [['mood.happy'], []], shared: ['money'], differing: ['mood', 'mood.happy'], text: 'We found other funds, which was a relief.' },
      { segment: 'T2:1', location: 'coder-a/corpus/T2.md:10', only: [['mood.sad'], []], shared: [], differing: ['mood', 'mood.sad'], text: 'Nobody listened to us.' },
      { segment: 'T2:3', location: 'coder-a/corpus/T2.md:18', only: [[], ['mood.sad']], shared: [], differing: ['mood', 'mood.sad'], text: 'Honestly I do not care about it.' },
    ]);
  });

  it('prints a table that states the unit and the chance model, with "undefined (reason)" and no NaN', async () => {
    const r = await run(['coder-a', 'coder-b']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('A = coder-a, B = coder-b');
    expect(r.out).toContain('Unit: the respondent paragraph (segment); 7 segments in 2 transcripts');
    expect(r.out).toContain("Chance: Cohen's kappa from each coder's own rate");
    expect(r.out).toMatch(/│ {3}mood\.happy │ +85\.7% │ +0\.588 │ +0\.606 │ +2 │ +1 │/);
    expect(r.out).toMatch(/│ unused +│ +100\.0% │ undefined \(no coder used this code\) │ undefined \(no coder used this code\) │/);
    expect(r.out).toContain('Pooled over 4 leaf codes × 7 segments = 28 decisions');
    expect(r.out).toContain('agreement 85.7%, kappa 0.517, alpha 0.522');
    expect(r.out).toMatch(/│ T1:3 +│ coder-a\/corpus\/T1\.md:19 │ money +│ — +│ — +│ The budget was cut in \[·\]\. +│/);
    expect(r.out).not.toContain('NaN');
    expect(r.out).not.toContain('March');
    expect(r.out).not.toContain('\x1b[');
    // Warnings of each folder (unused-code) are pointed at, on stderr.
    expect(r.err).toContain('A (coder-a): 1 warning: run `verbatim check -p coder-a` to see it.');
  });

  it('colours only through ctx.color, even where chalk could colour', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      expect((await run(['coder-a', 'coder-b'], {}, true)).out).toContain(chalk.bold('agreement'));
      expect((await run(['coder-a', 'coder-b'], {}, false)).out).not.toContain('\x1b[');
    } finally {
      chalk.level = level;
    }
  });

  it('--code keeps a code and its descendants', async () => {
    const r = await json(['coder-a', 'coder-b'], { code: ['mood'] });
    expect(r.codes.map((c: any) => c.code)).toEqual(['mood', 'mood.happy', 'mood.sad']);
    expect(r.pooled.codes).toBe(2);
    expect(r.disagreements.map((d: any) => d.segment)).toEqual(['T1:4', 'T2:1', 'T2:3']);
  });
});

describe('verbatim agree --origin manual', () => {
  it('ignores automatic codings: money agrees perfectly, happy has kappa 0', async () => {
    const r = await json(['coder-a', 'coder-b'], { origin: 'manual' });
    // money: A 0001000, B 0001000 → 1, 1, 1.
    const money = codeRow(r, 'money');
    expect([money.agreement, money.kappa, money.alpha]).toEqual([1, 1, 1]);
    // happy: A 0001000, B 0000000 → p_o = 6/7 = p_e → kappa 0; alpha 1 − 13·2/26 = 0.
    const happy = codeRow(r, 'mood.happy');
    expect(happy.kappa).toBe(0);
    expect(happy.alpha).toBeCloseTo(0, 12);
    // mood: A 0101100, B 0100001: p_o = 4/7, p_e = 3/7·2/7 + 4/7·5/7 = 26/49 → kappa = 2/23.
    expect(codeRow(r, 'mood').kappa).toBeCloseTo(2 / 23, 12);
    expect(r.disagreements.map((d: any) => d.segment)).toEqual(['T1:4', 'T2:1', 'T2:3']);
  });
});

describe('three coders', () => {
  it('alpha with any number of coders; kappa undefined with a reason', async () => {
    const r = await json(['coder-a', 'coder-b', 'coder-c']);
    expect(r.coders.map((c: any) => c.label)).toEqual(['A', 'B', 'C']);
    // sad: A 0100100, B 0100001, C 0101100 (T1:2, T1:4, T2:1).
    // o_00 = 11, o_11 = 4, o_01 = o_10 = 3; n_0 = 14, n_1 = 7, n = 21 → alpha = 1 − 20·6/196 = 19/49.
    // Agreement: 15 of 21 pairable values match.
    const sad = codeRow(r, 'mood.sad');
    expect(sad.coded).toEqual([2, 2, 3]);
    expect(sad.alpha).toBeCloseTo(19 / 49, 12);
    expect(sad.agreement).toBeCloseTo(15 / 21, 12);
    expect(sad.kappa).toBeNull();
    expect(sad.reasons.kappa).toMatch(/two coders/);
    expect(r.pooled.kappa).toBeNull();
  });
});

describe('verbatim agree --family', () => {
  it('three coders with missing values: alpha from the coincidence matrix', async () => {
    const r = await json(['coder-a', 'coder-b', 'coder-c'], { family: 'mood' });
    // Values (h = happy, s = sad, . = missing):
    //   T1:1 h h h   T1:2 s s s   T1:4 h . s   T2:1 s . s   T2:3 . s .   (T1:3, T2:2: none)
    // o_hh = 3, o_ss = 3 + 2 = 5, o_hs = o_sh = 1; n_h = 4, n_s = 6, n = 10 → alpha = 1 − 9·2/48 = 0.625.
    expect(r.mode).toBe('family');
    expect(r.categories).toEqual(['mood.happy', 'mood.sad']);
    expect(r.alpha).toBeCloseTo(0.625, 12);
    expect(r.agreement).toBeCloseTo(0.8, 12);
    expect(r.kappa).toBeNull();
    expect(r.pairableSegments).toBe(4);
    expect(r.pairableValues).toBe(10);
    expect(r.coincidences).toEqual({ values: ['mood.happy', 'mood.sad'], matrix: [[3, 1], [1, 5]] });
    expect(r.counts).toEqual([
      { value: 'mood.happy', coded: [2, 1, 1] },
      { value: 'mood.sad', coded: [2, 2, 3] },
      { value: null, coded: [3, 4, 3] },
    ]);
    expect(r.disagreements).toEqual([
      { segment: 'T1:4', location: 'coder-a/corpus/T1.md:23', values: ['mood.happy', null, 'mood.sad'], text: 'We found other funds, which was a relief.' },
      { segment: 'T2:1', location: 'coder-a/corpus/T2.md:10', values: ['mood.sad', null, 'mood.sad'], text: 'Nobody listened to us.' },
      { segment: 'T2:3', location: 'coder-a/corpus/T2.md:18', values: [null, 'mood.sad', null], text: 'Honestly I do not care about it.' },
    ]);
  });

  it('two coders: the segments both placed agree, so alpha and kappa are 1 (missing values are not disagreements)', async () => {
    const r = await json(['coder-a', 'coder-b'], { family: 'mood' });
    expect([r.alpha, r.kappa, r.agreement]).toEqual([1, 1, 1]);
    expect(r.pairableSegments).toBe(2);
    // The segments one coder left out of the family are still listed, to reconcile.
    expect(r.disagreements.map((d: any) => d.segment)).toEqual(['T1:4', 'T2:1', 'T2:3']);
  });

  it('prints the matrix and the values per coder', async () => {
    const r = await run(['coder-a', 'coder-b', 'coder-c'], { family: 'mood' });
    expect(r.out).toContain('alpha      0.625');
    expect(r.out).toContain("kappa      undefined (Cohen's kappa compares two coders; see alpha)");
    expect(r.out).toMatch(/│ \(missing\) +│ 3 │ 4 │ 3 │/);
    expect(r.out).toMatch(/│ mood\.happy │ +3 │ +1 │/);
  });

  it('refuses a code without children, or unknown', async () => {
    await expect(run(['coder-a', 'coder-b'], { family: 'money' })).rejects.toThrow(/has no children/);
    await expect(run(['coder-a', 'coder-b'], { family: 'mod' })).rejects.toThrow(/did you mean `mood`/);
  });
});

describe('folders that do not match', () => {
  it('leaves out what cannot be paired, warns, and says so in the header and the JSON', async () => {
    const r = await run(['coder-a', 'coder-d']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: T2 has 3 segments in A, 4 segments in B: left out (segments cannot be paired).');
    expect(r.err).toContain('warning: T3 is missing in A: left out.');
    expect(r.err).toContain('warning: T1:2 has different words in B: compared anyway.');
    expect(r.out).toContain('4 segments in 1 transcript, paired by transcript id and segment number (2 transcripts left out: see the warnings)');
    const j = await json(['coder-a', 'coder-d']);
    expect(j.transcripts).toEqual(['T1']);
    expect(j.mismatches.map((m: any) => m.kind)).toEqual(['segment-count', 'missing-transcript', 'segment-text']);
    // coder-d codes T1 exactly like coder-a.
    expect(j.disagreements).toEqual([]);
    expect(codeRow(j, 'money').kappa).toBe(1);
  });

  it('stops with exit 1 when a folder has errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-agree-'));
    try {
      cpSync(path.join(fixtures, 'coder-b'), dir, { recursive: true });
      writeFileSync(path.join(dir, 'corpus', 'T2.md'), '---\nid: T2\nlabel: A councillor\nattributes:\n  role: councillor\n---\n\n**R:** Nobody listened. {#mood.angry}\n');
      const r = await run(['coder-a', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Errors in B (${dir}):`);
      expect(r.err).toContain('mood.angry');
      expect(r.out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verbatim agree --auto', () => {
  it('reports per-code precision, recall and F1 (coder-a, hand-computed)', async () => {
    const r = await json(['coder-a'], { auto: true });
    expect(r.mode).toBe('auto');
    expect(r.codes.map((c: any) => c.code)).toEqual(['mood', 'mood.happy', 'mood.sad', 'money']);
    // money: manual T1:4; keywords T1:3 (budget), T1:4 (funds) → P 1/2, R 1, F1 2/3.
    const money = codeRow(r, 'money');
    expect([money.manual, money.auto, money.truePositives, money.falsePositives, money.falseNegatives]).toEqual([1, 2, 1, 1, 0]);
    expect([money.precision, money.recall]).toEqual([0.5, 1]);
    expect(money.f1).toBeCloseTo(2 / 3, 12);
    expect(money.keywordsOnly).toEqual([{ segment: 'T1:3', location: 'coder-a/corpus/T1.md:19', keywords: ['budget'], rejected: false, text: 'The budget was cut in [·].' }]);
    // sad has no keywords: precision undefined, recall 0.
    const sad = codeRow(r, 'mood.sad');
    expect(sad.precision).toBeNull();
    expect(sad.reasons).toEqual({ precision: 'no keywords or patterns' });
    expect(sad.recall).toBe(0);
    expect(sad.missedByKeywords.map((m: any) => m.segment)).toEqual(['T1:2', 'T2:1']);
    expect(r.notCompared).toEqual([{ code: 'unused', auto: 0 }]);
    // Micro: TP 1, FP 2, FN 3.
    expect(r.pooled).toMatchObject({ codes: 3, truePositives: 1, falsePositives: 2, falseNegatives: 3 });
    expect(r.pooled.precision).toBeCloseTo(1 / 3, 12);
    expect(r.pooled.recall).toBeCloseTo(0.25, 12);
  });

  it('counts a {!code} rejection as a false positive, and shows the misses for a single --code', async () => {
    const r = await run(['coder-b'], { auto: true, code: ['money'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/│ money │ +1 │ +2 │ +1 │ +50\.0% │ +100\.0% │ +66\.7% │/);
    expect(r.out).toContain('found by the keywords, not coded by hand (1):');
    expect(r.out).toContain('T1:3  coder-b/corpus/T1.md:19  [budget] rejected  The budget was cut in [·].');
    expect(r.out).not.toContain('NaN');
  });

  it('hides the lists without --details, shows them with it', async () => {
    const plain = await run(['coder-a'], { auto: true });
    expect(plain.out).toContain('Add --details');
    expect(plain.out).toContain('Not shown, 1 code nobody coded by hand (recall means nothing for them); never coded: unused.');
    const detailed = await run(['coder-a'], { auto: true, details: true });
    expect(detailed.out).toContain('coded by hand, missed by the keywords (2):\n    T1:2  coder-a/corpus/T1.md:15  Then things got worse and I felt down.\n    T2:1  coder-a/corpus/T2.md:10  Nobody listened to us.');
  });

  it('works on the project (--project) when no folder is given', async () => {
    const ctx = { ...context(), root: path.join(fixtures, 'coder-a') };
    expect(await agree([], { auto: true, json: true }, ctx)).toBe(0);
    expect(JSON.parse(ctx.io.out).project).toBe('coder-a');
  });
});

describe('usage errors', () => {
  it.each<[string, string[], AgreeOptions, RegExp]>([
    ['no folder', [], {}, /two or more project folders/],
    ['one folder', ['coder-a'], {}, /at least two/],
    ['not a folder', ['coder-a', 'nowhere'], {}, /`nowhere` is not a folder/],
    ['unknown code', ['coder-a', 'coder-b'], { code: ['mony'] }, /no code `mony`.*did you mean `money`/],
    ['bad origin', ['coder-a', 'coder-b'], { origin: 'auto' }, /--origin takes/],
    ['--family with --code', ['coder-a', 'coder-b'], { family: 'mood', code: ['money'] }, /does not apply to --family/],
    ['--auto with two folders', ['coder-a', 'coder-b'], { auto: true }, /at most one folder/],
    ['--auto with --family', ['coder-a'], { auto: true, family: 'mood' }, /do not go together/],
    ['--auto with --origin', ['coder-a'], { auto: true, origin: 'manual' }, /does not apply/],
  ])('%s', async (_, folders, options, message) => {
    const promise = run(folders, options);
    await expect(promise).rejects.toThrow(UsageError);
    await expect(promise).rejects.toThrow(message);
  });
});

describe('register', () => {
  // The same wrapper as run.ts: (…arguments, options, command) → (…arguments, options, context).
  async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const ctx = context();
    const program = new Command().exitOverride();
    program.configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
    let code: number = 0;
    register(program, (load) => async (...args: unknown[]) => {
      const fn = (await load()) as (...a: unknown[]) => Promise<ExitCode>;
      code = await fn(...args.slice(0, -1), ctx);
    });
    try {
      await program.parseAsync(argv, { from: 'user' });
    } catch (error) {
      code = 2;
      if (error instanceof UsageError) ctx.io.stderr(error.message);
    }
    return { code, out: ctx.io.out, err: ctx.io.err };
  }

  it('parses folders, a repeated --code and --json', async () => {
    const r = await cli(['agree', 'coder-a', 'coder-b', '--code', 'money', '--code', 'unused', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).codes.map((c: any) => c.code)).toEqual(['money', 'unused']);
  });

  it('parses --family, --origin and --auto --details', async () => {
    expect(JSON.parse((await cli(['agree', 'coder-a', 'coder-b', '--family', 'mood', '--origin', 'manual', '--json'])).out).origin).toBe('manual');
    expect((await cli(['agree', '--auto', 'coder-a', '--details'])).out).toContain('missed by the keywords');
  });

  it('rejects an --origin outside the choices', async () => {
    const r = await cli(['agree', 'coder-a', 'coder-b', '--origin', 'robots']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Allowed choices are all, manual/);
  });
});

