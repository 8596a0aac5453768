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
