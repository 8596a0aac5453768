/**
 * Nothing lost: a write that cannot write all its bytes (a full disk, a
 * quota, a device that stops short) fails with one line and exit 1, leaves
 * the previous file byte for byte and no temporary file, and is never
 * reported as written.
 */
import { isCachePath } from './helpers/cache.js';
import { spawn, spawnSync } from 'node:child_process';
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { fixturePath } from './helpers/analysis-fixture.js';
import { removeAll, tempProject } from './helpers/project.js';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from './helpers/tmpfs.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
afterEach(() => vi.restoreAllMocks());

/** A copy of the report fixture project (two plans, six transcripts), under `parent` when given. */
function project(parent?: string): string {
  const dir = parent ? mkdtempSync(path.join(parent, 'study-')) : tempProject(fixturePath('report'));
  if (parent) fs.cpSync(fixturePath('report'), dir, { recursive: true });
  rmSync(path.join(dir, 'expected'), { recursive: true, force: true });
  if (!parent) temps.push(dir);
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

const ENOSPC = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/**
 * `fs.writeSync` that writes at most half of what it is asked (at least one
 * byte), as a full or slow device may; with `then`, only the first call
 * writes anything and the next ones return 0 or throw ENOSPC.
 */
function shortWrites(then?: 'zero' | 'enospc'): void {
  const real = fs.writeSync.bind(fs) as (fd: number, b: Uint8Array, o: number, l: number, p: number | null) => number;
  let calls = 0;
  vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    calls++;
    if (calls > 1 && then === 'zero') return 0;
    if (calls > 1 && then === 'enospc') throw ENOSPC();
    const isString = typeof data === 'string';
    const bytes = isString ? Buffer.from(data, typeof rest[1] === 'string' ? (rest[1] as BufferEncoding) : 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const offset = isString ? 0 : ((rest[0] as number | undefined) ?? 0);
    const length = isString ? bytes.length : ((rest[1] as number | undefined) ?? bytes.length - offset);
    const position = (isString ? rest[0] : rest[2]) as number | null | undefined;
    return real(fd, bytes, offset, Math.max(1, length >> 1), typeof position === 'number' ? position : null);
  }) as typeof fs.writeSync);
}

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => !isCachePath(f) && f !== '.verbatim/cache').sort();
}

/** The one line a failed write prints: `cannot write FILE: REASON.` */
const cannotWrite = (file: string, reason: string): string => `verbatim: cannot write ${file}: ${reason}.\n`;

/**
 * The three commands that write into a project, each with a previous file
 * in place that the sabotaged run must leave as it was, and the line it
 * prints when the write fails.
 */
const WRITERS: { name: string; file: string; prepare(dir: string): Promise<void>; argv: string[]; failure?: (file: string, reason: string) => string }[] = [
  {
    name: 'report',
    file: 'reports/fr.md',
    prepare: async (dir) => {
      expect((await cli(dir, 'report', 'fr')).code).toBe(0);
      // The plan changes, so that the next report differs from the one on disk.
      const plan = path.join(dir, 'reports/fr.plan.yaml');
      writeFileSync(plan, readFileSync(plan, 'utf8').replace(/^title: .*$/m, 'title: Un autre titre'));
    },
    argv: ['report', 'fr'],
  },
  {
    name: 'export',
    file: 'codings.csv',
    prepare: async (dir) => {
      expect((await cli(dir, 'export', 'csv', '--origin', 'manual', '-o', 'codings.csv')).code).toBe(0);
    },
    argv: ['export', 'csv', '-o', 'codings.csv', '--force'],
  },
  {
    name: 'import',
    file: 'corpus/A9.md',
    prepare: async (dir) => {
      writeFileSync(path.join(dir, 'interview.txt'), `${'Je pense que les habitants se connaissent bien. '.repeat(200)}\n`);
      expect((await cli(dir, 'import', 'interview.txt', '--id', 'A9')).code).toBe(0);
      writeFileSync(path.join(dir, 'interview.txt'), `${'Nous avons monté une association de quartier. '.repeat(300)}\n`);
    },
    argv: ['import', 'interview.txt', '--id', 'A9', '--force'],
    failure: (file, reason) => `verbatim: cannot import interview.txt: cannot write ${file}: ${reason}; nothing was written.\n`,
  },
];

