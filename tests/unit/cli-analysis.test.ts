import { Command, CommanderError } from 'commander';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError, type Context, type ExitCode } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Action } from '../../src/cli/commands/analysis-shared.js';
import { registerCooc, registerMatrix, registerProfiles, registerSaturation } from '../../src/cli/register-commands.js';
import { DEMO_ROOT, fixturePath } from '../helpers/analysis-fixture.js';

const FIXTURE = fixturePath('analysis');

/** Runs an analysis command in-process as run.ts would (commander + lazy action + exit codes). */
async function cli(argv: string[], root = FIXTURE): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(root);
  const ctx: Context = { io, root, color: false, colorErr: false, debug: false };
  let code: ExitCode = EXIT.ok;
  const action: Action = (load) => async (...args: unknown[]) => {
    const fn = (await load()) as (...a: unknown[]) => Promise<ExitCode>;
    code = await fn(...args.slice(0, -1), ctx);
  };
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const register of [registerMatrix, registerCooc, registerSaturation, registerProfiles]) register(program, action);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, out: io.out, err: io.err };
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`verbatim: ${error.message}\n`);
    code = EXIT.usage;
  }
  return { code, out: io.out, err: io.err };
}

const csv = (text: string): string[][] => parse(text) as string[][];

describe('verbatim matrix', () => {
  it('prints the code × value table with counts and percentages of each group', async () => {
    const r = await cli(['matrix', '--by', 'role']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('1 warning: run `verbatim check` to see it.\n');
    expect(r.out).toBe(
      [
        'Respondents carrying each code, by Rôle (role).',
        '┌───────┬──────────┬───────────┬────────────┬──────────┬─────────┐',
        '│ Code  │  Rôle un │ Rôle deux │ Rôle trois │   (none) │   Total │',
        '│       │  r1, n=2 │   r2, n=3 │    r3, n=0 │      n=1 │     n=6 │',
        '├───────┼──────────┼───────────┼────────────┼──────────┼─────────┤',
        '│ a     │ 2 (100%) │   2 (67%) │          – │   0 (0%) │ 4 (67%) │',
        '│   a.x │  1 (50%) │   1 (33%) │          – │   0 (0%) │ 2 (33%) │',
        '│   a.y │  1 (50%) │   1 (33%) │          – │   0 (0%) │ 2 (33%) │',
        '│ b     │  1 (50%) │   1 (33%) │          – │ 1 (100%) │ 3 (50%) │',
        '│ c     │  1 (50%) │   2 (67%) │          – │   0 (0%) │ 3 (50%) │',
        '│   c.z │  1 (50%) │   2 (67%) │          – │   0 (0%) │ 3 (50%) │',
        '└───────┴──────────┴───────────┴────────────┴──────────┴─────────┘',
        "A code counts the respondents carrying it or any of its sub-codes; percentages are of each column's n.",
        '',
      ].join('\n'),
    );
    expect(r.out).not.toMatch(/\x1b\[/);
  });

  it('prints JSON in the documented shape', async () => {
    const r = await cli(['matrix', '--by', 'role', '--codes', 'c', '--json']);
    expect(JSON.parse(r.out)).toEqual({
      by: 'role',
      byLabel: 'Rôle',
      unit: 'respondents',
      n: 6,
      groups: [
        { value: 'r1', label: 'Rôle un', n: 2 },
        { value: 'r2', label: 'Rôle deux', n: 3 },
        { value: 'r3', label: 'Rôle trois', n: 0 },
        { value: '(none)', label: '(none)', n: 1 },
      ],
      rows: [
        { code: 'c', label: 'Famille C', depth: 0, counts: { r1: 1, r2: 2, r3: 0, '(none)': 0 }, total: 3 },
        { code: 'c.z', label: 'Code C-Z', depth: 1, counts: { r1: 1, r2: 2, r3: 0, '(none)': 0 }, total: 3 },
      ],
    });
  });

  it('prints CSV with a row of group sizes and one-decimal percentages', async () => {
    const r = await cli(['matrix', '--by', 'role', '--unit', 'segments', '--codes', 'a', '--csv']);
    expect(csv(r.out)).toEqual([
      ['code', 'label', 'r1', 'r1 %', 'r2', 'r2 %', 'r3', 'r3 %', '(none)', '(none) %', 'total', 'total %'],
      ['n', 'segments', '5', '100', '6', '100', '0', '', '1', '100', '12', '100'],
      ['a', 'Famille A', '3', '60', '2', '33.3', '0', '', '0', '0', '5', '41.7'],
      ['a.x', 'Code A-X', '2', '40', '1', '16.7', '0', '', '0', '0', '3', '25'],
      ['a.y', 'Code A-Y', '1', '20', '1', '16.7', '0', '', '0', '0', '2', '16.7'],
    ]);
  });

  it('applies --where and --origin, and says so', async () => {
    const r = await cli(['matrix', '--by', 'role', '--where', 'role=r2', '--origin', 'manual', '--codes', 'a,b', '--json']);
    const t = JSON.parse(r.out) as { n: number; rows: { code: string; counts: Record<string, number> }[] };
    expect(t.n).toBe(3);
    // Manual codings of T3 T4 T6: a (T4, T6), b (T3 by hand).
    expect(t.rows.map((x) => `${x.code} ${x.counts.r2}`)).toEqual(['a 2', 'a.x 1', 'a.y 1', 'b 1']);
    const table = await cli(['matrix', '--by', 'role', '-w', 'role=r2', '--origin', 'manual']);
    expect(table.out.split('\n')[0]).toBe('Respondents carrying each code, by Rôle (role); only role=r2, manual codings.');
  });

  it('exports the respondent × code 0/1 table with --binary', async () => {
    const r = await cli(['matrix', '--binary']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'id,label,role,city,a,a.x,a.y,b,c,c.z',
        'T1,Premier répondant,r1,lyon,1,1,0,1,0,0',
        'T2,Deuxième répondant,r1,paris,1,0,1,0,1,1',
        'T3,Troisième répondant,r2,paris,0,0,0,1,1,1',
        'T4,Quatrième répondant,r2,lyon,1,1,0,0,0,0',
        'T5,Cinquième répondant,,lyon,0,0,0,1,0,0',
        'T6,Sixième répondant,r2,,1,0,1,0,1,1',
        '',
      ].join('\n'),
    );
    const seg = csv((await cli(['matrix', '--binary', '--unit', 'segments', '--codes', 'b'])).out);
    expect(seg[0]).toEqual(['id', 'segment', 'label', 'role', 'city', 'b']);
    expect(seg.slice(1).map((row) => `${row[0]}:${row[1]}=${row[5]}`)).toEqual(['T1:1=0', 'T1:2=1', 'T1:3=0', 'T2:1=0', 'T2:2=0', 'T3:1=1', 'T3:2=1', 'T4:1=0', 'T4:2=0', 'T5:1=1', 'T6:1=0', 'T6:2=0']);
  });

  it('turns mistakes into usage errors (exit 2)', async () => {
    const cases: [string[], string][] = [
      [['matrix'], 'verbatim: `matrix` needs `--by ATTR` (e.g. `--by sphere`), or `--binary` for the respondent × code 0/1 table.\n'],
      [['matrix', '--by', 'rol'], 'verbatim: Unknown attribute `rol`; did you mean `role`?\n'],
      [['matrix', '--by', 'role', '--codes', 'a.w'], 'verbatim: Unknown code `a.w`; did you mean `a.x`?\n'],
      [['matrix', '--by', 'role', '--where', 'role'], 'verbatim: `--where` takes ATTR=VALUE (e.g. `--where sphere=recherche`), not `role`.\n'],
      [['matrix', '--by', 'role', '--where', 'role=r7'], 'verbatim: No value `r7` for `role`; did you mean `r1`?\n'],
      [['matrix', '--by', 'role', '--json', '--csv'], 'verbatim: Choose one of `--json` and `--csv`.\n'],
    ];
    for (const [argv, err] of cases) {
      const r = await cli(argv);
      expect({ argv, code: r.code, err: r.err, out: r.out }).toEqual({ argv, code: 2, err, out: '' });
    }
    const bad = await cli(['matrix', '--by', 'role', '--unit', 'words']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Allowed choices are respondents, segments");
  });
});

describe('verbatim cooc', () => {
  it('prints the pairs that go together, strongest first', async () => {
    const r = await cli(['cooc']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Codes that go together.',
        '┌─────────┬─────────┬──────────┬──────────┬─────────────┬─────────────┐',
        '│ Code A  │ Code B  │ Segments │ Segments │ Respondents │ Respondents │',
        '│         │         │     both │        c │        both │           c │',
        '├─────────┼─────────┼──────────┼──────────┼─────────────┼─────────────┤',
        '│ a.y (2) │ c.z (4) │        1 │     0.20 │      2 of 3 │        0.67 │',
        '│ a.x (3) │ b (4)   │        1 │     0.17 │      1 of 4 │        0.25 │',
        '│ b (4)   │ c.z (4) │        1 │     0.14 │      1 of 5 │        0.20 │',
        '└─────────┴─────────┴──────────┴──────────┴─────────────┴─────────────┘',
        '(n) after a code: the segments carrying it. c = n12 / (n1 + n2 − n12): 0 never together, 1 always together.',
        '"Respondents both": respondents carrying both codes, of those carrying either.',
        '',
      ].join('\n'),
    );
  });

  it('limits the terminal table and gives every pair in CSV', async () => {
    const r = await cli(['cooc', '--limit', '1']);
    expect(r.out).toContain('│ a.y (2) │ c.z (4) │');
    expect(r.out).not.toContain('│ a.x (3) │');
    expect(r.out).toContain('2 more pairs: use `--limit 0` for all, or `--csv`.');
    const rows = csv((await cli(['cooc', '--csv'])).out);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual(['code_a', 'code_b', 'segments_a', 'segments_b', 'segments_both', 'segments_c', 'respondents_a', 'respondents_b', 'respondents_both', 'respondents_c']);
    expect(rows[5]).toEqual(['a.y', 'c.z', '2', '4', '1', '0.2', '2', '3', '2', '0.6667']);
  });

  it('takes the codes exactly and prints JSON', async () => {
    const r = JSON.parse((await cli(['cooc', '--codes', 'a', 'c', '--json'])).out) as { pairs: { a: string; b: string; segments: { n12: number; c: number } }[] };
    expect(r.pairs).toEqual([{ a: 'a', b: 'c', segments: { n1: 5, n2: 4, n12: 1, c: 0.125 }, respondents: { n1: 4, n2: 3, n12: 2, c: 0.4 } }]);
  });
});

describe('verbatim saturation', () => {
  it('prints JSON as an array of {transcript, new, cumulative}', async () => {
    const r = await cli(['saturation', '--json']);
    expect(JSON.parse(r.out)).toEqual([
      { transcript: 'T2', new: 2, cumulative: 2 },
      { transcript: 'T3', new: 1, cumulative: 3 },
      { transcript: 'T5', new: 0, cumulative: 3 },
      { transcript: 'T1', new: 1, cumulative: 4 },
      { transcript: 'T6', new: 0, cumulative: 4 },
      { transcript: 'T4', new: 0, cumulative: 4 },
    ]);
  });

  it('prints the table, the new codes and where saturation was reached', async () => {
    const r = await cli(['saturation', '-k', '2', '--list']);
    expect(r.out).toBe(
      [
        'New codes per interview, in interview order (date, then id).',
        '┌───┬───────────┬────────────┬─────┬───────┬────┐',
        '│ # │ Interview │ Date       │ New │ Total │    │',
        '├───┼───────────┼────────────┼─────┼───────┼────┤',
        '│ 1 │ T2        │ 2021-01-01 │   2 │     2 │ ## │',
        '│ 2 │ T3        │ 2021-01-02 │   1 │     3 │ #  │',
        '│ 3 │ T5        │ 2021-01-02 │   0 │     3 │    │',
        '│ 4 │ T1        │ 2021-01-03 │   1 │     4 │ #  │',
        '│ 5 │ T6        │ 2021-01-05 │   0 │     4 │    │',
        '│ 6 │ T4        │            │   0 │     4 │    │',
        '└───┴───────────┴────────────┴─────┴───────┴────┘',
        'New codes:',
        '  T2: a.y, c.z',
        '  T3: b',
        '  T1: a.x',
        'Codes are counted as applied (the most specific ones).',
        'Saturation reached: the last 2 interviews (T6, T4) brought no new code; the last new code came with T1 (interview 4 of 6).',
        '',
      ].join('\n'),
    );
  });

  it('rejects a k that is not a positive whole number', async () => {
    const r = await cli(['saturation', '-k', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('verbatim: `-k` takes a whole number of at least 1, not `0`.\n');
  });
});

describe('verbatim profiles', () => {
  it('prints the distinctive codes of each group with the rule and quantifier words', async () => {
    const r = await cli(['profiles', '--by', 'role']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Distinctive codes by Rôle (role).',
        "Share rule (6 respondents compared, fewer than 30): a code is distinctive of a group when the share of the group's respondents carrying it is at least 25 points above its share among the other respondents, and at least 2 respondents of the group carry it.",
        '┌──────────────────────┬───────────────────────┬────────────┬───────────┬─────┬─────────────┐',
        '│ Group                │ Code                  │   In group │    Others │ Gap │ Words       │',
        '├──────────────────────┼───────────────────────┼────────────┼───────────┼─────┼─────────────┤',
        '│ Rôle un (r1, n=2)    │ a                     │ 2/2 (100%) │ 2/4 (50%) │ +50 │ unanime     │',
        '│ Rôle deux (r2, n=3)  │ c                     │  2/3 (67%) │ 1/3 (33%) │ +33 │ de nombreux │',
        '│                      │ c.z                   │  2/3 (67%) │ 1/3 (33%) │ +33 │ de nombreux │',
        '│ Rôle trois (r3, n=0) │ (no distinctive code) │            │           │     │             │',
        '└──────────────────────┴───────────────────────┴────────────┴───────────┴─────┴─────────────┘',
        "Gap: percentage points of the group over the others. Words: the quantifier of the group's share.",
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with the rule in the chosen language', async () => {
    const r = JSON.parse((await cli(['profiles', '--by', 'role', '--language', 'en', '--min-gap', '34', '--json'])).out) as {
      rule: { method: string; minGap: number };
      statement: string;
      groups: { value: string; codes: { code: string; quantifier: { word: string } }[] }[];
    };
    expect(r.rule).toMatchObject({ method: 'share', minGap: 34 });
    expect(r.statement.startsWith('Share rule (6 respondents compared, fewer than 30)')).toBe(true);
    expect(r.groups.map((g) => [g.value, g.codes.map((c) => `${c.code} ${c.quantifier.word}`)])).toEqual([
      ['r1', ['a unanimous']],
      ['r2', []],
      ['r3', []],
    ]);
  });

  it('shows G² and p for the test, and no quantifier words for segments', async () => {
    // Segments of r2: c on T3:2 T6:1 T6:2 (3 of 6) against T2:2 (1 of 6): G² 1.552, p 0.213.
    // r1: a 3/5 against 2/7 has p 0.274, a.x 2/5 against 1/7 has p 0.312: not below 0.25.
    const r = await cli(['profiles', '--by', 'role', '--unit', 'segments', '--method', 'g2', '--alpha', '0.25']);
    expect(r.out.split('\n').slice(2)).toEqual([
      '┌──────────────────────┬───────────────────────┬───────────┬───────────┬─────┬──────┬───────┐',
      '│ Group                │ Code                  │  In group │    Others │ Gap │   G² │     p │',
      '├──────────────────────┼───────────────────────┼───────────┼───────────┼─────┼──────┼───────┤',
      '│ Rôle un (r1, n=5)    │ (no distinctive code) │           │           │     │      │       │',
      '│ Rôle deux (r2, n=6)  │ c                     │ 3/6 (50%) │ 1/6 (17%) │ +33 │ 1.55 │ 0.213 │',
      '│                      │ c.z                   │ 3/6 (50%) │ 1/6 (17%) │ +33 │ 1.55 │ 0.213 │',
      '│ Rôle trois (r3, n=0) │ (no distinctive code) │           │           │     │      │       │',
      '└──────────────────────┴───────────────────────┴───────────┴───────────┴─────┴──────┴───────┘',
      'Gap: percentage points of the group over the others.',
      '',
    ]);
    const rows = csv((await cli(['profiles', '--by', 'role', '--unit', 'segments', '--method', 'g2', '--alpha', '0.25', '--csv'])).out);
    expect(rows[1]?.slice(0, 12)).toEqual(['role', 'r2', '6', 'c', 'Famille C', '3', '50', '1', '6', '16.7', '33.3', '1.552']);
    expect(Number(rows[1]?.[12])).toBeCloseTo(0.2128641, 6);
    expect(rows[1]?.slice(13)).toEqual(['', 'g2']);
  });

  it('needs --by', async () => {
    const r = await cli(['profiles']);
    expect(r).toEqual({ code: 2, out: '', err: 'verbatim: `profiles` needs `--by ATTR` (e.g. `--by sphere`).\n' });
  });
});

describe('the demo project', () => {
  it('shows who is motivated by what: each motivation is carried by the whole of its sphere', async () => {
    const r = await cli(['matrix', '--by', 'sphere', '--codes', 'motivations', '--json'], DEMO_ROOT);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as { groups: { value: string; n: number }[]; rows: { code: string; counts: Record<string, number> }[] };
    expect(t.groups).toEqual([
      { value: 'recherche', label: 'Recherche et innovation ouverte', n: 3 },
      { value: 'societe-civile', label: 'Société civile et entreprise', n: 5 },
      { value: 'institution', label: 'Institutions', n: 4 },
    ]);
    const row = (code: string): Record<string, number> => t.rows.find((x) => x.code === code)?.counts ?? {};
    expect(t.rows.map((x) => x.code)).toEqual(['motivations', 'motivations.sujet-commun', 'motivations.probleme-commun', 'motivations.interet-personnel']);
    // The model's finding: research ↔ a common subject, civil society ↔ a common problem, institutions ↔ personal interest.
    expect(row('motivations.sujet-commun').recherche).toBe(3);
    expect(row('motivations.probleme-commun')['societe-civile']).toBe(5);
    expect(row('motivations.interet-personnel').institution).toBe(4);
  });

  it('finds each motivation distinctive of its sphere', async () => {
    const r = await cli(['profiles', '--by', 'sphere', '--codes', 'motivations', '--json'], DEMO_ROOT);
    const d = JSON.parse(r.out) as { rule: { method: string }; groups: { value: string; codes: { code: string }[] }[] };
    expect(d.rule.method).toBe('share');
    expect(d.groups.map((g) => [g.value, g.codes.map((c) => c.code)])).toEqual([
      ['recherche', ['motivations.sujet-commun']],
      ['societe-civile', ['motivations.probleme-commun']],
      ['institution', ['motivations.interet-personnel']],
    ]);
  });

  it('shows the finding without auto-coding noise in the manual codings', async () => {
    const r = await cli(['matrix', '--by', 'sphere', '--codes', 'motivations', '--origin', 'manual', '--json'], DEMO_ROOT);
    const t = JSON.parse(r.out) as { rows: { code: string; counts: Record<string, number> }[] };
    const home: Record<string, string> = { 'motivations.sujet-commun': 'recherche', 'motivations.probleme-commun': 'societe-civile', 'motivations.interet-personnel': 'institution' };
    for (const [code, sphere] of Object.entries(home)) {
      const counts = t.rows.find((x) => x.code === code)?.counts ?? {};
      // Carried by hand in its own sphere only.
      expect({ code, counts }).toEqual({ code, counts: { recherche: 0, 'societe-civile': 0, institution: 0, [sphere]: counts[sphere] } });
      expect(counts[sphere]).toBeGreaterThanOrEqual(2);
    }
  });
});
