/** `matrix`: per `by` attribute, the code × value table (and bar charts), then the pages of the codes listed. */
import { crossTab, percent } from '../../analysis/crosstab.js';
import { attributeIds, NONE, type Dataset } from '../../analysis/dataset.js';
import { append, minOf } from '../../core/arrays.js';
import type { PlanSection } from '../../project/model.js';
import { markdownItem, type SectionItem } from '../document.js';
import { part } from '../pages.js';
import { formatInteger, formatPercent, lowerFirst } from '../typography.js';
import { codePages, listedCodes, unitOf } from './code-pages.js';
import type { ReportState, SectionKindModule } from './state.js';

function matrix(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const { L, T, language } = st;
  const out: SectionItem[] = [];
  if (section.by.length === 0) {
    st.warnings.push(`A \`matrix\` section${section.title ? ` (“${section.title}”)` : ''} has no \`by\`: name the attribute whose values make the columns.`);
  }
  const codes = listedCodes(section, ds);
  const unit = unitOf(section);
  for (const by of section.by) {
    if (!attributeIds(ds).includes(by)) continue;
    const tab = crossTab(ds, { by, ...(codes.length > 0 ? { codes } : {}), unit });
    const groups = tab.groups.filter((g) => g.n > 0 || g.value !== NONE);
    const head = [T(L.code), ...groups.map((g) => T(L.groupN(g.value === NONE ? L.none : g.label, formatInteger(g.n, language)))), T(L.groupN(L.total, formatInteger(tab.n, language)))];
    const shown = new Set(tab.rows.map((r) => r.code));
    const top = minOf(tab.rows.map((r) => r.depth));
    const rows = tab.rows.map((r) => {
      const label = T(r.label);
      const cells = groups.map((g) => (g.n === 0 ? '–' : `${formatInteger(r.counts[g.value] ?? 0, language)} (${formatPercent(r.counts[g.value] ?? 0, g.n, language)})`));
      return [r.depth === top ? `**${label}**` : label, ...cells, `${formatInteger(r.total, language)} (${formatPercent(r.total, tab.n, language)})`];
    });
    const parts = [part({ kind: 'table', head, rows, align: ['l', ...groups.map(() => 'r' as const), 'r'] }), part({ kind: 'note', text: T(L.matrixNote(unit)) })];
    if (section.chart) {
      const leaves = tab.rows.filter((r) => !(ds.codebook?.codes.get(r.code)?.children ?? []).some((c) => shown.has(c)));
      const charted = groups.filter((g) => g.n > 0);
      for (const r of leaves) {
        parts.push(
          part({
            kind: 'chart',
            chart: {
              title: T(r.label),
              labels: charted.map((g) => T(g.value === NONE ? L.none : g.label)),
              values: charted.map((g) => Math.round(percent(r.counts[g.value] ?? 0, g.n) ?? 0)),
              axis: T(unit === 'respondents' ? L.shareAxis : L.segmentShareAxis),
              max: 100,
            },
          }),
        );
      }
    }
    st.pages++;
    out.push({ kind: 'pages', title: T(L.breakdown(lowerFirst(tab.byLabel))), pages: [[{ parts }]] });
  }
  // The table's charts already show the codes by group: the pages do not repeat them.
  if (section.codes.length > 0) append(out, codePages(codes, section, ds, section.by, st, false));
  return out;
}

export const matrixSection: SectionKindModule = {
  defaultTitle: { fr: 'Les thèmes par profil', en: 'Themes by profile' },
  render: (section, ds, st, intro) => [...intro.map(markdownItem), ...matrix(section, ds, st)],
};