describe('a write that cannot write every byte', () => {
  it.each(WRITERS)('$name: short writes are continued until every byte is written', async ({ file, prepare, argv }) => {
    const dir = project();
    const reference = project();
    await prepare(dir);
    await prepare(reference);
    expect((await cli(reference, ...argv)).code).toBe(0);
    shortWrites();
    const r = await cli(dir, ...argv);
    vi.restoreAllMocks();
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, file)).equals(readFileSync(path.join(reference, file)))).toBe(true);
    expect(listing(dir)).toEqual(listing(reference));
  });

  it.each(WRITERS.flatMap((w) => (['zero', 'enospc'] as const).map((then) => ({ ...w, then }))))('$name: a write that then returns $then fails with one line, exit 1, the previous file intact and no temporary file', async ({ file, prepare, argv, then, failure = cannotWrite }) => {
    const dir = project();
    await prepare(dir);
    const before = readFileSync(path.join(dir, file));
    const files = listing(dir);
    shortWrites(then);
    const r = await cli(dir, ...argv);
    vi.restoreAllMocks();
    expect(r.code).toBe(1);
    const reason = then === 'zero' ? 'the device accepted no more bytes (is it full?)' : 'no space left on the device';
    expect(r.err).toBe(failure(file, reason));
    expect(r.out).not.toMatch(/wrote|created/);
    expect(readFileSync(path.join(dir, file)).equals(before)).toBe(true);
    expect(listing(dir)).toEqual(files);
  });
});

/**
 * Writes into `file` until the file system has no byte left, then gives back
 * `spare` bytes: the next write starts, then runs out of space halfway
 * (the case where a writer that ignores a short write leaves half a file).
 */
function fillUp(file: string, spare: number): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 0x78);
  let size = 0;
  try {
    for (;;) size += fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  fs.truncateSync(file, Math.max(0, size - spare));
}

const noTmpfs = tmpfsUnavailable('tests/data-loss.test.ts, the real full disk tests');

