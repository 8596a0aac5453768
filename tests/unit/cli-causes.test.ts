/**
 * Messages that point at the cause: a typo in a transcript id, a folder that
 * does not exist, a command run from a subfolder, `init` in an existing
 * project, and `check`'s report as its result on stdout.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
