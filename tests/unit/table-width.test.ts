/**
 * The terminal tables of `matrix`, `profiles` and `agree`: headed with the
 * panel's labels, and wrapped to the terminal's width when it is known
 * (issue 19, "Hints…: `matrix` and `profiles` head their columns with panel
 * labels; the `agree` table fits the terminal width").
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitColumns } from '../../src/cli/commands/analysis-shared.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { demoCopy } from '../helpers/analysis-fixture.js';

const demo = demoCopy('verbatim-width-');
afterAll(() => rmSync(demo, { recursive: true, force: true }));

/** `verbatim ARGV…` in `dir`, on a terminal `columns` wide (or a pipe: no width). */
async function cli(dir: string, columns: number | undefined, ...argv: string[]): Promise<{ code: number; out: string }> {
  const io = memoryIo(dir, { NO_COLOR: '1' });
  if (columns !== undefined) Object.assign(io, { columns, stdoutIsTTY: true });
  const code = await run(argv, io);
  return { code, out: io.out };
}

/** The lines of a table (its borders and rows), as the terminal shows them. */
const tableLines = (out: string): string[] => out.split('\n').filter((l) => /^[┌│├└]/u.test(l));

describe('analysis tables', () => {
  it('head the matrix columns with the panel labels of the values, and their ids', async () => {
    const r = await cli(demo, undefined, 'matrix', '--by', 'sphere');
    expect(r.code).toBe(0);
    const head = tableLines(r.out).slice(1, 3).join('\n');
    expect(head).toContain('Recherche et innovation ouverte');
    expect(head).toContain('recherche, n=3');
    expect(head).toContain('Institutions');
  });

  it('name the groups of profiles by their labels', async () => {
    const r = await cli(demo, undefined, 'profiles', '--by', 'sphere');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Recherche et innovation ouverte (recherche, n=3)');
  });

  it('fit a 100-column terminal, wrapping cells between words; a pipe gets the table unwrapped', async () => {
    for (const argv of [
      ['matrix', '--by', 'sphere'],
      ['profiles', '--by', 'sphere'],
    ]) {
      const wide = tableLines((await cli(demo, undefined, ...argv)).out);
      expect(Math.max(...wide.map((l) => [...l].length)), argv.join(' ')).toBeGreaterThan(100);
      const narrow = tableLines((await cli(demo, 100, ...argv)).out);
      for (const l of narrow) expect([...l].length, `${argv.join(' ')}: ${l}`).toBeLessThanOrEqual(100);
      // Words are wrapped whole: the long label is still there, over lines.
      expect(narrow.join(' ').replace(/[│ ]+/gu, ' ')).toContain('Recherche');
    }
  });

  it('agree fits the terminal too', async () => {
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/agree');
    const wide = await cli(fixtures, undefined, 'agree', 'coder-a', 'coder-b', 'coder-c');
    expect(Math.max(...tableLines(wide.out).map((l) => [...l].length))).toBeGreaterThan(100);
    const narrow = await cli(fixtures, 100, 'agree', 'coder-a', 'coder-b', 'coder-c');
    expect(narrow.code).toBe(wide.code);
    for (const l of tableLines(narrow.out)) expect([...l].length, l).toBeLessThanOrEqual(100);
  });

  it('shrink the widest column first, never below its longest word (hand-computed)', () => {
    // Natural widths 2+2 = 4 and 20+2 = 22, borders 3: 29 wide. To fit 20, the second column goes to 13.
    expect(fitColumns(['a', 'b'], [['xy', 'aaaa bbbb cccc dddd e']], 20)).toEqual([4, 13]);
    expect(fitColumns(['a', 'b'], [['xy', 'short']], 80)).toBeUndefined();
    expect(fitColumns(['a', 'b'], [['xy', 'short']], undefined)).toBeUndefined();
    // A word longer than the room: the column stops at it (the table is then wider than asked, words whole).
    expect(fitColumns(['a'], [['abcdefghij']], 5)).toEqual([12]);
  });
});
