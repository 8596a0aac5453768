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
import { openAtomicFile, TEMP_FILE, writeFileSafely } from '../src/engine/write.js';
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
    ['the rename fails', failRename, 'input/output error (the device failed)'],
    ['the write fails halfway', failMidway, 'no space left on the device'],
  ])('keeps the previous file intact and leaves no temporary file when %s', (_what, sabotage, reason) => {
    const dir = folder();
    const file = path.join(dir, 'report.md');
    writeFileSync(file, 'previous report\n');
    sabotage();
    expect(() => writeFileSafely(file, 'new report, '.repeat(1000))).toThrow(`cannot write ${file}: ${reason}`);
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
  ])('%s: exit 1 with one line naming the file and the cause, no stack; the previous file intact; no temporary file', async (_name, argv) => {
    const dir = project();
    writeFileSync(path.join(dir, 'out.csv'), 'previous,content\n');
    // The record cache (.verbatim/) is Verbatim's own: its writes fail too, silently.
    const files = (): string[] => readdirSync(dir).filter((n) => n !== '.verbatim').sort();
    const before = files();
    failRename();
    const io = memoryIo(dir);
    expect(await run(argv, io)).toBe(1);
    vi.restoreAllMocks();
    expect(io.err).toBe('verbatim: cannot write out.csv: input/output error (the device failed).\n');
    expect(readFileSync(path.join(dir, 'out.csv'), 'utf8')).toBe('previous,content\n');
    expect(files()).toEqual(before);
  });

  it('init: a failed write of a schema leaves no temporary file', async () => {
    const dir = folder();
    let calls = 0;
    const real = fs.renameSync.bind(fs);
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      // Let the project files through, then fail on the first schema.
      if (String(to).includes(`${path.sep}schemas${path.sep}`) && calls++ === 0) throw Object.assign(new Error('EIO: simulated crash before rename'), { code: 'EIO' });
      real(from, to);
    });
    const io = memoryIo(dir);
    expect(await run(['init', 'study'], io)).toBe(1);
    vi.restoreAllMocks();
    expect(io.err).toBe('verbatim: cannot write study/schemas/codebook.schema.json: input/output error (the device failed).\n');
    const left = filesUnder(path.relative(path.join(import.meta.dirname, '..'), dir), /./).filter((f) => !/\.(md|ya?ml|json)$|\.gitignore$/.test(f));
    expect(left).toEqual([]);
  });
});

describe('the code base', () => {
  it('writes files only through the writer (src/engine/write.ts)', () => {
    const offenders: string[] = [];
    for (const file of filesUnder('src', /\.ts$/)) {
      if (file.endsWith(path.join('engine', 'write.ts'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // Writing, truncating, moving or removing files, and opening them for writing.
          if (/\b(writeFileSync|appendFileSync|createWriteStream|cpSync|copyFileSync|renameSync|writeSync|truncateSync|ftruncateSync|unlinkSync|rmSync|mkdirSync|symlinkSync|linkSync|fs\.write|fs\.promises|fsPromises|from 'node:fs\/promises'|from 'fs\/promises')\b/.test(line) || /\bopenSync\([^)]*['"][wa]/.test(line)) offenders.push(`${path.relative(path.join(import.meta.dirname, '..'), file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});

describe('openAtomicFile, the streaming form', () => {
  it('shows nothing at the target until the commit, then every chunk', () => {
    const dir = folder();
    const file = path.join(dir, 'export.csv');
    writeFileSync(file, 'previous\n');
    const out = openAtomicFile(file);
    out.write('a,b\n');
    out.write(Uint8Array.from([0x31, 0x2c, 0x32, 0x0a]));
    out.write('é\n');
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir).filter((n) => TEMP_FILE.test(n))).toHaveLength(1);
    out.commit();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\né\n');
    expect(readdirSync(dir)).toEqual(['export.csv']);
    expect(() => out.write('more')).toThrow(/already committed/);
  });

  it('abort leaves the previous file and no temporary file, and can be called twice', () => {
    const dir = folder();
    const file = path.join(dir, 'export.csv');
    writeFileSync(file, 'previous\n');
    const out = openAtomicFile(file);
    out.write('half of it');
    out.abort();
    out.abort();
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['export.csv']);
  });

  it("keeps an existing file's permission bits", () => {
    const dir = folder();
    const file = path.join(dir, 'report.md');
    writeFileSync(file, 'previous\n');
    fs.chmodSync(file, 0o640);
    writeFileSafely(file, 'new\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  it('a failed write names the target, not the temporary file', () => {
    const dir = folder();
    const file = path.join(dir, 'report.md');
    vi.spyOn(fs, 'openSync').mockImplementation(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path.join(dir, '.report.md.verbatim-1-00000000.tmp')}'`), { code: 'EACCES' });
    });
    expect(() => writeFileSafely(file, 'x')).toThrow(`cannot write ${file}: permission denied`);
  });
});

describe('temporary file names', () => {
  it('fit the file system when the target name is long (cut by characters, not bytes)', () => {
    const dir = folder();
    const file = path.join(dir, `${'é'.repeat(120)}.md`);
    let temp = '';
    const real = fs.openSync.bind(fs);
    vi.spyOn(fs, 'openSync').mockImplementation((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode | null) => {
      temp = path.basename(String(p));
      return real(p, flags ?? 'r', mode);
    });
    writeFileSafely(file, 'x');
    vi.restoreAllMocks();
    expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
    expect(temp).toMatch(TEMP_FILE);
    expect(temp).toMatch(/^\.é+\.verbatim-\d+-[0-9a-f]{8}\.tmp$/u);
    expect(readdirSync(dir)).toEqual([path.basename(file)]);
  });
});
