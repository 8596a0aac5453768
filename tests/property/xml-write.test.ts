/**
 * Verbatim writes XML itself, a piece at a time (src/exchange/xml.ts): the
 * pieces must make what fast-xml-parser's builder, which it used before,
 * wrote for the whole tree, whatever the names, attributes and texts.
 */
import fc from 'fast-check';
import { XMLBuilder } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { quoteName } from '../../src/exchange/refi-export.js';
import { buildXml, el, xmlElement, xmlEnd, xmlStart, type XmlElement } from '../../src/exchange/xml.js';
import { nastyString, RUNS } from './helpers.js';

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** The writer of Verbatim before it streamed (src/exchange/xml.ts at cfff164). */
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: true });
function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}
function toOrdered(e: XmlElement): OrderedNode {
  const content: OrderedNode[] = e.children.length > 0 ? e.children.map(toOrdered) : e.text !== '' ? [{ '#text': escapeControl(e.text) }] : [];
  const node: OrderedNode = { [e.name]: content };
  if (Object.keys(e.attrs).length > 0) node[':@'] = Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, escapeControl(v)]));
  return node;
}
function legacyBuildXml(root: XmlElement): string {
  const body = builder.build([toOrdered(root)]) as string;
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.replace(/^\n+/, '').replace(/\n*$/, '\n')}`;
}

const NAMES = ['Project', 'Code', 'Description', 'PlainTextSelection', 'x'];
const ATTRS = ['guid', 'name', 'startPosition', 'color'];
const text = fc.oneof(nastyString, fc.constantFrom('', ' ', '\n', '<a/>', '</x>', 'a & b', '"q"', "'", '\u0007', 'x\n', '>', '\uFFFF'));
const tree: fc.Arbitrary<XmlElement> = fc.letrec<{ node: XmlElement }>((tie) => ({
  node: fc
    .record({
      name: fc.constantFrom(...NAMES),
      attrs: fc.dictionary(fc.constantFrom(...ATTRS), fc.oneof(text, fc.integer()), { maxKeys: 3 }),
      content: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.array(tie('node'), { maxLength: 4 })),
    })
    .map(({ name, attrs, content }) => el(name, attrs, content as string | XmlElement[])),
})).node;

describe('the XML writer', () => {
  it('writes what the builder wrote, whole', () => {
    fc.assert(
      fc.property(tree, (root) => {
        expect(buildXml(root)).toBe(legacyBuildXml(root));
      }),
      { numRuns: RUNS.random * 4 },
    );
  });

  it('and in pieces: start, children, end', () => {
    fc.assert(
      fc.property(tree, fc.array(tree, { minLength: 1, maxLength: 5 }), (inner, children) => {
        const root = el('Project', { name: 'p' }, [inner, el('Sources', {}, children)]);
        const pieces = ['<?xml version="1.0" encoding="utf-8"?>\n', xmlStart('Project', { name: 'p' }, 0), xmlElement(inner, 1), xmlStart('Sources', {}, 1), ...children.map((c) => xmlElement(c, 2)), xmlEnd('Sources', 1), xmlEnd('Project', 0), '\n'];
        expect(pieces.join('')).toBe(legacyBuildXml(root));
      }),
      { numRuns: RUNS.random * 2 },
    );
  });
});

describe('the name of a selection', () => {
  /** As it was computed before it stopped at the 81st character. */
  const legacy = (text: string): string => {
    const one = text.replace(/\s+/g, ' ').trim();
    const chars = Array.from(one);
    return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : one;
  };
  it('is the first 80 characters of the quote on one line, whatever the quote', () => {
    const words = fc.array(fc.oneof(nastyString, fc.constantFrom(' ', '  ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', '😀', '\ud800', 'é', 'word'.repeat(10))), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(words, (text) => {
        expect(quoteName(text)).toBe(legacy(text));
      }),
      { numRuns: RUNS.random * 6 },
    );
  });
});
