/**
 * Property tests of the YAML parsers (codebook, panel, plan, configuration)
 * and the CSV panel: random YAML-like text, mutated real files, and valid
 * YAML of random shapes (wrong types everywhere) never throw and give data
 * or positioned diagnostics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SourceFile } from '../../src/core/source-file.js';
import { parseCodebook } from '../../src/project/codebook.js';
import { parseConfig } from '../../src/project/config.js';
import { parsePanelCsv, parsePanelYaml } from '../../src/project/panel.js';
import { parsePlan } from '../../src/project/plan.js';
import { parseYaml } from '../../src/yaml/yaml-source.js';
import { CODEBOOKS, CONFIGS, expectDataOrErrors, expectWellFormed, mutated, nastyString, PANELS, PLANS, RUNS } from './helpers.js';

const YAML_TOKENS = [
  'id: ', 'label: ', 'codes:', 'children:', 'keywords: ', 'patterns: ', 'attributes:', 'values:', 'sections:', 'kind: ', 'rules:', 'redact: ',
  '- ', '  ', '\n', '\n  ', '\n    - ', ':', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!binary ', '|', '>', '#', '"', "'", '?', '---\n', '...\n',
  'a', 'b.c', 'themes', 'matrix', 'fr', 'en', '1', '-1', '1e9', 'null', '~', 'true', '<<: *a', '\t', '%YAML 1.2\n', '\ufeff', '😀',
];
const yamlish = fc.oneof(fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 80 }).map((t) => t.join('')), nastyString);

/** Valid YAML whose values have random types: the schema and the parsers must cope with every shape. */
const shapes = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ id: fc.jsonValue({ maxDepth: 1 }), codes: fc.array(fc.dictionary(fc.constantFrom('id', 'label', 'children', 'keywords', 'patterns', 'unless', 'definition'), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }) }),
    fc.record({ attributes: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })), respondents: fc.jsonValue({ maxDepth: 3 }) }),
    fc.record({ title: fc.jsonValue({ maxDepth: 1 }), sections: fc.array(fc.dictionary(fc.constantFrom('kind', 'codes', 'by', 'title', 'text', 'unit'), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }) }),
    fc.record({ language: fc.jsonValue({ maxDepth: 1 }), speakers: fc.jsonValue({ maxDepth: 2 }), rules: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })), redact: fc.jsonValue({ maxDepth: 2 }) }),
  )
  .map((v) => stringify(v));

type Parser = (file: SourceFile) => unknown;
const parsers: [string, string, Parser, string[]][] = [
  ['parseCodebook', 'codebooks/c.yaml', parseCodebook, CODEBOOKS],
  ['parsePanelYaml', 'corpus/panel.yaml', parsePanelYaml, PANELS],
  ['parsePlan', 'reports/r.plan.yaml', parsePlan, PLANS],
  ['parseConfig', 'verbatim.yaml', parseConfig, CONFIGS],
];

function run(parse: Parser, path: string, text: string): unknown {
  const file = new SourceFile(path, text);
  const result = parse(file);
  expectWellFormed(file);
  expectDataOrErrors(result, file);
  return result;
}

describe.each(parsers)('%s (property)', (_name, path, parse, originals) => {
  it('random YAML-like text never throws', () => {
    fc.assert(fc.property(yamlish, (text) => void run(parse, path, text)), { numRuns: RUNS.random });
  });

  it('valid YAML of any shape gives data or diagnostics', () => {
    fc.assert(fc.property(shapes, (text) => void run(parse, path, text)), { numRuns: RUNS.slow });
  });

  it('mutated real files never throw', () => {
    fc.assert(fc.property(mutated(originals), (text) => void run(parse, path, text)), { numRuns: RUNS.slow });
  });
});

describe('parseCodebook invariants (property)', () => {
  it('full ids are dotted paths of local ids; every child and parent exists', () => {
    fc.assert(
      fc.property(mutated(CODEBOOKS), (text) => {
        const file = new SourceFile('codebooks/c.yaml', text);
        const cb = parseCodebook(file);
        if (!cb) return;
        for (const code of cb.codes.values()) {
          expect(code.id).toBe(code.parent ? `${code.parent}.${code.localId}` : code.localId);
          if (code.parent) expect(cb.codes.get(code.parent)?.children).toContain(code.id);
          for (const c of code.children) expect(cb.codes.get(c)?.parent).toBe(code.id);
          expect(code.keywords.length).toBe(code.keywordRanges.length);
          expect(code.patterns.length).toBe(code.patternRanges.length);
          for (const r of [code.range, ...code.keywordRanges, ...code.patternRanges]) expect(r[1]).toBeLessThanOrEqual(text.length);
        }
        for (const root of cb.roots) expect(cb.codes.get(root)?.parent).toBeUndefined();
      }),
      { numRuns: RUNS.slow },
    );
  });
});

describe('parsePanelCsv (property)', () => {
  const CSV_TOKENS = ['id', ',', ';', '\t', '"', '""', '\n', '\r\n', 'R1', 'R2', 'actor', 'sphere', 'élu', ' ', 'a"b', '\ufeff'];
  const csvish = fc.oneof(fc.array(fc.constantFrom(...CSV_TOKENS), { maxLength: 60 }).map((t) => t.join('')), nastyString);

  it('random tables never throw; every row has an id', () => {
    fc.assert(
      fc.property(csvish, (text) => {
        const panel = run((f) => parsePanelCsv(f), 'corpus/panel.csv', text) as ReturnType<typeof parsePanelCsv>;
        for (const row of panel?.rows ?? []) expect(row.id).not.toBe('');
      }),
      { numRuns: RUNS.random },
    );
  });

  it('with a declared panel: never throws', () => {
    const declared = parsePanelYaml(new SourceFile('corpus/panel.yaml', PANELS[0] as string));
    fc.assert(fc.property(csvish, (text) => void run((f) => parsePanelCsv(f, declared), 'corpus/panel.csv', text)), { numRuns: RUNS.slow });
  });
});

describe('parseYaml limits (property)', () => {
  it('aliases and nesting of any size are bounded: data or a yaml-limit error, quickly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 300 }), (levels, fanout, depth) => {
        // A "billion laughs" of `levels` levels of `fanout` aliases each, then a nesting of `depth` flow sequences.
        const lines = ['a0: &a0 [x, y]'];
        for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: fanout }, () => `*a${i - 1}`).join(', ')}]`);
        lines.push(`deep: ${'['.repeat(depth)}x${']'.repeat(depth)}`);
        const file = new SourceFile('codebooks/c.yaml', `${lines.join('\n')}\n`);
        const started = performance.now();
        const data = parseYaml(file);
        expect(performance.now() - started).toBeLessThan(2000);
        expectWellFormed(file);
        expectDataOrErrors(data, file);
        if (fanout ** levels > 1e5 || depth + 1 > 64) {
          expect(data).toBeUndefined();
          expect(file.messages.map((m) => m.ruleId)).toContain('yaml-limit');
        }
        if (data) expect(JSON.stringify(data.data).length).toBeLessThan(1e7);
      }),
      { numRuns: 40 },
    );
  });
});
