import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { SourceFile } from '../../src/core/source-file.js';
import { decode } from '../../src/core/decode.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject, type CodedProject } from '../../src/engine/pipeline.js';
import { writeFileSafely } from '../../src/engine/write.js';
import { guidFor } from '../../src/exchange/guid.js';
import type { ImportResult } from '../../src/exchange/import-common.js';
import { findSourceFile, importRefiCodebook, importRefiProject, parseColor } from '../../src/exchange/import-refi.js';
import { unitTable } from '../../src/exchange/offsets.js';
import { buildQdc, buildQdpxContent, codeGuid, sourceGuid, zipQdpx } from '../../src/exchange/refi-export.js';
import { parseRefi, type RefiCode, type RefiCodebook, type RefiProject } from '../../src/exchange/refi-parse.js';
import { readZip } from '../../src/exchange/zip.js';
import { buildXml, el, parseXml, type XmlElement } from '../../src/exchange/xml.js';
import { parseCodebook } from '../../src/project/codebook.js';
import { parseTranscript } from '../../src/project/transcript.js';
import { skipBecause } from '../helpers/skip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = path.join(ROOT, 'tests/fixtures/exchange/project');
/** The REFI-QDA reference files live beside the repository, never in it (licences). */
const SHARED = path.resolve(ROOT, '../shared/refi-qda');
const hasShared =
  skipBecause(
    'the REFI-QDA schema and sample tests',
    existsSync(path.join(SHARED, 'Project.xsd')) ? undefined : `${SHARED} not found (the standard's XSDs and real tools' files are kept beside the repository, never in it)`,
  ) === undefined;
const SAMPLES = path.join(SHARED, 'samples');

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function coded(root: string): CodedProject {
  return codeProject(loadProject(root));
}

function project(xml: string): RefiProject {
  const r = parseRefi(xml);
  if (!r.ok || r.value.kind !== 'project') throw new Error(r.ok ? 'not a project' : r.message);
  return r.value;
}

function codebook(xml: string): RefiCodebook {
  const r = parseRefi(xml);
  if (!r.ok || r.value.kind !== 'codebook') throw new Error(r.ok ? 'not a codebook' : r.message);
  return r.value;
}

function flat(codes: readonly RefiCode[], prefix = ''): string[] {
  return codes.flatMap((c) => [`${prefix}${c.name}`, ...flat(c.children, `${prefix}${c.name}/`)]);
}

/** Writes an import's files into a new folder. */
function materialise(result: ImportResult): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-exchange-'));
  temps.push(dir);
  for (const f of result.files) writeFileSafely(path.join(dir, f.path), f.content);
  return dir;
}

/** (source, code GUID, start, end) of every coding of a qde. */
function codingSet(qde: string): Set<string> {
  const p = project(qde);
  return new Set(p.sources.flatMap((s) => s.selections.flatMap((sel) => sel.codings.map((c) => `${s.name}|${c.code}|${sel.start}|${sel.end}`))));
}

function codeSet(qde: string): Set<string> {
  const p = project(qde);
  const walk = (codes: readonly RefiCode[]): string[] => codes.flatMap((c) => [c.guid, ...walk(c.children)]);
  return new Set(walk(p.codes));
}

async function valid(xml: string, xsd: 'Project.xsd' | 'Codebook.xsd'): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'export.xml', contents: xml }], schema: [readFileSync(path.join(SHARED, xsd), 'utf8')], maxMemoryPages: 4096 });
  return { valid: r.valid, errors: r.errors.map((e) => e.message) };
}

/** The text a coding selects in the producing tool's .txt, with its unit. */
function normalize(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/\n+/g, '\n');
}

