/**
 * `verbatim export` streams (see src/exchange/export-writer.ts): these tests
 * hold it to what the in-memory export wrote before (tests/helpers/legacy-export.ts,
 * frozen), byte for byte, with the same messages and exit codes, on the demo
 * project and on every fixture project.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/context.js';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { WriteError } from '../src/engine/write.js';
import { listZip, readEntries, bytesSource } from '../src/exchange/zip.js';
import { loadCoded } from '../src/cli/shared.js';
import { CodedStream, surveyCorpus } from '../src/cli/stream-coded.js';
import { loadFrame, loadProject } from '../src/engine/load-project.js';
import { codeProject } from '../src/engine/pipeline.js';
import { codingsCsv, matrixCsv } from '../src/exchange/csv.js';
import { iramuteqCorpus } from '../src/exchange/iramuteq.js';
import { projectJson } from '../src/exchange/json-export.js';
import { buildQdpxContent, zipQdpx } from '../src/exchange/refi-export.js';
import * as legacyBuilders from './helpers/legacy-export.js';
import { legacyExportProject } from './helpers/legacy-export.js';
import type { Transcript } from '../src/project/model.js';
import { removeAll, tempProject } from './helpers/project.js';

const REPO = path.resolve(import.meta.dirname, '..');
const CHECK = path.join(REPO, 'tests/fixtures/check');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
const out = mkdtempSync(path.join(tmpdir(), 'verbatim-export-'));
temps.push(out);

/** A fixture case of tests/fixtures/check, laid over its base as the check goldens do. */
function checkCase(name: string): string {
  const meta = existsSync(path.join(CHECK, name, 'case.yaml')) ? (parse(readFileSync(path.join(CHECK, name, 'case.yaml'), 'utf8')) as { remove?: string[]; git?: boolean }) : {};
  const layers = [path.join(CHECK, '_base'), ...(existsSync(path.join(CHECK, name, 'project')) ? [path.join(CHECK, name, 'project')] : [])];
  const dir = tempProject(...layers);
  temps.push(dir);
  for (const r of meta.remove ?? []) rmSync(path.join(dir, r));
  return dir;
}

/**
 * A project with what the exports handle transcript by transcript and what
 * needs the whole corpus: three transcripts sharing an id (codings on each,
 * a stale rejection, CRLF), a panel table with values, a conflict and a row
 * without transcript, a transcript that does not parse but redacts a name
 * the others say, one in Windows-1252, one without front matter, one whose
 * front matter is longer than what the survey reads at first, one in French,
 * an integer-like attribute name, astral characters and no-break spaces.
 */
function trickyProject(): string {
  const dir = tempProject(path.join(REPO, 'tests/fixtures/exchange/project'));
  temps.push(dir);
  const write = (name: string, content: string | Buffer): void => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  };
  write('corpus/panel.csv', 'id,group,place\nA1,young,village\nC3,old,town\nZ9,young,town\nC3,young,town\n');
  const c3 = (label: string, body: string, extra = ''): string => `---\nid: C3\nlabel: ${label}\nattributes:\n  group: old\n${extra}---\n\n${body}`;
  write('corpus/C3.md', c3('A third one', '**R :** Paul Bert trusts his neighbours. {#trust}\n\n**R :** No doubt, said [Paul Bert]{#doubt}. {!trust.state}\n'));
  write('corpus/C3-bis.md', c3('The same id', '**R :** My neighbours 😀\u00a0are\u00a0kind. {#trust.local}\r\n\r\n**R :** I doubt it. {#doubt}\r\n').replace(/\n/g, '\r\n'));
  write('corpus/C3-ter.md', c3('Again the same id', '**R :** [Doubt]{#doubt} and [neighbours]{#trust.local} again, with Paul Bert.\n', '  2021: yes\n'));
  write('corpus/D4.md', '---\nid: D4\nlabel: "broken\nredact: [Paul Bert]\n---\n\n**R :** Hello.\n');
  write('corpus/E5.md', Buffer.from('---\nid: E5\nlabel: Caf\xe9 owner\nattributes:\n  group: old\n  place: town\n---\n\n**R :** Le caf\xe9 de mes neighbours, no doubt.\n', 'latin1'));
  write('corpus/H8.md', 'My neighbours, I doubt them.\n\nNothing else.\n');
  write('corpus/F6.md', `---\nid: F6\nlabel: Long notes\nattributes:\n  place: village\nnotes: "${'A long memo. '.repeat(6000)}"\n---\n\n**R :** Neighbours neighbours neighbours. {#trust}\n`);
  write('corpus/G7.md', '---\nid: G7\nlabel: Un voisin\nlanguage: fr\nattributes:\n  group: young\n---\n\n**R :** Mes voisins, je doute. {#doubt}\n');
  return dir;
}

