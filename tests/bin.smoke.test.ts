/** The built bin, spawned as users run it (needs the `prepare` build, as after `npm ci`). */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateCorpus } from '../bench/corpus.js';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAll, tempProject } from './helpers/project.js';

const repo = path.join(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/verbatim.js');

describe('bin/verbatim.js', () => {
  it('is built', () => {
    expect(existsSync(path.join(repo, 'dist/cli/run.js')), 'run `npm run build` first').toBe(true);
  });

  it('prints the version of package.json', () => {
    const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe((JSON.parse(execFileSync('cat', [path.join(repo, 'package.json')], { encoding: 'utf8' })) as { version: string }).version);
  });

  it('checks the demo project with no problem and exit 0', () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--max-warnings', '0'], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout).toMatch(/^✔ 12 transcripts/);
    expect(r.status).toBe(0);
  });

  it('sets exit code 1 and prints positioned diagnostics on a broken project', () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--format', 'unix', '--project', 'tests/fixtures/check/yaml-syntax/project'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(1);
    // The report on stdout, each file named from the current folder (so that it opens from there).
    expect(r.stdout).toMatch(/^tests\/fixtures\/check\/yaml-syntax\/project\/codebooks\/codebook\.yaml:15:9: /);
  });

  // The built program validates with schemas compiled at build time: same messages as the sources.
  const temps: string[] = [];
  afterAll(() => temps.forEach(removeAll));
  it.each(['unknown-key', 'invalid-type', 'invalid-value', 'missing-label', 'invalid-id'])('gives the golden diagnostics of %s with the prebuilt validators', (rule) => {
    const fixtures = path.join(repo, 'tests/fixtures/check');
    const dir = tempProject(path.join(fixtures, '_base'), path.join(fixtures, rule, 'project'));
    temps.push(dir);
    const r = spawnSync(process.execPath, [bin, 'check', '--format', 'unix'], { cwd: dir, encoding: 'utf8' });
    expect(`exit ${r.status}\n${r.stderr}${r.stdout}`).toBe(readFileSync(path.join(fixtures, rule, 'expected.txt'), 'utf8'));
  });
});

describe('tag on worker threads, on one thread, and without WebAssembly', () => {
  // A generated corpus with markers, phrases, patterns and vetoes; two workers must print what one thread prints.
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  generateCorpus({ dir, megabytes: 2, files: 24 });
  const tag = (...args: string[]): { out: string; status: number | null } => {
    const r = spawnSync(process.execPath, [bin, 'tag', '--project', dir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
    return { out: r.stdout, status: r.status };
  };

  it('gives the same summary without WebAssembly (node --jitless: the full parser for every file)', () => {
    const wasm = tag('--workers', '1');
    const r = spawnSync(process.execPath, ['--jitless', bin, 'tag', '--workers', '1', '--project', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(wasm.out);
  });

  it.each([[[]], [['--json']]])('gives the same output with %j', (extra) => {
    const one = tag('--workers', '1', ...extra);
    const two = tag('--workers', '2', ...extra);
    expect(one.status).toBe(0);
    expect(one.out.length).toBeGreaterThan(1000);
    expect(two.out).toBe(one.out);
  });
});
