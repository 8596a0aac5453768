/**
 * `report` on long paragraphs, through the CLI in-process: choosing and
 * printing the verbatims takes time in proportion to the text. Each case
 * times two sizes (see helpers/scaling.ts) and the size a mutation fuzz found
 * hanging (issue 14, findings F8 and F9), or a shape found beside them.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { loadProject } from '../src/engine/load-project.js';
import { codeProject, type CodedProject } from '../src/engine/pipeline.js';
import { VerbatimPicker } from '../src/report/verbatims.js';
import { projectWith, removeAll } from './helpers/project.js';
import { describeScaling, scaling } from './helpers/scaling.js';

const root = path.join(import.meta.dirname, '..');
const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A copy of the check fixture whose A1 has `body` as its respondent text (after `**R:** `). */
function fixtureWith(body: string, frontMatter = ''): string {
  const a1 = `---\nid: A1\nlabel: A resident\nattributes:\n  role: resident\ndate: 2024-01-10\n${frontMatter}---\n\n**Q:** How was it?\n\n**R:** ${body}\n`;
  const dir = projectWith(base, { 'corpus/A1.md': a1 });
  temps.push(dir);
  return dir;
}

/** A copy of the demo project (corpus, codebook, plan) with E01's text changed by `edit`. */
function demoWith(edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-test-'));
  temps.push(dir);
  for (const folder of ['corpus', 'codebooks']) cpSync(path.join(root, folder), path.join(dir, folder), { recursive: true });
  mkdirSync(path.join(dir, 'reports'));
  cpSync(path.join(root, 'reports/restitution.plan.yaml'), path.join(dir, 'reports/restitution.plan.yaml'));
  const e01 = path.join(dir, 'corpus/E01.md');
  writeFileSync(e01, edit(readFileSync(e01, 'utf8')));
  return dir;
}

/** Runs `report` in `dir`; it must succeed. */
async function report(dir: string): Promise<string> {
  const io = memoryIo(dir);
  const code = await run(['report'], io);
  expect(io.err).not.toMatch(/internal error|Maximum call stack/);
  expect(code, io.err.slice(0, 300)).toBe(0);
  return io.out;
}

/** The projects of sizes n / 4, n and 4n, built before anything is timed. */
function projects(n: number, make: (size: number) => string): (size: number) => Promise<string> {
  const dirs = new Map([Math.max(1, Math.floor(n / 4)), n, 4 * n].map((size) => [size, make(size)]));
  return (size) => report(dirs.get(size) as string);
}

/** Asserts that `make`'s project of size 4n reports within `limit` ms and less than eight times slower than size n. */
async function linear(what: string, n: number, limit: number, make: (size: number) => string): Promise<void> {
  const s = await scaling(projects(n, make), n, limit);
  const message = describeScaling(what, n, s);
  expect(s.large, message).toBeLessThan(limit);
  expect(s.large / s.small, message).toBeLessThan(8);
}

/** Asserts that `report` on `dir` (built before the clock starts) takes less than `limit` ms. */
async function reportsWithin(dir: string, limit: number): Promise<void> {
  const started = performance.now();
  await report(dir);
  expect(performance.now() - started).toBeLessThan(limit);
}

describe('report on one long paragraph (F8, F9)', () => {
  const word = (n: number): string => fixtureWith(`Nobod${'a'.repeat(n)}y told us anything. The neighbours helped. {#info.lack}\n\nThere was a public meeting later.`);

  it('a word of 200,000 letters in a coded paragraph: linear, and a few seconds (it took 48 s)', async () => {
    await linear('letters', 50_000, 10_000, word);
    await reportsWithin(word(200_000), 5_000);
  }, 240_000);

  const lines = (n: number): string => fixtureWith(`Nobody told us anything. The neighbours helped. {#info.lack}\n${'There was a public meeting later.\n'.repeat(n)}`);

  it('a coded paragraph of 2,232 lines "There was a public meeting later.": linear, and a few seconds (it took 29 s)', async () => {
    await linear('lines', 2_232, 10_000, lines);
    await reportsWithin(lines(2_232), 5_000);
  }, 240_000);

  const spaces = (n: number): string => demoWith((text) => text.replace('dans une plaquette', `dans une plaquett${' '.repeat(n)}e`));

  it('200,000 spaces in a coded paragraph of the demo: linear, and a few seconds (it took more than 60 s)', async () => {
    await linear('spaces', 12_500, 15_000, spaces);
    await reportsWithin(spaces(200_000), 10_000);
  }, 240_000);
});