/** What a run shows: exit code, stdout, stderr, and the file it wrote (its entries, for a zip). */
interface Outcome {
  code: number;
  out: string;
  err: string;
  file?: string | Record<string, string> | undefined;
}

interface ExportArgs {
  format: string;
  output?: string;
  origin?: string;
  matrix?: boolean;
  json?: boolean;
}

function written(file: string | undefined, format: string): Outcome['file'] {
  if (file === undefined || !existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  if (format !== 'qdpx') return bytes.toString('utf8');
  const source = bytesSource(bytes);
  const listing = listZip(source);
  if (!listing.ok) return { error: listing.message };
  const read = readEntries(source, listing.entries);
  if (!read.ok) return { error: read.message };
  // Entry names in the order of the central directory, each with its text.
  return Object.fromEntries(listing.entries.map((e) => [e.name, Buffer.from(read.files.get(e.name) as Uint8Array).toString('utf8')]));
}

function argv(project: string, a: ExportArgs, file: string | undefined): string[] {
  return ['export', a.format, '--project', project, ...(file ? ['-o', file] : []), ...(a.origin ? ['--origin', a.origin] : []), ...(a.matrix ? ['--matrix'] : []), ...(a.json ? ['--json'] : [])];
}

/** Output with the file's name replaced, as the two runs write to two files. */
function shown(text: string, project: string, file: string | undefined): string {
  return file ? text.replaceAll(path.relative(project, file), 'OUT').replaceAll(file, 'OUT') : text;
}

/** The streaming export, through the CLI. */
async function streamed(project: string, a: ExportArgs): Promise<Outcome> {
  const file = a.output ? path.join(out, `new-${a.output}`) : undefined;
  if (file) rmSync(file, { force: true });
  const io = memoryIo(project);
  const code = await run(argv(project, a, file), io);
  return { code, out: shown(io.out, project, file), err: io.err, file: written(file, a.format) };
}

/** The export as it was, in memory. */
async function legacy(project: string, a: ExportArgs): Promise<Outcome> {
  const file = a.output ? path.join(out, `old-${a.output}`) : undefined;
  if (file) rmSync(file, { force: true });
  const io = memoryIo(project);
  let code: number;
  try {
    code = await legacyExportProject(a.format, { ...(file ? { output: file } : {}), origin: a.origin ?? 'all', ...(a.matrix ? { matrix: true } : {}), ...(a.json ? { json: true } : {}) }, { io, root: project, color: false, colorErr: false, debug: false });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`verbatim: ${error.message}\n`);
      code = 2;
    } else if (error instanceof WriteError) {
      io.stderr(`verbatim: cannot write: ${error.reason}\n`);
      code = 1;
    } else throw error;
  }
  return { code, out: shown(io.out, project, file), err: io.err, file: written(file, a.format) };
}

/** The --json summary of a qdpx counts the bytes of the archive, which are not the same (see export-writer.ts). */
function comparable(o: Outcome, a: ExportArgs): Outcome {
  return a.format === 'qdpx' && a.json ? { ...o, out: o.out.replace(/"bytes": \d+/u, '"bytes": N') } : o;
}

async function expectSame(project: string, a: ExportArgs): Promise<void> {
  const [now, before] = [await streamed(project, a), await legacy(project, a)];
  expect(comparable(now, a)).toEqual(comparable(before, a));
}

