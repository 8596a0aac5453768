import { describe, expect, it } from 'vitest';
import { blockWords, pageTitle, paginate, part, type Block } from '../../src/report/pages.js';
import { renderPages } from '../../src/report/render-markdown.js';

const p = (name: string, words: number) => ({ content: { kind: 'markdown' as const, markdown: name }, words });
const h = (text: string) => ({ level: 4, text });

describe('paginate', () => {
  it('packs whole blocks while the page stays within the budget', () => {
    const a: Block = { heading: h('A'), parts: [p('a1', 100), p('a2', 100)] };
    const b: Block = { heading: h('B'), parts: [p('b1', 150)] };
    const c: Block = { parts: [p('c1', 50)] };
    expect(blockWords(a)).toBe(201);
    // A (201) + B (151) = 352 > 300: B opens page 2, where C (50) still fits.
    expect(paginate([a, b, c], 300)).toEqual([[a], [b, c]]);
  });

  it('keeps everything on one page when it fits', () => {
    const a: Block = { parts: [p('a', 10)] };
    const b: Block = { parts: [p('b', 10)] };
    expect(paginate([a, b], 300)).toEqual([[a, b]]);
    expect(paginate([], 300)).toEqual([]);
  });

  it('cuts a block longer than a page between its parts, repeating its heading', () => {
    const big: Block = { heading: h('X'), parts: [p('x1', 200), p('x2', 200), p('x3', 50)] };
    const pages = paginate([big], 300, '(suite)');
    expect(pages).toEqual([
      [{ heading: h('X'), parts: [p('x1', 200)] }],
      [{ heading: h('X (suite)'), parts: [p('x2', 200), p('x3', 50)] }],
    ]);
  });

  it('never splits a part, even one longer than the budget', () => {
    const huge: Block = { parts: [p('h', 900)] };
    expect(paginate([huge, { parts: [p('s', 5)] }], 300)).toEqual([[huge], [{ parts: [p('s', 5)] }]]);
  });
});

describe('page titles', () => {
  it('numbers pages only when there are several', () => {
    expect(pageTitle('Les freins', 0, 1)).toBe('Les freins');
    expect(pageTitle('Les freins', 1, 3)).toBe('Les freins 2/3');
  });

  it('renders pages under numbered titles', () => {
    const pages = [[{ heading: h('A'), parts: [part({ kind: 'bullets', items: ['un point'] })] }], [{ parts: [part({ kind: 'verbatim', text: '« une citation »', source: undefined as never })] }]];
    expect(renderPages('Titre', pages)).toBe('### Titre 1/2\n\n#### A\n\n- un point\n\n### Titre 2/2\n\n> « une citation »');
  });

  it('counts words of a part', () => {
    expect(part({ kind: 'markdown', markdown: "> « L'État, c'est aujourd'hui la co-construction. »" }).words).toBe(5);
    expect(part({ kind: 'chart', chart: { labels: ['a'], values: [1], axis: 'x' } }).words).toBe(0);
  });
});
