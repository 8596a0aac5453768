/**
 * `verbatim report --format docx` (src/report/render-docx.ts): the Word
 * document is read back (unzipped, its XML checked) on a copy of the demo
 * project, and rendered by LibreOffice Writer where it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCopy as demoInputs } from './helpers/analysis-fixture.js';
import { cli } from './helpers/cli.js';
import { skipBecause } from './helpers/skip.js';

/** LibreOffice Writer: `soffice` and its Writer module beside it (libreoffice-impress alone cannot open a .docx). */
function writerMissing(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' });
  if (which.status !== 0) return 'LibreOffice (`soffice`) is not installed (`apt-get install libreoffice-writer`; .ci/run installs it)';
  const program = path.dirname(realpathSync(which.stdout.trim()));
  return existsSync(path.join(program, 'libswlo.so')) ? undefined : 'LibreOffice Writer is not installed (`apt-get install libreoffice-writer`; .ci/run installs it)';
}
const noWriter = skipBecause('rendering the Word document with LibreOffice', writerMissing());

/** LibreOffice Calc, to open the charts' workbooks. */
function calcMissing(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' });
  if (which.status !== 0) return 'LibreOffice (`soffice`) is not installed (`apt-get install libreoffice-calc`; .ci/run installs it)';
  return existsSync(path.join(path.dirname(realpathSync(which.stdout.trim())), 'libsclo.so')) ? undefined : 'LibreOffice Calc is not installed (`apt-get install libreoffice-calc`; .ci/run installs it)';
}
const noCalc = skipBecause("opening the charts' workbooks with LibreOffice Calc", calcMissing());

/** A chart part's cached categories and values, in order. */
function chartCache(xml: string): { labels: string[]; values: string[] } {
  const cat = /<c:cat>.*?<\/c:cat>/su.exec(xml)?.[0] ?? '';
  const val = /<c:val>.*?<\/c:val>/su.exec(xml)?.[0] ?? '';
  const points = (s: string): string[] => [...s.matchAll(/<c:pt idx="\d+"><c:v>([^<]*)<\/c:v><\/c:pt>/gu)].map((m) => m[1]!.replace(/&apos;/gu, "'").replace(/&amp;/gu, '&'));
  return { labels: points(cat), values: points(val) };
}

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function demoCopy(): string {
  const dir = demoInputs('verbatim-docx-');
  temps.push(dir);
  return dir;
}

const unescape = (s: string): string => s.replace(/&apos;/gu, "'").replace(/&quot;/gu, '"').replace(/&lt;/gu, '<').replace(/&gt;/gu, '>').replace(/&amp;/gu, '&');

/** The paragraphs of `word/document.xml`: style and text. */
function paragraphs(xml: string): { style: string | undefined; text: string; xml: string }[] {
  return [...xml.matchAll(/<w:p>(?:(?!<w:p>).)*?<\/w:p>/gsu)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/u.exec(m[0])?.[1],
    text: unescape([...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/gu)].map((t) => t[1]).join('')),
    xml: m[0],
  }));
}

