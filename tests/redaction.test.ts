/**
 * Redaction under hostile and unlucky input, through the CLI in-process: names
 * written in another Unicode form, with other apostrophes or invisible
 * characters, wrapped after a hyphen, or in another case; names with Markdown
 * characters; front matter that does not parse; keywords that are redacted
 * strings; leaks that only an escape hides; CSV cells that a spreadsheet
 * would run; a redaction list tracked by git.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';

const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A copy of the base project with these files written. */
function project(files: Record<string, string>): string {
  const dir = tempProject(base);
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; text: string; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, text: io.out + io.err, out: io.out, err: io.err };
}

/**
 * What a reader would see of a text: composed, invisible characters gone,
 * apostrophes and dashes unified, case and white space folded, Markdown and
 * JSON backslash escapes undone. A leak test must find a name however it is written.
 */
function visible(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\\u([0-9a-f]{4})/giu, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\n/gu, '\n')
    .replace(/\\(.)/gu, '$1')
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/gu, '')
    .replace(/[’‘ʼ′´`]/gu, "'")
    .replace(/[‐‑‒–—―−]/gu, '-')
    .toLowerCase()
    .replace(/ß/gu, 'ss')
    .replace(/\s+/gu, ' ');
}

describe('names written in another form are masked in every output', () => {
  /**
   * The secrets are written one way in the lists and another way in the
   * transcripts: decomposed (NFD, as macOS writes file names and some editors
   * text), with a curly apostrophe, a soft hyphen or a zero-width space inside,
   * wrapped after a hyphen, in capitals with `SS` for `ß`.
   */
  const SECRET = /hélène|müller|o'brien|ville-? ?neuve|strauss|jean-? ?pierre/u;
  const dir = project({
    'verbatim.yaml': 'language: en\nredact: [Jean-Pierre]\n',
    '.verbatim/redact.txt': 'Villeneuve\nStrauß\n',
    'corpus/A1.md': `---
id: A1
label: A friend of O’Brien
attributes:
  role: resident
date: 2024-01-10
redact: ["Hélène Müller", "O'Brien"]
---

**Q:** How was it?

**R:** Nobody told us anything at all, said He\u0301le\u0300ne Mu\u0308ller to the neighbours, and the whole street stayed angry about the works for months. {#info.lack}

The neighbours of Mrs O’Brien came to the public meeting in Ville\u00adneuve, and everybody listened to the mayor for a very long time that evening.

Later the neighbours went to Ville\u200bneuve again, and then to Ville-
neuve, where Mr STRAUSS and Jean-
Pierre were waiting for all of them with coffee and a cake.
`,
    'corpus/B1.md': `---
id: B1
label: An elected member
attributes:
  role: elected
date: 2024-01-11
---

**R:** The neighbours told us that HE\u0301LE\u0300NE MU\u0308LLER, Jean\u2011Pierre and young o‘brien had all gone to the public meeting together. {#info.lack}
`,
  });

  it('the project checks clean (so that every command runs)', async () => {
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.text).not.toMatch(/error/u);
    expect(r.code).toBe(0);
  });

  it.each([
    ['quotes', ['quotes', 'info']],
    ['quotes --json', ['quotes', 'ties', '--json']],
    ['search', ['search', 'neighbours', '--context', '200']],
    ['search --json', ['search', 'neighbours', 'meeting', '--context', '200', '--json']],
    ['tag --json', ['tag', '--json']],
    ['tag --explain', ['tag', '--explain']],
    ['export csv', ['export', 'csv']],
    ['export json', ['export', 'json']],
    ['export iramuteq', ['export', 'iramuteq']],
    ['matrix --binary', ['matrix', '--binary']],
  ])('%s', async (_name, argv) => {
    const r = await cli(dir, ...argv);
    expect(r.code, r.text).toBe(0);
    expect(r.out).toContain('[·]');
    expect(visible(r.text)).not.toMatch(SECRET);
  });

  it('export qdpx', async () => {
    expect((await cli(dir, 'export', 'qdpx', '-o', 'study.qdpx', '--force')).code).toBe(0);
    for (const [name, data] of Object.entries(unzipSync(readFileSync(path.join(dir, 'study.qdpx'))))) {
      expect(visible(strFromU8(data)), name).not.toMatch(SECRET);
    }
  });

  it('report, and check agrees that it is clean', async () => {
    const r = await cli(dir, 'report');
    expect(r.code, r.text).toBe(0);
    const report = readFileSync(path.join(dir, 'reports/report.md'), 'utf8');
    expect(report.split('\n').filter((l) => l.startsWith('> ')).length).toBeGreaterThan(1);
    expect(visible(report)).not.toMatch(SECRET);
    expect((await cli(dir, 'check', '--format', 'unix')).text).not.toContain('redaction-leak');
  });

  it('only the names are masked: the words around them are kept', async () => {
    const hits = JSON.parse((await cli(dir, 'search', 'meeting', '--context', '200', '--json')).out) as { left: string }[];
    expect(hits.map((h) => h.left)).toEqual([
      'The neighbours of Mrs [·] came to the public ',
      'The neighbours told us that [·], [·] and young [·] had all gone to the public ',
    ]);
  });
});

describe('redacted strings with Markdown characters', () => {
  it('are masked in report verbatims (masked before escaping)', async () => {
    const dir = project({
      '.verbatim/redact.txt': 'jd_75\nGarage <Dupont>\nMaison `Rouge`\n',
      'corpus/A1.md': `---
id: A1
label: A resident
attributes:
  role: resident
---

**R:** Nobody told us anything, wrote jd_75 on the forum of the neighbours, and the Garage <Dupont> and the Maison \`Rouge\` said the same thing to everybody. {#info.lack}
`,
    });
    const r = await cli(dir, 'report');
    expect(r.code, r.text).toBe(0);
    const report = readFileSync(path.join(dir, 'reports/report.md'), 'utf8');
    const quote = report.split('\n').find((l) => l.startsWith('> '));
    expect(quote).toBe('> “Nobody told us anything, wrote [·] on the forum of the neighbours, and the [·] and the [·] said the same thing to everybody.”');
    expect(visible(report)).not.toMatch(/jd_75|dupont|rouge/u);
  });

  it('are found by check in a report where Markdown escapes or HTML entities hide them', async () => {
    const dir = project({
      '.verbatim/redact.txt': 'jd_75\nGarage <Dupont>\nHélène\n',
      'reports/report.md': '# Report\n\n> “He wrote jd\\_75 on the forum.”\n\n> “The Garage \\<Dupont> and the Garage &lt;Dupont&gt;.”\n\n> “H&eacute;l&#232;ne, H&#xE9;l&egrave;ne.”\n',
    });
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.code).toBe(1);
    const leaks = r.text.split('\n').filter((l) => l.includes('[redaction-leak]')).map((l) => l.replace(/: A redacted.*$/u, ''));
    expect(leaks).toEqual(['reports/report.md:3:13', 'reports/report.md:5:8', 'reports/report.md:5:33', 'reports/report.md:7:4', 'reports/report.md:7:24']);
  });
});

