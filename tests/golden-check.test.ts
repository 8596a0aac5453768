/**
 * Golden tests of `verbatim check`: every rule has a fixture folder that
 * triggers it (tests/fixtures/check/<rule-id>/), laid over a clean base
 * project, and the expected unix-format output with file:line:column.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../src/cli/run.js';
import { memoryIo } from '../src/cli/io.js';
import { RULES } from '../src/core/rules.js';
import { removeAll, tempProject } from './helpers/project.js';

const root = path.join(import.meta.dirname, 'fixtures/check');
const base = path.join(root, '_base');
type CaseMeta = { args?: string[]; remove?: string[]; git?: boolean };
const metaOf = (name: string): CaseMeta => (existsSync(path.join(root, name, 'case.yaml')) ? (parse(readFileSync(path.join(root, name, 'case.yaml'), 'utf8')) as CaseMeta) : {});
/** Cases with `git: true` make the project a git repository with every file committed; they need git. */
const haveGit = spawnSync('git', ['--version']).status === 0;
const cases = readdirSync(root)
  .filter((n) => !n.startsWith('_'))
  .filter((n) => haveGit || !metaOf(n).git)
  .sort();
if (!haveGit) console.warn('SKIPPED: the check goldens with `git: true` (tracked-redactions) need git, which is not installed here.');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

async function checkCase(name: string): Promise<string> {
  const dir = path.join(root, name);
  const meta = metaOf(name);
  const layers = [base, ...(existsSync(path.join(dir, 'project')) ? [path.join(dir, 'project')] : [])];
  const project = tempProject(...layers);
  temps.push(project);
  for (const r of meta.remove ?? []) rmSync(path.join(project, r));
  if (meta.git) {
    const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: project, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-f', '.');
    git('commit', '-q', '-m', 'fixture');
  }
  const io = memoryIo(project);
  const code = await run(['check', '--format', 'unix', ...(meta.args ?? [])], io);
  return `exit ${code}\n${io.err}${io.out}`;
}

describe('verbatim check goldens', () => {
  it('the base project is clean', async () => {
    const io = memoryIo(tempProject(base));
    temps.push(io.cwd);
    expect(await run(['check', '--format', 'unix'], io)).toBe(0);
    expect(io.err).toBe('');
  });

  it.each(cases)('%s', async (name) => {
    await expect(await checkCase(name)).toMatchFileSnapshot(path.join(root, name, 'expected.txt'));
  });

  it('every rule has a fixture that triggers it', () => {
    for (const rule of Object.keys(RULES)) {
      if (!haveGit && metaOf(rule).git) continue;
      const expected = path.join(root, rule, 'expected.txt');
      expect(existsSync(expected), `fixture for ${rule}`).toBe(true);
      expect(readFileSync(expected, 'utf8')).toContain(`[${rule}]`);
    }
  });

  it('no output has a stack trace', () => {
    for (const name of cases) {
      const expected = path.join(root, name, 'expected.txt');
      if (existsSync(expected)) expect(readFileSync(expected, 'utf8')).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });
});
