import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

const demo = path.join(import.meta.dirname, '../..');

describe('verbatim quotes', () => {
  it('quotes spans as spans and masks redacted names (E06 names its deputy)', async () => {
    const io = memoryIo(demo);
    expect(await run(['quotes', 'cles.porteurs', '--json'], io)).toBe(0);
    const quotes = JSON.parse(io.out) as { address: string; span: boolean; origin: string; text: string }[];
    const e06 = quotes.filter((q) => q.address.startsWith('E06:'));
    expect(e06.some((q) => q.span && q.origin === 'manual' && q.text.startsWith('Sans [·], il n'))).toBe(true);
    expect(io.out).not.toMatch(/Ferrandon|Orlane/);
  });

  it('groups by an attribute and includes descendants of a parent code', async () => {
    const io = memoryIo(demo);
    expect(await run(['quotes', 'motivations', '--by', 'sphere', '--json', '--origin', 'manual'], io)).toBe(0);
    const groups = JSON.parse(io.out) as { value: string; quotes: { code: string }[] }[];
    expect(groups.map((g) => g.value)).toEqual(['recherche', 'societe-civile', 'institution']);
    for (const g of groups) expect(g.quotes.length).toBeGreaterThan(0);
    expect(new Set(groups.flatMap((g) => g.quotes.map((q) => q.code.split('.')[0])))).toEqual(new Set(['motivations']));
  });

  it('an unknown code is a usage error with a suggestion', async () => {
    const io = memoryIo(demo);
    expect(await run(['quotes', 'freins.etta'], io)).toBe(2);
    expect(io.err).toContain('did you mean `freins.etat`?');
  });
});

describe('verbatim search', () => {
  it('finds inflected forms of a phrase with their context, masked', async () => {
    const io = memoryIo(demo);
    expect(await run(['search', "donneur d'ordre", '--json', '--context', '10'], io)).toBe(0);
    const hits = JSON.parse(io.out) as { address: string; match: string; left: string; right: string }[];
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits) {
      expect(h.match.toLowerCase()).toMatch(/^donneurs? d['’]ordres?$/);
      expect(h.left.length).toBeLessThanOrEqual(10);
    }
  });

  it('never shows a redacted string in its context', async () => {
    const io = memoryIo(demo);
    expect(await run(['search', 'adjointe', '--context', '80'], io)).toBe(0);
    expect(io.out).toContain('E06:');
    expect(io.out).not.toMatch(/Ferrandon/);
  });
});

/** The line `n` (from 1) of a file of the demo. */
const lineOf = (location: string): string => {
  const m = /^(.+):(\d+)$/u.exec(location);
  if (!m) throw new Error(`not a file:line: ${location}`);
  return readFileSync(path.join(demo, m[1] as string), 'utf8').split('\n')[Number(m[2]) - 1] ?? '';
};

describe('addresses a terminal opens: file:line beside T03:4', () => {
  it('quotes: each excerpt starts on the line it names', async () => {
    const io = memoryIo(demo);
    expect(await run(['quotes', 'freins.etat', '--json'], io)).toBe(0);
    const quotes = JSON.parse(io.out) as { address: string; location: string; text: string }[];
    expect(quotes.find((q) => q.address === 'E01:9')?.location).toBe('corpus/E01.md:42');
    for (const q of quotes) {
      expect(q.location).toMatch(new RegExp(`^corpus/${q.address.split(':')[0]}\\.md:\\d+$`, 'u'));
      const first = /[\p{L}\p{N}]+/u.exec(q.text)?.[0] as string;
      expect(lineOf(q.location)).toContain(first);
    }
    const text = memoryIo(demo);
    expect(await run(['quotes', 'freins.etat'], text)).toBe(0);
    expect(text.out).toContain('  E01:9  corpus/E01.md:42 (manual, span)\n');
  });

  it('search: each match is on the line it names', async () => {
    const io = memoryIo(demo);
    expect(await run(['search', "donneur d'ordre", '--json'], io)).toBe(0);
    const hits = JSON.parse(io.out) as { address: string; location: string; match: string }[];
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits) expect(lineOf(h.location)).toContain(h.match);
    const text = memoryIo(demo);
    expect(await run(['search', "donneur d'ordre"], text)).toBe(0);
    expect(text.out).toMatch(/^E03:10 {4}corpus\/E03\.md:46 /mu);
  });
});
