/**
 * Atomic writes: every file Verbatim writes goes through writeFileSafely
 * (a temporary file, then a rename), so an interrupted write leaves the
 * previous file intact and no temporary file behind.
 */
import fs, { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { writeFileSafely } from '../src/engine/write.js';
import { filesUnder } from './property/helpers.js';
import { removeAll, tempProject } from './helpers/project.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
afterEach(() => vi.restoreAllMocks());

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-atomic-'));
  temps.push(dir);
  return dir;
}

/** A rename that fails, as when the process is killed between the write and the rename. */
function failRename(): void {
  vi.spyOn(fs, 'renameSync').mockImplementation(() => {
    throw Object.assign(new Error('EIO: simulated crash before rename'), { code: 'EIO' });
  });
}

/** A write that puts half of the data in the temporary file, then fails (disk full). */
function failMidway(): void {
  const real = fs.writeSync.bind(fs) as (...args: unknown[]) => number;
  vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | Uint8Array, ...rest: unknown[]) => {
    const half = typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1);
    real(fd, half, ...(typeof data === 'string' ? rest.slice(0, 1) : []));
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  }) as typeof fs.writeSync);
}

describe('writeFileSafely', () => {
  it('writes, creating the folder, and replaces a file whole', () => {
    const dir = folder();
    const file = path.join(dir, 'a/b/out.txt');
    writeFileSafely(file, 'first');
    writeFileSafely(file, Uint8Array.from([0x73, 0x65, 0x63]));
    expect(readFileSync(file, 'utf8')).toBe('sec');
    expect(readdirSync(path.dirname(file))).toEqual(['out.txt']);
  });

  it.each([
    ['the rename fails', failRename],
    ['the write fails halfway', failMidway],
  ])('keeps the previous file intact and leaves no temporary file when %s', (_what, sabotage) => {
    const dir = folder();
    const file = path.join(dir, 'report.md');
    writeFileSync(file, 'previous report\n');
    sabotage();
    expect(() => writeFileSafely(file, 'new report, '.repeat(1000))).toThrow(/simulated crash|no space/);
    vi.restoreAllMocks();
    expect(readFileSync(file, 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});

describe('commands that write, interrupted', () => {
  const base = path.join(import.meta.dirname, 'fixtures/check/_base');
  const project = (): string => {
    const dir = tempProject(base);
    temps.push(dir);
    return dir;
  };

  it.each([
    ['export csv', ['export', 'csv', '-o', 'out.csv', '--force']],
    ['export qdpx', ['export', 'qdpx', '-o', 'out.csv', '--force']],
    ['check --output-file', ['check', '--format', 'json', '-o', 'out.csv']],
  ])('%s: exit 2 with one line and no stack; the previous file intact; no temporary file', async (_name, argv) => {
    const dir = project();
    writeFileSync(path.join(dir, 'out.csv'), 'previous,content\n');
    const before = readdirSync(dir).sort();
    failRename();
    const io = memoryIo(dir);
    expect(await run(argv, io)).toBe(2);
    vi.restoreAllMocks();
    expect(io.err).toMatch(/^verbatim: internal error: EIO: simulated crash before rename\n/);
    expect(io.err).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(dir, 'out.csv'), 'utf8')).toBe('previous,content\n');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('init: a failed write of a schema leaves no temporary file', async () => {
    const dir = folder();
    let calls = 0;
    const real = fs.renameSync.bind(fs);
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      // Let the project files through, then fail on the first schema.
      if (String(to).includes(`${path.sep}schemas${path.sep}`) && calls++ === 0) throw new Error('EIO: simulated crash before rename');
      real(from, to);
    });
    expect(await run(['init', 'study'], memoryIo(dir))).toBe(2);
    vi.restoreAllMocks();
    const left = filesUnder(path.relative(path.join(import.meta.dirname, '..'), dir), /./).filter((f) => !/\.(md|ya?ml|json)$|\.gitignore$/.test(f));
    expect(left).toEqual([]);
  });
});

describe('the code base', () => {
  it('writes files only through writeFileSafely', () => {
    const offenders: string[] = [];
    for (const file of filesUnder('src', /\.ts$/)) {
      if (file.endsWith(path.join('engine', 'write.ts'))) continue;
      // import-write.ts renames a staging folder into place, whose files went through writeFileSafely: that rename only.
      const folderRename = file.endsWith(path.join('engine', 'import-write.ts'));
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => (folderRename ? line.replace(/\brenameSync\b/g, '') : line))
        .forEach((line, i) => {
          if (/\b(writeFileSync|appendFileSync|createWriteStream|cpSync|copyFileSync|renameSync|writeSync|fs\.write|fs\.promises|fsPromises|from 'node:fs\/promises'|from 'fs\/promises')\b/.test(line)) offenders.push(`${path.relative(path.join(import.meta.dirname, '..'), file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
