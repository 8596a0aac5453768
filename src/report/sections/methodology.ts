/** `methodology`: the plan's text, the number of interviews, the period, the review of the coding and the panel. */
import { attributeLabel, groupsOf, NONE, type Dataset } from '../../analysis/dataset.js';
import type { Language, PlanSection } from '../../project/model.js';
import { content, markdownItem, type SectionItem } from '../document.js';
import { formatInteger, formatPercent, lowerFirst } from '../typography.js';
import type { ReportState, SectionKindModule } from './state.js';

const MONTHS: Record<Language, string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** The months of the interviews' dates (`mai 2021 – septembre 2021`), or undefined without dates. */
export function periodOfDates(dates: readonly (string | undefined)[], language: Language): string | undefined {
  const months = dates
    .map((d) => (d === undefined ? undefined : /^(\d{4})-(\d{2})/u.exec(d)))
    .filter((m): m is RegExpExecArray => m !== null && m !== undefined && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    .map((m) => `${m[1] as string}-${m[2] as string}`)
    .sort();
  if (months.length === 0) return undefined;
  const name = (ym: string): string => `${MONTHS[language][Number(ym.slice(5)) - 1] as string} ${ym.slice(0, 4)}`;
  const first = months[0] as string;
  const last = months[months.length - 1] as string;
  return first === last ? name(first) : `${name(first)} – ${name(last)}`;
}

function methodology(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const { L, T, language } = st;
  const period = st.plan.period ?? periodOfDates(ds.transcripts.map((t) => t.date), language);
  const colon = language === 'fr' ? ' :' : ':';
  const facts = [`**${L.interviews}${colon}** ${formatInteger(ds.transcripts.length, language)}`, ...(period ? [`**${L.period}${colon}** ${period}`] : [])];
  // How much of the keywords' coding a researcher reviewed (`verbatim review`): accepted ones are manual codings marked so.
  let accepted = 0;
  let proposed = 0;
  for (const c of ds.codings) {
    if (c.accepted) accepted++;
    if (c.accepted || c.origin === 'auto') proposed++;
  }
  if (proposed > 0) {
    const reviewedOnly = (st.plan.quotes ?? 'all') === 'reviewed' && st.plan.sections.every((s) => (s.quotes ?? 'reviewed') === 'reviewed');
    facts.push(L.reviewed(formatInteger(accepted, language), formatInteger(proposed, language), formatPercent(accepted, proposed, language), reviewedOnly));
  }
  const out = [content({ kind: 'bullets', items: facts.map(T) })];
  const by = section.by[0];
  if (by === undefined) {
    out.push(content({ kind: 'markdown', markdown: T(`**${L.panel}${colon}**`) }), content({ kind: 'bullets', items: ds.transcripts.map((t) => T(t.label)) }));
    return out;
  }
  const heading = L.panelBy(lowerFirst(attributeLabel(ds, by)));
  out.push(content({ kind: 'markdown', markdown: T(`**${heading}${colon}**`) }));
  // A group per item, its respondents' labels as its sub-list.
  const items: string[] = [];
  for (const g of groupsOf(ds, by)) {
    if (g.transcripts.length === 0) continue;
    items.push([`${T(g.value === NONE ? L.none : g.label)} (${formatInteger(g.transcripts.length, language)})`, ...g.transcripts.map((t) => `  - ${T(t.label)}`)].join('\n'));
  }
  out.push(content({ kind: 'bullets', items }));
  return out;
}

export const methodologySection: SectionKindModule = {
  defaultTitle: { fr: 'Méthodologie', en: 'Methodology' },
  render: (section, ds, st, intro) => {
    st.pages++;
    return [...intro.map(markdownItem), ...methodology(section, ds, st)];
  },
};
