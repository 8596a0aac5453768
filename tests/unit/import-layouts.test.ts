/**
 * `verbatim import` of transcripts as the tools write them: Otter.ai and
 * Word's Transcribe headers, MS Teams' unpadded timings, captions without
 * blank lines, files that yield no text, name parts for `redact`, and
 * Windows-1252 captions.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { parseCaptions } from '../../src/exchange/subtitles.js';
import { importCaptions } from '../../src/exchange/transcript-import.js';
import { parseTranscript } from '../../src/project/transcript.js';
import { cli } from '../helpers/cli.js';
import { removeAll, tempProject } from '../helpers/project.js';

const PROJECT = fileURLToPath(new URL('../fixtures/exchange/project/', import.meta.url));
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A fresh copy of the small exchange project, with `files` written into it. */
function project(files: Record<string, string | Uint8Array>): string {
  const dir = tempProject(PROJECT);
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** The imported transcript's paragraphs: role, speaker, time, text. */
function paragraphs(content: string): [string, string | undefined, number | undefined, string][] {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(content)![1]!;
  const speakers: Record<string, 'interviewer' | 'respondent'> = {};
  for (const m of fm.matchAll(/^ {2}(.+): (interviewer|respondent)$/gm)) speakers[m[1]!.replace(/^"|"$/g, '')] = m[2] as 'interviewer' | 'respondent';
  const file = new SourceFile('corpus/T.md', content);
  const t = parseTranscript(file, { language: 'fr', speakers, codeInterviewer: false })!;
  return t.paragraphs.map((p) => [p.role, p.speaker, p.timestamp, t.plain.slice(p.start, p.end)]);
}

/** A minimal Word document holding these paragraphs. */
function docx(lines: readonly string[]): Uint8Array {
  const p = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    'word/document.xml': strToU8(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${lines.map(p).join('')}</w:body></w:document>`),
  });
}

const OTTER = [
  'Speaker 1  0:00',
  'Bonjour Karim, merci de me recevoir. Pouvez-vous décrire votre travail ?',
  '',
  'Karim Benali  0:07',
  'Oui. Je suis boulanger depuis douze ans,',
  'à la sortie du village.',
  '',
  'Speaker 1  1:02:15',
  'Et le matin ?',
  '',
  'Transcribed by https://otter.ai',
  '',
].join('\n');

describe('Otter.ai and Word Transcribe layouts', () => {
  it('turns `Name  12:03` headers (Otter.ai .txt) into speaker turns that keep their time', async () => {
    const dir = project({ 'boulanger.txt': OTTER });
    const r = await cli(dir, 'import', 'boulanger.txt', '--interviewer', 'Speaker 1');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('  created corpus/boulanger.md (transcript, 2 speakers)\n');
    const content = readFileSync(path.join(dir, 'corpus/boulanger.md'), 'utf8');
    expect(content).toContain('speakers:\n  Speaker 1: interviewer\n  Karim Benali: respondent\n');
    expect(content.split('---\n\n')[1]).toBe(
      '**Speaker 1:** [00:00:00] Bonjour Karim, merci de me recevoir. Pouvez-vous décrire votre travail ?\n\n' +
        '**Karim Benali:** [00:00:07] Oui. Je suis boulanger depuis douze ans,\nà la sortie du village.\n\n' +
        '**Speaker 1:** [01:02:15] Et le matin ?\n\n' +
        '<!-- Transcribed by https://otter.ai -->\n',
    );
    expect(paragraphs(content)).toEqual([
      ['interviewer', 'Speaker 1', 0, 'Bonjour Karim, merci de me recevoir. Pouvez-vous décrire votre travail ?'],
      ['respondent', 'Karim Benali', 7, 'Oui. Je suis boulanger depuis douze ans,\nà la sortie du village.'],
      ['interviewer', 'Speaker 1', 3735, 'Et le matin ?'],
      ['other', undefined, undefined, ''],
    ]);
  });

  it('turns `00:00:00 Speaker 1` headers (Word Transcribe .docx) into speaker turns, a title kept before them', async () => {
    const dir = project({
      'atelier.docx': docx(['Entretien atelier', '00:00:00 Speaker 1', 'Bonjour, on peut commencer ?', '00:00:04 Speaker 2', 'Oui, allons-y.', '00:01:10 Speaker 1', 'Parlez-moi de vos horaires.']),
    });
    const r = await cli(dir, 'import', 'atelier.docx', '--interviewer', 'Speaker 1');
    expect(r).toMatchObject({ code: 0, err: '' });
    const content = readFileSync(path.join(dir, 'corpus/atelier.md'), 'utf8');
    expect(content).toContain('speakers:\n  Speaker 1: interviewer\n  Speaker 2: respondent\n# label');
    expect(paragraphs(content)).toEqual([
      ['respondent', undefined, undefined, 'Entretien atelier'],
      ['interviewer', 'Speaker 1', 0, 'Bonjour, on peut commencer ?'],
      ['respondent', 'Speaker 2', 4, 'Oui, allons-y.'],
      ['interviewer', 'Speaker 1', 70, 'Parlez-moi de vos horaires.'],
    ]);
  });

  it('leaves timestamped lines that are not headers (text on the same line) as they are', async () => {
    const text = '00:00:01 Bonjour.\n00:00:05 Oui, bonjour.\n';
    const dir = project({ 'lignes.txt': text });
    expect((await cli(dir, 'import', 'lignes.txt')).code).toBe(0);
    expect(readFileSync(path.join(dir, 'corpus/lignes.md'), 'utf8').split('---\n\n')[1]).toBe('00:00:01 Bonjour.\n\n00:00:05 Oui, bonjour.\n');
  });
});

describe('caption timings', () => {
  it('reads MS Teams’ unpadded timings (`0:0:0.0 --> 0:0:1.5`)', () => {
    const vtt = 'WEBVTT\n\n0:0:0.0 --> 0:0:1.5\n<v Claire Moreau>Bonjour à vous.</v>\n\n0:0:2.0 --> 0:1:4.25\n<v Louis Garnier>Bonjour, merci de m’accueillir.</v>\n';
    expect(parseCaptions(vtt)).toEqual([
      { start: 0, end: 1.5, speaker: 'Claire Moreau', text: 'Bonjour à vous.' },
      { start: 2, end: 64.25, speaker: 'Louis Garnier', text: 'Bonjour, merci de m’accueillir.' },
    ]);
    expect(importCaptions(vtt, { id: 'T', corpus: 'corpus', source: 'x' }).files[0]!.content.split('---\n\n')[1]).toBe(
      '**Claire Moreau:** [00:00:00] Bonjour à vous.\n\n**Louis Garnier:** [00:00:02] Bonjour, merci de m’accueillir.\n',
    );
  });

  it('takes a timing line without a blank line before it as a new cue (youtube-dl), and drops an SRT index there', () => {
    const vtt = 'WEBVTT\nKind: captions\nLanguage: fr\n\n00:00:00.500 --> 00:00:02.000\non commence\n00:00:02.000 --> 00:00:03.500\ntout de suite\n';
    expect(parseCaptions(vtt).map((c) => [c.start, c.text])).toEqual([
      [0.5, 'on commence'],
      [2, 'tout de suite'],
    ]);
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nPremière phrase.\n2\n00:00:05,000 --> 00:00:06,000\nDeuxième phrase.\n';
    expect(parseCaptions(srt).map((c) => [c.start, c.text])).toEqual([
      [1, 'Première phrase.'],
      [5, 'Deuxième phrase.'],
    ]);
  });
});

describe('an import that yields no text', () => {
  it.each([
    ['vide.vtt', 'WEBVTT\n\nNOTE rien ici\n', /^verbatim: cannot import vide\.vtt: no caption cue with text found .*: nothing was written\.\n$/],
    ['vide.srt', '1\n00:00:01,000 --> 00:00:02,000\n\n', /^verbatim: cannot import vide\.srt: no caption cue with text found/],
    ['vide.txt', '\n  \n\n', /^verbatim: cannot import vide\.txt: the file holds no text: nothing was written\.\n$/],
  ])('%s: exit 1, one line saying so, nothing written', async (name, content, err) => {
    const dir = project({ [name]: content });
    const r = await cli(dir, 'import', name);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(err);
    expect(r.out).toBe('');
    expect(existsSync(path.join(dir, `corpus/${name.replace(/\..*$/, '')}.md`))).toBe(false);
  });

  it('an empty Word document: exit 1, nothing written', async () => {
    const dir = project({ 'vide.docx': docx(['']) });
    const r = await cli(dir, 'import', 'vide.docx');
    expect(r).toMatchObject({ code: 1, err: 'verbatim: cannot import vide.docx: the file holds no text: nothing was written.\n' });
    expect(existsSync(path.join(dir, 'corpus/vide.md'))).toBe(false);
  });
});

describe('name parts in redact', () => {
  it('adds each part of each speaker name to `redact`, and says so', async () => {
    const dir = project({ 'boulanger.txt': OTTER });
    const r = await cli(dir, 'import', 'boulanger.txt', '--interviewer', 'Speaker 1');
    const content = readFileSync(path.join(dir, 'corpus/boulanger.md'), 'utf8');
    expect(content).toContain('redact:\n  - Karim Benali\n  - Karim\n  - Benali\n# label');
    expect(r.out).toContain('Added 2 parts of speaker names (first names, surnames) to `redact`, so that a name used alone in the text is masked too');
    // The parts are counted, not listed: the output never shows a redacted name.
    expect(r.out).not.toContain('Karim');
    const again = await cli(dir, 'import', 'boulanger.txt', '--id', 'Otter-2', '--json');
    expect(again).toMatchObject({ code: 0, err: '' });
    const json = JSON.parse(again.out) as { info: { kind: string; count: number }[] };
    expect(json.info[0]).toMatchObject({ kind: 'redact-parts', count: 2 });
  });

  it('keeps names, not labels, numbers, particles or titles', () => {
    // `Li` of `Li Wei` stays out: two letters would be masked inside every `Libération`.
    const voices = ['Marie De la Tour', 'Jean-Pierre Ndiaye', 'Dr. Léa Roux (mairie)', 'Speaker 2', 'Intervenant 1', 'Tom INT2', 'Li Wei'];
    const vtt = `WEBVTT\n\n${voices.map((v, i) => `00:00:0${i}.000 --> 00:00:0${i}.500\n<v ${v}>Phrase ${i}.</v>\n`).join('\n')}`;
    const fm = importCaptions(vtt, { id: 'T', corpus: 'corpus', source: 'x' }).files[0]!.content;
    const redact = /redact:\n((?: {2}- .*\n)+)/.exec(fm)![1]!.split('\n').filter((l) => l !== '').map((l) => l.slice(4).replace(/^"|"$/g, ''));
    expect(redact).toEqual(['Marie De la Tour', 'Jean-Pierre Ndiaye', 'Dr. Léa Roux (mairie)', 'Tom INT2', 'Li Wei', 'Marie', 'Tour', 'Jean-Pierre', 'Jean', 'Pierre', 'Ndiaye', 'Léa', 'Roux', 'Tom', 'Wei']);
  });
});

describe('legacy encodings', () => {
  it('imports a Windows-1252 SRT with the `legacy-encoding` warning at the first non-UTF-8 byte', async () => {
    const srt = Buffer.from('1\n00:00:01,000 --> 00:00:03,000\nLe marché du samedi.\n', 'latin1');
    const dir = project({ 'marche.srt': srt });
    const r = await cli(dir, 'import', 'marche.srt');
    expect(r.code).toBe(0);
    expect(r.err).toContain('marche.srt\n');
    expect(r.err).toMatch(/3:9 +warning +The file is not UTF-8 \(byte 40 is 0xE9\); it was read as Windows-1252\. Convert it to UTF-8 .* legacy-encoding/);
    expect(readFileSync(path.join(dir, 'corpus/marche.md'), 'utf8')).toContain('[00:00:01] Le marché du samedi.\n');
  });

  it('says nothing for a UTF-8 file', async () => {
    const dir = project({ 'marche.srt': '1\n00:00:01,000 --> 00:00:03,000\nLe marché du samedi.\n' });
    expect(await cli(dir, 'import', 'marche.srt')).toMatchObject({ code: 0, err: '' });
  });
});

describe('the source left in the project', () => {
  it('says when the imported file, which still holds the names, lies where check scans exports; not when it lies elsewhere', async () => {
    const otter = 'Claire Martin  0:03\nBonjour Karim.\n\nKarim Benali  0:07\nLe marché du samedi reste animé.\n';
    const dir = project({ 'entretien.txt': otter });
    const r = await cli(dir, 'import', 'entretien.txt');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("`entretien.txt` still holds the speakers' names, and `check` scans it as an export");
    // And check does report it, so the line tells the truth.
    expect((await cli(dir, 'check', '--format', 'unix')).out).toMatch(/^entretien\.txt:\d+:\d+: .*\[redaction-leak\]$/mu);
    mkdirSync(path.join(dir, 'sources'));
    writeFileSync(path.join(dir, 'sources/b.txt'), otter.replace('Bonjour', 'Merci'));
    const elsewhere = await cli(dir, 'import', 'sources/b.txt');
    expect(elsewhere.code, elsewhere.err).toBe(0);
    expect(elsewhere.out).not.toContain('still holds');
  });
});
