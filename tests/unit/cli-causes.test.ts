/**
 * Messages that point at the cause: a typo in a transcript id, a folder that
 * does not exist, a command run from a subfolder, `init` in an existing
 * project, and `check`'s report as its result on stdout.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { dedent } from '../helpers/source.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A small project: a codebook of two codes and two interviews, T01 and T02 (its file named `entretien-2.md`). */
function project(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-causes-'));
  temps.push(dir);
  const files: Record<string, string> = {
    'codebooks/codebook.yaml': dedent(`
      language: fr
      codes:
        - id: transport
          label: Le transport
          definition: Les trajets vers le travail.
          keywords: [bus, vélo]
        - id: horaires
          label: Les horaires
          definition: Les heures de travail.
          keywords: [horaire]
    `),
    'corpus/T01.md': dedent(`
      ---
      id: T01
      label: Une infirmière de nuit
      ---

      **Q :** Comment venez-vous ?

      **R :** Je prends le bus, puis le vélo quand il fait beau.
    `),
    'corpus/entretien-2.md': dedent(`
      ---
      id: T02
      label: Un boulanger
      ---

      **Q :** Et vos horaires ?

      **R :** Mon horaire commence à quatre heures.
    `),
    ...extra,
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('transcript ids on the command line', () => {
  it('an unknown id is a usage error with the id it may have meant, not an empty table', async () => {
    const dir = project();
    const r = await cli(dir, 'tag', 'T99');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('Unknown transcript `T99`');
    const lower = await cli(dir, 'tag', 't01');
    expect(lower.code).toBe(2);
    expect(lower.err).toContain('Unknown transcript `t01`; did you mean `T01`?');
  });

  it('takes a transcript file for its id, from the project or from the current folder', async () => {
    const dir = project();
    for (const [cwd, name] of [
      [dir, 'corpus/T01.md'],
      [dir, './corpus/T01.md'],
      [path.join(dir, 'corpus'), 'T01.md'],
    ] as const) {
      const r = await cli(cwd, '--project', dir, 'tag', name);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^T01 +1 +1 +1 +0 +transport \(1\)$/mu);
      expect(r.out).toContain('1 transcript');
    }
    // A file whose name is not its id: the id of its front matter.
    const other = await cli(dir, 'tag', 'corpus/entretien-2.md');
    expect(other.code, other.err).toBe(0);
    expect(other.out).toMatch(/^T02 +1/mu);
    const missing = await cli(dir, 'tag', 'corpus/T03.md');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('Unknown transcript `corpus/T03.md`; did you mean `T01`?');
  });

  it('review --transcript checks its ids the same way', async () => {
    const dir = project();
    const r = await cli(dir, 'review', '--list', '--transcript', 't02');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Unknown transcript `t02`; did you mean `T02`?');
    const ok = await cli(dir, 'review', '--list', '--transcript', 'corpus/entretien-2.md');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('T02:1');
    expect(ok.out).not.toContain('T01:');
  });
});

describe('exit codes of project problems and of a missing --project', () => {
  it('quotes without a codebook is a problem of the project (exit 1), not of the command line', async () => {
    const dir = project();
    rmSync(path.join(dir, 'codebooks'), { recursive: true });
    const r = await cli(dir, 'quotes', 'transport');
    expect(r.code).toBe(1);
    expect(r.err).toContain('No codebook');
  });

  it('review without a codebook says so as check does (exit 1, the no-codebook rule), not as a usage error', async () => {
    const dir = project();
    rmSync(path.join(dir, 'codebooks'), { recursive: true });
    const r = await cli(dir, 'review', '--list');
    expect(r.code).toBe(1);
    expect(r.err).toContain('No codebook');
    expect(r.err).toContain('no-codebook');
  });

  it('--project naming a folder that does not exist is a usage error that says so', async () => {
    const dir = project();
    const r = await cli(dir, '--project', 'ailleurs', 'check');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--project `ailleurs`: there is no such folder');
    expect(r.err).not.toMatch(/no codebook/iu);
    const file = await cli(dir, '--project', 'corpus/T01.md', 'quotes', 'transport');
    expect(file.code).toBe(2);
    expect(file.err).toContain('is a file, not a folder');
  });
});

describe('run from a subfolder of the project', () => {
  const broken = {
    'corpus/T03.md': dedent(`
      ---
      id: T03
      label: Une étudiante
      ---

      **R :** Je viens à pied. {#marche}
    `),
  };

  it('check finds the project upwards, and names files from the current folder', async () => {
    const dir = project(broken);
    const r = await cli(path.join(dir, 'corpus'), 'check', '--format', 'unix');
    expect(r.code).toBe(1);
    const report = r.out + r.err;
    expect(report).toMatch(/^T03\.md:6:\d+: Unknown code `marche`/mu);
    expect(report).not.toContain('corpus/T03.md');
    // The codebook is found, so its codes are known: no "no codebook" problem.
    expect(report).not.toMatch(/no codebook/iu);
  });

  it('every command finds it, from any depth, and a verbatim.yaml marks it too', async () => {
    const dir = project({ 'verbatim.yaml': 'language: fr\n', 'reports/notes/.keep': '' });
    const r = await cli(path.join(dir, 'reports/notes'), 'tag');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2 transcripts');
    const q = await cli(path.join(dir, 'corpus'), 'quotes', 'horaires');
    expect(q.code, q.err).toBe(0);
    expect(q.out).toContain('Mon horaire commence à quatre heures.');
  });

  it('an error another command prints names the file from the current folder too', async () => {
    const dir = project(broken);
    const r = await cli(path.join(dir, 'corpus'), 'tag');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^T03\.md$/mu);
  });
});

