/**
 * The front-matter fast path must agree with the yaml library: same data, same
 * positions, on every input it accepts; it may decline anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap, isSeq, isPair, isScalar, type Node } from 'yaml';
import { parseSimpleYaml } from '../../src/yaml/simple-yaml.js';

/** The library's positions of every key and value, keyed like the fast path's. */
function libraryPositions(text: string): { data: unknown; values: Map<string, [number, number]>; keys: Map<string, [number, number]> } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const values = new Map<string, [number, number]>();
  const keys = new Map<string, [number, number]>();
  const walk = (node: Node | null, path: string[]): void => {
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p) || !isScalar(p.key)) continue;
        const k = [...path, String(p.key.value)];
        const id = k.join('\u0000');
        keys.set(id, [p.key.range![0], p.key.range![1]]);
        const v = p.value as Node | null;
        if (v?.range) values.set(id, [v.range[0], v.range[1]]);
        walk(v, k);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const n = item as Node;
        if (n.range) values.set([...path, String(i)].join('\u0000'), [n.range[0], n.range[1]]);
      });
    }
  };
  walk(doc.contents as Node | null, []);
  return { data: doc.errors.length > 0 ? undefined : doc.toJS(), values, keys };
}

const word = fc.stringMatching(/^[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 ,.'/:-]{0,20}$/);
const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalar = fc.oneof(
  word,
  word.map((w) => `"${w.replace(/"/g, '')}"`),
  word.map((w) => `'${w.replace(/'/g, '')}'`),
  fc.constantFrom('2021-06-14', 'E07', '007', 'true', 'null', '~', '1e3', 'a: b', 'x #c', '- item', '[]', "l'État", 'Un maire, responsable de l’AMF'),
);
const list = fc.array(scalar, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
const value = fc.oneof(scalar, list);
const line = fc.oneof(
  fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(key, fc.array(fc.tuple(key, value), { minLength: 0, maxLength: 3 }), fc.constantFrom(2, 4)).map(([k, kids, n]) => [`${k}:`, ...kids.map(([kk, v]) => `${' '.repeat(n)}${kk}: ${v}`)].join('\n')),
  fc.constantFrom('# a comment', '', '  ', 'key: value  ', 'id: E01'),
);
const frontMatter = fc.tuple(fc.array(line, { maxLength: 8 }), fc.boolean()).map(([lines, nl]) => lines.join('\n') + (nl ? '\n' : ''));

describe('the simple YAML fast path', () => {
  it('accepts typical front matter', () => {
    const text = 'id: E07\nlabel: Un maire, de l’AMF\nattributes:\n  actor: decideur-politique\n  sphere: institution\ndate: 2021-06-14\nredact: ["Jean Dupont", Villeneuve]\n';
    const fast = parseSimpleYaml(text);
    expect(fast?.data).toEqual({ id: 'E07', label: 'Un maire, de l’AMF', attributes: { actor: 'decideur-politique', sphere: 'institution' }, date: '2021-06-14', redact: ['Jean Dupont', 'Villeneuve'] });
  });

  it('declines what it does not handle exactly', () => {
    for (const t of ['n: 007\n', 'a: true\n', 'a: x # c\n', 'a:\n', 'a: |\n  x\n', 'a: &x y\n', 'a: "x\\ny"\n', 'a: b\na: c\n', 'a:\n  b: c\n\n  d: e\n', '\ta: b\n']) {
      expect(parseSimpleYaml(t), t).toBeUndefined();
    }
  });

  it('gives the same data and positions as the yaml library whenever it accepts (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frontMatter, (text) => {
        const fast = parseSimpleYaml(text);
        if (!fast) return;
        accepted++;
        const lib = libraryPositions(text);
        expect(fast.data).toEqual(lib.data ?? null);
        for (const [k, r] of fast.values) expect(r, `value ${k} in ${JSON.stringify(text)}`).toEqual(lib.values.get(k));
        for (const [k, r] of fast.keys) expect(r, `key ${k} in ${JSON.stringify(text)}`).toEqual(lib.keys.get(k));
      }),
      { numRuns: Number(process.env.RUNS ?? 3000) },
    );
    expect(accepted).toBeGreaterThan(300);
  });
});
