/**
 * `verbatim import` under hostile and unlucky input: an import is complete or
 * absent (interrupted by an error or by SIGKILL), reads no file through a
 * symbolic link and writes none through one, and refuses archives that
 * inflate past its limits before inflating them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { writeFileSafely } from '../src/engine/write.js';
import { removeAll } from './helpers/project.js';

// The writer, spied on: a test makes it fail after some files, as a full disk or a crash would.
vi.mock('../src/engine/write.js', async (original) => {
  const actual = await original<typeof import('../src/engine/write.js')>();
  return { ...actual, writeFileSafely: vi.fn(actual.writeFileSafely) };
});

const repo = path.join(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/verbatim.js');
const MB = 1024 * 1024;
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
/** The real writer, restored after each test. */
let realWrite: typeof writeFileSafely;
beforeAll(async () => {
  realWrite = (await vi.importActual<typeof import('../src/engine/write.js')>('../src/engine/write.js')).writeFileSafely;
});
afterEach(() => {
  vi.mocked(writeFileSafely).mockImplementation(realWrite);
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-import-'));
  temps.push(dir);
  return dir;
}

const G = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A REFI-QDA project of `count` interviews with a code, a coding each and a
 * variable: it imports as a codebook, `count` transcripts and a panel, and
 * checks with no error.
 */
function project(count: number, text = (i: number): string => `Bonjour, je suis la personne ${i}.\nJe parle du quartier et de la mairie.`): { qde: string; files: Record<string, Uint8Array> } {
  const files: Record<string, Uint8Array> = {};
  let sources = '';
  let cases = '';
  for (let i = 0; i < count; i++) {
    files[`sources/${G(1000 + i)}.txt`] = strToU8(text(i));
    sources += `<TextSource guid="${G(1000 + i)}" name="Interview ${i}" plainTextPath="internal://${G(1000 + i)}.txt"><PlainTextSelection guid="${G(100000 + i)}" startPosition="0" endPosition="7"><Coding guid="${G(200000 + i)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection></TextSource>`;
    cases += `<Case guid="${G(300000 + i)}" name="Interview ${i}"><VariableValue><VariableRef targetGUID="${G(2)}"/><TextValue>g${i % 2}</TextValue></VariableValue><SourceRef targetGUID="${G(1000 + i)}"/></Case>`;
  }
  const qde = `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" name="Study"><CodeBook><Codes><Code guid="${G(1)}" name="Greeting" isCodable="true"><Description>A greeting.</Description></Code></Codes></CodeBook><Variables><Variable guid="${G(2)}" name="Group" typeOfVariable="Text"/></Variables><Cases>${cases}</Cases><Sources>${sources}</Sources></Project>`;
  return { qde, files };
}

function qdpx(dir: string, name: string, p: { qde: string; files: Record<string, Uint8Array> }, level: 0 | 6 | 9 = 6): string {
  const file = path.join(dir, name);
  writeFileSync(file, zipSync({ 'project.qde': strToU8(p.qde), ...p.files }, { level }));
  return file;
}

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

interface Found {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  message: string;
}

async function check(dir: string): Promise<{ code: number; found: Found[] }> {
  const r = await cli(dir, 'check', '--format', 'json');
  return { code: r.code, found: JSON.parse(r.out) as Found[] };
}

/** Every name under `dir`, hidden ones too, relative and sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      out.push(path.relative(dir, full));
      if (lstatSync(full).isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** The writer fails on its `n`-th call from now (1-based), as a full disk would; earlier calls write. */
function failOnWrite(n: number): void {
  let calls = 0;
  vi.mocked(writeFileSafely).mockImplementation((file, content) => {
    if (++calls >= n) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC' });
    realWrite(file, content);
  });
}

describe('an import is complete or absent', () => {
  it('into a new folder: a failure after some files leaves no folder at all, and no staging folder', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(5));
    failOnWrite(4); // the marker of the staging folder, the codebook, a transcript, then the failure
    const r = await cli(dir, 'import', 'study.qdpx');
    // The message names the file as the user will know it, not its place in the staging folder.
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^verbatim: cannot import study\.qdpx: ENOSPC: no space left on device, write '.*study\/corpus\/Interview-1\.md'; nothing was written\.\n$/);
    expect(r.out).toBe('');
    expect(tree(dir)).toEqual(['study.qdpx']);
  });

  it('into an existing folder: a failure leaves the marker, which check reports (exit 1) until the import is run again', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(5));
    expect((await cli(dir, 'import', 'study.qdpx')).code).toBe(0);
    const target = path.join(dir, 'study');
    expect(tree(target)).toEqual(['codebooks', 'codebooks/study.yaml', 'corpus', ...[0, 1, 2, 3, 4].map((i) => `corpus/Interview-${i}.md`), 'corpus/panel.yaml']);
    expect((await check(target)).code).toBe(0);
    const before = readFileSync(path.join(target, 'corpus/Interview-3.md'), 'utf8');

    failOnWrite(4); // the marker, the codebook, a transcript, then the failure
    const r = await cli(dir, 'import', 'study.qdpx', '--force');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "verbatim: cannot import study.qdpx: ENOSPC: no space left on device, write '" +
        path.join(target, 'corpus/Interview-1.md') +
        "'. The import is incomplete (2 of 7 files written): `verbatim check` reports it until you import again with --force, or delete `.verbatim/import-incomplete.json` once you have checked the files it lists.\n",
    );
    expect(readFileSync(path.join(target, 'corpus/Interview-3.md'), 'utf8')).toBe(before);
    const marker = JSON.parse(readFileSync(path.join(target, '.verbatim/import-incomplete.json'), 'utf8')) as { source: string; files: string[] };
    expect(marker.source).toBe(path.join(dir, 'study.qdpx'));
    expect(marker.files).toEqual(['codebooks/study.yaml', ...[0, 1, 2, 3, 4].map((i) => `corpus/Interview-${i}.md`), 'corpus/panel.yaml']);

    const checked = await check(target);
    expect(checked.code).toBe(1);
    expect(checked.found.filter((d) => d.ruleId === 'incomplete-import')).toEqual([
      expect.objectContaining({
        file: '.verbatim/import-incomplete.json',
        line: 1,
        column: 1,
        message:
          'The import of `study.qdpx` into this project did not finish: some of its 7 files (listed in `.verbatim/import-incomplete.json`) may be missing or still hold their previous content. Import `study.qdpx` again with `--force`, or delete `.verbatim/import-incomplete.json` once you have checked them.',
      }),
    ]);
    // Every command that loads the project sees it too.
    const tag = await cli(target, 'tag');
    expect(tag.code).toBe(1);
    expect(tag.err).toContain('incomplete-import');

    vi.mocked(writeFileSafely).mockImplementation(realWrite);
    expect((await cli(dir, 'import', 'study.qdpx', '--force')).code).toBe(0);
    expect(existsSync(path.join(target, '.verbatim/import-incomplete.json'))).toBe(false);
    expect((await check(target)).code).toBe(0);
  });

  it('into an existing folder: a failure on the first file changes nothing and leaves no marker', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(2));
    expect((await cli(dir, 'import', 'study.qdpx')).code).toBe(0);
    const target = path.join(dir, 'study');
    const before = tree(target);
    failOnWrite(2); // the marker is written, the first file fails
    const r = await cli(dir, 'import', 'study.qdpx', '--force');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/; nothing was written\.\n$/);
    expect(tree(target)).toEqual(before);
  });

  it('a transcript import into the project writes its one file alone (complete or absent by itself, no marker)', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(2));
    expect((await cli(dir, 'import', 'study.qdpx')).code).toBe(0);
    const target = path.join(dir, 'study');
    writeFileSync(path.join(dir, 'E9.txt'), 'R: Une réponse.\n');
    const calls: string[] = [];
    vi.mocked(writeFileSafely).mockImplementation((file, content) => {
      calls.push(path.relative(target, file));
      realWrite(file, content);
    });
    expect((await cli(target, 'import', '../E9.txt')).code).toBe(0);
    expect(calls).toEqual(['corpus/E9.md']);
    expect(existsSync(path.join(target, '.verbatim/import-incomplete.json'))).toBe(false);
  });

  it('another import is refused while an earlier one is unfinished', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(2));
    expect((await cli(dir, 'import', 'study.qdpx')).code).toBe(0);
    const target = path.join(dir, 'study');
    failOnWrite(3);
    expect((await cli(dir, 'import', 'study.qdpx', '--force')).code).toBe(1);
    vi.mocked(writeFileSafely).mockImplementation(realWrite);
    writeFileSync(path.join(dir, 'E9.txt'), 'R: Une réponse.\n');
    const r = await cli(target, 'import', '../E9.txt');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'verbatim: cannot import E9.txt: an earlier import of `study.qdpx` into `.` did not finish (`.verbatim/import-incomplete.json`): import it again with --force, or delete the marker once you have checked the files it lists, then import this file.\n',
    );
    expect(existsSync(path.join(target, 'corpus/E9.md'))).toBe(false);
  });
});

