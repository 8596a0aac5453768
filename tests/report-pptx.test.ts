/**
 * `verbatim report --format pptx` (src/report/render-pptx.ts): the deck is
 * read back (unzipped, its XML checked) on a copy of the demo project.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textHeight } from '../src/report/render-pptx.js';
import { demoCopy as demoInputs } from './helpers/analysis-fixture.js';
import { cli } from './helpers/cli.js';
import { skipBecause } from './helpers/skip.js';

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const noLibreOffice = skipBecause('rendering the deck with LibreOffice', soffice.status === 0 ? undefined : 'LibreOffice (`soffice`) is not installed (`apt-get install libreoffice-impress`; .ci/run installs it)');

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function demoCopy(): string {
  const dir = demoInputs('verbatim-pptx-');
  temps.push(dir);
  return dir;
}

/** The texts of an XML part, in order. */
const texts = (xml: string): string[] => [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/gu)].map((m) => (m[1] as string).replace(/&apos;/gu, "'").replace(/&quot;/gu, '"').replace(/&amp;/gu, '&'));

describe('the restitution as a deck', () => {
  let dir: string;
  let bytes: Buffer;
  let zip: JSZip;
  let slides: string[];
  let notes: string[];
  let markdown: string;
  beforeAll(async () => {
    dir = demoCopy();
    const r = await cli(dir, 'report', '--format', 'md,pptx');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('reports/restitution.md is up to date');
    expect(r.out).toContain('wrote reports/restitution.pptx (6 sections, ');
    bytes = readFileSync(path.join(dir, 'reports/restitution.pptx'));
    markdown = readFileSync(path.join(dir, 'reports/restitution.md'), 'utf8');
    zip = await JSZip.loadAsync(bytes);
    const numbered = (re: RegExp) =>
      Object.keys(zip.files)
        .filter((n) => re.test(n))
        .sort((a, b) => Number(/(\d+)\.xml$/u.exec(a)?.[1]) - Number(/(\d+)\.xml$/u.exec(b)?.[1]));
    slides = await Promise.all(numbered(/^ppt\/slides\/slide\d+\.xml$/u).map((n) => zip.file(n)!.async('string')));
    notes = await Promise.all(
      slides.map(async (_s, i) => {
        const rels = await zip.file(`ppt/slides/_rels/slide${i + 1}.xml.rels`)!.async('string');
        const note = /notesSlide\d+\.xml/u.exec(rels)?.[0];
        return note ? texts(await zip.file(`ppt/notesSlides/${note}`)!.async('string')).join('\n') : '';
      }),
    );
  });

  it('opens with the title, then the plan, a divider per part and a slide per page, titled as the report', () => {
    expect(texts(slides[0]!).join(' ')).toContain("Les alliances d'intérêt général");
    const toc = markdown.split('\n').filter((l) => /^\d+\. /u.test(l));
    expect(texts(slides[1]!)).toEqual(['Plan de la restitution', ...toc]);
    const parts = markdown.split('\n').filter((l) => /^## \d+\. /u.test(l)).map((l) => l.replace(/^## /u, ''));
    const dividers = slides.map((s) => texts(s)).filter((t) => /^\d+\.$/u.test(t[0] ?? ''));
    expect(dividers.map((t) => `${t[0]} ${t[1]}`)).toEqual(parts);
    // Every titled page of the report is on slides with its title, in order, numbered "1/3" when it takes several.
    const pages = [...new Set(markdown.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4).replace(/ \d+\/\d+$/u, '')))];
    const titles = slides.map((s) => texts(s)[0] ?? '');
    let at = 0;
    for (const page of pages) {
      const i = titles.findIndex((t, j) => j >= at && (t === page || t.startsWith(`${page} 1/`)));
      expect(i, page).toBeGreaterThanOrEqual(at);
      const n = /^.* 1\/(\d+)$/u.exec(titles[i]!)?.[1];
      if (n !== undefined) for (let k = 1; k <= Number(n); k++) expect(titles.slice(i).some((t) => t === `${page} ${k}/${n}`), `${page} ${k}/${n}`).toBe(true);
      at = i + 1;
    }
    expect(titles.some((t) => / 1\/\d+$/u.test(t))).toBe(true);
  });

  it('cuts pages by measured lines: no slide body is taller than the slide holds at its type size', () => {
    for (const [i, slide] of slides.entries()) {
      // The body text box: its paragraphs' sizes (hundredths of a point) and characters.
      const body = /<p:sp>(?:(?!<p:sp>).)*?<a:off x="\d+" y="1005840"\/>.*?<\/p:sp>/su.exec(slide)?.[0];
      if (body === undefined) continue;
      const paragraphs = [...body.matchAll(/<a:p>(.*?)<\/a:p>/gsu)].map((m) => ({
        size: Math.max(...[...m[1]!.matchAll(/<a:rPr [^>]*sz="(\d+)"/gu)].map((x) => Number(x[1]) / 100)),
        bullet: m[1]!.includes('<a:buChar'),
        level: Number(/lvl="(\d)"/u.exec(m[1]!)?.[1] ?? 0),
        before: Number(/<a:spcBef><a:spcPts val="(\d+)"/u.exec(m[1]!)?.[1] ?? 0) / 100,
        after: Number(/<a:spcAft><a:spcPts val="(\d+)"/u.exec(m[1]!)?.[1] ?? 0) / 100,
        text: texts(m[1]!).join(''),
      }));
      const height = textHeight(paragraphs.map((p) => ({ text: p.text, options: { fontSize: p.size, breakLine: true, ...(p.bullet ? { bullet: true } : {}), indentLevel: p.level, paraSpaceBefore: p.before, paraSpaceAfter: p.after } })));
      expect(height, `slide ${i + 1}: ${texts(slide)[0]}`).toBeLessThanOrEqual(4.25 * 72);
    }
  });

  it('repeats a heading "(suite)" atop a slide where its block continues, and keeps a list item with its sub-items', () => {
    /** The body's paragraphs of a slide: their texts and whether each is a sub-item. */
    const body = (slide: string) => {
      const box = /<p:sp>(?:(?!<p:sp>).)*?<a:off x="\d+" y="1005840"\/>.*?<\/p:sp>/su.exec(slide)?.[0] ?? '';
      return [...box.matchAll(/<a:p>(.*?)<\/a:p>/gsu)].map((m) => ({ text: texts(m[1]!).join(''), sub: m[1]!.includes('<a:buChar') && /lvl="[1-9]"/u.test(m[1]!) }));
    };
    const headings = new Set(markdown.split('\n').filter((l) => l.startsWith('#### ')).map((l) => l.slice(5)));
    let repeated = 0;
    for (const [i, slide] of slides.entries()) {
      const [first] = body(slide);
      if (first === undefined) continue;
      expect(first.sub, `slide ${i + 1} opens on a sub-item: ${first.text}`).toBe(false);
      if (!first.text.endsWith(' (suite)')) continue;
      repeated++;
      const heading = first.text.slice(0, -' (suite)'.length);
      expect(headings.has(heading), heading).toBe(true);
      // The block began on the slide before (its heading, or its heading repeated), under the same title.
      expect(body(slides[i - 1]!).some((p) => p.text === heading || p.text === first.text), `slide ${i}: ${heading}`).toBe(true);
      expect(texts(slides[i - 1]!)[0]!.replace(/ \d+\/\d+$/u, '')).toBe(texts(slide)[0]!.replace(/ \d+\/\d+$/u, ''));
    }
    expect(repeated).toBeGreaterThan(0);
  });

  it('gives each paragraph one <a:pPr>, first, so that a bullet whose first words are bold keeps its bullet', () => {
    let bulletedBold = 0;
    for (const [i, slide] of slides.entries()) {
      for (const [, inner] of slide.matchAll(/<a:p>(.*?)<\/a:p>/gsu)) {
        const props = inner!.match(/<a:pPr\b/gu) ?? [];
        expect(props.length, `slide ${i + 1}: ${texts(inner!).join('')}`).toBeLessThanOrEqual(1);
        if (props.length === 1) expect(inner!.startsWith('<a:pPr'), `slide ${i + 1}`).toBe(true);
        if (/^<a:pPr[^>]*><a:buSzPct val="100000"\/><a:buChar/u.test(inner!) && /^<a:pPr.*?<a:rPr [^>]*b="1"/su.test(inner!) && texts(inner!).length > 1) bulletedBold++;
      }
    }
    // The method's "Nombre d'entretiens : 12", "Période : …": a bold label, then plain words, under one bullet.
    expect(bulletedBold).toBeGreaterThan(0);
  });

  it('measures text as hand-computed: characters over those a line holds, lines of 1.2 times the size', () => {
    // 14 pt, no indent: 0.9 × (648 − 14.4) / (0.52 × 14) = 78.3, so 78 characters a line; 200 characters are 3 lines of 16.8 pt.
    expect(textHeight([{ text: 'x'.repeat(200), options: { fontSize: 14, breakLine: true } }])).toBeCloseTo(50.4, 6);
    // A bullet at level 1 loses 15 + 10 + 27 pt: 0.9 × 581.6 / 7.28 = 71.9, so 71 a line; 72 characters are 2 lines, and 6 pt before.
    expect(textHeight([{ text: 'x'.repeat(72), options: { fontSize: 14, bullet: true, indentLevel: 1, paraSpaceBefore: 6, breakLine: true } }])).toBeCloseTo(2 * 16.8 + 6, 6);
    // Two paragraphs add up; an empty one is one line.
    expect(textHeight([{ text: '', options: { fontSize: 10, breakLine: true } }, { text: 'a', options: { fontSize: 10 } }])).toBeCloseTo(24, 6);
  });

  it('quotes the verbatims in « » on the slides and gives their addresses in the notes only', async () => {
    const quotes = markdown.split('\n').filter((l) => l.startsWith('> «')).map((l) => l.slice(2));
    const onSlides = slides.flatMap(texts);
    for (const q of quotes) expect(onSlides).toContain(q.replace(/\\([\\`<_])/gu, '$1'));
    const sources = readFileSync(path.join(dir, 'reports/restitution.sources.tsv'), 'utf8').split('\n').slice(2, -1).map((r) => r.split('\t'));
    const allNotes = notes.join('\n');
    for (const [, address, code] of sources) expect(allNotes).toContain(`${address} (${code})`);
    expect(onSlides.join('\n')).not.toMatch(/\bE\d\d:\d+/u);
    // No Markdown marks and no coding marker on a slide.
    expect(onSlides.join('\n')).not.toMatch(/\*\*|\{[#!]|^#/mu);
  });

  it('has native tables and bar charts, and no redacted string in any part', async () => {
    const tables = slides.filter((s) => s.includes('<a:tbl>')).length;
    expect(tables).toBeGreaterThanOrEqual(markdown.split('\n').filter((l) => /^\| :---/u.test(l)).length);
    const charts = Object.keys(zip.files).filter((n) => /^ppt\/charts\/chart\d+\.xml$/u.test(n));
    expect(charts).toHaveLength(markdown.split('```mermaid').length - 1);
    for (const c of charts) expect(await zip.file(c)!.async('string')).toContain('<c:barChart>');
    for (const name of Object.keys(zip.files)) {
      if (zip.files[name]!.dir) continue;
      const data = await zip.file(name)!.async('uint8array');
      const inner = name.endsWith('.xlsx') ? (await Promise.all(Object.values((await JSZip.loadAsync(data)).files).filter((f) => !f.dir).map((f) => f.async('string')))).join('\n') : Buffer.from(data).toString('utf8');
      expect(inner, name).not.toMatch(/Ferrandon|Sainte-Orlane/iu);
    }
  });

  it('is scanned by check for redacted strings, as every export is', async () => {
    const leaky = demoCopy();
    expect((await cli(leaky, 'report', '--format', 'pptx')).code).toBe(0);
    const deck = await JSZip.loadAsync(readFileSync(path.join(leaky, 'reports/restitution.pptx')));
    const slide = await deck.file('ppt/slides/slide1.xml')!.async('string');
    deck.file('ppt/slides/slide1.xml', slide.replace('<a:t>', '<a:t>Odile Ferrandon '));
    writeFileSync(path.join(leaky, 'reports/restitution.pptx'), await deck.generateAsync({ type: 'uint8array' }));
    const checked = await cli(leaky, 'check', '--format', 'unix');
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^reports\/restitution\.pptx:\d+:\d+: A redacted string appears in this export \(in `ppt\/slides\/slide1\.xml` inside the archive/mu);
  });

  it('gives the same bytes every time, with fixed dates, so report --check covers it', async () => {
    for (const f of Object.values(zip.files)) expect(f.date.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(await zip.file('docProps/core.xml')!.async('string')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>');
    const again = await cli(dir, 'report', '--format', 'pptx');
    expect(again.out).toContain('reports/restitution.pptx is up to date');
    expect(readFileSync(path.join(dir, 'reports/restitution.pptx')).equals(bytes)).toBe(true);
    expect((await cli(dir, 'report', '--check', '--format', 'md,pptx')).code).toBe(0);
  });

  it.skipIf(noLibreOffice !== undefined)('opens in LibreOffice, which renders one PDF page per slide', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'verbatim-pptx-pdf-'));
    temps.push(out);
    // A profile of its own: a LibreOffice already running elsewhere would take the conversion over.
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', out, path.join(dir, 'reports/restitution.pptx')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const pdf = readFileSync(path.join(out, 'restitution.pdf'), 'latin1');
    expect(pdf.match(/\/Type\s*\/Page(?!s)/gu)?.length).toBe(slides.length);
  }, 150_000);

  it('writes what the plan asks with `formats:`, and check refuses a format it does not know', async () => {
    const other = demoCopy();
    const planFile = path.join(other, 'reports/restitution.plan.yaml');
    const plan = readFileSync(planFile, 'utf8');
    writeFileSync(planFile, `formats: [md, pptx]\n${plan}`);
    const r = await cli(other, 'report');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('wrote reports/restitution.pptx');
    expect((await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.pptx')))).file('ppt/slides/slide1.xml')).not.toBeNull();
    // --format wins over the plan.
    expect((await cli(other, 'report', '--format', 'md')).out).not.toContain('.pptx');
    // A theme: the font and the colours of the deck.
    writeFileSync(planFile, `formats: [pptx]\ntheme: {font: Arial, colors: {accent: "#AA0000"}}\n${plan}`);
    expect((await cli(other, 'report')).code).toBe(0);
    const themed = await (await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.pptx')))).file('ppt/slides/slide3.xml')!.async('string');
    expect(themed).toContain('typeface="Arial"');
    expect(themed).toContain('<a:srgbClr val="AA0000"/>');
    writeFileSync(planFile, `formats: [md, odp]\n${plan}`);
    const checked = await cli(other, 'check', '--format', 'unix');
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^reports\/restitution\.plan\.yaml:1:\d+: .*\[invalid-value\]$/mu);
  });

  it('never replaces a deck it did not write, and refuses a format it does not know', async () => {
    const other = demoCopy();
    writeFileSync(path.join(other, 'reports/restitution.pptx'), 'a deck of my own');
    const r = await cli(other, 'report', '--format', 'pptx');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Verbatim did not generate this file');
    expect(readFileSync(path.join(other, 'reports/restitution.pptx'), 'utf8')).toBe('a deck of my own');
    expect((await cli(other, 'report', '--format', 'pdf')).code).toBe(2);
  });

  it('names every file from `-o`, whichever format it ends with: `-o out/deck.pptx` is the deck, not deck.pptx.pptx', async () => {
    const other = demoCopy();
    const deck = await cli(other, 'report', '--format', 'pptx', '-o', 'out/deck.pptx');
    expect(deck.code, deck.err).toBe(0);
    expect(deck.out).toContain('wrote out/deck.pptx (');
    expect(existsSync(path.join(other, 'out/deck.pptx.pptx'))).toBe(false);
    const both = await cli(other, 'report', '--format', 'md,docx', '-o', 'out/Restitution.DOCX');
    expect(both.code, both.err).toBe(0);
    expect(both.out).toContain('wrote out/Restitution.md (');
    expect(both.out).toContain('wrote out/Restitution.docx (');
    // A plan's `output:` naming a deck in the corpus is refused as the Markdown beside it would be: a transcript.
    const planFile = path.join(other, 'reports/restitution.plan.yaml');
    writeFileSync(planFile, `output: corpus/deck.pptx\n${readFileSync(planFile, 'utf8')}`);
    const checked = await cli(other, 'check', '--format', 'unix');
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^reports\/restitution\.plan\.yaml:1:\d+: .*transcript/mu);
  });
});