describe('report on many codings, keywords and names in one paragraph', () => {
  /** A sentence of 17 words: alone, and with the next three, a window of 15 to 80 words. */
  const LONG = 'The street was closed for works during the whole summer and we could not park near the houses.';

  it('10,000 span codings in one sentence', async () => {
    await linear('spans', 2_500, 10_000, (n) => fixtureWith(Array.from({ length: n }, (_, i) => `[word${i}]{#info.lack}`).join(' ')));
  }, 240_000);

  it('8,000 span codings among 160,000 short sentences', async () => {
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `[${LONG} Then came number ${i}.]{#info.lack} ${'Yes. '.repeat(20)}`).join('');
    await linear('spans', 2_000, 10_000, (n) => fixtureWith(body(n)));
  }, 240_000);

  it('10,000 span codings of no word, each in a sentence of no word', async () => {
    // Too short, each grew sentence by sentence over the whole paragraph, looking for words.
    await linear('spans', 2_500, 10_000, (n) => fixtureWith(`Yes. ${'[—]{#info.lack} . '.repeat(n)}`));
  }, 240_000);

  it('a paragraph coded by its keywords 20,000 times, after 20,000 long sentences that hold none', async () => {
    // The windows of the long sentences carry no keyword: each one was compared with every keyword found.
    await linear('keywords', 5_000, 10_000, (n) => fixtureWith(`${`${LONG} `.repeat(n)}${'Nobody told. '.repeat(n)}`));
  }, 240_000);

  it('80,000 redacted names in a coded paragraph of 5,000 long sentences', async () => {
    // Each window was compared with every name found in its transcript.
    await linear('names', 5_000, 10_000, (n) => fixtureWith(`${`${LONG} `.repeat(n / 4)}${'Jean Dupont. '.repeat(4 * n)} {#info.lack}`, 'redact: ["Jean Dupont"]\n'));
  }, 240_000);
});

describe('report in French on a quote that looks like Markdown', () => {
  it('a verbatim holding 100,000 characters of `](`, never closed: linear', async () => {
    const plan = 'title: Report\nlanguage: fr\nsections:\n  - kind: themes\n    title: Findings\n    codes: [info, ties]\n';
    await linear('brackets', 25_000, 10_000, (n) => {
      const dir = fixtureWith(`The neighbours said it was ${']('.repeat(n / 2)} strange, and they all helped each other after that with the works in the street. {#info.lack}`);
      writeFileSync(path.join(dir, 'reports/report.plan.yaml'), plan);
      return dir;
    });
  }, 240_000);
});

describe('report on a long run of spaces in a title, a synthesis or a label', () => {
  const A1 = 'Nobody told us anything about the works in the street, and we found out from the newspaper one morning. {#info.lack}';
  const codebook = (synthesis: string, label: string): string =>
    `id: base\ntitle: Base codebook\nlanguage: en\ncodes:\n  - id: info\n    label: "${label}"\n    synthesis: "${synthesis}"\n    children:\n      - id: lack\n        label: Lack of information\n        keywords: [nobody told]\n`;
  const project = (files: Record<string, string>): string => {
    const dir = fixtureWith(A1);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const plan = (title: string): string => `title: "${title}"\nsections:\n  - kind: matrix\n    by: [role]\n    codes: [info]\n`;

  it('a plan title with 1,600,000 spaces inside: linear', async () => {
    // The last pass over the report, which drops the spaces at line ends, tried each space of the run.
    await linear('spaces', 400_000, 10_000, (n) => project({ 'reports/report.plan.yaml': plan(`Report${' '.repeat(n)}end`) }));
  }, 240_000);

  it('a synthesis with 1,600,000 spaces inside: linear', async () => {
    await linear('spaces', 400_000, 10_000, (n) => project({ 'codebooks/codebook.yaml': codebook(`Residents${' '.repeat(n)}were not told.`, 'Information'), 'reports/report.plan.yaml': plan('Report') }));
  }, 240_000);

  it('a code label with 1,600,000 spaces inside, in a table: linear', async () => {
    await linear('spaces', 400_000, 10_000, (n) => project({ 'codebooks/codebook.yaml': codebook('Residents were not told.', `Information${' '.repeat(n)}here`), 'reports/report.plan.yaml': plan('Report') }));
  }, 240_000);
});

describe('verbatims of many codes over many coded paragraphs', () => {
  it('10,000 codes over 100,000 paragraphs: each code\'s codings are found once, not in a pass over all the codings per code', async () => {
    const datasets = new Map<number, CodedProject>();
    for (const n of [6_250, 25_000, 100_000]) {
      const codes = n / 10;
      const dir = fixtureWith(Array.from({ length: n }, (_, i) => `Paragraph ${i}. {#k${i % codes}}`).join('\n\n'));
      writeFileSync(path.join(dir, 'codebooks/codebook.yaml'), `${['id: many', 'title: Many', 'language: en', 'codes:', ...Array.from({ length: codes }, (_, i) => `  - id: k${i}\n    label: Code ${i}`)].join('\n')}\n`);
      datasets.set(n, codeProject(loadProject(dir)));
    }
    const s = await scaling(
      (n) => {
        const ds = datasets.get(n) as CodedProject;
        const picker = new VerbatimPicker(ds, { language: 'en' });
        for (const code of ds.codebook?.codes.keys() ?? []) picker.pick(ds, code, 3);
      },
      25_000,
      10_000,
    );
    const message = describeScaling('paragraphs', 25_000, s);
    expect(s.large, message).toBeLessThan(10_000);
    expect(s.large / s.small, message).toBeLessThan(8);
  }, 240_000);
});