const FORMATS: ExportArgs[] = [
  { format: 'json' },
  { format: 'csv' },
  { format: 'csv', matrix: true },
  { format: 'iramuteq' },
  { format: 'json', output: 'p.json', json: true },
  { format: 'csv', output: 'c.csv' },
  { format: 'csv', output: 'm.csv', matrix: true },
  { format: 'iramuteq', output: 'i.txt' },
  { format: 'qdpx', output: 'p.qdpx', json: true },
  { format: 'qdc', output: 'c.qdc' },
];

describe('the streamed export is the in-memory one', () => {
  const projects: [string, string][] = [
    ['the demo project', REPO],
    ['tests/fixtures/exchange/project', path.join(REPO, 'tests/fixtures/exchange/project')],
    ['tests/fixtures/analysis', path.join(REPO, 'tests/fixtures/analysis')],
    ['tests/fixtures/report', path.join(REPO, 'tests/fixtures/report')],
    ['tests/fixtures/agree/coder-a', path.join(REPO, 'tests/fixtures/agree/coder-a')],
    ['a project with shared ids, a panel table and unusual files', trickyProject()],
  ];
  it.each(projects)('%s, every format and origin', async (_name, project) => {
    for (const a of FORMATS) {
      for (const origin of ['all', 'manual', 'auto']) await expectSame(project, { ...a, origin });
    }
  });

  const cases = readdirSync(CHECK).filter((n) => !n.startsWith('_') && n !== 'tracked-redactions');
  it.each(cases)('the check fixture %s', async (name) => {
    const project = checkCase(name);
    for (const a of FORMATS) await expectSame(project, a);
  });
});

describe('the builders, written as the transcripts come, write what they wrote in memory', () => {
  const projects = [REPO, trickyProject(), ...['exchange/project', 'analysis', 'report', 'agree/coder-a', 'agree/coder-b'].map((p) => path.join(REPO, 'tests/fixtures', p)), ...readdirSync(CHECK).filter((n) => !n.startsWith('_')).map(checkCase)];
  const loaded = projects.map((dir) => [dir, codeProject(loadProject(dir))] as const);
  it.each(['all', 'manual', 'auto'] as const)('origin %s', (origin) => {
    for (const [dir, p] of loaded) {
      expect(projectJson(p, { origin, generator: 'V' }), dir).toBe(legacyBuilders.projectJson(p, { origin, generator: 'V' }));
      expect(codingsCsv(p, { origin }), dir).toBe(legacyBuilders.codingsCsv(p, { origin }));
      expect(matrixCsv(p, { origin }), dir).toBe(legacyBuilders.matrixCsv(p, { origin }));
      expect(iramuteqCorpus(p), dir).toBe(legacyBuilders.iramuteqCorpus(p));
      const qdpx = buildQdpxContent(p, { origin, generator: 'V' });
      expect(qdpx, dir).toEqual(legacyBuilders.buildQdpxContent(p, { origin, generator: 'V' }));
      // The zip of a whole content is fflate's zipSync, byte for byte.
      expect(Buffer.from(zipQdpx(qdpx)).equals(Buffer.from(legacyBuilders.zipQdpx(qdpx))), dir).toBe(true);
    }
  });
});

describe('the coded stream is loadCoded, a transcript at a time', () => {
  const projects = [REPO, trickyProject(), ...['exchange/project', 'analysis', 'report', 'agree/coder-a'].map((p) => path.join(REPO, 'tests/fixtures', p)), ...readdirSync(CHECK).filter((n) => !n.startsWith('_')).map(checkCase)];
  it.each(projects)('%s: the same transcripts, codings and diagnostics', (dir) => {
    const { project, diagnostics } = loadCoded({ io: memoryIo(dir), root: dir, color: false, colorErr: false, debug: false });
    const frame = loadFrame(dir);
    const survey = surveyCorpus(frame);
    const stream = new CodedStream(frame, survey);
    const items = [...stream.items()];
    const plain = (t: Transcript): unknown => ({ ...t, toSource: undefined });
    expect(items.map((i) => plain(i.transcript))).toEqual(project.transcripts.map(plain));
    expect(items.flatMap((i) => i.codings)).toEqual(project.codings);
    expect(stream.diagnostics()).toEqual(diagnostics);
    // The facts of the corpus-wide rules, gathered with the keywords' trie, are the stage's.
    expect(stream.facts).toEqual(project.facts);
  });
});
