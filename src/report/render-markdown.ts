/**
 * The Markdown restitution: a report document (document.ts) as the text
 * `reports/<name>.md` holds. Pages are `###` headings, numbered "1/3" when a
 * title has several; blocks are separated by blank lines.
 */
import type { Block, ReportDocument, SectionItem } from './document.js';
import { contentMarkdown, headingMarkdown } from './markdown.js';
import { pageTitle } from './pages.js';

/**
 * Renders pages under a title: `### Title i/n`, then each block (heading,
 * then parts separated by blank lines).
 */
export function renderPages(title: string, pages: readonly (readonly Block[])[], level = 3): string {
  const hashes = '#'.repeat(level);
  return pages
    .map((page, i) => {
      const body = page.flatMap((b) => [...(b.heading ? [headingMarkdown(b.heading)] : []), ...b.parts.map((p) => contentMarkdown(p.content))]);
      return [`${hashes} ${pageTitle(title, i, pages.length)}`, ...body].join('\n\n');
    })
    .join('\n\n');
}

function itemMarkdown(item: SectionItem): string {
  return item.kind === 'content' ? contentMarkdown(item.content) : renderPages(item.title, item.pages);
}

/**
 * The document as Markdown, masked once more by `mask` as a last guard (every
 * string of the document is masked already), spaces at line ends removed.
 */
export function renderMarkdown(doc: ReportDocument, mask: (s: string) => string): string {
  const out: string[] = [doc.marker, `# ${doc.title}`];
  if (doc.subtitle) out.push(doc.subtitle);
  if (doc.author) out.push(doc.author);
  if (doc.period) out.push(doc.period);
  if (doc.toc && doc.toc.items.length > 0) out.push(`## ${doc.toc.title}`, doc.toc.items.map((t, i) => `${i + 1}. ${t}`).join('\n'));
  for (const section of doc.sections) {
    if (section.title !== undefined && section.number !== undefined) out.push(`## ${section.number}. ${section.title}`);
    const body = section.items.map(itemMarkdown).join('\n\n');
    if (body !== '') out.push(body);
  }
  // Spaces at line ends: a run is tried from its start only (from each of its spaces, it was quadratic).
  return `${mask(out.join('\n\n'))
    .replace(/(?<![ \t])[ \t]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trimEnd()}\n`;
}
