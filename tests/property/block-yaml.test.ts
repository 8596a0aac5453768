/**
 * The block YAML fast path (src/yaml/block-yaml.ts) against the `yaml`
 * library: on generated documents and front matter, and on the demo
 * project's own files (its transcripts' front matter included),
 * whenever the fast path answers, the data and the position of every key and
 * value (and of the document) must be the library's; when the library
 * reports an error, the fast path must decline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { parseBlockYaml } from '../../src/yaml/block-yaml.js';
import { parseYaml, type DataPath, type YamlData } from '../../src/yaml/yaml-source.js';
import { ROOT } from './helpers.js';

/** Every path of the data, the root included. */
function paths(data: unknown, prefix: DataPath = []): DataPath[] {
  const out: DataPath[] = [prefix];
  if (Array.isArray(data)) data.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Outcome = 'fast' | 'declined' | 'error';

/** Compares the fast path with the library on `text`. */
function compare(text: string): Outcome {
  const lib = parseYaml(new SourceFile('x.yaml', text), 0, text.length, { library: true });
  const fast = parseBlockYaml(text);
  if (!fast) return lib ? 'declined' : 'error';
  expect(lib, `the library refuses what the fast path reads:\n${text}`).toBeDefined();
  const viaFast = parseYaml(new SourceFile('x.yaml', text)) as YamlData;
  const l = lib as YamlData;
  expect(viaFast.data, text).toEqual(l.data);
  for (const p of paths(l.data)) {
    expect(viaFast.range(p), `value ${JSON.stringify(p)}\n${text}`).toEqual(l.range(p));
    expect(viaFast.range(p, 'key'), `key ${JSON.stringify(p)}\n${text}`).toEqual(l.range(p, 'key'));
    expect(viaFast.nearest([...p, 'missing']), `nearest ${JSON.stringify(p)}\n${text}`).toEqual(l.nearest([...p, 'missing']));
  }
  return 'fast';
}

// ─── Generated documents ─────────────────────────────────────────────────────

const word = fc.constantFrom('alliance', 'Intérêt', 'seul', 'a:b', 'x#y', 'co-construction', "l'État", 'été', '1.0.0', 'yes', 'no', '- x', 'ab ', 'z');
const plain = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const single = fc.array(fc.constantFrom('a', "''", '\\b', 'é', ' ', '"', ':', '#', 'x'), { maxLength: 6 }).map((cs) => `'${cs.join('')}'`);
const double = fc.array(fc.constantFrom('a', '\\"', '\\\\', '\\n', '\\t', '\\/', 'é', ' ', "'", ':', '\\x41', '\\u00e9'), { maxLength: 6 }).map((cs) => `"${cs.join('')}"`);
const typed = fc.constantFrom('3', '-0', '+5', '0.5', '1e3', '.5', '1.', 'true', 'False', 'NULL', '~', 'null', '0x1F', '0o7', '.inf', '.NaN', '007');
const flow = fc.array(fc.oneof(plain, single, double, typed), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
const scalar = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 2, arbitrary: single }, { weight: 2, arbitrary: double }, { weight: 2, arbitrary: typed }, { weight: 2, arbitrary: flow });
const key = fc.constantFrom('id', 'label', 'keywords', 'definition', 'children', 'codes', 'k', 'x.y', 'a-b', '"quoted"', 'id');

/** A block scalar's header and lines (relative indentation 0 but for a few more-indented ones). */
const blockScalar = fc.tuple(
  fc.constantFrom('|', '|-', '>', '>-', '|+', '>2'),
  fc.array(fc.oneof({ weight: 5, arbitrary: plain }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: plain.map((p) => `  ${p}`) }, { weight: 1, arbitrary: fc.constant('# not a comment') }), { minLength: 1, maxLength: 4 }),
);

interface Tree {
  kind: 'map' | 'seq';
  entries: { key: string; value: Value }[];
}
type Value = { scalar: string } | { block: [string, string[]] } | { tree: Tree } | { empty: true };

const value: fc.Memo<Value> = fc.memo((depth) =>
  depth <= 1
    ? fc.oneof({ weight: 5, arbitrary: scalar.map((s) => ({ scalar: s })) }, { weight: 1, arbitrary: blockScalar.map((b) => ({ block: b })) }, { weight: 1, arbitrary: fc.constant({ empty: true as const }) })
    : fc.oneof(
        { weight: 4, arbitrary: scalar.map((s) => ({ scalar: s })) },
        { weight: 2, arbitrary: blockScalar.map((b) => ({ block: b })) },
        { weight: 1, arbitrary: fc.constant({ empty: true as const }) },
        { weight: 3, arbitrary: tree(depth - 1).map((t) => ({ tree: t })) },
      ),
);
function tree(depth: number): fc.Arbitrary<Tree> {
  return fc.record({
    kind: fc.constantFrom('map' as const, 'seq' as const),
    entries: fc.array(fc.record({ key, value: value(depth) }), { minLength: 1, maxLength: 4 }),
  });
}

