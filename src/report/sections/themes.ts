/** `themes`: a page per code listed (default: every top-level code), see `code-pages.ts`. */
import { attributeIds, codeLabel, type Dataset } from '../../analysis/dataset.js';
import type { PlanSection } from '../../project/model.js';
import { markdownItem, type SectionItem } from '../document.js';
import { codePages, listedCodes } from './code-pages.js';
import type { ReportState, SectionKindModule } from './state.js';

function themes(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const codes = listedCodes(section, ds);
  const attributes = section.by.length > 0 ? section.by : st.planBy.length > 0 ? st.planBy : attributeIds(ds);
  return codePages(codes, section, ds, attributes, st, Boolean(section.chart));
}

export const themesSection: SectionKindModule = {
  defaultTitle: { fr: 'Les enseignements', en: 'Findings' },
  // A section of one code takes its label.
  titleOf: (section, st) => (section.codes.length === 1 ? st.T(codeLabel(st.ds, section.codes[0] as string)) : undefined),
  render: (section, ds, st, intro) => [...intro.map(markdownItem), ...themes(section, ds, st)],
};