describe('check finds leaks that an encoding hides, at their place in the file', () => {
  it.each([
    ['a decomposed name in a report', 'reports/report.md', '# Report\n\n> “He\u0301le\u0300ne came.”\n', 'reports/report.md:3:4'],
    ['a JSON string escape', 'exports/data.json', '{"label": "H\\u00e9l\\u00e8ne came"}\n', 'exports/data.json:1:12'],
    ['a JSON escape of a line break', 'data.json', '{\n  "text": "said Paul\\nBert"\n}\n', 'data.json:2:17'],
    ['a CSV cell with doubled quotes', 'codings.csv', 'id,text\nA1,"Paul ""the"" Bert came"\n', 'codings.csv:2:5'],
    ['an XML character reference in a .qdc', 'codebook.qdc', '<CodeBook><Codes><Code name="H&#233;l&#xE8;ne"/></Codes></CodeBook>', 'codebook.qdc:1:30'],
  ])('%s', async (_name, file, content, position) => {
    const dir = project({ '.verbatim/redact.txt': 'Hélène\nPaul Bert\nPaul "the" Bert\n', [file]: content });
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.code).toBe(1);
    const leaks = r.text.split('\n').filter((l) => l.includes('[redaction-leak]'));
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatch(new RegExp(`^${position.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}: A redacted string appears`, 'u'));
  });
});

