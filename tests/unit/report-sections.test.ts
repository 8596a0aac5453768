/**
 * The section kinds are listed once (`SECTION_KINDS`): the registry of their
 * modules (report/sections/index.ts) and the plan schema say the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECTION_KINDS } from '../../src/project/model.js';
import { SECTIONS } from '../../src/report/sections/index.js';

describe('section kinds', () => {
  it('have one module each, and the plan schema lists the same kinds', () => {
    expect(Object.keys(SECTIONS).sort()).toEqual([...SECTION_KINDS].sort());
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../schemas/plan.schema.json'), 'utf8')) as Record<string, unknown>;
    const kinds: string[][] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'kind' && x && typeof x === 'object' && Array.isArray((x as { enum?: unknown }).enum)) kinds.push((x as { enum: string[] }).enum);
          walk(x);
        }
      }
    };
    walk(schema);
    expect(kinds).toEqual([[...SECTION_KINDS]]);
  });
  it('give every titled kind a title in each language', () => {
    for (const kind of SECTION_KINDS) {
      const title = SECTIONS[kind].defaultTitle;
      if (kind === 'text') expect(title).toBeUndefined();
      else expect(Object.keys(title ?? {}).sort()).toEqual(['en', 'fr']);
    }
  });
});
