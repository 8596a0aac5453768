/** Small Markdown builders for the report: bullet lists, tables, paragraphs, and a document's contents. */
import type { Content, Heading } from './document.js';
import { barChart } from './mermaid.js';

/**
 * The items of an analyst's synthesis. A Markdown list gives one item per
 * top-level bullet (its sub-bullets and continuation lines stay with it);
 * plain text gives one item per paragraph.
 *
 * @returns
 *   Items as Markdown, without their bullet; sub-bullets as `\n  - …` lines.
 */
export function listItems(text: string | undefined): string[] {
  if (!text || text.trim() === '') return [];
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const bullet = /^[-*+]\s+(.*)$/u;
  if (!lines.some((l) => bullet.test(l))) {
    return text
      .replace(/\r\n?/gu, '\n')
      .split(/\n\s*\n/u)
      .map((p) => p.replace(LINE_BREAK, ' ').trim())
      .filter((p) => p !== '');
  }
  const items: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const m = bullet.exec(line);
    if (m) {
      items.push((m[1] as string).trim());
      continue;
    }
    const sub = /^\s+[-*+]\s+(.*)$/u.exec(line);
    if (items.length === 0) {
      items.push(line.trim());
    } else if (sub) {
      items[items.length - 1] += `\n  - ${(sub[1] as string).trim()}`;
    } else {
      items[items.length - 1] += ` ${line.trim()}`;
    }
  }
  return items;
}

/** A tight bullet list of items (as returned by {@link listItems}). */
export function bulletList(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join('\n');
}

/** The blocks of a Markdown text: paragraphs, lists and fenced code, as separated by blank lines. */
export function markdownBlocks(text: string | undefined): string[] {
  if (!text) return [];
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const out: string[] = [];
  let current: string[] = [];
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/u.test(line)) fenced = !fenced;
    if (!fenced && line.trim() === '') {
      if (current.length > 0) out.push(current.join('\n').trimEnd());
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) out.push(current.join('\n').trimEnd());
  return out.filter((b) => b.trim() !== '');
}

/** A table cell: no line break, pipes escaped. */
export function cell(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(/\|/gu, '\\|');
}

/**
 * A line break and the white space around it. A run of white space is tried
 * from its start only: tried from each of its characters, a long run without
 * a line break was quadratic.
 */
const LINE_BREAK = /(?<!\s)\s*[\r\n]\s*/gu;

/**
 * A GitHub-flavoured Markdown table.
 *
 * @param head
 *   Header cells (already typeset).
 * @param rows
 *   Body rows.
 * @param align
 *   `l` or `r` per column (default left).
 */
export function table(head: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (align[i] === 'r' ? ' ---: ' : ' :--- ')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** A heading inside a page as its Markdown line: `#### Label`. */
export function headingMarkdown(h: Heading): string {
  return `${'#'.repeat(h.level)} ${h.text}`;
}

/** A document's content as Markdown (see document.ts). */
export function contentMarkdown(c: Content): string {
  switch (c.kind) {
    case 'markdown':
      return c.markdown;
    case 'bullets':
      return bulletList(c.items);
    case 'statement':
    case 'note':
      return `*${c.text}*`;
    case 'verbatim':
      return `> ${c.text}`;
    case 'table':
      return table(c.head, c.rows, c.align);
    case 'chart':
      return barChart(c.chart);
    case 'group':
      return `**${c.title}**\n\n${c.items.length > 0 ? bulletList(c.items) : c.none}`;
  }
}