describe('keywords and patterns that are redacted strings are masked', () => {
  it.each([[['tag', '--json']], [['tag', '--explain']], [['export', 'json']]])('%j', async (argv) => {
    const dir = project({
      '.verbatim/redact.txt': 'Dupont\n',
      'codebooks/codebook.yaml': readFileSync(path.join(base, 'codebooks/codebook.yaml'), 'utf8').replace('keywords: [neighbours]', "keywords: [neighbours, dupont]\n    patterns: ['\\bM\\. Dupont\\b']"),
      'corpus/A1.md': `---\nid: A1\nlabel: A resident\nattributes:\n  role: resident\n---\n\n**R:** The neighbours and M. Dupont came. {#info.lack}\n`,
    });
    // Before: tag printed them; export json refused to write (exit 1, "the export would show a redacted string").
    const r = await cli(dir, ...argv);
    expect(r.code, r.text).toBe(0);
    expect(r.out).toContain('[·]');
    expect(r.out).toContain('neighbours');
    expect(r.text).not.toMatch(/dupont/iu);
  });
});

describe('a transcript whose front matter does not parse', () => {
  /** B2's front matter has a YAML error: its `redact` list must still mask Zoé Martin and Paul Bert in A1. */
  const body = `**R:** Nobody told us anything, said Zoé Martin to the neighbours at the public meeting, and Paul Bert agreed with her on every point. {#info.lack}\n`;
  const a1 = `---\nid: A1\nlabel: A resident\nattributes:\n  role: resident\n---\n\n${body}`;
  const SECRET = /zoé|martin|paul bert/u;

  it.each([
    ['a flow list', 'redact: ["Zoé Martin", \'Paul Bert\']\n'],
    ['a flow list over two lines', 'redact: ["Zoé Martin",\n  Paul Bert]\n'],
    ['a block list', 'redact:\n  - Zoé Martin\n  - "Paul Bert"  # a comment\n'],
  ])('%s: its redactions still apply', async (_name, list) => {
    const dir = project({
      'corpus/A1.md': a1,
      'corpus/B2.md': `---\nid: B2\nlabel: "A neighbour\n${list}attributes: {role: resident\n---\n\n**R:** Hello.\n`,
    });
    const c = await cli(dir, 'check', '--format', 'unix');
    expect(c.code).toBe(1);
    expect(c.text).toMatch(/^corpus\/B2\.md:\d+:\d+: .*\[yaml-syntax\]$/mu);
    for (const argv of [
      ['search', 'neighbours', '--context', '200', '--json'],
      ['quotes', 'info', '--json'],
      ['tag', '--json'],
      ['export', 'csv'],
      ['export', 'json'],
      ['export', 'iramuteq'],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.out, argv.join(' ')).toContain('[·]');
      expect(visible(r.text), argv.join(' ')).not.toMatch(SECRET);
    }
  });

  it('a broken verbatim.yaml keeps its redactions too', async () => {
    const dir = project({ 'verbatim.yaml': 'language: en\nredact: [Zoé Martin, Paul Bert]\nrules: {unused-code: off\n', 'corpus/A1.md': a1 });
    for (const argv of [['search', 'neighbours', '--context', '200', '--json'], ['quotes', 'info', '--json'], ['export', 'csv']]) {
      const r = await cli(dir, ...argv);
      expect(r.out, argv.join(' ')).toContain('[·]');
      expect(visible(r.text), argv.join(' ')).not.toMatch(SECRET);
    }
  });
});