describe('the restitution as a Word document', () => {
  let dir: string;
  let bytes: Buffer;
  let zip: JSZip;
  let body: string;
  let markdown: string;
  beforeAll(async () => {
    dir = demoCopy();
    const r = await cli(dir, 'report', '--format', 'md,docx');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('reports/restitution.md is up to date');
    expect(r.out).toContain('wrote reports/restitution.docx (6 sections, ');
    bytes = readFileSync(path.join(dir, 'reports/restitution.docx'));
    markdown = readFileSync(path.join(dir, 'reports/restitution.md'), 'utf8');
    zip = await JSZip.loadAsync(bytes);
    body = await zip.file('word/document.xml')!.async('string');
  });

  it('has the report outline in real heading styles, each part on a new page', () => {
    const ps = paragraphs(body);
    const plain = (l: string): string => l.replace(/\\(.)/gu, '$1').replace(/\*\*/gu, '');
    expect(ps[0]).toMatchObject({ style: 'Title', text: plain(/^# (.*)$/mu.exec(markdown)![1]!) });
    const parts = markdown.split('\n').filter((l) => /^## /u.test(l)).map((l) => plain(l.slice(3)));
    const h1 = ps.filter((p) => p.style === 'Heading1');
    expect(h1.map((p) => p.text)).toEqual(parts);
    // Every numbered part but the plan starts a page.
    expect(h1.filter((p) => p.xml.includes('<w:pageBreakBefore/>')).map((p) => p.text)).toEqual(parts.filter((t) => /^\d+\. /u.test(t)));
    // Page titles once each (a title's "1/3, 2/3" pages flow as one text), sub-codes a level below.
    const titles = [...new Set(markdown.split('\n').filter((l) => l.startsWith('### ')).map((l) => plain(l.slice(4)).replace(/ \d+\/\d+$/u, '')))];
    expect(ps.filter((p) => p.style === 'Heading2').map((p) => p.text)).toEqual(titles);
    const subs = markdown.split('\n').filter((l) => /^#{4,6} /u.test(l) && !l.endsWith('(suite)')).map((l) => plain(l.replace(/^#+ /u, '')));
    expect(ps.filter((p) => p.style === 'Heading3').map((p) => p.text)).toEqual(subs);
  });

  it('sets the verbatims in the Quote style, the statements and notes in theirs, and the bullets as a list', async () => {
    const ps = paragraphs(body);
    const quotes = markdown.split('\n').filter((l) => l.startsWith('> «')).map((l) => l.slice(2).replace(/\\(.)/gu, '$1'));
    expect(quotes.length).toBeGreaterThan(20);
    expect(ps.filter((p) => p.style === 'Quote').map((p) => p.text)).toEqual(quotes);
    expect(ps.filter((p) => p.style === 'Statement').length).toBe(markdown.split('\n').filter((l) => /^\*(Exprimé|Exprimée|Évoqué|Mentionné|Aucun)/u.test(l)).length);
    expect(ps.some((p) => p.style === 'Statement' && p.text.startsWith('Exprimé par'))).toBe(true);
    expect(ps.filter((p) => p.xml.includes('<w:numPr>')).length).toBeGreaterThan(50);
    const styles = await zip.file('word/styles.xml')!.async('string');
    for (const id of ['Title', 'Heading1', 'Heading2', 'Heading3', 'Quote', 'Statement', 'Note']) expect(styles).toContain(`w:styleId="${id}"`);
    // The addresses of the verbatims stay in the sources file.
    expect(body).not.toMatch(/\bE\d\d:\d+\b/u);
  });

  it('has native tables and bar charts, and no marker or redacted string in any part', async () => {
    expect((body.match(/<w:tbl>/gu) ?? []).length).toBe(markdown.split('\n').filter((l) => /^\| :---/u.test(l)).length);
    expect(body).toContain('<w:tblHeader/>');
    const charts = Object.keys(zip.files).filter((n) => /^word\/charts\/chart\d+\.xml$/u.test(n));
    expect(charts).toHaveLength(markdown.split('```mermaid').length - 1);
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const types = await zip.file('[Content_Types].xml')!.async('string');
    for (const [i, c] of charts.entries()) {
      const xml = await zip.file(c)!.async('string');
      expect(xml).toContain('<c:barChart>');
      expect(xml).toMatch(/<c:numRef><c:f>Sheet1!\$B\$2:\$B\$\d+<\/c:f><c:numCache>.*<c:v>\d+<\/c:v>/su);
      expect(rels).toContain(`Target="charts/chart${i + 1}.xml"`);
      expect(types).toContain(`PartName="/word/charts/chart${i + 1}.xml"`);
      expect(body).toContain(`r:id="rIdVerbatimChart${i + 1}"`);
    }
    expect(body).not.toContain('verbatim-chart');
    for (const name of Object.keys(zip.files)) {
      if (zip.files[name]!.dir) continue;
      const text = await zip.file(name)!.async('string');
      expect(text, name).not.toMatch(/Ferrandon|Sainte-Orlane|<!--|\{[#!<>]/iu);
    }
  });

  it(`embeds each chart's data in a workbook, so that Word's "Edit data" opens a sheet of the same values`, async () => {
    const types = await zip.file('[Content_Types].xml')!.async('string');
    expect(types).toContain('<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>');
    const charts = Object.keys(zip.files).filter((n) => /^word\/charts\/chart\d+\.xml$/u.test(n));
    expect(charts.length).toBeGreaterThan(0);
    for (const [i, c] of charts.entries()) {
      const xml = await zip.file(c)!.async('string');
      expect(xml).toContain('<c:externalData r:id="rIdVerbatimWorkbook"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>');
      const rels = await zip.file(`word/charts/_rels/chart${i + 1}.xml.rels`)!.async('string');
      expect(rels).toContain(`Id="rIdVerbatimWorkbook" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/Microsoft_Excel_Worksheet${i + 1}.xlsx"`);
      const book = await JSZip.loadAsync(await zip.file(`word/embeddings/Microsoft_Excel_Worksheet${i + 1}.xlsx`)!.async('uint8array'));
      const sheet = await book.file('xl/worksheets/sheet1.xml')!.async('string');
      const cells = new Map([...sheet.matchAll(/<c r="([A-Z]+\d+)"[^>]*>(?:<is><t[^>]*>([^<]*)<\/t><\/is>|<v>([^<]*)<\/v>)<\/c>/gu)].map((m) => [m[1]!, (m[2] ?? m[3] ?? '').replace(/&apos;/gu, "'").replace(/&amp;/gu, '&')]));
      const { labels, values } = chartCache(xml);
      expect(labels.length).toBeGreaterThan(0);
      labels.forEach((l, k) => expect(cells.get(`A${k + 2}`), `chart ${i + 1} A${k + 2}`).toBe(l));
      values.forEach((v, k) => expect(cells.get(`B${k + 2}`), `chart ${i + 1} B${k + 2}`).toBe(v));
      // The cells the chart refers to are those of the sheet.
      expect(xml).toContain(`<c:f>Sheet1!$A$2:$A$${labels.length + 1}</c:f>`);
    }
  });

  it.skipIf(noCalc !== undefined)(`has workbooks that LibreOffice Calc opens, with the chart's values (0 as 0), in the Word document and in the deck`, async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'verbatim-docx-xlsx-'));
    temps.push(out);
    const deckDir = demoCopy();
    expect((await cli(deckDir, 'report', '--format', 'pptx')).code).toBe(0);
    const deck = await JSZip.loadAsync(readFileSync(path.join(deckDir, 'reports/restitution.pptx')));
    const books = [
      { name: 'word.xlsx', bytes: await zip.file('word/embeddings/Microsoft_Excel_Worksheet1.xlsx')!.async('uint8array'), chart: await zip.file('word/charts/chart1.xml')!.async('string') },
      { name: 'deck.xlsx', bytes: await deck.file('ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx')!.async('uint8array'), chart: await deck.file('ppt/charts/chart1.xml')!.async('string') },
    ];
    for (const b of books) writeFileSync(path.join(out, b.name), b.bytes);
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', out, ...books.map((b) => path.join(out, b.name))], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const b of books) {
      const rows = readFileSync(path.join(out, b.name.replace('.xlsx', '.csv')), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      const values = [...(/<c:val>.*?<\/c:val>/su.exec(b.chart)?.[0] ?? '').matchAll(/<c:v>([^<]*)<\/c:v>/gu)].map((m) => m[1]);
      expect(values).toContain('0');
      expect(rows.map((row) => row[row.length - 1]), b.name).toEqual(values);
    }
  }, 150_000);

  it('is scanned by check for redacted strings inside the charts\' workbooks too', async () => {
    const leaky = demoCopy();
    expect((await cli(leaky, 'report', '--format', 'docx')).code).toBe(0);
    const doc = await JSZip.loadAsync(readFileSync(path.join(leaky, 'reports/restitution.docx')));
    const inner = 'word/embeddings/Microsoft_Excel_Worksheet1.xlsx';
    const book = await JSZip.loadAsync(await doc.file(inner)!.async('uint8array'));
    const sheet = await book.file('xl/worksheets/sheet1.xml')!.async('string');
    book.file('xl/worksheets/sheet1.xml', sheet.replace('<t xml:space="preserve"></t>', '<t xml:space="preserve">Odile Ferrandon</t>'));
    doc.file(inner, await book.generateAsync({ type: 'uint8array' }));
    writeFileSync(path.join(leaky, 'reports/restitution.docx'), await doc.generateAsync({ type: 'uint8array' }));
    const checked = await cli(leaky, 'check', '--format', 'unix');
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^reports\/restitution\.docx:\d+:\d+: A redacted string appears in this export \(in `word\/embeddings\/Microsoft_Excel_Worksheet1\.xlsx\/xl\/worksheets\/sheet1\.xml` inside the archive/mu);
  });

  it('is scanned by check for redacted strings, as every export is', async () => {
    const leaky = demoCopy();
    expect((await cli(leaky, 'report', '--format', 'docx')).code).toBe(0);
    const doc = await JSZip.loadAsync(readFileSync(path.join(leaky, 'reports/restitution.docx')));
    const xml = await doc.file('word/document.xml')!.async('string');
    doc.file('word/document.xml', xml.replace('<w:t xml:space="preserve">', '<w:t xml:space="preserve">Odile Ferrandon '));
    writeFileSync(path.join(leaky, 'reports/restitution.docx'), await doc.generateAsync({ type: 'uint8array' }));
    const checked = await cli(leaky, 'check', '--format', 'unix');
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/^reports\/restitution\.docx:\d+:\d+: A redacted string appears in this export \(in `word\/document\.xml` inside the archive/mu);
  });

  it('gives the same bytes every time, with fixed dates and Verbatim as author, so report --check covers it', async () => {
    for (const f of Object.values(zip.files)) expect(f.date.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    const core = await zip.file('docProps/core.xml')!.async('string');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>');
    expect(core).toContain('<dc:creator>Verbatim</dc:creator>');
    expect(core).toContain('<cp:lastModifiedBy>Verbatim</cp:lastModifiedBy>');
    const again = await cli(dir, 'report', '--format', 'docx');
    expect(again.out).toContain('reports/restitution.docx is up to date');
    expect(readFileSync(path.join(dir, 'reports/restitution.docx')).equals(bytes)).toBe(true);
    expect((await cli(dir, 'report', '--check', '--format', 'md,docx')).code).toBe(0);
    // A stale document fails the check and is named.
    writeFileSync(path.join(dir, 'reports/restitution.docx'), Buffer.concat([bytes, Buffer.from([0])]));
    const stale = await cli(dir, 'report', '--check', '--format', 'docx');
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('reports/restitution.docx');
    writeFileSync(path.join(dir, 'reports/restitution.docx'), bytes);
  });

  it('takes its font and colours from the plan theme', async () => {
    const other = demoCopy();
    const planFile = path.join(other, 'reports/restitution.plan.yaml');
    writeFileSync(planFile, `formats: [docx]\ntheme: {font: Arial, colors: {accent: "#AA0000"}}\n${readFileSync(planFile, 'utf8')}`);
    const r = await cli(other, 'report');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('wrote reports/restitution.docx');
    expect(r.out).not.toContain('restitution.md');
    const styles = await (await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.docx')))).file('word/styles.xml')!.async('string');
    expect(styles).toContain('w:ascii="Arial"');
    expect(styles).toContain('<w:color w:val="AA0000"/>');
  });

  it('puts the plan\'s logo above the Word title, on the title slide and once on the slides\' master; check names a logo it cannot use', async () => {
    const other = demoCopy();
    const planFile = path.join(other, 'reports/restitution.plan.yaml');
    const plan = readFileSync(planFile, 'utf8');
    // A 120 × 40 PNG: the header is what Verbatim reads for its proportions.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAIAAAC6iKlyAAAAOklEQVR4nO3OMQEAAAjDMMC/56GiHKmCdpK0v7oOeCYDiwjIkCECRCAiQISIEBEiQkSICBEhIkSEiBARIkJEHqlvAU2f0J8yAAAAAElFTkSuQmCC', 'base64');
    writeFileSync(path.join(other, 'reports/logo.png'), png);
    writeFileSync(planFile, `theme: {logo: reports/logo.png}\n${plan}`);
    const r = await cli(other, 'report', '--format', 'pptx,docx');
    expect(r.code, r.err).toBe(0);
    const doc = await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.docx')));
    const media = Object.keys(doc.files).filter((n) => n.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(Buffer.from(await doc.file(media[0]!)!.async('uint8array')).equals(png)).toBe(true);
    // Before the title, 6 cm wide at most (2,160,000 EMU), in its proportions (3 : 1).
    const xml = await doc.file('word/document.xml')!.async('string');
    expect(xml.indexOf('<w:drawing>')).toBeLessThan(xml.indexOf('w:val="Title"'));
    const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/u.exec(xml)!.map(Number);
    // Whole pixels at 96 per inch (9,525 EMU each): 227 × 76.
    expect(Math.abs(cx! - 2_160_000)).toBeLessThan(9525);
    expect(Math.abs(cx! / cy! - 3)).toBeLessThan(0.05);
    const deck = await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.pptx')));
    const images = Object.keys(deck.files).filter((n) => n.startsWith('ppt/media/'));
    // Twice in the file whatever the number of slides: the title slide's and the master's.
    expect(images).toHaveLength(2);
    expect(await deck.file('ppt/slides/_rels/slide1.xml.rels')!.async('string')).toContain('../media/');
    expect(await deck.file('ppt/slides/_rels/slide5.xml.rels')!.async('string')).not.toContain('../media/');
    expect((await cli(other, 'report', '--check', '--format', 'pptx,docx')).code).toBe(0);
    // A logo that is missing, not an image, or outside the project: an error at its line, and no report.
    for (const [logo, rule, says] of [
      ['reports/missing.png', 'missing-file', 'does not exist'],
      ['reports/restitution.md', 'invalid-value', 'is not a PNG or JPEG image'],
      ['../logo.png', 'invalid-value', 'is not inside the project'],
    ] as const) {
      writeFileSync(planFile, `theme: {logo: ${logo}}\n${plan}`);
      const checked = await cli(other, 'check', '--format', 'unix');
      expect(checked.code, logo).toBe(1);
      expect(checked.out).toMatch(new RegExp(`^reports/restitution\\.plan\\.yaml:1:15: The logo \`${logo.replace(/\./gu, '\\.')}\` ${says}.*\\[${rule}\\]$`, 'mu'));
      expect((await cli(other, 'report', '--format', 'docx')).code).toBe(1);
    }
  });

  it('draws saturation as bars with the codes so far as a line, on the same axes, in the deck and the Word document', async () => {
    const other = demoCopy();
    const planFile = path.join(other, 'reports/restitution.plan.yaml');
    writeFileSync(planFile, `${readFileSync(planFile, 'utf8').trimEnd()}\n  - kind: saturation\n    title: La saturation\n`);
    const r = await cli(other, 'report', '--format', 'md,pptx,docx');
    expect(r.code, r.err).toBe(0);
    const md = readFileSync(path.join(other, 'reports/restitution.md'), 'utf8');
    // The table the chart draws: the 12 interviews' new codes and codes so far.
    const rows = md.split('\n').filter((l) => /^\| E\d\d \|/u.test(l)).map((l) => l.split('|').map((c) => c.trim()));
    expect(rows).toHaveLength(12);
    const cumulative = rows.map((c) => c[4]);
    const fresh = rows.map((c) => c[3]);
    const series = (xml: string, kind: 'barChart' | 'lineChart'): string[] => {
      const part = new RegExp(`<c:${kind}>.*?</c:${kind}>`, 'su').exec(xml)?.[0] ?? '';
      const val = /<c:val>.*?<\/c:val>/su.exec(part)?.[0] ?? '';
      return [...val.matchAll(/<c:pt idx="\d+"><c:v>([^<]*)<\/c:v><\/c:pt>/gu)].map((m) => m[1]!);
    };
    const doc = await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.docx')));
    const docCharts = await Promise.all(Object.keys(doc.files).filter((n) => /^word\/charts\/chart\d+\.xml$/u.test(n)).map((n) => doc.file(n)!.async('string')));
    const docLine = docCharts.find((x) => x.includes('<c:lineChart>'))!;
    expect(series(docLine, 'barChart')).toEqual(fresh);
    expect(series(docLine, 'lineChart')).toEqual(cumulative);
    expect(docLine).toContain('<c:v>Codes cumulés</c:v>');
    expect(docLine).toContain('<c:legend>');
    const deck = await JSZip.loadAsync(readFileSync(path.join(other, 'reports/restitution.pptx')));
    const deckCharts = await Promise.all(Object.keys(deck.files).filter((n) => /^ppt\/charts\/chart\d+\.xml$/u.test(n)).map((n) => deck.file(n)!.async('string')));
    const deckLine = deckCharts.find((x) => x.includes('<c:lineChart>'))!;
    expect(deckLine).toContain('<c:barChart>');
    // pptxgenjs caches numbers with its own format: compare them as numbers.
    expect(series(deckLine, 'lineChart').map(Number)).toEqual(cumulative.map(Number));
    expect(series(deckLine, 'barChart').map(Number)).toEqual(fresh.map(Number));
    // The other charts stay bars alone.
    expect(docCharts.filter((x) => !x.includes('<c:lineChart>'))).toHaveLength(3);
  });

  it('never replaces a Word document it did not write', async () => {
    const other = demoCopy();
    writeFileSync(path.join(other, 'reports/restitution.docx'), 'a document of my own');
    const r = await cli(other, 'report', '--format', 'md,docx');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Verbatim did not generate this file');
    expect(readFileSync(path.join(other, 'reports/restitution.docx'), 'utf8')).toBe('a document of my own');
  });

  it.skipIf(noWriter !== undefined)('opens in LibreOffice Writer, which renders it with its parts and charts', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'verbatim-docx-pdf-'));
    temps.push(out);
    // A profile of its own: a LibreOffice already running elsewhere would take the conversion over.
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', out, path.join(dir, 'reports/restitution.docx')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('writer_pdf_Export');
    const pdf = readFileSync(path.join(out, 'restitution.pdf'), 'latin1');
    // The title page, one page at least per part (each starts a page).
    const parts = markdown.split('\n').filter((l) => /^## \d+\. /u.test(l)).length;
    expect(pdf.match(/\/Type\s*\/Page(?!s)/gu)?.length).toBeGreaterThan(parts);
  }, 150_000);
});
