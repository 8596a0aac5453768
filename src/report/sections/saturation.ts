/** `saturation`: new codes per interview, a chart (unless `chart: false`) and the verdict. */
import type { Dataset } from '../../analysis/dataset.js';
import { saturation, saturationStatement } from '../../analysis/saturation.js';
import type { PlanSection } from '../../project/model.js';
import { content, markdownItem, type SectionItem } from '../document.js';
import { formatInteger } from '../typography.js';
import type { ReportState, SectionKindModule } from './state.js';

function saturationSection(section: PlanSection, ds: Dataset, st: ReportState): SectionItem[] {
  const { L, T, language } = st;
  const s = saturation(ds);
  const rows = s.steps.map((x) => [x.transcript, x.date ?? '–', formatInteger(x.new, language), formatInteger(x.cumulative, language)]);
  const out = [content({ kind: 'table', head: L.saturationHead.map(T), rows, align: ['l', 'l', 'r', 'r'] })];
  if (section.chart !== false && s.steps.length > 0) {
    out.push(
      content({
        kind: 'chart',
        chart: {
          labels: s.steps.map((x) => x.transcript),
          values: s.steps.map((x) => x.new),
          line: s.steps.map((x) => x.cumulative),
          names: { bars: T(L.saturationHead[2]), line: T(L.saturationHead[3]) },
          axis: L.saturationAxis,
        },
      }),
    );
  }
  out.push(content({ kind: 'note', text: T(saturationStatement(s, language)) }));
  return out;
}

export const saturationSectionKind: SectionKindModule = {
  defaultTitle: { fr: 'La saturation thématique', en: 'Thematic saturation' },
  render: (section, ds, st, intro) => {
    st.pages++;
    return [...intro.map(markdownItem), ...saturationSection(section, ds, st)];
  },
};
