/**
 * Privacy: a string redacted in a transcript's `redact`, in `verbatim.yaml`
 * or in `.verbatim/redact.txt` (kept out of git) never appears in any output:
 * reports, quotes, search, tag, exports, analysis tables and JSON. `check`
 * finds a leak in a generated report or export.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';

const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** Every secret of the project below, as any output could show it (case and white space vary). */
const LEAK = /jean|dupont|villeneuve|orlane/i;

/**
 * A1 redacts "Jean Dupont" (once broken across a line, once cut by a span);
 * `.verbatim/redact.txt` hides "Villeneuve", `verbatim.yaml` "Sainte-Orlane";
 * B1 names Jean Dupont without redacting him: A1's list covers him there too.
 */
function project(): string {
  const dir = tempProject(base);
  temps.push(dir);
  const files: Record<string, string> = {
    'verbatim.yaml': 'language: en\nredact: [Sainte-Orlane]\n',
    '.verbatim/redact.txt': '# names that must not be committed\nVilleneuve\n',
    'corpus/A1.md': `---
id: A1
label: A resident of Villeneuve
attributes:
  role: resident
date: 2024-01-10
redact: ["Jean Dupont"]
---

**Q:** How was it?

**R:** Nobody told us anything at all about the works, said Jean
Dupont to everyone. The neighbours helped us a lot, and we were grateful. {#info.lack}

There was a public meeting with [the mayor, Jean]{#ties} Dupont, in Villeneuve near Sainte-Orlane, and many neighbours came to listen and to ask their questions.
`,
    'corpus/B1.md': `---
id: B1
label: An elected member
attributes:
  role: elected
date: 2024-01-11
---

**R:** JEAN DUPONT told the neighbours about the public meeting in VILLENEUVE, and everybody agreed to come and talk about the works together. {#info.lack}
`,
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    // `.verbatim/` is the folder `verbatim init` puts in .gitignore.
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; text: string; out: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, text: io.out + io.err, out: io.out };
}

describe('redacted strings never appear', () => {
  const dir = project();

  it('the project checks clean (so that every command runs)', async () => {
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.text).not.toMatch(/error/);
    expect(r.code).toBe(0);
  });

  it.each([
    ['quotes', ['quotes', 'info']],
    ['quotes --json', ['quotes', 'info', '--json']],
    ['quotes --by', ['quotes', 'ties', '--by', 'role']],
    ['search for the names themselves', ['search', 'Jean Dupont', 'Villeneuve', '--json']],
    ['search, a context that cuts a name', ['search', 'neighbours', '--context', '12']],
    ['search, a context that ends inside a name', ['search', 'told', '--context', '24', '--json']],
    ['tag --json', ['tag', '--json']],
    ['tag --explain', ['tag', '--explain']],
    ['export csv', ['export', 'csv']],
    ['export csv --matrix', ['export', 'csv', '--matrix']],
    ['export json', ['export', 'json']],
    ['export iramuteq', ['export', 'iramuteq']],
    ['export qdc', ['export', 'qdc']],
    ['matrix --json', ['matrix', '--by', 'role', '--json']],
    ['matrix --binary (labels)', ['matrix', '--binary']],
    ['matrix --binary --json', ['matrix', '--binary', '--json']],
    ['cooc --json', ['cooc', '--json']],
    ['saturation --json', ['saturation', '--json', '--list']],
    ['profiles --json', ['profiles', '--by', 'role', '--json']],
    ['status --json', ['status', '--json']],
    ['agree --auto --json', ['agree', '--auto', '--json', '--details']],
  ])('%s', async (_name, argv) => {
    const r = await cli(dir, ...argv);
    expect(r.code, r.text).toBe(0);
    expect(r.text).not.toMatch(LEAK);
  });

  it('search for part of a name: the matches are masked whole (only the query, as typed, is echoed)', async () => {
    const hits = JSON.parse((await cli(dir, 'search', 'Dupont', '--json')).out) as { query: string; left: string; match: string; right: string }[];
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits) {
      expect(h.match).toBe('[·]');
      expect(`${h.left}${h.match}${h.right}`).not.toMatch(LEAK);
    }
  });

  it('the outputs that show text do mask it (the tests above could fail)', async () => {
    for (const argv of [['quotes', 'info', '--json'], ['search', 'told', '--json'], ['tag', '--json'], ['export', 'csv']]) {
      expect((await cli(dir, ...argv)).out, argv.join(' ')).toContain('[·]');
    }
  });

  it('export qdpx: neither the project.qde nor the sources show them', async () => {
    expect((await cli(dir, 'export', 'qdpx', '-o', 'study.qdpx')).code).toBe(0);
    const entries = unzipSync(readFileSync(path.join(dir, 'study.qdpx')));
    expect(Object.keys(entries).length).toBeGreaterThan(2);
    for (const [name, data] of Object.entries(entries)) expect(strFromU8(data), name).not.toMatch(LEAK);
  });

  it('report: the written report does not show them, and attributes no quotation to a name or a label', async () => {
    const r = await cli(dir, 'report');
    expect(r.code, r.text).toBe(0);
    expect(r.text).not.toMatch(LEAK);
    const report = readFileSync(path.join(dir, 'reports/report.md'), 'utf8');
    expect(report).not.toMatch(LEAK);
    const quotes = report.split('\n').filter((l) => l.startsWith('> '));
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(q).not.toMatch(/A1|B1|resident|elected member/);
    // check agrees: the report and the qdpx above are clean.
    const c = await cli(dir, 'check', '--format', 'unix');
    expect(c.text).not.toContain('redaction-leak');
  });
});