/** Writes a tree as YAML, with random indentation steps, comments and blank lines. */
function render(t: Tree, indent: number, step: number, noise: readonly string[], out: string[], inlineFirst = false): void {
  const pad = ' '.repeat(indent);
  t.entries.forEach((e, i) => {
    const n = noise[(out.length + i) % noise.length] as string;
    if (n === 'blank') out.push('');
    if (n === 'comment') out.push(`${pad}# note`);
    if (t.kind === 'seq') {
      if (e.value && 'tree' in e.value && e.value.tree.kind === 'map') {
        const lines: string[] = [];
        render(e.value.tree, indent + 2, step, noise, lines, true);
        out.push(`${pad}- ${(lines[0] ?? '').trimStart()}`, ...lines.slice(1));
      } else if ('scalar' in e.value) out.push(`${pad}- ${e.value.scalar}${noise[i % noise.length] === 'tab' ? '\t' : ''}`);
      else out.push(`${pad}- ${e.key}: x`);
      return;
    }
    const head = i === 0 && inlineFirst ? '' : pad;
    const v = e.value;
    if ('scalar' in v) out.push(`${head}${e.key}: ${v.scalar}${n === 'trail' ? ' # c' : ''}`);
    else if ('empty' in v) out.push(`${head}${e.key}:${n === 'trail' ? '   ' : ''}`);
    else if ('block' in v) {
      out.push(`${head}${e.key}: ${v.block[0]}`);
      for (const line of v.block[1]) out.push(line === '' ? '' : `${pad}${' '.repeat(step)}${line}`);
    } else {
      out.push(`${head}${e.key}:`);
      render(v.tree, indent + step, step, noise, out);
    }
  });
}

const document = fc
  .tuple(tree(3), fc.constantFrom(2, 4), fc.array(fc.constantFrom('none', 'none', 'none', 'blank', 'comment', 'trail', 'tab'), { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([t, step, noise, header]) => {
    const root: Tree = { kind: 'map', entries: t.entries };
    const out: string[] = header ? ['# yaml-language-server: $schema=x', ''] : [];
    render(root, 0, step, noise, out);
    return `${out.join('\n')}\n`;
  });

/** Transcript front matter: flat `key: value` lines, one level of nested keys, flow lists, comments and blank lines. */
const fmWord = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 ,.'/:-]{0,20}$/);
const fmKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const fmScalar = fc.oneof(
  fmWord,
  fmWord.map((w) => `"${w.replace(/"/g, '')}"`),
  fmWord.map((w) => `'${w.replace(/'/g, '')}'`),
  fc.constantFrom('2021-06-14', 'E07', '007', 'true', 'null', '~', '1e3', 'a: b', 'x #c', '- item', '[]', "l'État", 'Un maire, responsable de l’AMF'),
);
const fmValue = fc.oneof(fmScalar, fc.array(fmScalar, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`));
const fmLine = fc.oneof(
  fc.tuple(fmKey, fmValue).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(fmKey, fc.array(fc.tuple(fmKey, fmValue), { maxLength: 3 }), fc.constantFrom(2, 4)).map(([k, kids, n]) => [`${k}:`, ...kids.map(([kk, v]) => `${' '.repeat(n)}${kk}: ${v}`)].join('\n')),
  fc.constantFrom('# a comment', '', '  ', 'key: value  ', 'id: E01'),
);
/** A front matter as the transcript parser passes it: the lines between the `---`, each ended by its line break. */
const frontMatter = fc.array(fmLine, { maxLength: 8 }).map((lines) => lines.map((l) => `${l}\n`).join(''));

describe('block YAML fast path (property)', () => {
  it('gives the library’s data and positions whenever it answers, and declines what the library refuses', () => {
    const outcomes: Record<Outcome, number> = { fast: 0, declined: 0, error: 0 };
    fc.assert(
      fc.property(document, (text) => {
        outcomes[compare(text)]++;
      }),
      { numRuns: 1500, seed: 0xb10c },
    );
    // The documents must exercise the fast path, and some must need the library.
    expect(outcomes.fast).toBeGreaterThan(300);
    expect(outcomes.declined + outcomes.error).toBeGreaterThan(100);
  });

  it('reads the demo project’s codebook, panel and report plan, the same as the library', () => {
    for (const file of ['codebooks/alliances.yaml', 'corpus/panel.yaml', 'reports/restitution.plan.yaml']) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      expect(compare(text), file).toBe('fast');
    }
  });

  it('gives the library’s data and positions on front matter whenever it answers', () => {
    const outcomes: Record<Outcome, number> = { fast: 0, declined: 0, error: 0 };
    fc.assert(
      fc.property(frontMatter, (text) => {
        outcomes[compare(text)]++;
      }),
      { numRuns: 3000, seed: 0xf207 },
    );
    // About a third: the rest repeats a key, or holds a value only the library reads.
    expect(outcomes.fast).toBeGreaterThan(600);
  });

  it('reads typical front matter', () => {
    const text = 'id: E07\nlabel: Un maire, de l’AMF\nattributes:\n  actor: decideur-politique\n  sphere: institution\ndate: 2021-06-14\nredact: ["Jean Dupont", Villeneuve]\n';
    expect(compare(text)).toBe('fast');
    expect(parseBlockYaml(text)?.data).toEqual({ id: 'E07', label: 'Un maire, de l’AMF', attributes: { actor: 'decideur-politique', sphere: 'institution' }, date: '2021-06-14', redact: ['Jean Dupont', 'Villeneuve'] });
  });

  it('reads the front matter of the demo transcripts the same as the library, all but the flow mappings', () => {
    for (const name of readdirSync(path.join(ROOT, 'corpus')).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(path.join(ROOT, 'corpus', name), 'utf8');
      const body = /^---\n([\s\S]*?\n)---\n/.exec(text)?.[1] as string;
      // `speakers: {Q: interviewer, …}` is a flow mapping: the library's.
      expect(compare(body), name).toBe(/^\w+: \{/m.test(body) ? 'declined' : 'fast');
    }
  });

  it('declines what it does not know, by hand', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: {b: 1}\n', 'a: 1 # c\n', 'a: 1\na: 2\n', 'a:\n- 1\n', 'a: |2\n   x\n', 'a: >\n  x\n\n  y\n', '- 1\n', 'a: "x\n  y"\n', 'a: b\n  c\n', '? a\n: b\n', '---\na: 1\n', 'a: 0x1F\n', 'a:\tb\n', 'a: 1']) {
      expect(parseBlockYaml(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
