/**
 * What streaming changes in `verbatim export`, and what it must not: the
 * writers hold one transcript (their pieces stay the size of a transcript,
 * and come out while the transcripts are added), a leak is still found in a
 * name cut between two pieces, a leak found after some output was printed
 * stops it, a failed write leaves the previous file, a file changed between
 * the two passes stops the export, the worker thread writes what this thread
 * writes, and the archive writer's Zip64 end records are read back.
 */
import { spawnSync } from 'node:child_process';
import fs, { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { CodedStream, CorpusChanged, surveyCorpus } from '../src/cli/stream-coded.js';
import { createRedactor } from '../src/core/redact.js';
import { loadFrame, loadProject } from '../src/engine/load-project.js';
import { codeProject } from '../src/engine/pipeline.js';
import { CodingsCsvWriter, MatrixCsvWriter } from '../src/exchange/csv.js';
import { feedProject, memoryScratch, metaOf, type ExportTarget, type ExportWriter, type Scratch } from '../src/exchange/export-writer.js';
import { IramuteqWriter } from '../src/exchange/iramuteq.js';
import { JsonWriter } from '../src/exchange/json-export.js';
import { LeakGuard } from '../src/exchange/leak-guard.js';
import { QdpxWriter, zipFiles } from '../src/exchange/refi-export.js';
import { ZipWriter } from '../src/exchange/zip-write.js';
import { bytesSource, listZip, readEntries } from '../src/exchange/zip.js';
import { removeAll, tempProject } from './helpers/project.js';

const REPO = path.resolve(import.meta.dirname, '..');
const EXCHANGE = path.join(REPO, 'tests/fixtures/exchange/project');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
afterEach(() => vi.restoreAllMocks());

/** A copy of the exchange fixture with `n` more transcripts of about `size` characters each. */
function corpus(n: number, size: number, extra: (i: number) => string = () => ''): string {
  const dir = tempProject(EXCHANGE);
  temps.push(dir);
  const words = 'I trust my neighbours and I doubt the state, said the respondent, then went on about the village. ';
  for (let i = 0; i < n; i++) {
    const id = `T${String(i).padStart(3, '0')}`;
    const paragraphs: string[] = [];
    for (let length = 0; length < size; length += words.length * 4) paragraphs.push(`**R :** ${words.repeat(4)}{#trust}`);
    writeFileSync(path.join(dir, 'corpus', `${id}.md`), `---\nid: ${id}\nlabel: Respondent ${i}\nattributes:\n  group: young\n  place: town\n---\n\n${paragraphs.join('\n\n')}\n${extra(i)}`);
  }
  return dir;
}

/** A target that records the size of every piece written, and how many were written after each transcript. */
function recorder(): ExportTarget & { sizes: number[]; reads: number[] } {
  const sizes: number[] = [];
  const reads: number[] = [];
  const scratch = (): Scratch => {
    const s = memoryScratch();
    return { ...s, write: (c) => s.write(c), get size() { return s.size; }, read: (o, l) => (reads.push(l), s.read(o, l)), dispose: () => s.dispose() };
  };
  return { sizes, reads, write: (c) => void sizes.push(c.length), checker: () => () => undefined, scratch, stopped: false };
}

const WRITERS: [string, (t: ExportTarget) => ExportWriter][] = [
  ['json', (t) => new JsonWriter(t)],
  ['csv', (t) => new CodingsCsvWriter(t)],
  ['csv --matrix', (t) => new MatrixCsvWriter(t)],
  ['iramuteq', (t) => new IramuteqWriter(t)],
  ['qdpx', (t) => new QdpxWriter(t, zipFiles(t))],
];

describe('the writers hold one transcript', () => {
  const dir = corpus(60, 40_000);
  const p = codeProject(loadProject(dir));
  const largest = Math.max(...p.transcripts.map((t) => t.plain.length));

  it.each(WRITERS)('%s: pieces the size of a transcript at most, written as the transcripts come', (name, make) => {
    const target = recorder();
    const writer = make(target);
    writer.begin(metaOf(p));
    // Pieces written after each transcript: the output grows as they come, not at the end.
    const after: number[] = [];
    feedProject(p, { begin: () => undefined, add: (t, c) => (writer.add(t, c), after.push(target.sizes.length)), end: () => undefined });
    const duringAdds = target.sizes.length;
    writer.end();
    expect(after.filter((n, i) => i > 0 && n > (after[i - 1] as number)).length).toBeGreaterThanOrEqual(p.transcripts.length - 2);
    expect(duringAdds).toBeGreaterThanOrEqual(p.transcripts.length);
    // A JSON transcript is its text escaped plus its paragraphs, a CSV row of a paragraph coding quotes it: a few times a text. What waited in
    // scratch storage (JSON codings, the qde) comes back in pieces of a quarter of a megabyte, or a megabyte of deflated bytes. Never the output.
    const total = target.sizes.reduce((n, s) => n + s, 0);
    expect(Math.max(...target.sizes)).toBeLessThanOrEqual(Math.max(4 * largest + 4096, 1 << 20));
    // Deflated, the archive is small: its pieces are counted above.
    if (name !== 'qdpx') expect(Math.max(...target.sizes)).toBeLessThan(total / 4);
    // What waits in scratch storage is read back a quarter of a megabyte at a time (or the zip writer's block).
    for (const r of target.reads) expect(r).toBeLessThanOrEqual(1 << 20);
  });
});

describe('the leak check on pieces', () => {
  const secrets = ['Jean Dupont', 'Hélène', 'Zoé Martin'];
  const redactor = createRedactor(secrets);
  const kinds = ['text', 'json', 'xml', 'csv'] as const;
  const escaped = (s: string, kind: (typeof kinds)[number]): string =>
    kind === 'json' ? JSON.stringify(s).slice(1, -1).replace(/é/g, '\\u00e9') : kind === 'xml' ? s.replace(/é/g, '&eacute;').replace(/ /g, '&#32;') : kind === 'csv' ? s.replace(/ /g, '  ') : s;

  it('counts what a check of the whole text counts, wherever the text is cut', () => {
    const filler = fc.string({ maxLength: 300 }).map((s) => s.replace(/[\\&"]/g, ' '));
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.array(fc.oneof(filler, fc.constantFrom(...secrets)), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (kind, parts, cuts) => {
        const text = parts.map((x) => (secrets.includes(x) ? escaped(x, kind) : x)).join(' ');
        const guard = new LeakGuard(redactor, 1024);
        const check = guard.stream(kind);
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const c of [...at, text.length]) {
          check(text.slice(from, c));
          from = c;
        }
        expect(guard.leaks).toBe(redactor.leaks(text, kind).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verbatim export, streaming', () => {
  /** A corpus whose last transcript's id holds a redacted name (ids are exported as they are). */
  const leaky = (): string => {
    const dir = corpus(40, 4_000);
    mkdirSync(path.join(dir, '.verbatim'), { recursive: true });
    writeFileSync(path.join(dir, '.verbatim/redact.txt'), 'Zorglub\n');
    writeFileSync(path.join(dir, 'corpus', 'Z999.md'), '---\nid: Zorglub\nlabel: The last one\nattributes:\n  group: old\n  place: town\n---\n\n**R :** I trust my neighbours. {#trust}\n');
    return dir;
  };

  it('on stdout, a leak found after some output was printed stops it: exit 1, the name never shown', async () => {
    const dir = leaky();
    // (IRaMuTeQ masks ids too.)
    for (const format of ['json', 'csv']) {
      const io = memoryIo(dir);
      expect(await run(['export', format], io), format).toBe(1);
      expect(io.out.length, format).toBeGreaterThan(64 * 1024);
      expect(io.out, format).not.toMatch(/Zorglub/);
      expect(io.err, format).toMatch(/the export would show a redacted string( in \d+ places)? \(in an id or a name that is not masked\); the output stops before it \(what was printed is incomplete\)\. Rename/);
    }
  });

  it('with -o, the leak leaves the previous file and no temporary file, with the message of before', async () => {
    const dir = leaky();
    writeFileSync(path.join(dir, 'out.json'), 'previous\n');
    const io = memoryIo(dir);
    expect(await run(['export', 'json', '-o', 'out.json', '--force'], io)).toBe(1);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/the export would show a redacted string( in \d+ places)? \(in an id or a name that is not masked\); nothing was written\. Rename/);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('previous\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that fails in the middle leaves the previous file, removes the temporary and scratch files, and says so after the problems', async () => {
    const dir = corpus(40, 8_000);
    writeFileSync(path.join(dir, 'out.json'), 'previous\n');
    const real = fs.writeSync.bind(fs) as (...args: unknown[]) => number;
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: unknown[]) => {
      if (++calls === 30) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return real(...args);
    }) as typeof fs.writeSync);
    const io = memoryIo(dir);
    expect(await run(['export', 'json', '-o', 'out.json', '--force'], io)).toBe(1);
    vi.restoreAllMocks();
    expect(io.err).toMatch(/^(\d+ warnings?: run `verbatim check` to see (it|them)\.\n)?verbatim: cannot write out\.json: no space left on the device\.\n$/);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('previous\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a transcript that changed between the survey and the stream stops the stream', () => {
    const dir = corpus(3, 1_000);
    const frame = loadFrame(dir);
    const survey = surveyCorpus(frame);
    writeFileSync(path.join(dir, 'corpus', 'T001.md'), readFileSync(path.join(dir, 'corpus', 'T001.md'), 'utf8').replace('id: T001', 'id: T001b'));
    const stream = new CodedStream(frame, survey);
    expect(() => [...stream.items()]).toThrow(CorpusChanged);
    expect(() => [...stream.items()]).toThrow('`corpus/T001.md` changed while it was being read');
  });

  const built = existsSync(path.join(REPO, 'dist/cli/export-worker.js'));
  it.skipIf(!built)('the worker thread (the built program) writes what this thread writes', async () => {
    const dir = corpus(12, 3_000);
    for (const args of [['json'], ['csv'], ['csv', '--matrix'], ['iramuteq'], ['qdpx', '-o', 'p.qdpx'], ['json', '-o', 'p.json'], ['qdc', '-o', 'c.qdc']]) {
      const io = memoryIo(dir);
      const code = await run(['export', ...args, '--force'], io);
      const file = args.includes('-o') ? readFileSync(path.join(dir, args[args.indexOf('-o') + 1] as string)) : undefined;
      const r = spawnSync(process.execPath, [path.join(REPO, 'bin/verbatim.js'), 'export', ...args, '--force', '--project', dir], { encoding: 'buffer', maxBuffer: 1 << 28 });
      expect(r.status, args.join(' ')).toBe(code);
      expect(r.stderr.toString(), args.join(' ')).toBe(io.err);
      if (file) {
        const again = readFileSync(path.join(dir, args[args.indexOf('-o') + 1] as string));
        expect(Buffer.compare(again, file), args.join(' ')).toBe(0);
      } else expect(r.stdout.toString(), args.join(' ')).toBe(io.out);
    }
  });
});

describe('the zip writer', () => {
  it('writes the Zip64 end records past 65,535 entries, and the reader reads them', () => {
    const chunks: Uint8Array[] = [];
    const zip = new ZipWriter((c) => void chunks.push(c));
    const n = 70_000;
    for (let i = 0; i < n; i++) zip.file(`sources/${i}.txt`, new TextEncoder().encode(`text ${i}`));
    zip.finish();
    const source = bytesSource(Buffer.concat(chunks));
    const listing = listZip(source, { maxEntries: 100_000 });
    expect(listing.ok).toBe(true);
    if (!listing.ok) return;
    expect(listing.entries).toHaveLength(n);
    const read = readEntries(source, [listing.entries[0]!, listing.entries[n - 1]!]);
    expect(read.ok && new TextDecoder().decode(read.files.get(`sources/${n - 1}.txt`))).toBe(`text ${n - 1}`);
  });
});
