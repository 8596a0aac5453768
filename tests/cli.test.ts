/** The CLI run in-process: exit codes, usage errors, colour, init. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
const base = path.join(import.meta.dirname, 'fixtures/check/_base');
function temp(...layers: string[]): string {
  const dir = tempProject(...layers);
  temps.push(dir);
  return dir;
}

describe('exit codes', () => {
  it('2 for an unknown option or command, with usage on stderr and no stack', async () => {
    for (const argv of [['check', '--nope'], ['nope'], ['check', '--format', 'xml']]) {
      const io = memoryIo(temp(base));
      expect(await run(argv, io)).toBe(2);
      expect(io.err).toMatch(/error|invalid|unknown/i);
      expect(io.err).not.toMatch(/\n\s+at /);
    }
  });

  it('2 for --max-warnings that is not a number', async () => {
    const io = memoryIo(temp(base));
    expect(await run(['check', '--max-warnings', 'many'], io)).toBe(2);
    expect(io.err).toContain('`--max-warnings` takes a whole number');
  });

  it('1 when warnings exceed --max-warnings, 0 without the option', async () => {
    const dir = temp(base);
    const cb = path.join(dir, 'codebooks/codebook.yaml');
    writeFileSync(cb, readFileSync(cb, 'utf8').replace('    definition: Relations between residents.\n', ''));
    expect(await run(['check'], memoryIo(dir))).toBe(0);
    const io = memoryIo(dir);
    expect(await run(['check', '--max-warnings', '0'], io)).toBe(1);
    expect(io.err).toContain('Too many warnings (1, at most 0');
  });

  it('0 and a success line on a clean project; --version and --help exit 0', async () => {
    const io = memoryIo(temp(base));
    expect(await run(['check'], io)).toBe(0);
    expect(io.out).toBe('✔ 1 transcript, 4 codes, 1 plan: no problems.\n');
    const v = memoryIo(temp(base));
    expect(await run(['--version'], v)).toBe(0);
    expect(v.out).toMatch(/^\d+\.\d+\.\d+\n$/);
    const h = memoryIo(temp(base));
    expect(await run(['check', '--help'], h)).toBe(0);
    expect(h.out).toContain('Examples:');
  });

  it('colour: never when NO_COLOR is set, even with FORCE_COLOR', async () => {
    const dir = temp(base, path.join(import.meta.dirname, 'fixtures/check/unknown-code/project'));
    const forced = memoryIo(dir, { FORCE_COLOR: '1' });
    expect(await run(['check'], forced)).toBe(1);
    expect(forced.out).toMatch(/\x1b\[/);
    const plain = memoryIo(dir, { FORCE_COLOR: '1', NO_COLOR: '1' });
    await run(['check'], plain);
    expect(plain.out).not.toMatch(/\x1b\[/);
  });

  it('--output-file writes the report and nothing to stderr', async () => {
    const dir = temp(base, path.join(import.meta.dirname, 'fixtures/check/unknown-code/project'));
    const io = memoryIo(dir);
    expect(await run(['check', '--format', 'json', '-o', 'out/check.json'], io)).toBe(1);
    expect(io.err).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'out/check.json'), 'utf8'))[0].ruleId).toBe('unknown-code');
  });
});

describe('verbatim init', () => {
  it.each(['fr', 'en'])('scaffolds a %s project that checks clean', async (language) => {
    const dir = temp(base);
    const io = memoryIo(dir);
    expect(await run(['init', 'study', '--language', language], io)).toBe(0);
    expect(io.out).toContain('created study/corpus/panel.yaml');
    const check = memoryIo(path.join(dir, 'study'));
    expect(await run(['check', '--max-warnings', '0'], check)).toBe(0);
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = temp(base);
    writeFileSync(path.join(dir, 'verbatim.yaml'), 'language: en # mine\n');
    const io = memoryIo(dir);
    expect(await run(['init'], io)).toBe(0);
    expect(readFileSync(path.join(dir, 'verbatim.yaml'), 'utf8')).toBe('language: en # mine\n');
    expect(io.err).toContain('kept verbatim.yaml');
  });
});

describe('verbatim tag', () => {
  it('reports keywords and patterns it cannot use as errors (exit 1), and still codes with the others', async () => {
    const dir = temp(base, path.join(import.meta.dirname, 'fixtures/check/unsafe-pattern/project'));
    const io = memoryIo(dir);
    expect(await run(['tag'], io)).toBe(1);
    expect(io.err).toContain('unsafe-pattern');
    expect(io.out).toMatch(/^A1\s+2\s+2\s/m);
  });
});