describe('QDC export', () => {
  const p = coded(FIXTURE);
  const qdc = buildQdc(p.codebook, { generator: 'Verbatim 0.0.0' });

  it('nests codes, folds texts into descriptions and derives GUIDs from full ids', () => {
    const cb = codebook(qdc);
    expect(cb.origin).toBe('Verbatim 0.0.0');
    expect(flat(cb.codes)).toEqual(['Trust', 'Trust/Local trust', 'Trust/Trust in the state', 'Doubt']);
    const trust = cb.codes[0]!;
    expect(trust.guid).toBe(guidFor('code:trust'));
    expect(trust.children[0]!.guid).toBe(codeGuid('trust.local'));
    expect(trust.color).toBe('#1565C0');
    expect(cb.codes[1]!.color).toBe('#AABBCC');
    expect(trust.description).toBe(
      'The respondent says whom they trust.\n\nInclude:\n- trust in people\n- trust in institutions\n\nExclude:\n- distrust → doubt\n\nExamples:\n- I trust my neighbours.\n\nSynthesis:\n- Trust is local.\n\nVerbatim id: trust',
    );
  });

  it('is byte-identical from run to run', () => {
    expect(buildQdc(coded(FIXTURE).codebook, { generator: 'Verbatim 0.0.0' })).toBe(qdc);
  });

  it('comes back as the same codebook', () => {
    const result = importRefiCodebook(codebook(qdc), { name: 'demo', source: 'demo.qdc' });
    const file = new SourceFile(result.files[0]!.path, result.files[0]!.content);
    const back = parseCodebook(file)!;
    expect(file.messages).toEqual([]);
    expect([...back.codes.keys()]).toEqual([...p.codebook!.codes.keys()]);
    for (const [id, code] of p.codebook!.codes) {
      const c = back.codes.get(id)!;
      expect([c.label, c.definition, c.include, c.exclude, c.examples, c.keywords, c.synthesis, c.memo]).toEqual([code.label, code.definition, code.include, code.exclude, code.examples, code.keywords, code.synthesis, code.memo]);
    }
    expect(back.codes.get('doubt')!.color).toBe('#AABBCC');
  });

  it.skipIf(!hasShared)('validates against Codebook.xsd (and the check can fail)', async () => {
    expect(await valid(qdc, 'Codebook.xsd')).toEqual({ valid: true, errors: [] });
    expect((await valid(qdc.replace(' isCodable="true"', ''), 'Codebook.xsd')).valid).toBe(false);
  });
});

