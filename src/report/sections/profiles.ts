/** `profiles`: per `by` attribute (default every attribute), the codes that set each group apart, with the rule applied. */
import { attributeIds, type Dataset } from '../../analysis/dataset.js';
import { distinctiveCodes, distinctiveRuleStatement } from '../../analysis/distinctive.js';
import type { PlanSection } from '../../project/model.js';
import { markdownItem, type SectionItem } from '../document.js';
import { paginate, part } from '../pages.js';
import { formatInteger, formatPercent, lowerFirst } from '../typography.js';
import { listedCodes, unitOf } from './code-pages.js';
import type { ReportState, SectionKindModule } from './state.js';

function profiles(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const { L, T, language } = st;
  const unit = unitOf(section);
  const codes = listedCodes(section, ds);
  const out: SectionItem[] = [];
  for (const by of section.by.length > 0 ? section.by : attributeIds(ds)) {
    if (!attributeIds(ds).includes(by)) continue;
    const result = distinctiveCodes(ds, { by, ...(codes.length > 0 ? { codes } : {}), unit });
    const parts = result.groups
      .filter((g) => g.n > 0)
      .map((g) => {
        const lines = g.codes.map((c) =>
          T(
            L.profileLine(
              c.label,
              L.of(formatInteger(c.count, language), formatInteger(c.n, language)),
              formatPercent(c.count, c.n, language),
              L.of(formatInteger(c.restCount, language), formatInteger(c.restN, language)),
              formatPercent(c.restCount, c.restN, language),
            ),
          ),
        );
        return part({ kind: 'group', title: T(L.groupN(g.label, formatInteger(g.n, language))), items: lines, none: T(L.profileNone) });
      });
    parts.push(part({ kind: 'note', text: T(distinctiveRuleStatement(result.rule, language)) }));
    const pages = paginate([{ parts }], st.budget, L.continued);
    st.pages += pages.length;
    out.push({ kind: 'pages', title: T(L.profilesTitle(lowerFirst(result.byLabel))), pages });
  }
  return out;
}

export const profilesSection: SectionKindModule = {
  defaultTitle: { fr: 'Ce qui distingue chaque profil', en: 'What sets each profile apart' },
  render: (section, ds, st, intro) => [...intro.map(markdownItem), ...profiles(section, ds, st)],
};