describe.skipIf(noTmpfs !== undefined)(`on a real full disk (a 2 MB tmpfs)${noTmpfs ? `: skipped, ${noTmpfs}` : ''}`, () => {
  let disk: Tmpfs;
  beforeAll(() => {
    disk = mountTmpfs('size=2m');
  });
  afterAll(() => disk?.unmount());

  it.each(WRITERS)('$name fails with one line, exit 1, the previous file intact and no temporary file', async ({ file, prepare, argv, failure = cannotWrite }) => {
    const dir = project(disk.dir);
    await prepare(dir);
    const before = readFileSync(path.join(dir, file));
    const files = listing(dir);
    const filler = path.join(disk.dir, `filler-${path.basename(dir)}`);
    // One page of tmpfs left: less than each of these files (7 to 14 KB).
    fillUp(filler, 4096);
    try {
      const r = await cli(dir, ...argv);
      expect(r).toMatchObject({ code: 1, err: failure(file, 'no space left on the device') });
      expect(r.out).not.toMatch(/wrote|created/);
      expect(readFileSync(path.join(dir, file)).equals(before)).toBe(true);
      expect(listing(dir)).toEqual(files);
    } finally {
      rmSync(filler, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a write interrupted by SIGKILL', () => {
  const writer = pathToFileURL(path.join(import.meta.dirname, '../dist/engine/write.js')).href;
  /** A child that writes `file` and is killed (SIGKILL) after the first half of the bytes reached the disk. */
  const script = `
    import fs from 'node:fs';
    const { writeFileSafely } = await import(process.argv[1]);
    const real = fs.writeSync.bind(fs);
    fs.writeSync = (fd, data, offset = 0, length = data.length - offset) => {
      real(fd, data, offset, length >> 1);
      process.kill(process.pid, 'SIGKILL');
    };
    writeFileSafely(process.argv[2], 'the new report, '.repeat(5000));
  `;

  it('leaves the previous file and a dot-named temporary file, which the next write into the folder removes', async () => {
    const dir = project();
    await WRITERS[0]!.prepare(dir);
    const file = path.join(dir, 'reports/fr.md');
    const before = readFileSync(file);
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, writer, file], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(readFileSync(file).equals(before)).toBe(true);
    const left = readdirSync(path.join(dir, 'reports')).filter((n) => !['fr.md', 'fr.sources.tsv', 'fr.plan.yaml', 'en.plan.yaml'].includes(n));
    expect(left).toEqual([expect.stringMatching(new RegExp(`^\\.fr\\.md\\.verbatim-${child.pid}-[0-9a-f]{8}\\.tmp$`))]);
    // Half of the new bytes are in it: a leftover is an incomplete file, never the report.
    expect(readFileSync(path.join(dir, 'reports', left[0]!), 'utf8')).toMatch(/^(the new report, )+/);

    // The leftover is no transcript, no report and no export to check.
    writeFileSync(path.join(dir, 'corpus', `.A1.md.verbatim-${child.pid}-0123abcd.tmp`), '---\nid: A1\n---\n\n{#no.such.code} half of');
    // The fixture's report quotes automatic codings nobody reviewed: not what this test is about.
    writeFileSync(path.join(dir, 'verbatim.yaml'), 'rules: {unreviewed-quote: off}\n');
    const checked = await cli(dir, 'check', '--format', 'unix');
    expect(checked).toMatchObject({ code: 0, err: '' });

    // The next report run removes it (its process is gone) and writes the report.
    const r = await cli(dir, 'report', 'fr');
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(dir, 'reports')).sort()).toEqual(['en.plan.yaml', 'fr.md', 'fr.plan.yaml', 'fr.sources.tsv']);
    // A write elsewhere leaves the corpus's leftover to the next write there.
    expect(readdirSync(path.join(dir, 'corpus')).filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
  });

  it("keeps a temporary file whose process still runs: it may be writing now", async () => {
    const dir = project();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const busy = `.codings.csv.verbatim-${sleeper.pid}-89abcdef.tmp`;
      const dead = `.codings.csv.verbatim-${deadPid()}-01234567.tmp`;
      writeFileSync(path.join(dir, busy), 'being written');
      writeFileSync(path.join(dir, dead), 'left by a killed run');
      expect((await cli(dir, 'export', 'csv', '-o', 'codings.csv')).code).toBe(0);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([busy]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

/** The id of a process that has just ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('leftover temporary files are not project files', () => {
  it('check, status and the leak scan ignore them in corpus/, reports/ and exports/', async () => {
    const dir = project();
    expect((await cli(dir, 'report')).code).toBe(0);
    // The fixture's reports quote automatic codings nobody reviewed: that warning is not what this test is about.
    writeFileSync(path.join(dir, 'verbatim.yaml'), 'redact: [Secret Name]\nrules: {unreviewed-quote: off}\n');
    const pid = deadPid();
    const leftovers = [`corpus/.A1.md.verbatim-${pid}-0123abcd.tmp`, `reports/.fr.md.verbatim-${pid}-0123abcd.tmp`, `exports/.codings.csv.verbatim-${pid}-0123abcd.tmp`, `.study.qdpx.verbatim-${pid}-0123abcd.tmp`];
    fs.mkdirSync(path.join(dir, 'exports'));
    for (const f of leftovers) writeFileSync(path.join(dir, f), '---\nid: Z9\n---\n\nSecret Name {#no.such.code}\n');
    const checked = await cli(dir, 'check', '--format', 'unix');
    expect(checked).toMatchObject({ code: 0, err: '' });
    const status = JSON.parse((await cli(dir, 'status', '--json')).out) as { transcripts: number };
    expect(status.transcripts).toBe(6);
  });
});

describe('symbolic links', () => {
  /** A project beside an `outside/` folder holding a file that must never change. */
  function withVictim(): { dir: string; victim: string } {
    const dir = project();
    fs.mkdirSync(path.join(dir, 'outside'));
    const victim = path.join(dir, 'outside/victim.md');
    writeFileSync(victim, 'a file outside the project, which no write may touch\n');
    return { dir, victim };
  }
  const VICTIM = 'a file outside the project, which no write may touch\n';

  it.each([
    { name: 'report', link: 'reports/fr.md', to: '../outside/victim.md', argv: ['report', 'fr'], hint: 'add --force to replace the link itself, or choose another -o' },
    { name: 'export', link: 'codings.csv', to: 'outside/victim.md', argv: ['export', 'csv', '-o', 'codings.csv'], hint: 'add --force to replace the link itself, or choose another -o' },
    { name: 'export (a dangling link)', link: 'codings.csv', to: 'outside/none.csv', argv: ['export', 'csv', '-o', 'codings.csv'], hint: 'add --force to replace the link itself, or choose another -o' },
  ])('$name refuses to write through a link (exit 1, one line), and with --force replaces the link itself', async ({ link, to, argv, hint }) => {
    const { dir, victim } = withVictim();
    fs.symlinkSync(to, path.join(dir, link));
    const r = await cli(dir, ...argv);
    expect(r).toMatchObject({ code: 1, out: '', err: `verbatim: cannot write ${link}: it is a symbolic link (to ${to}), and Verbatim never writes through a link: ${hint}.\n` });
    expect(fs.lstatSync(path.join(dir, link)).isSymbolicLink()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
    expect(existsSync(path.join(dir, 'outside/none.csv'))).toBe(false);

    const forced = await cli(dir, ...argv, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(new RegExp(`^wrote ${link.replace('.', '\\.')} `));
    expect(fs.lstatSync(path.join(dir, link)).isFile()).toBe(true);
    expect(readFileSync(path.join(dir, link), 'utf8')).not.toBe(VICTIM);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
    expect(readdirSync(path.join(dir, 'outside'))).toEqual(['victim.md']);
  });

  it('import --force never writes through a link to the file it points at: it replaces the link itself', async () => {
    const { dir, victim } = withVictim();
    writeFileSync(path.join(dir, 'interview.txt'), 'Je pense que les habitants se connaissent bien.\n');
    fs.symlinkSync('../outside/victim.md', path.join(dir, 'corpus/A9.md'));
    const refused = await cli(dir, 'import', 'interview.txt', '--id', 'A9');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^verbatim: cannot import interview\.txt: `corpus\/A9\.md` is a symbolic link: Verbatim never writes through a link; nothing was written\. Add --force[^\n]*\n$/);
    const r = await cli(dir, 'import', 'interview.txt', '--id', 'A9', '--force');
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'corpus/A9.md')).isFile()).toBe(true);
    expect(readFileSync(path.join(dir, 'corpus/A9.md'), 'utf8')).toMatch(/les habitants se connaissent bien/);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
  });

  it('check -o refuses a link too', async () => {
    const { dir, victim } = withVictim();
    fs.symlinkSync('outside/victim.md', path.join(dir, 'check.json'));
    const r = await cli(dir, 'check', '--format', 'json', '-o', 'check.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^verbatim: cannot write check\.json: it is a symbolic link \(to outside\/victim\.md\), and Verbatim never writes through a link[^\n]*\n$/);
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM);
  });
});

describe('generated files never replace project inputs', () => {
  /** Every file of the project with its bytes, to compare before and after. */
  function snapshot(dir: string): Map<string, string> {
    return new Map(listing(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, readFileSync(path.join(dir, f), 'latin1')]));
  }
  const inputs = ['corpus/A1.md', 'corpus/panel.yaml', 'codebooks/test.yaml', 'reports/fr.plan.yaml', 'verbatim.yaml', '.verbatim/redact.txt'];
  const withInputs = (): string => {
    const dir = project();
    writeFileSync(path.join(dir, 'verbatim.yaml'), 'language: fr\n');
    fs.mkdirSync(path.join(dir, '.verbatim'));
    writeFileSync(path.join(dir, '.verbatim/redact.txt'), 'Nom Secret\n');
    return dir;
  };

  it.each(inputs)('report -o %s is refused, even with --force (exit 1, one line); nothing changes', async (input) => {
    const dir = withInputs();
    const before = snapshot(dir);
    for (const argv of [['report', 'fr', '-o', input], ['report', 'fr', '-o', input, '--force']]) {
      const r = await cli(dir, ...argv);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^verbatim: cannot write ${input.replace(/\./g, '\\.')}: it names [^\\n]+, and a generated file never takes the place of a project input: choose another -o\\.\\n$`));
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('export -o and check -o refuse a project input too, even with --force', async () => {
    const dir = withInputs();
    const before = snapshot(dir);
    expect(await cli(dir, 'export', 'csv', '-o', 'corpus/A1.md', '--force')).toMatchObject({ code: 1, out: '', err: 'verbatim: cannot write corpus/A1.md: it names a transcript (every `.md` file of `corpus/` is one), and a generated file never takes the place of a project input: choose another -o.\n' });
    expect(await cli(dir, 'export', 'json', '-o', 'codebooks/test.yaml', '--force')).toMatchObject({ code: 1, err: 'verbatim: cannot write codebooks/test.yaml: it names a codebook, and a generated file never takes the place of a project input: choose another -o.\n' });
    expect(await cli(dir, 'check', '--format', 'json', '-o', 'verbatim.yaml')).toMatchObject({ code: 1, err: 'verbatim: cannot write verbatim.yaml: it names the project settings (`verbatim.yaml`), and a generated file never takes the place of a project input: choose another -o.\n' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('sees through another path to the same input: `..`, and a linked folder', async () => {
    const dir = withInputs();
    fs.symlinkSync('corpus', path.join(dir, 'alias'));
    const before = snapshot(dir);
    for (const o of [`../${path.basename(dir)}/corpus/A2.md`, 'alias/A2.md', path.join(dir, 'corpus/A2.md')]) {
      const r = await cli(dir, 'report', 'fr', '-o', o, '--force');
      expect(r.code, o).toBe(1);
      expect(r.err).toMatch(/^verbatim: cannot write [^\n]*A2\.md: it names a transcript/);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('-o outside the project is the user’s own choice: allowed', async () => {
    const dir = project();
    const outside = tempProject();
    temps.push(outside);
    const r = await cli(dir, 'report', 'fr', '-o', path.join(outside, 'draft.md'));
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(outside, 'draft.md'), 'utf8')).toMatch(/^<!-- Generated by Verbatim from reports\/fr\.plan\.yaml: edit the plan and run verbatim report; changes made here are lost\. -->\n\n# /);
  });

  it('a file Verbatim did not generate is replaced only with --force; a generated one (from any plan) without', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'notes.md'), '# My own notes\n\nHours of work.\n');
    const r = await cli(dir, 'report', 'fr', '-o', 'notes.md');
    expect(r).toMatchObject({ code: 1, out: '', err: 'verbatim: cannot write notes.md: Verbatim did not generate this file (its first line is not the `<!-- Generated by Verbatim …` marker): add --force to replace it, or choose another -o.\n' });
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('# My own notes\n\nHours of work.\n');
    // The default target too: a reports/fr.md the researcher wrote.
    writeFileSync(path.join(dir, 'reports/fr.md'), 'Written by hand.\n');
    expect((await cli(dir, 'report')).code).toBe(1);
    expect(readFileSync(path.join(dir, 'reports/fr.md'), 'utf8')).toBe('Written by hand.\n');
    expect(existsSync(path.join(dir, 'reports/en.md'))).toBe(false);

    expect((await cli(dir, 'report', 'fr', '-o', 'notes.md', '--force')).code).toBe(0);
    // Now generated (from fr), the file is replaced by the report of another plan without --force.
    const en = await cli(dir, 'report', 'en', '-o', 'notes.md');
    expect(en).toMatchObject({ code: 0, out: expect.stringMatching(/^wrote notes\.md /) });
    expect(readFileSync(path.join(dir, 'notes.md'), 'utf8')).toMatch(/^<!-- Generated by Verbatim from reports\/en\.plan\.yaml: /);
  });

  it("a plan's output that is absolute, leads outside or names an input is an error on its value; report writes nothing", async () => {
    const dir = project();
    const outside = tempProject();
    temps.push(outside);
    fs.symlinkSync(outside, path.join(dir, 'reports/linked'));
    const plan = path.join(dir, 'reports/fr.plan.yaml');
    const text = readFileSync(plan, 'utf8');
    const cases = [
      ['reports/fr.plan.yaml', 'names a report plan, which the report would replace'],
      ['../../x.md', 'leads outside the project'],
      [path.join(outside, 'x.md'), 'is an absolute path'],
      ['reports/linked/x.md', 'leads outside the project through a symbolic link'],
      ['corpus/summary.md', 'names a transcript (every `.md` file of `corpus/` is one): the project would read the report as its input'],
    ];
    for (const [output, problem] of cases) {
      writeFileSync(plan, `output: ${output}\n${text}`);
      const before = snapshot(dir);
      const checked = await cli(dir, 'check', '--format', 'unix');
      expect(checked.out).toBe(`reports/fr.plan.yaml:1:9: \`output\` ${problem}; a plan's report goes inside the project, into a file the project does not read: give a path such as \`reports/fr.md\` (for a file elsewhere, \`verbatim report fr -o PATH\`). [invalid-output]\n`);
      expect(checked.code).toBe(1);
      const r = await cli(dir, 'report');
      expect(r.code).toBe(1);
      expect(r.err).toContain('verbatim: no report written: fix the errors above first.\n');
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(outside)).toEqual([]);
    }
  });
});