describe('diagnostics', () => {
  it('mask the redacted strings they quote (they end up in CI logs)', async () => {
    const dir = project();
    const a1 = path.join(dir, 'corpus/A1.md');
    writeFileSync(a1, readFileSync(a1, 'utf8').replace('role: resident', 'role: Villeneuve'));
    for (const format of ['unix', 'json', 'github']) {
      const r = await cli(dir, 'check', '--format', format);
      expect(r.code).toBe(1);
      expect(r.text).toContain('unknown-attribute-value');
      expect(r.text).toContain('`[·]` is not a declared value of `role`');
      expect(r.text).not.toMatch(LEAK);
    }
  });
});

describe('check finds leaks in reports and exports', () => {
  it.each([
    ['a report', 'reports/report.md', '# Report\n\n> « Jean Dupont said so. »\n', 'reports/report.md:3:5', 'generated file'],
    ['a CSV export at the root', 'codings.csv', 'transcript,code,text\nA1,info,"said Jean\nDupont"\n', 'codings.csv:2:15', 'export'],
    ['a JSON export in reports/', 'reports/project.json', '{"label": "A resident of villeneuve"}\n', 'reports/project.json:1:26', 'export'],
    ['anything under exports/', 'exports/2024/corpus.txt', '**** *role_resident\nSainte-Orlane\n', 'exports/2024/corpus.txt:2:1', 'export'],
    ['a .qdc codebook', 'codebook.qdc', '<CodeBook><Codes><Code name="Villeneuve&apos;s mayor"/></Codes></CodeBook>', 'codebook.qdc:1:30', 'export'],
  ])('%s', async (_name, file, content, position, kind) => {
    const dir = project();
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.code).toBe(1);
    const leaks = r.text.split('\n').filter((l) => l.includes('[redaction-leak]'));
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatch(new RegExp(`^${position.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: A redacted string appears in this ${kind}`));
    expect(leaks[0]).not.toMatch(LEAK);
  });

  it('a .qdpx archive: in its sources, naming the entry', async () => {
    const dir = project();
    expect((await cli(dir, 'export', 'qdpx', '-o', 'exports/study.qdpx')).code).toBe(0);
    expect((await cli(dir, 'check', '--format', 'unix')).code).toBe(0);
    // Someone edits the archive by hand (or another tool rewrites it) and puts the name back.
    const entries = unzipSync(readFileSync(path.join(dir, 'exports/study.qdpx')));
    const source = Object.keys(entries).find((n) => n.startsWith('sources/'))!;
    entries[source] = strToU8(`${strFromU8(entries[source]!)}\nJean Dupont\n`);
    writeFileSync(path.join(dir, 'exports/study.qdpx'), zipSync(entries));
    const r = await cli(dir, 'check', '--format', 'unix');
    expect(r.code).toBe(1);
    expect(r.text).toMatch(new RegExp(`^exports/study\\.qdpx:\\d+:1: A redacted string appears in this export \\(in \`${source}\` inside the archive`, 'm'));
  });
});
