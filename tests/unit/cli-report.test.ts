import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { fixturePath } from '../helpers/analysis-fixture.js';
import { removeAll, tempProject } from '../helpers/project.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

function project(): string {
  const dir = tempProject(fixturePath('report'));
  rmSync(path.join(dir, 'expected'), { recursive: true, force: true });
  temps.push(dir);
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(['report', ...argv], io);
  return { code, out: io.out, err: io.err };
}

const WARNING = 'warning (fr): Code `obstacles.argent` has no `synthesis` in the codebook: its part of the report has no bullets.\n';

describe('verbatim report', () => {
  it('writes every plan to reports/<name>.md and prints a summary', async () => {
    const dir = project();
    const r = await cli(dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe('wrote reports/en.md (4 sections, 5 pages, 6 verbatims, 2 warnings)\nwrote reports/fr.md (7 sections, 9 pages, 14 verbatims, 2 warnings)\n');
    const unreviewed = {
      en: 'warning (en): 4 verbatims quote automatic codings nobody has reviewed: A1:2 (obstacles.normes), A4:3 (obstacles.normes), A1:3 (obstacles.argent), A5:3 (obstacles.argent). Review them (`verbatim review`), or set `quotes: reviewed` in the plan.\n',
      fr: 'warning (fr): 9 verbatims quote automatic codings nobody has reviewed: A4:1 (accueil.ouverture), A2:3 (accueil.ecoute), A5:4 (accueil.temps), A6:3 (accueil.temps), A3:4 (accueil.confiance) and 4 more. Review them (`verbatim review`), or set `quotes: reviewed` in the plan.\n',
    };
    expect(r.err).toBe(`${WARNING.replace('(fr)', '(en)')}${unreviewed.en}${WARNING}${unreviewed.fr}`);
    expect(readFileSync(path.join(dir, 'reports/fr.md'), 'utf8')).toBe(readFileSync(path.join(fixturePath('report'), 'expected/fr.md'), 'utf8'));
    // A second run changes nothing.
    const again = await cli(dir, 'fr');
    expect(again.out).toBe('reports/fr.md is up to date (7 sections, 9 pages, 14 verbatims, 2 warnings)\n');
  });

  it('--check passes on fresh reports and fails with a short diff on stale or missing ones', async () => {
    const dir = project();
    expect((await cli(dir, '--check')).code).toBe(1);
    await cli(dir);
    const ok = await cli(dir, '--check', 'fr');
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('reports/fr.md matches its plan (7 sections, 9 pages, 14 verbatims, 2 warnings)\n');
    const file = path.join(dir, 'reports/fr.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## 1. La méthode', '## 1. La méthode revue'));
    const stale = await cli(dir, '--check');
    expect(stale.code).toBe(1);
    expect(stale.out).toBe('reports/en.md matches its plan (4 sections, 5 pages, 6 verbatims, 2 warnings)\nreports/fr.md is stale: it differs from what `fr` generates\n');
    expect(stale.err).toContain(['--- reports/fr.md (committed)', '+++ reports/fr.md (generated)', '@@ -18,3 +18,3 @@', ' ', '-## 1. La méthode revue', '+## 1. La méthode', ' '].join('\n'));
    expect(stale.err).toContain('verbatim: a report is not what the project generates: run `verbatim report` and commit the result.\n');
    // --check writes nothing.
    expect(readFileSync(file, 'utf8')).toContain('La méthode revue');
  });

  it('accepts a line-end conversion of the committed report', async () => {
    const dir = project();
    await cli(dir, 'fr');
    const file = path.join(dir, 'reports/fr.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/gu, '\r\n'));
    expect((await cli(dir, '--check', 'fr')).code).toBe(0);
  });

  it('writes one plan to -o, and refuses -o with several plans', async () => {
    const dir = project();
    const r = await cli(dir, 'reports/en.plan.yaml', '-o', 'out/en-draft.md');
    expect(r.code).toBe(0);
    expect(r.out).toBe('wrote out/en-draft.md (4 sections, 5 pages, 6 verbatims, 2 warnings)\n');
    expect(existsSync(path.join(dir, 'reports/en.md'))).toBe(false);
    const two = await cli(dir, '-o', 'x.md');
    expect(two.code).toBe(2);
    expect(two.err).toBe('verbatim: `--output` writes one report: name one plan (`en` or `fr`).\n');
  });

  it('names the plans it knows when given an unknown one', async () => {
    const dir = project();
    const r = await cli(dir, 'fe');
    expect(r.code).toBe(2);
    expect(r.err).toBe('verbatim: No plan `fe`; did you mean `fr`?\n');
  });

  it('prints a JSON summary', async () => {
    const dir = project();
    const r = await cli(dir, 'en', '--json');
    expect(JSON.parse(r.out)).toEqual({
      plans: [
        {
          plan: 'en',
          file: 'reports/en.md',
          status: 'written',
          language: 'en',
          sections: 4,
          pages: 5,
          verbatims: 6,
          warnings: [
            'Code `obstacles.argent` has no `synthesis` in the codebook: its part of the report has no bullets.',
            '4 verbatims quote automatic codings nobody has reviewed: A1:2 (obstacles.normes), A4:3 (obstacles.normes), A1:3 (obstacles.argent), A5:3 (obstacles.argent). Review them (`verbatim review`), or set `quotes: reviewed` in the plan.',
          ],
        },
      ],
    });
  });

  it('writes nothing when the project has errors', async () => {
    const dir = project();
    const plan = path.join(dir, 'reports/fr.plan.yaml');
    writeFileSync(plan, readFileSync(plan, 'utf8').replace('codes: [accueil]', 'codes: [acceuil]'));
    const r = await cli(dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('Unknown code `acceuil`; did you mean `accueil`?');
    expect(r.err).toContain('verbatim: no report written: fix the errors above first.\n');
    expect(existsSync(path.join(dir, 'reports/en.md'))).toBe(false);
  });
});
