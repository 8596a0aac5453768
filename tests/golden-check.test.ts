/**
 * Golden tests of `verbatim check`: every rule has a fixture folder that
 * triggers it (tests/fixtures/check/<rule-id>/), laid over a clean base
 * project, and the expected unix-format output with file:line:column.
 */
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
const cases = readdirSync(root).filter((n) => !n.startsWith('_')).sort();
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

async function checkCase(name: string): Promise<string> {
  const dir = path.join(root, name);
  const meta = existsSync(path.join(dir, 'case.yaml')) ? (parse(readFileSync(path.join(dir, 'case.yaml'), 'utf8')) as { args?: string[]; remove?: string[] }) : {};
  const layers = [base, ...(existsSync(path.join(dir, 'project')) ? [path.join(dir, 'project')] : [])];
  const project = tempProject(...layers);
  temps.push(project);
  for (const r of meta.remove ?? []) rmSync(path.join(project, r));
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