/**
 * A preload that makes every `fs.writeSync` of the child take 3 ms more, so
 * that the window between the first file written and the last is long
 * whatever the disk (on a RAM disk, 500 small files take a few milliseconds):
 * the kill lands in the middle of the import every time.
 */
const SLOW_WRITES = `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const write = fs.writeSync;
const pause = new Int32Array(new SharedArrayBuffer(4));
fs.writeSync = (...args) => { Atomics.wait(pause, 0, 0, 3); return write(...args); };
syncBuiltinESMExports();
`;

/** Spawns the built CLI with slow writes; `exited` resolves when it has exited. */
function start(cwd: string, ...argv: string[]): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const preload = path.join(folder(), 'slow-writes.mjs');
  writeFileSync(preload, SLOW_WRITES);
  const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, bin, ...argv], { cwd, stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

/** Polls every 2 ms until `seen()` or the process exits; then SIGKILLs it. True when it was killed before it could finish. */
async function killWhen(running: ReturnType<typeof start>, seen: () => boolean): Promise<boolean> {
  let done = false;
  void running.exited.then(() => {
    done = true;
  });
  while (!done && !seen()) await new Promise((resolve) => setTimeout(resolve, 2));
  if (done) return false;
  running.child.kill('SIGKILL');
  const { signal } = await running.exited;
  return signal === 'SIGKILL';
}

describe.skipIf(process.platform === 'win32')('an import killed with SIGKILL', () => {
  beforeAll(() => {
    expect(existsSync(path.join(repo, 'dist/cli/run.js')), 'run `npm run build` first: these tests spawn bin/verbatim.js').toBe(true);
  });

  it('into a new folder: nothing but a hidden staging folder, removed by the next import', async () => {
    const dir = folder();
    qdpx(dir, 'big.qdpx', project(500), 0);
    const staging = (): string[] => readdirSync(dir).filter((n) => n.startsWith('.big.verbatim-import-'));
    const running = start(dir, 'import', 'big.qdpx');
    // Killed as soon as anything appears: the staging folder (or, without staging, the project itself).
    expect(await killWhen(running, () => staging().length > 0 || existsSync(path.join(dir, 'big'))), 'the import finished before it could be killed').toBe(true);
    expect(existsSync(path.join(dir, 'big'))).toBe(false);
    expect(staging()).toEqual([`.big.verbatim-import-${running.child.pid}`]);

    const again = await cli(dir, 'import', 'big.qdpx');
    expect(again.code).toBe(0);
    expect(staging()).toEqual([]);
    expect(readdirSync(path.join(dir, 'big/corpus'))).toHaveLength(501);
    expect((await check(path.join(dir, 'big'))).code).toBe(0);
  });

  it('into an existing folder: check reports the unfinished import', async () => {
    const dir = folder();
    qdpx(dir, 'big.qdpx', project(500), 0);
    const target = path.join(dir, 'big');
    mkdirSync(target);
    const marker = path.join(target, '.verbatim/import-incomplete.json');
    const running = start(dir, 'import', 'big.qdpx', '--into', 'big', '--force');
    // Killed once a file is in place: with the marker, or without one, the corpus.
    expect(await killWhen(running, () => existsSync(marker) || existsSync(path.join(target, 'corpus'))), 'the import finished before it could be killed').toBe(true);
    const checked = await check(target);
    expect(checked.code).toBe(1);
    expect(checked.found.map((d) => d.ruleId)).toContain('incomplete-import');
  });
});

describe('symbolic links', () => {
  it.skipIf(process.platform === 'win32')('import refuses a link without --force, and with --force replaces the link itself, never the file it points to', async () => {
    const dir = folder();
    qdpx(dir, 'study.qdpx', project(2));
    expect((await cli(dir, 'import', 'study.qdpx')).code).toBe(0);
    const outside = path.join(folder(), 'precious.txt');
    writeFileSync(outside, 'not a transcript\n');
    const link = path.join(dir, 'study/corpus/Interview-1.md');
    const imported = readFileSync(link);
    removeAll(link);
    symlinkSync(outside, link);
    const before = tree(path.join(dir, 'study'));
    const refused = await cli(dir, 'import', 'study.qdpx', '--into', 'study');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'verbatim: cannot import study.qdpx: `study/corpus/Interview-1.md` is a symbolic link: Verbatim never writes through a link; nothing was written. Add --force to replace the link itself (never the file it points at), or remove it, then import again.\n',
    );
    expect(tree(path.join(dir, 'study'))).toEqual(before);
    const r = await cli(dir, 'import', 'study.qdpx', '--force');
    expect(r.code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not a transcript\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link)).toEqual(imported);
  });

  it.skipIf(process.platform === 'win32')('a bare project.qde: a link in sources/ is not followed', async () => {
    const dir = folder();
    const p = project(2);
    writeFileSync(path.join(dir, 'project.qde'), p.qde);
    mkdirSync(path.join(dir, 'sources'));
    writeFileSync(path.join(dir, `sources/${G(1000)}.txt`), p.files[`sources/${G(1000)}.txt`] as Uint8Array);
    // The second source's text is a link to a file of the computer.
    const secret = existsSync('/etc/hostname') ? '/etc/hostname' : path.join(folder(), 'secret.txt');
    if (secret !== '/etc/hostname') writeFileSync(secret, 'secret-host\n');
    symlinkSync(secret, path.join(dir, `sources/${G(1001)}.txt`));
    const r = await cli(dir, 'import', 'project.qde', '--into', 'out', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { written: { path: string }[]; notes: { kind: string; message: string }[] };
    expect(summary.written.map((w) => w.path)).toEqual(['out/codebooks/study.yaml', 'out/corpus/Interview-0.md', 'out/corpus/panel.yaml']);
    expect(summary.notes.slice(0, 2)).toEqual([
      { kind: 'symlink', message: `\`sources/${G(1001)}.txt\` is a symbolic link: not followed (Verbatim reads no source through a link; copy the file itself there).` },
      { kind: 'missing-text', message: `Source \`Interview 1\` not imported: its text file \`internal://${G(1001)}.txt\` is not in the archive; its coding is lost.` },
    ]);
    const secretText = readFileSync(secret, 'utf8').trim();
    for (const file of tree(path.join(dir, 'out'))) {
      if (file.endsWith('.md') || file.endsWith('.yaml')) expect(readFileSync(path.join(dir, 'out', file), 'utf8')).not.toContain(secretText);
    }
  });

  it.skipIf(process.platform === 'win32')('a bare project.qde: a sources/ folder that is a link is not followed', async () => {
    const dir = folder();
    const elsewhere = folder();
    const p = project(1);
    writeFileSync(path.join(dir, 'project.qde'), p.qde);
    mkdirSync(path.join(elsewhere, 'sources'));
    writeFileSync(path.join(elsewhere, `sources/${G(1000)}.txt`), 'Texte du dehors.');
    symlinkSync(path.join(elsewhere, 'sources'), path.join(dir, 'sources'));
    const r = await cli(dir, 'import', 'project.qde', '--into', 'out', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { notes: { kind: string; message: string }[] };
    expect(summary.notes[0]).toEqual({ kind: 'symlink', message: '`sources` is a symbolic link: not followed (Verbatim reads no source through a link; copy the file itself there).' });
    expect(existsSync(path.join(dir, 'out/corpus/Interview-0.md'))).toBe(false);
  });
});

/** Runs the built CLI in a child process, where a V8 fatal error cannot take vitest down with it. */
function spawnCli(cwd: string, ...argv: string[]): { status: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string; ms: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr, stdout: r.stdout, ms: performance.now() - started };
}