describe('QDPX export', () => {
  const p = coded(FIXTURE);
  const content = buildQdpxContent(p, { generator: 'Verbatim 0.0.0' });
  const refi = project(content.qde);
  const text = (id: string): string => content.sources.find((s) => s.path === `sources/${sourceGuid(id)}.txt`)!.text;
  const cpSlice = (s: string, a: number, b: number): string => Array.from(s).slice(a, b).join('');
  const quotes = (id: string, code: string): string[] =>
    refi.sources
      .find((s) => s.name === id)!
      .selections.filter((sel) => sel.codings.some((c) => c.code === codeGuid(code)))
      .map((sel) => cpSlice(text(id), sel.start, sel.end));

  it('writes each transcript as a masked UTF-8 source, markers removed', () => {
    expect(content.sources.map((s) => s.path).sort()).toEqual([`sources/${sourceGuid('A1')}.txt`, `sources/${sourceGuid('B2')}.txt`].sort());
    expect(text('A1').startsWith('**Q :** Whom do you trust?\n\n**R :** I trust my neighbours, and [·] most of all.')).toBe(true);
    expect(text('A1')).not.toMatch(/Jean|Dupont|\{|\}/);
    expect(refi.sources.map((s) => [s.name, s.plainTextPath])).toEqual([
      ['A1', `internal://${sourceGuid('A1')}.txt`],
      ['B2', `internal://${sourceGuid('B2')}.txt`],
    ]);
  });

  it('places codings with code-point offsets in the masked text', () => {
    // The keywords code the paragraph, the researcher a span of it: one coding, the span (accepted).
    expect(quotes('A1', 'trust.local')).toEqual(['[·]']);
    // After an emoji, code points and UTF-16 units differ by one: the selection is in code points.
    expect(quotes('B2', 'trust.state')).toEqual(['nobody']);
    // The `{>doubt}…{<doubt}` span across two paragraphs is one selection, whole.
    expect(quotes('A1', 'doubt')).toEqual(['Then the state, less so. I doubt the mayor.', 'less so. I doubt the mayor.\n\nThe ', 'The end.']);
  });

  it('drops rejected automatic codings and merges a hand coding with the same automatic one', () => {
    expect(quotes('A1', 'doubt')).not.toContain('No doubt about it.');
    // `{#doubt}` and the keyword `doubt*` code the same paragraph: one coding, by the researcher (an accepted one).
    const both = p.codings.filter((c) => c.transcript === 'A1' && c.code === 'doubt' && c.segment === 2 && !c.span);
    expect(both.map((c) => [c.origin, c.accepted])).toEqual([['manual', true]]);
    // The spans across paragraphs (one in A1, two in B2) are one coding each, not one per paragraph.
    const pieces = p.codings.filter((c) => c.span && c.transcript === 'A1' && c.code === 'doubt').length - 1 + 2;
    expect(content.codings).toBe(p.codings.length - pieces);
    const selection = refi.sources[0]!.selections.find((sel) => cpSlice(text('A1'), sel.start, sel.end) === 'Then the state, less so. I doubt the mayor.')!;
    expect(selection.codings.map((c) => [c.code, c.user])).toEqual([[codeGuid('doubt'), guidFor('user:manual')]]);
    const manual = buildQdpxContent(p, { origin: 'manual' });
    expect(manual.codings).toBe(p.codings.filter((c) => c.origin === 'manual').length - pieces);
  });

  it('makes cases with variables, and users for hand and automatic coding', () => {
    expect(refi.variables.map((v) => [v.name, v.type, v.description])).toEqual([
      ['group', 'Text', 'Age group\n\nValues:\n- young: Under 30\n- old: 30 and over'],
      ['place', 'Text', 'Place\n\nValues:\n- town: town\n- village: village'],
    ]);
    expect(refi.cases.map((c) => [c.name, c.description, c.values.map((v) => v.value), c.sources])).toEqual([
      ['A1', 'A young villager', ['young', 'village'], [sourceGuid('A1')]],
      ['B2', 'An older townsman', ['old', 'town'], [sourceGuid('B2')]],
    ]);
    // Every keyword coding of this fixture is accepted, so one user; the demo has unreviewed ones too.
    expect(refi.users.map((u) => u.name)).toEqual(['Researcher (hand coding)']);
    expect(project(buildQdpxContent(coded(ROOT)).qde).users.map((u) => u.name)).toEqual(['Researcher (hand coding)', 'Verbatim automatic coding']);
    expect(refi.sources[0]!.description).toBe('A young villager\n\nSpeakers: Q = interviewer; R = respondent\nLanguage: en\nDate: 2024-03-01');
  });

  it('has unique GUIDs, resolving references and selections within their texts (what the XSD cannot check)', () => {
    for (const qdpx of [content, buildQdpxContent(coded(ROOT))]) {
      const root = (parseXml(qdpx.qde) as { ok: true; root: XmlElement }).root;
      const all: XmlElement[] = [];
      const walk = (e: XmlElement): void => {
        all.push(e);
        e.children.forEach(walk);
      };
      walk(root);
      const guids = all.flatMap((e) => (e.attrs.guid ? [e.attrs.guid] : []));
      expect(new Set(guids).size).toBe(guids.length);
      const refs = all.flatMap((e) => [e.attrs.targetGUID, e.attrs.creatingUser].filter((x): x is string => x !== undefined));
      expect(refs.filter((r) => !guids.includes(r))).toEqual([]);
      for (const source of all.filter((e) => e.name === 'TextSource')) {
        const length = Array.from(qdpx.sources.find((f) => `internal://${f.path.slice('sources/'.length)}` === source.attrs.plainTextPath)!.text).length;
        for (const sel of source.children.filter((c) => c.name === 'PlainTextSelection')) {
          const [start, end] = [Number(sel.attrs.startPosition), Number(sel.attrs.endPosition)];
          expect(0 <= start && start < end && end <= length).toBe(true);
        }
      }
    }
  });

  it('zips deterministically', () => {
    const again = zipQdpx(buildQdpxContent(coded(FIXTURE), { generator: 'Verbatim 0.0.0' }));
    expect(Buffer.from(zipQdpx(content)).equals(Buffer.from(again))).toBe(true);
    const zip = readZip(again);
    expect(zip.ok && [...zip.files.keys()].sort()).toEqual(['project.qde', ...content.sources.map((s) => s.path)].sort());
  });

  it.skipIf(!hasShared)('validates against Project.xsd: this fixture and the demo project', async () => {
    expect(await valid(content.qde, 'Project.xsd')).toEqual({ valid: true, errors: [] });
    expect(await valid(buildQdpxContent(coded(ROOT), { generator: 'Verbatim 0.0.0' }).qde, 'Project.xsd')).toEqual({ valid: true, errors: [] });
    expect((await valid(content.qde.replace('<Cases>', '<Cases/><Cases>'), 'Project.xsd')).valid).toBe(false);
  });
});

