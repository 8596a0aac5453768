/** `text`: the analyst's Markdown, split into pages at paragraph ends when long; untitled, it has no heading. */
import { markdownItem, type SectionItem } from '../document.js';
import { paginate, part } from '../pages.js';
import type { ReportState, SectionKindModule } from './state.js';

function textPages(blocks: readonly string[], title: string | undefined, st: ReportState): SectionItem[] {
  if (blocks.length === 0) return [];
  const pages = paginate(
    blocks.map((b) => ({ parts: [part({ kind: 'markdown', markdown: b })] })),
    st.budget,
    st.L.continued,
  );
  st.pages += pages.length;
  if (pages.length === 1 || title === undefined) return blocks.map(markdownItem);
  return [{ kind: 'pages', title, pages }];
}

export const textSection: SectionKindModule = {
  render: (_section, _ds, st, intro, title) => textPages(intro, title, st),
};