/** `megabytes` of a repeated French sentence. */
function repetitive(megabytes: number, line = 'R: Le café est bon et la mairie travaille avec les associations du quartier.\n'): Uint8Array {
  const bytes = new Uint8Array(megabytes * MB);
  const one = strToU8(line);
  for (let i = 0; i < bytes.length; i += one.length) bytes.set(one.subarray(0, Math.min(one.length, bytes.length - i)), i);
  return bytes;
}

describe('archives that inflate past the limits are refused before they are inflated', () => {
  it('a 1 MB .qdpx holding one 200 MB text: exit 1, one line naming the limit, quickly, nothing written', () => {
    const dir = folder();
    const p = project(1);
    p.files[`sources/${G(1000)}.txt`] = repetitive(200);
    const file = qdpx(dir, 'bomb.qdpx', p, 9);
    expect(readFileSync(file).length).toBeLessThan(MB);
    const r = spawnCli(dir, 'import', 'bomb.qdpx');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe(`verbatim: cannot import bomb.qdpx: \`sources/${G(1000)}.txt\` would inflate to 200 MB, more than the limit of 64 MB per file.\n`);
    expect(r.status).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(readdirSync(dir)).toEqual(['bomb.qdpx']);
  });

  it('a 300 KB .docx whose text inflates to 100 MB: exit 1, one line naming the limit, quickly, nothing written', () => {
    const dir = folder();
    const para = '<w:p><w:r><w:t>R: Le café est bon et la mairie travaille avec les associations du quartier.</w:t></w:r></w:p>';
    const xml = strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${para.repeat(Math.ceil((100 * MB) / para.length))}</w:body></w:document>`);
    const docx = zipSync(
      {
        '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        'word/document.xml': xml,
      },
      { level: 9 },
    );
    expect(docx.length).toBeLessThan(400_000);
    const study = path.join(dir, 'study');
    mkdirSync(path.join(study, 'corpus'), { recursive: true });
    writeFileSync(path.join(dir, 'E9.docx'), docx);
    const r = spawnCli(study, 'import', '../E9.docx');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('verbatim: cannot import E9.docx: `word/document.xml` would inflate to 101 MB, more than the limit of 16 MB per file.\n');
    expect(r.status).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(tree(study)).toEqual(['corpus']);
  });

  it('a 60 MB text source, under the limit, imports within a 640 MB heap', () => {
    const dir = folder();
    const p = project(1);
    // Paragraphs of some 400 characters (each paragraph costs memory of its own when the transcript is parsed back).
    p.files[`sources/${G(1000)}.txt`] = repetitive(60, `R: ${'Le café est bon et la mairie travaille avec les associations du quartier. '.repeat(5)}\n`);
    qdpx(dir, 'long.qdpx', p);
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=640', bin, 'import', 'long.qdpx'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(60_000);
    const transcript = readFileSync(path.join(dir, 'long/corpus/Interview-0.md'), 'utf8');
    expect(transcript).toContain('R: [Le c]{#greeting}afé est bon');
    expect(transcript.length).toBeGreaterThan(60 * 1_000_000);
  });

  /** A zip whose entry `name` declares `size` bytes (central directory and local header) whatever it holds. */
  function lying(files: Record<string, Uint8Array>, name: string, size: number): Buffer {
    const view = Buffer.from(zipSync(files));
    for (let i = 0; i < view.length - 4; i++) {
      const sig = view.readUInt32LE(i);
      if (sig === 0x04034b50 && view.toString('utf8', i + 30, i + 30 + view.readUInt16LE(i + 26)) === name) view.writeUInt32LE(size, i + 22);
      if (sig === 0x02014b50 && view.toString('utf8', i + 46, i + 46 + view.readUInt16LE(i + 28)) === name) view.writeUInt32LE(size, i + 24);
    }
    return view;
  }

  it('an entry that inflates past the size it declares is refused, not cut short', async () => {
    const dir = folder();
    const p = project(1);
    const name = `sources/${G(1000)}.txt`;
    p.files[name] = repetitive(8);
    writeFileSync(path.join(dir, 'liar.qdpx'), lying({ 'project.qde': strToU8(p.qde), ...p.files }, name, 1_000_000));
    const r = await cli(dir, 'import', 'liar.qdpx');
    expect(r.err).toBe(`verbatim: cannot import liar.qdpx: \`${name}\` inflates to more than the 1,000,000 bytes it declares.\n`);
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['liar.qdpx']);
  });

  it('entries that no source names are never inflated: a video declared at 4 GB costs nothing', async () => {
    const dir = folder();
    const p = project(2);
    p.files['sources/interview.mp4'] = new Uint8Array(100_000);
    writeFileSync(path.join(dir, 'study.qdpx'), lying({ 'project.qde': strToU8(p.qde), ...p.files }, 'sources/interview.mp4', 0xfffffff0));
    const r = await cli(dir, 'import', 'study.qdpx');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(dir, 'study/corpus')).sort()).toEqual(['Interview-0.md', 'Interview-1.md', 'panel.yaml']);
  });
});