describe('export → import → export', () => {
  function roundTrip(root: string) {
    const first = coded(root);
    const one = buildQdpxContent(first, { generator: 'Verbatim 0.0.0' });
    const zip = readZip(zipQdpx(one));
    if (!zip.ok) throw new Error(zip.message);
    const result = importRefiProject(project(one.qde), zip.files, { name: 'p', source: 'p.qdpx' });
    const second = coded(materialise(result));
    const two = buildQdpxContent(second, { generator: 'Verbatim 0.0.0' });
    return { first, second, one, two, result };
  }

  it('keeps every code and coding of the fixture, at the same plain-text offsets', () => {
    const { first, second, one, two, result } = roundTrip(FIXTURE);
    expect(result.counts).toEqual({ transcripts: 2, codes: 4, codings: one.codings, adjusted: 0, dropped: 0 });
    expect([...second.codebook!.codes.keys()]).toEqual([...first.codebook!.codes.keys()]);
    expect(codeSet(two.qde)).toEqual(codeSet(one.qde));
    expect(codingSet(two.qde)).toEqual(codingSet(one.qde));
    // B2 has no redaction: its codings keep their offsets in the plain text itself.
    const key = (c: { transcript: string; code: string; start: number; end: number }): string => `${c.transcript}|${c.code}|${c.start}|${c.end}`;
    const b2 = (p: CodedProject): string[] => [...new Set(p.codings.filter((c) => c.transcript === 'B2').map(key))].sort();
    expect(b2(second)).toEqual(b2(first));
    expect(second.transcripts.find((t) => t.id === 'B2')!.plain).toBe(first.transcripts.find((t) => t.id === 'B2')!.plain);
    // What Verbatim needs back: labels, speakers, attributes and the panel's value labels.
    const a1 = second.transcripts.find((t) => t.id === 'A1')!;
    expect([a1.label, a1.speakers, a1.attributes, a1.language, a1.date]).toEqual(['A young villager', { Q: 'interviewer', R: 'respondent' }, { group: 'young', place: 'village' }, 'en', '2024-03-01']);
    expect(second.panel!.attributes.map((a) => [a.id, a.label, a.values])).toEqual(first.panel!.attributes.map((a) => [a.id, a.label, a.values]));
  });

  it('keeps every code and coding of the demo project', () => {
    const { one, two, result } = roundTrip(ROOT);
    expect(result.counts.dropped).toBe(0);
    expect(codeSet(two.qde)).toEqual(codeSet(one.qde));
    expect(codingSet(two.qde)).toEqual(codingSet(one.qde));
    expect(codingSet(one.qde).size).toBeGreaterThan(100);
  });
});

/** A QDPX archive from strings. */
function archive(qde: string, files: Record<string, string | Uint8Array> = {}): Map<string, Uint8Array> {
  const zip = readZip(zipSync({ 'project.qde': strToU8(qde), ...Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])) }));
  if (!zip.ok) throw new Error(zip.message);
  return zip.files;
}