describe('CSV cells never start a formula', () => {
  /** A label and an attribute value that a spreadsheet would run; a span that starts with `-`; a number that must stay one. */
  const dir = project({
    'corpus/panel.yaml': 'attributes:\n  role:\n    label: Role\n    values:\n      resident: Residents\n      elected: Elected members\n  note:\n    label: Note\n',
    'corpus/A1.md': `---
id: A1
label: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
attributes:
  role: resident
  note: "@SUM(1+1)"
---

**R:** [-1 point: nobody told us anything]{#info.lack}, and the neighbours agreed.
`,
    'corpus/B1.md': `---
id: B1
label: "+cmd|' /C calc'!A0"
attributes:
  role: elected
  note: "-12.5"
---

**R:** The neighbours came to the public meeting.
`,
  });
  /** Every cell of a CSV text (no cell in these tests holds a line break). */
  const cells = (csv: string): string[] => csv.trim().split('\n').flatMap((l) => l.match(/"(?:[^"]|"")*"|[^,]+|(?<=,)(?=,|$)/gu) ?? []).map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/gu, '"') : c));

  it.each([
    ['export csv', ['export', 'csv'], ["'@SUM(1+1)", "'-1 point: nobody told us anything"]],
    ['export csv --matrix', ['export', 'csv', '--matrix'], ["'=HYPERLINK", "'+cmd|' /C calc'!A0", "'@SUM(1+1)"]],
    ['matrix --binary', ['matrix', '--binary'], ["'=HYPERLINK", "'+cmd|' /C calc'!A0", "'@SUM(1+1)"]],
    ['matrix --binary --unit segments', ['matrix', '--binary', '--unit', 'segments'], ["'=HYPERLINK", "'+cmd|' /C calc'!A0"]],
  ])('%s', async (_name, argv, expected) => {
    const r = await cli(dir, ...argv);
    expect(r.code, r.text).toBe(0);
    const all = cells(r.out);
    for (const e of expected) expect(all.some((c) => c.startsWith(e)), `${e} in ${r.out}`).toBe(true);
    expect(all.filter((c) => /^[=+\-@\t\r]/u.test(c) && !/^-\d+(\.\d+)?$/u.test(c))).toEqual([]);
    // A number is a number: `-12.5` is not prefixed.
    if (!argv.includes('segments')) expect(all).toContain('-12.5');
  });

  it('the other --csv outputs', async () => {
    const dir2 = project({
      'codebooks/codebook.yaml': readFileSync(path.join(base, 'codebooks/codebook.yaml'), 'utf8').replace('label: Meetings', 'label: "=1+1"'),
      'corpus/panel.yaml': 'attributes:\n  role:\n    label: Role\n    values:\n      resident: "-Residents"\n      elected: Elected members\n',
    });
    for (const argv of [
      ['matrix', '--by', 'role', '--csv'],
      ['cooc', '--csv'],
      ['profiles', '--by', 'role', '--csv'],
      ['saturation', '--csv'],
    ]) {
      const r = await cli(dir2, ...argv);
      expect(r.code, `${argv.join(' ')}: ${r.text}`).toBe(0);
      expect(cells(r.out).filter((c) => /^[=+\-@\t\r]/u.test(c) && !/^-?\d+(\.\d+)?$/u.test(c)), argv.join(' ')).toEqual([]);
    }
    expect(cells((await cli(dir2, 'matrix', '--by', 'role', '--csv')).out)).toContain("'=1+1");
  });
});

describe('check warns when .verbatim/redact.txt is tracked by git', () => {
  const git = spawnSync('git', ['--version'], { encoding: 'utf8' });
  const haveGit = git.status === 0;
  if (!haveGit) console.warn('SKIPPED: the tracked-redactions tests need git, which is not installed here.');

  it.runIf(haveGit)('a tracked file is a warning; an untracked (ignored) one or no repository is none', async () => {
    const dir = project({ '.verbatim/redact.txt': 'Villeneuve\n' });
    const unix = async (): Promise<string[]> => (await cli(dir, 'check', '--format', 'unix')).text.split('\n').filter((l) => l.includes('tracked-redactions'));
    expect(await unix()).toEqual([]);
    const g = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: dir, encoding: 'utf8' });
    g('init', '-q');
    g('add', '.');
    g('commit', '-q', '-m', 'all');
    const found = await unix();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\.verbatim\/redact\.txt:1:1: `\.verbatim\/redact\.txt` is tracked by git/u);
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.code).toBe(0);
    g('rm', '-q', '--cached', '.verbatim/redact.txt');
    writeFileSync(path.join(dir, '.gitignore'), '.verbatim/\n');
    expect(await unix()).toEqual([]);
  });
});

describe('the labels of the analysis tables', () => {
  it('code, attribute and value labels are masked in tables, CSV and JSON', async () => {
    const dir = project({
      '.verbatim/redact.txt': 'Dupont\n',
      'codebooks/codebook.yaml': readFileSync(path.join(base, 'codebooks/codebook.yaml'), 'utf8').replace('label: Lack of information', 'label: The Dupont case'),
      'corpus/panel.yaml': 'attributes:\n  role:\n    label: Role at Dupont\n    values:\n      resident: Residents near Dupont\n      elected: Elected members\n',
    });
    for (const argv of [
      ['matrix', '--by', 'role'],
      ['matrix', '--by', 'role', '--csv'],
      ['matrix', '--by', 'role', '--json'],
      ['profiles', '--by', 'role', '--json'],
      ['quotes', 'info.lack'],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.code, `${argv.join(' ')}: ${r.text}`).toBe(0);
      expect(r.out, argv.join(' ')).toContain('[·]');
      expect(r.text, argv.join(' ')).not.toMatch(/dupont/iu);
    }
  });
});
