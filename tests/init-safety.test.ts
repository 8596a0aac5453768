/**
 * `verbatim init` where it cannot do its job: a file where the folder should
 * be (a usage error, exit 2), a folder it cannot write (exit 1 with the real
 * cause and the file, never a temporary file), and a `.gitignore` of the
 * researcher's, to which it adds `.verbatim/` without touching the rest.
 */
import fs, { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from './helpers/tmpfs.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
afterEach(() => vi.restoreAllMocks());

function folder(): string {
  const dir = tempProject();
  temps.push(dir);
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('init where it cannot make a project', () => {
  it('a file given as the folder is a usage error, exit 2, one line', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'notes.md'), 'mine\n');
    expect(await cli(dir, 'init', 'notes.md')).toEqual({ code: 2, out: '', err: 'verbatim: `notes.md` is a file, not a folder: give `verbatim init` a folder for the project (a new one, or an existing one).\n' });
    expect(await cli(dir, 'init', 'notes.md/study')).toEqual({ code: 2, out: '', err: 'verbatim: `notes.md` is a file, not a folder: give `verbatim init` a folder for the project (a new one, or an existing one).\n' });
    expect(readdirSync(dir)).toEqual(['notes.md']);
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  it('a folder it may not write: exit 1, the file and the cause, not a temporary file', async () => {
    const dir = folder();
    vi.spyOn(fs, 'openSync').mockImplementation((p) => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${String(p)}'`), { code: 'EACCES', path: String(p) });
    });
    const r = await cli(dir, 'init', 'study');
    vi.restoreAllMocks();
    expect(r).toEqual({ code: 1, out: '', err: 'verbatim: cannot write study/verbatim.yaml: permission denied.\n' });
  });
});

const noTmpfs = tmpfsUnavailable('tests/init-safety.test.ts, the read-only file system tests');

describe.skipIf(noTmpfs !== undefined)(`on a read-only file system (a tmpfs mounted ro)${noTmpfs ? `: skipped, ${noTmpfs}` : ''}`, () => {
  let readOnly: Tmpfs;
  beforeAll(() => {
    readOnly = mountTmpfs('ro,size=64k');
  });
  afterAll(() => readOnly?.unmount());

  it.each([
    ['the folder itself', '.', 'verbatim.yaml'],
    ['a new folder in it', 'study', 'study/verbatim.yaml'],
    ['a new folder two levels down', 'a/b', 'a/b/verbatim.yaml'],
  ])('init in %s: exit 1, one line with the real cause', async (_what, target, file) => {
    const r = await cli(readOnly.dir, 'init', target);
    expect(r).toEqual({ code: 1, out: '', err: `verbatim: cannot write ${file}: read-only file system.\n` });
  });
});

describe('init and an existing .gitignore', () => {
  it.each([
    ['LF line ends', 'node_modules/\n*.log\n', 'node_modules/\n*.log\n.verbatim/\n'],
    ['CRLF line ends and a BOM', '\uFEFFnode_modules/\r\n*.log\r\n', '\uFEFFnode_modules/\r\n*.log\r\n.verbatim/\r\n'],
    ['no final line end', 'dist', 'dist\n.verbatim/\n'],
    ['an empty file', '', '.verbatim/\n'],
  ])('adds .verbatim/ and keeps every other byte (%s)', async (_what, before, after) => {
    const dir = folder();
    writeFileSync(path.join(dir, '.gitignore'), before);
    const r = await cli(dir, 'init', '.');
    expect(r.code).toBe(0);
    expect(r.out).toContain('added .verbatim/ to .gitignore (the names to mask in .verbatim/redact.txt must never be committed)\n');
    expect(r.err).not.toContain('.gitignore');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(after);
    // A second run has nothing to add; --force does not replace the file either.
    const again = await cli(dir, 'init', '.', '--force');
    expect(again.out).not.toContain('.gitignore');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(after);
  });

  it.each(['.verbatim', '/.verbatim/', '.verbatim/**'])('leaves a .gitignore that already ignores the folder (%s)', async (line) => {
    const dir = folder();
    writeFileSync(path.join(dir, '.gitignore'), `# mine\n${line}\n`);
    const r = await cli(dir, 'init', '.');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('.gitignore');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(`# mine\n${line}\n`);
  });
});
