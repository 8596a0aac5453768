/**
 * One diagnostics path: every command applies the severities of
 * `verbatim.yaml`'s `rules:` and masks redacted strings in the messages it
 * prints, as `check` does. Each command runs on a project whose faulty line
 * quotes a redacted name.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { projectWith, removeAll } from './helpers/project.js';

const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** Every command that loads the project and prints its diagnostics. */
const COMMANDS: string[][] = [
  ['check'],
  ['check', '--format', 'json'],
  ['tag'],
  ['tag', '--json'],
  ['tag', '--explain'],
  ['status'],
  ['quotes', 'info.lack'],
  ['search', 'neighbours'],
  ['matrix', '--by', 'role'],
  ['cooc'],
  ['saturation'],
  ['profiles', '--by', 'role'],
  ['agree', '--auto'],
  ['report'],
  ['export', 'csv'],
  ['export', 'json'],
];

/** A1 with `role` set to `value`. */
const transcript = (value: string): string => `---
id: A1
label: A resident
attributes:
  role: ${value}
date: 2024-01-10
---

**Q:** How was it?

**R:** Nobody told us anything. The neighbours helped. {#info.lack}

There was a public meeting later.
`;

function project(files: Record<string, string>): string {
  const dir = projectWith(base, { '.verbatim/redact.txt': 'Jean Dupont\n', ...files });
  temps.push(dir);
  return dir;
}

async function cli(dir: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('every command shows diagnostics the same way', () => {
  it.each(COMMANDS)('%s …: an error that quotes a redacted name is masked, and fails', async (...argv) => {
    // A value the panel does not declare: an error whose message quotes it.
    const dir = project({ 'corpus/A1.md': transcript('Jean Dupont') });
    const r = await cli(dir, argv);
    expect(`${r.out}${r.err}`).not.toMatch(/jean|dupont/i);
    // check's report is its result, on stdout; the other commands print diagnostics on stderr.
    expect(argv[0] === 'check' ? r.out : r.err).toContain('[·]');
    expect(r.code).toBe(1);
  });

  it.each(COMMANDS)('%s …: a rule made a warning in verbatim.yaml does not fail', async (...argv) => {
    const dir = project({
      'verbatim.yaml': 'language: en\nrules:\n  unknown-attribute-value: warning\n',
      'corpus/A1.md': transcript('Jean Dupont'),
    });
    const r = await cli(dir, argv);
    expect(`${r.out}${r.err}`).not.toMatch(/jean|dupont/i);
    expect(r.code, r.err).toBe(0);
  });
});

describe('every command reads the panel table the same way', () => {
  // The value of `role` comes from the panel table only: every command merges it before checking the
  // transcript's attributes. Before one stage served every command, `tag` and `search` checked the front
  // matter alone and reported `missing-attribute` (here an error) where `check` did not.
  it.each(COMMANDS.filter(([c]) => c !== 'agree'))('%s …: a value from panel.csv is no missing attribute', async (...argv) => {
    const dir = project({
      'verbatim.yaml': 'language: en\nrules:\n  missing-attribute: error\n',
      'corpus/A1.md': transcript('resident').replace('attributes:\n  role: resident\n', ''),
      'corpus/panel.csv': 'id,role\nA1,resident\n',
    });
    const r = await cli(dir, argv);
    expect(`${r.out}${r.err}`).not.toContain('missing-attribute');
    expect(r.code, r.err).toBe(0);
  });
});