function qde(origin: string, text: string, selections: [number, number, string][], extra = ''): string {
  const codes = [...new Set(selections.map((s) => s[2]))];
  return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="t" origin="${origin}">
  <CodeBook><Codes>${codes.map((c) => `<Code guid="${guidFor(`t:${c}`)}" name="${c}" isCodable="true"/>`).join('')}</Codes></CodeBook>
  ${extra}
  <Sources><TextSource guid="${guidFor('t:src')}" name="Interview 1" plainTextPath="internal://${guidFor('t:src').toUpperCase()}.TXT">
  ${selections.map(([s, e, c], i) => `<PlainTextSelection guid="${guidFor(`t:sel${i}`)}" startPosition="${s}" endPosition="${e}"><Coding guid="${guidFor(`t:c${i}`)}"><CodeRef targetGUID="{${guidFor(`t:${c}`).toUpperCase()}}"/></Coding></PlainTextSelection>`).join('')}
  </TextSource></Sources>
</Project>`;
}

function landed(result: ImportResult): string[] {
  const file = result.files.find((f) => f.path.endsWith('.md'))!;
  const t = parseTranscript(new SourceFile(file.path, file.content), { language: 'fr', speakers: {}, codeInterviewer: false })!;
  return result.placements.map((p) => `${p.code}:${t.plain.slice(p.start, p.end)}`);
}

describe('offsets of other tools', () => {
  const text = 'Première ligne 😀.\r\nSeconde ligne.\r\n';
  const files = { [`Sources/${guidFor('t:src').toUpperCase()}.TXT`]: `\uFEFF${text}` };

  it('reads NVivo offsets as UTF-16 units, with CRLF as two and no BOM', () => {
    // "Seconde" starts at UTF-16 unit 20 (the emoji is two units).
    const r = importRefiProject(project(qde('NVivo for Windows 12.6', text, [[20, 27, 'a']])), archive(qde('x', '', []), files), { name: 't', source: 't.qdpx' });
    expect(landed(r)).toEqual(['a:Seconde']);
    expect(r.offsets?.unit).toBe('utf16');
  });

  it('reads ATLAS.ti offsets as code points with CRLF as one', () => {
    const r = importRefiProject(project(qde('ATLAS.ti 9.1.0', text, [[18, 25, 'a']])), archive('', files), { name: 't', source: 't.qdpx' });
    expect(landed(r)).toEqual(['a:Seconde']);
  });

  it('reads other tools as the specification says, and --offsets overrides', () => {
    const xml = qde('MAXQDA 24.7.0', text, [[19, 26, 'a']]);
    expect(landed(importRefiProject(project(xml), archive('', files), { name: 't', source: 't.qdpx' }))).toEqual(['a:Seconde']);
    // Read as UTF-16 the selection starts one unit early, on the line break: its edge moves onto the words.
    const forced = importRefiProject(project(xml), archive('', files), { name: 't', source: 't.qdpx', offsets: 'utf16' });
    expect(landed(forced)).toEqual(['a:Second']);
    expect(forced.placements[0]!.adjusted).toBe('edges moved off the blank lines between paragraphs');
  });

  it('detects UTF-16 offsets from an unknown tool', () => {
    const t = '😀😀 alpha beta gamma\n';
    const r = importRefiProject(project(qde('Tool 1', t, [[5, 10, 'a'], [11, 15, 'b']])), archive('', { [`sources/${guidFor('t:src')}.txt`]: t }), { name: 't', source: 't.qdpx' });
    expect(r.offsets?.unit).toBe('utf16');
    expect(landed(r)).toEqual(['a:alpha', 'b:beta']);
  });

  it('reports what it cannot place', () => {
    const xml = qde('Tool 1', text, [[5, 2, 'a'], [0, 999, 'b'], [3, 3, 'c']]).replace('</Sources>', '<PictureSource guid="' + guidFor('t:pic') + '" path="internal://x.jpg"/></Sources><Notes><Note guid="' + guidFor('t:n') + '"><PlainTextContent>memo</PlainTextContent></Note></Notes>');
    const r = importRefiProject(project(xml), archive('', files), { name: 't', source: 't.qdpx' });
    expect(r.notes.map((n) => n.kind).sort()).toEqual(['coding-dropped', 'invalid-selection', 'invalid-selection', 'memo', 'non-text-source']);
    expect(r.counts.codings).toBe(0);
  });

  it('makes a panel from cases and variables', () => {
    const v = (name: string, type: string): string => `<Variable guid="${guidFor(`v:${name}`)}" name="${name}" typeOfVariable="${type}"/>`;
    const value = (name: string, el: string, x: string): string => `<VariableValue><VariableRef targetGUID="${guidFor(`v:${name}`)}"/><${el}>${x}</${el}></VariableValue>`;
    const extra = `<Variables>${v('Cases:Age group', 'Text')}${v('Member', 'Boolean')}${v('Age', 'Integer')}</Variables>
      <Cases><Case guid="${guidFor('case')}" name="Interview 1">${value('Cases:Age group', 'TextValue', '30-39')}${value('Member', 'BooleanValue', 'true')}${value('Age', 'IntegerValue', '34')}</Case></Cases>`;
    const r = importRefiProject(project(qde('Tool 1', text, [], extra)), archive('', files), { name: 't', source: 't.qdpx' });
    const panel = r.files.find((f) => f.path === 'corpus/panel.yaml')!.content;
    expect(panel).toContain('age-group:\n    label: Age group\n    values:\n      30-39: 30-39\n');
    expect(panel).toContain('age:\n    label: Age\n');
    expect(panel).not.toContain('34');
    expect(r.files.find((f) => f.path.endsWith('.md'))!.content).toContain('attributes:\n  age-group: 30-39\n  member: "true"\n  age: "34"\n');
  });

  it('reads colours leniently', () => {
    expect(['#46aa00', '#46AA00FF', 'abc', 'rgb(255, 0, 16)', 'red'].map(parseColor)).toEqual(['#46AA00', '#46AA00', '#AABBCC', '#FF0010', undefined]);
  });
});

describe('reading REFI-QDA XML leniently', () => {
  it('accepts a BOM, namespace variants, prefixes and braced GUIDs, and says what is not XML', () => {
    const cb = codebook('\uFEFF<?xml version="1.0"?><q:CodeBook xmlns:q="urn:QDA-XML:codebook:1:0"><q:Codes><q:Code guid="{0D62985D-B147-5D01-A9B5-CAE5DCD98342}" name="a &amp; b" isCodable="0"><q:Description> x </q:Description></q:Code></q:Codes><q:Sets/></q:CodeBook>');
    expect(cb.codes).toEqual([{ guid: '0d62985d-b147-5d01-a9b5-cae5dcd98342', name: 'a & b', isCodable: false, description: 'x', children: [], notes: 0 }]);
    expect(parseRefi('<CodeBook><Codes>')).toEqual({ ok: false, message: expect.stringMatching(/^the XML is not well-formed \(line 1\)/) });
    expect(parseRefi('<Html/>')).toEqual({ ok: false, message: 'the root element is `<Html>`, not a REFI-QDA `<CodeBook>` or `<Project>`' });
  });

  it('writes attributes on one line and drops characters XML forbids', () => {
    const xml = buildXml(el('Code', { name: 'two\nlines', guid: 'g' }, [el('Description', {}, 'bell\u0007 & <tag>\nkept')]));
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<Code name="two lines" guid="g">\n  <Description>bell &amp; &lt;tag&gt;\nkept</Description>\n</Code>\n');
  });
});

describe('zip safety', () => {
  it('refuses paths that leave the folder, too many entries, and too many bytes', () => {
    const evil = zipSync({ 'project.qde': strToU8('<Project/>'), '../evil.txt': strToU8('x') });
    expect(readZip(evil)).toEqual({ ok: false, message: 'the entry `../evil.txt` has an absolute path or `..`' });
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, strToU8('x')])));
    expect(readZip(many, { maxEntries: 4, maxTotalBytes: 1000 })).toEqual({ ok: false, limit: true, message: 'it has more than 4 entries' });
    const big = zipSync({ 'a.txt': new Uint8Array(3 * 1048576) });
    expect(big.length).toBeLessThan(20000);
    expect(readZip(big, { maxEntries: 10, maxTotalBytes: 2 * 1048576 })).toEqual({ ok: false, limit: true, message: 'it would inflate to more than 2 MB' });
    expect(readZip(strToU8('not a zip at all, just text'))).toEqual({ ok: false, message: 'this is not a zip archive' });
  });

  it('finds source files whatever their case, folder or scheme', () => {
    const files = new Map([['Sources/ABC.TXT', strToU8('x')], ['sources/board.txt', strToU8('y')]]);
    expect(findSourceFile(files, 'internal://abc.txt').file).toBeDefined();
    expect(findSourceFile(files, 'board.txt').file).toBeDefined();
    expect(findSourceFile(files, 'relative:///media/a.mp4').problem).toMatch(/external file/);
  });
});

describe.skipIf(!hasShared)('the REFI-QDA samples', () => {
  const sample = (name: string): Buffer => readFileSync(path.join(SAMPLES, name));
  function importSample(name: string): { refi: RefiProject; files: Map<string, Uint8Array>; result: ImportResult } {
    const zip = readZip(sample(name));
    if (!zip.ok) throw new Error(zip.message);
    const qdeEntry = [...zip.files.keys()].find((k) => /\.qde$/i.test(k))!;
    const refi = project(decode(zip.files.get(qdeEntry)!).text!);
    return { refi, files: zip.files, result: importRefiProject(refi, zip.files, { name: name.replace(/\.qdpx$/, ''), source: name }) };
  }

  /** Every coding lands on the text the producing tool's offsets select (in its unit) in its .txt. */
  function proveLanding(s: ReturnType<typeof importSample>): { exact: number; adjusted: number } {
    let exact = 0;
    let adjusted = 0;
    const { refi, files, result } = s;
    for (const file of result.files.filter((f) => f.path.endsWith('.md'))) {
      const t = parseTranscript(new SourceFile(file.path, file.content), { language: 'fr', speakers: {}, codeInterviewer: false })!;
      // The parser gives back every coding the import placed.
      expect(t.codings.map((c) => `${c.code}|${c.start}|${c.end}`).sort()).toEqual(result.placements.filter((p) => p.file === file.path).map((p) => `${p.code}|${p.start}|${p.end}`).sort());
      const source = refi.sources.find((x) => x.guid === result.placements.find((p) => p.file === file.path)?.source);
      if (!source) continue;
      const raw = decode(findSourceFile(files, source.plainTextPath!).file!).text!;
      const unit = unitTable(raw, result.offsets!.unit, result.offsets!.crlfAsOne);
      const labels = Object.keys(t.speakers);
      for (const p of result.placements.filter((x) => x.file === file.path)) {
        const expected = normalize(raw.slice(unit.toUtf16(p.sourceStart!), unit.toUtf16(p.sourceEnd!)));
        const actual = normalize(t.plain.slice(p.start, p.end));
        if (!p.adjusted) {
          expect(actual).toBe(expected);
          exact++;
        } else {
          // Only blank lines around paragraphs, or a speaker label, were left out.
          const label = labels.find((l) => expected.trimStart().startsWith(`${l}:`));
          const words = label ? expected.trimStart().slice(label.length + 1) : expected;
          expect(actual.trim()).toBe(words.trim());
          adjusted++;
        }
      }
    }
    return { exact, adjusted };
  }

  it('NVivo for Windows: UTF-16 offsets, BOM and CRLF; every coding lands on its text', () => {
    const s = importSample('nvivo-win-12.6_oltas0517.qdpx');
    expect(s.result.offsets).toMatchObject({ unit: 'utf16', crlfAsOne: false });
    expect(s.result.counts).toMatchObject({ transcripts: 2, codes: 152, codings: 303, dropped: 0 });
    expect(proveLanding(s)).toEqual({ exact: 299, adjusted: 4 });
    // Why UTF-16: read that way, 281 of the 303 selections start at a line start; read as code points, 16 do.
    const source = s.refi.sources.find((x) => x.selections.length > 0)!;
    const raw = decode(findSourceFile(s.files, source.plainTextPath!).file!).text!;
    const atLineStart = (unit: 'utf16' | 'code-points'): number => {
      const table = unitTable(raw, unit, false);
      return source.selections.filter((sel) => sel.start === 0 || raw[table.toUtf16(sel.start) - 1] === '\n').length;
    };
    expect([atLineStart('utf16'), atLineStart('code-points'), source.selections.length]).toEqual([281, 16, 303]);
  });

  it('qc: code points, speaker labels declared, every coding lands on its text', () => {
    const s = importSample('qc-1.3.2_demo.qdpx');
    expect(s.result.offsets?.unit).toBe('code-points');
    expect(s.result.counts).toMatchObject({ transcripts: 2, codes: 262, codings: 205, dropped: 0 });
    expect(proveLanding(s)).toEqual({ exact: 182, adjusted: 23 });
    const board = s.result.files.find((f) => f.path === 'corpus/board_2017.md')!.content;
    expect(board).toMatch(/\nspeakers:\n {2}Speaker 1: respondent\n/);
    expect(board).toMatch(/\nredact:\n(?: {2}- .*\n)*? {2}- Alfeck\n/);
    // Named interviewers: their turns are not segments, and the report says which codings Verbatim will not count.
    const again = importRefiProject(s.refi, s.files, { name: 'qc', source: 'qc.qdpx', interviewers: ['Moderator', 'speaker 2'] });
    expect(again.files.find((f) => f.path === 'corpus/board_2017.md')!.content).toMatch(/\n {2}Speaker 2: interviewer\n[^]*\n {2}Moderator: interviewer\n/);
    expect(again.notes.filter((n) => n.kind === 'interviewer-coding').map((n) => n.count)).toEqual([19]);
  });

  it('NVivo for Mac: the codebook, and a report on the empty sources', () => {
    const s = importSample('nvivo-mac-15.0.0_qc-project-codebook-only.qdpx');
    expect(s.result.counts).toMatchObject({ transcripts: 0, codes: 262 });
    expect(s.result.notes.filter((n) => n.kind === 'empty-source')).toHaveLength(2);
  });

  it('ATLAS.ti (spec annex A.2): the codebook, nested from its names, and a report of the rest', () => {
    const refi = project(readFileSync(path.join(SAMPLES, 'spec-annexA2_atlasti-8.4.0_project.qde'), 'utf8'));
    const r = importRefiProject(refi, new Map(), { name: 'annex', source: 'project.qde' });
    const yaml = r.files[0]!.content;
    expect(yaml).toContain('  - id: coke\n    label: Coke\n    color: "#966450"\n    definition: the breakfast of champions\n    children:\n      - id: full-fat-coke\n        label: full-fat Coke\n');
    expect(r.notes.map((n) => n.kind)).toEqual(expect.arrayContaining(['nested', 'shared-text', 'missing-text', 'non-text-source', 'media-coding', 'memo', 'link', 'set', 'graph']));
  });

  it.each([
    ['spec-annexA1_codebook.transcribed.qdc', ['Topics', 'Economy', 'Health care', 'Values', 'Conservatives', 'Liberals']],
    ['atlasti-win-23.4.0_codebook.from-requal-test.qdc', ['code1']],
    ['taguette-1.5.2_codebook.from-tests.qdc', ['interesting', 'interesting/places', 'people']],
  ])('%s imports as a codebook Verbatim reads without error', (name, labels) => {
    const r = importRefiCodebook(codebook(readFileSync(path.join(SAMPLES, name), 'utf8')), { name: 'cb', source: name });
    const file = new SourceFile('codebooks/cb.yaml', r.files[0]!.content);
    const cb = parseCodebook(file)!;
    expect(file.messages.filter((m) => m.severity === 'error')).toEqual([]);
    const label = (id: string): string => (cb.codes.get(id)!.parent ? `${label(cb.codes.get(id)!.parent!)}/` : '') + cb.codes.get(id)!.label;
    expect([...cb.codes.keys()].map(label).sort()).toEqual([...labels].sort());
  });

  it('every sample project gives a project that `check` finds no error in', () => {
    for (const name of ['nvivo-win-12.6_oltas0517.qdpx', 'qc-1.3.2_demo.qdpx', 'nvivo-mac-15.0.0_qc-project-codebook-only.qdpx']) {
      const p = coded(materialise(importSample(name).result));
      const errors = p.files.flatMap((f) => f.messages).filter((m) => m.severity === 'error' && m.ruleId !== 'no-transcripts');
      expect({ name, errors }).toEqual({ name, errors: [] });
    }
  });
});