describe('verbatim init in an existing project', () => {
  it('adds what a project needs, not the example transcript, panel, codebook and plan, and says so', async () => {
    const dir = project();
    const codebook = readFileSync(path.join(dir, 'codebooks/codebook.yaml'), 'utf8');
    const r = await cli(dir, 'init');
    expect(r.code, r.err).toBe(0);
    for (const example of ['corpus/E01.md', 'corpus/panel.yaml', 'reports/rapport.plan.yaml']) expect(existsSync(path.join(dir, example)), example).toBe(false);
    expect(readFileSync(path.join(dir, 'codebooks/codebook.yaml'), 'utf8')).toBe(codebook);
    expect(r.out).toContain('created verbatim.yaml');
    expect(r.out).toContain('created .gitignore');
    expect(r.out).toContain('this folder already holds a project (2 transcripts, a codebook), so the example panel, transcript, codebook and plan were not added');
    expect(r.err).not.toContain('codebook.yaml');
    // The project still checks as before: no example that names attributes its panel lacks.
    expect((await cli(dir, 'check')).code).toBe(0);
  });

  it('a new folder still gets the whole example', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-causes-'));
    temps.push(dir);
    const r = await cli(dir, 'init');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(path.join(dir, 'corpus/E01.md'))).toBe(true);
    expect(r.out).not.toContain('already holds');
  });
});

describe("check's report is its result, on stdout", () => {
  const warned = {
    // A code nobody uses is a warning (unused-code); T03's unknown code an error.
    'codebooks/codebook.yaml': dedent(`
      language: fr
      codes:
        - id: transport
          label: Le transport
          definition: Les trajets vers le travail.
          keywords: [bus, vélo]
        - id: horaires
          label: Les horaires
          definition: Les heures de travail.
          keywords: [horaire]
        - id: loisirs
          label: Les loisirs
          definition: Le temps libre.
          keywords: [cinéma]
    `),
  };

  it.each(['json', 'unix', 'github', 'stylish'])('--format %s goes to stdout, so that `> file` and `| jq` get it', async (format) => {
    const dir = project({ ...warned, 'corpus/T03.md': '---\nid: T03\nlabel: Une étudiante\n---\n\n**R :** Je viens à pied. {#marche}\n' });
    const r = await cli(dir, 'check', '--format', format);
    expect(r.code).toBe(1);
    expect(r.out).toContain('marche');
    expect(r.err).not.toContain('marche');
    if (format === 'json') expect((JSON.parse(r.out) as { ruleId: string }[]).map((d) => d.ruleId).sort()).toEqual(['unknown-code', 'unused-code']);
  });

  it('--quiet with warnings and no error does not say "no problems"', async () => {
    const dir = project(warned);
    const r = await cli(dir, 'check', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toContain('no problems');
    expect(r.out).toContain('no errors (1 warning not shown: --quiet)');
    const clean = await cli(project(), 'check');
    expect(clean.out).toContain('2 transcripts, 2 codes, 0 plans: no problems.');
  });

  it('--format unix keeps each diagnostic on one line, even when its message quotes a line break', async () => {
    const dir = project({ 'corpus/T03.md': '---\nid: T03\nlabel: Une étudiante\nattributes:\n  "role\\nnuit": x\n---\n\n**R :** Je viens à pied.\n' });
    const r = await cli(dir, 'check', '--format', 'unix');
    const lines = r.out.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^corpus\/\S+:\d+:\d+: .* \[[a-z-]+\]$/u);
    expect(r.out).toContain('role\\nnuit');
  });
});