describe('a hostile project.qde: a clear message, never a crash or a silent loss', () => {
  const qde = (codes: string, sources = ''): string => `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" name="Study"><CodeBook><Codes>${codes}</Codes></CodeBook><Sources>${sources}</Sources></Project>`;

  it('codes nested 200 levels deep: exit 1, the limit said as a limit', async () => {
    const dir = folder();
    const deep = Array.from({ length: 200 }, (_, i) => `<Code guid="${G(i)}" name="c${i}" isCodable="true">`).join('') + '</Code>'.repeat(200);
    writeFileSync(path.join(dir, 'project.qde'), qde(deep));
    const r = await cli(dir, 'import', 'project.qde', '--into', 'out');
    expect(r.err).toBe('verbatim: cannot import project.qde: the XML is nested more than 100 levels deep (codes inside codes inside codes…); Verbatim reads up to 100.\n');
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['project.qde']);
  });

  it('selections whose positions are not whole numbers: their codings are reported left out, not lost in silence', async () => {
    const dir = folder();
    const selection = (n: number, start: string, end: string): string => `<PlainTextSelection guid="${G(100 + n)}" startPosition="${start}" endPosition="${end}"><Coding guid="${G(200 + n)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection>`;
    const source = `<TextSource guid="${G(10)}" name="S1"><PlainTextContent>Bonjour le monde.</PlainTextContent>${selection(1, '1e2', '120')}${selection(2, '3', 'abc')}${selection(3, '0', '7')}</TextSource>`;
    writeFileSync(path.join(dir, 'project.qde'), qde(`<Code guid="${G(1)}" name="c" isCodable="true"/>`, source));
    const r = await cli(dir, 'import', 'project.qde', '--into', 'out', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { counts: { codings: number; dropped: number }; notes: { kind: string; message: string; count?: number }[] };
    expect(summary.counts).toMatchObject({ codings: 1, dropped: 2 });
    expect(summary.notes).toContainEqual({ kind: 'invalid-selection', count: 2, message: '2 codings on selections whose `startPosition` or `endPosition` is not a whole number; left out.' });
  });
});

describe('a project.qde with a great many codings', () => {
  it('150,000 codings on a media transcript that shares its text with a document: no stack overflow', async () => {
    const dir = folder();
    const codings = Array.from({ length: 150_000 }, (_, i) => `<Coding guid="k${i}"><CodeRef targetGUID="gone"/></Coding>`).join('');
    const xml = `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" name="Study"><CodeBook><Codes><Code guid="${G(1)}" name="c" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="${G(2)}" name="Doc" plainTextPath="internal://t.txt"/><AudioSource guid="${G(3)}" name="Audio"><Transcript guid="${G(4)}" name="T" plainTextPath="internal://t.txt">${codings}</Transcript></AudioSource></Sources></Project>`;
    writeFileSync(path.join(dir, 'study.qdpx'), zipSync({ 'project.qde': strToU8(xml), 'sources/t.txt': strToU8('Bonjour le monde.') }));
    const r = await cli(dir, 'import', 'study.qdpx', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { notes: { kind: string; count?: number }[] };
    expect(summary.notes).toContainEqual(expect.objectContaining({ kind: 'unknown-code', count: 150_000 }));
  });
});
