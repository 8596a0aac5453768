/**
 * Splitting long pages, as a restitution does with its slides: "Les freins…
 * 1/3", "2/3", "3/3".
 *
 * A page is a list of blocks (document.ts); a block (a code's heading, its
 * synthesis bullets, its quantified statement and its verbatims; or a
 * paragraph of text) is made of parts, each counted in words. Blocks are packed in order
 * while the page stays within the budget ({@link PAGE_WORDS} words). A block
 * is never split unless it is longer than a page on its own; it is then cut
 * between parts, and its heading is repeated with "(suite)" / "(continued)".
 * A page title gets " i/n" only when there are several pages.
 */
import type { Block, Content, Heading, Part } from './document.js';
import { contentMarkdown, headingMarkdown } from './markdown.js';
import { countWords } from './verbatims.js';

export type { Block, Part } from './document.js';

/** Words of a page: about what a restitution's slide holds. */
export const PAGE_WORDS = 400;

/** A part whose size is the words of its Markdown (marks and figures count as words too, which is close enough); a chart counts none. */
export function part(content: Content): Part {
  return { content, words: content.kind === 'chart' ? 0 : countWords(contentMarkdown(content)) };
}

/** Words of a heading, as its Markdown line. */
function headingWords(h: Heading | undefined): number {
  return h ? countWords(headingMarkdown(h)) : 0;
}

/** Words of a block, heading included. */
export function blockWords(b: Block): number {
  return headingWords(b.heading) + b.parts.reduce((n, p) => n + p.words, 0);
}

/**
 * Packs blocks into pages of at most `budget` words (a block alone may only
 * exceed it when one of its parts does).
 *
 * @param blocks
 *   The blocks, in reading order.
 * @param budget
 *   Words per page.
 * @param continued
 *   What is added to the heading of the rest of a split block.
 * @returns
 *   The pages, each a non-empty list of blocks; no page when there is no block.
 */
export function paginate(blocks: readonly Block[], budget = PAGE_WORDS, continued = '(suite)'): Block[][] {
  const pieces: Block[] = [];
  for (const b of blocks) {
    if (blockWords(b) <= budget || b.parts.length <= 1) {
      pieces.push(b);
      continue;
    }
    // Longer than a page: cut between parts.
    let current: Block = { ...(b.heading ? { heading: b.heading } : {}), parts: [] };
    for (const p of b.parts) {
      if (current.parts.length > 0 && blockWords(current) + p.words > budget) {
        pieces.push(current);
        current = { ...(b.heading ? { heading: { level: b.heading.level, text: `${b.heading.text} ${continued}` } } : {}), parts: [] };
      }
      current.parts.push(p);
    }
    pieces.push(current);
  }
  const pages: Block[][] = [];
  let page: Block[] = [];
  let words = 0;
  for (const b of pieces) {
    const w = blockWords(b);
    if (page.length > 0 && words + w > budget) {
      pages.push(page);
      page = [];
      words = 0;
    }
    page.push(b);
    words += w;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** A page's title: `Title` alone, or `Title 2/3` when the page is one of several. */
export function pageTitle(title: string, index: number, count: number): string {
  return count <= 1 ? title : `${title} ${index + 1}/${count}`;
}

/**
 * A title's pages as one run of blocks, for a format that cuts pages its own
 * way (the Word document flows, the deck measures): a block that
 * {@link paginate} cut across two pages is joined again.
 */
export function flow(pages: readonly (readonly Block[])[]): Block[] {
  const out: Block[] = [];
  for (const page of pages) {
    for (const [i, block] of page.entries()) {
      const previous = out[out.length - 1];
      const continued = i === 0 && previous?.heading !== undefined && block.heading !== undefined && block.heading.level === previous.heading.level && block.heading.text.startsWith(`${previous.heading.text} `);
      if (continued && previous) out[out.length - 1] = { ...previous, parts: [...previous.parts, ...block.parts] };
      else out.push(block);
    }
  }
  return out;
}
