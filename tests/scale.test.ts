/**
 * Large but legitimate input, through the CLI in-process: many codings, many
 * codes, many paragraphs. Each command must finish with its usual exit code
 * (never an internal error) in bounded time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';

const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A copy of the base project with some files replaced. */
function project(files: Record<string, string>): string {
  const dir = tempProject(base);
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function cli(dir: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

const transcript = (id: string, body: string): string => `---\nid: ${id}\nlabel: A neighbour\nattributes:\n  role: resident\n---\n\n${body}\n`;

describe('200,000 codings in one transcript', () => {
  const paragraphs = Array.from({ length: 200_000 }, (_, i) => `Paragraph ${i} about the street. {#info.lack}`);
  const big = transcript('B1', `**R:** ${paragraphs.join('\n\n')}`);

  it('check, status, quotes, report, export csv and json, tag --json: no stack overflow', async () => {
    const dir = project({ 'corpus/B1.md': big });
    for (const argv of [['check', '--format', 'unix'], ['status', '--json'], ['quotes', 'info.lack', '--json'], ['report'], ['export', 'csv', '-o', 'codings.csv'], ['export', 'json', '-o', 'project.json'], ['tag', 'B1', '--json']]) {
      const started = performance.now();
      const r = await cli(dir, argv);
      const seconds = (performance.now() - started) / 1000;
      expect(r.err, argv.join(' ')).not.toMatch(/internal error|Maximum call stack/);
      expect(r.code, `${argv.join(' ')}: ${r.err.slice(0, 300)}`).toBe(0);
      // Linear work takes a few seconds; the report's search of each coding's segment once took 106 s.
      expect(seconds, argv.join(' ')).toBeLessThan(60);
    }
    const status = JSON.parse((await cli(dir, ['status', '--json'])).out) as { codings: { manual: number } };
    expect(status.codings.manual).toBe(200_001);
    // One row per coding, and a header.
    expect(readFileSync(path.join(dir, 'codings.csv'), 'utf8').split('\n').filter((l) => l.includes(',B1,') || l.startsWith('B1,')).length).toBe(200_000);
  }, 240_000);

  it('200,000 unknown codes: every one reported by the stylish formatter', async () => {
    const dir = project({ 'corpus/B1.md': big.replaceAll('{#info.lack}', '{#info.lak}') });
    const r = await cli(dir, ['check']);
    expect(r.err).not.toMatch(/internal error|Maximum call stack/);
    expect(r.code).toBe(1);
    expect(r.err.match(/unknown-code/g)).toHaveLength(200_000);
  }, 120_000);

  it('one paragraph with 200,000 span markers', async () => {
    const words = Array.from({ length: 200_000 }, (_, i) => `[word${i}]{#info.lack}`).join(' ');
    const dir = project({ 'corpus/B1.md': transcript('B1', `**R:** ${words}`) });
    const r = await cli(dir, ['quotes', 'info.lack', '--json']);
    expect(r.err).not.toMatch(/internal error|Maximum call stack/);
    expect(r.code).toBe(0);
    const quotes = JSON.parse(r.out) as { transcript: string; text: string }[];
    expect(quotes.filter((q) => q.transcript === 'B1')).toHaveLength(200_000);
  }, 120_000);
});

describe('many paragraphs', () => {
  /** `n` paragraphs, each pair joined by a `{>code}…{<code}` span across them. */
  const spans = (n: number): string =>
    transcript(
      'B1',
      `**R:** ${Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `{>info.lack}Paragraph ${i} begins a span` : `and paragraph ${i} ends it.{<info.lack}`)).join('\n\n')}`,
    );

  it('100,000 paragraphs with spans check in a few seconds, and twice as many do not take four times as long', async () => {
    const timed = async (n: number): Promise<number> => {
      const dir = project({ 'corpus/B1.md': spans(n) });
      const started = performance.now();
      const r = await cli(dir, ['check']);
      const ms = performance.now() - started;
      expect(r.code, r.err.slice(0, 300)).toBe(0);
      return ms;
    };
    await timed(10_000); // warm-up
    // The best of two runs each: other test files run alongside and steal time.
    const small = Math.min(await timed(50_000), await timed(50_000));
    const large = Math.min(await timed(100_000), await timed(100_000));
    expect(large).toBeLessThan(15_000);
    // Linear: about 2 (less with fixed costs); quadratic: about 4.
    expect(large / small).toBeLessThan(3);
  }, 240_000);

  it('a span across paragraphs codes every segment it touches, and only those', async () => {
    const dir = project({ 'corpus/B1.md': transcript('B1', '**R:** One.\n\nTwo {>info.lack}starts here.\n\n**Q:** A question?\n\n**R:** Three ends{<info.lack} here.\n\nFour.') });
    const r = await cli(dir, ['tag', 'B1', '--json']);
    expect(r.code).toBe(0);
    const codings = JSON.parse(r.out) as { segment: number; code: string; text: string }[];
    expect(codings.filter((c) => c.code === 'info.lack').map((c) => [c.segment, c.text])).toEqual([
      [2, 'starts here.'],
      [3, 'Three ends'],
    ]);
  });
});
