/** `cooc`: the pairs of codes most often together (c-coefficient). */
import { cooccurrence } from '../../analysis/cooccurrence.js';
import { codeLabel, selectCodes, type Dataset } from '../../analysis/dataset.js';
import type { Language, PlanSection } from '../../project/model.js';
import { content, markdownItem, type SectionItem } from '../document.js';
import { formatInteger } from '../typography.js';
import { listedCodes, unitOf } from './code-pages.js';
import type { ReportState, SectionKindModule } from './state.js';

/** How many pairs a `cooc` section shows, strongest first. */
export const COOC_PAIRS = 15;

function decimal(x: number, language: Language): string {
  const s = x.toFixed(2);
  return language === 'fr' ? s.replace('.', ',') : s;
}

function cooc(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const { L, T, language } = st;
  const unit = unitOf(section);
  const codebook = ds.codebook;
  // Listed codes stand for their leaves: a parent co-occurs with everything its children touch.
  const codes = section.codes.length > 0 && codebook ? selectCodes(codebook, listedCodes(section, ds)).filter((c) => (codebook.codes.get(c)?.children.length ?? 0) === 0) : undefined;
  const result = cooccurrence(ds, codes ? { codes } : {});
  const order = new Map(result.codes.map((c, i) => [c.code, i]));
  const pairs = result.pairs
    .filter((p) => p[unit].n12 > 0)
    .sort((a, b) => b[unit].c - a[unit].c || b[unit].n12 - a[unit].n12 || (order.get(a.a) ?? 0) - (order.get(b.a) ?? 0) || (order.get(a.b) ?? 0) - (order.get(b.b) ?? 0))
    .slice(0, COOC_PAIRS);
  if (pairs.length === 0) return [markdownItem(T(L.coocNone))];
  const rows = pairs.map((p) => [T(codeLabel(ds, p.a)), T(codeLabel(ds, p.b)), formatInteger(p[unit].n12, language), decimal(p[unit].c, language)]);
  return [content({ kind: 'table', head: L.coocHead.map(T), rows, align: ['l', 'l', 'r', 'r'] }), content({ kind: 'note', text: T(L.coocNote(unit)) })];
}

export const coocSection: SectionKindModule = {
  defaultTitle: { fr: 'Les thèmes qui vont ensemble', en: 'Themes that go together' },
  render: (section, ds, st, intro) => {
    st.pages++;
    return [...intro.map(markdownItem), ...cooc(section, ds, st)];
  },
};
