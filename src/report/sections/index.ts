/**
 * The registry of section kinds: one module per `kind:` of a plan. The kinds
 * are listed once, in `SECTION_KINDS` (project/model.ts), which the plan
 * parser reads; this table must give each a module (the compiler holds it to
 * that), and tests/unit/report-sections.test.ts holds the plan schema's list
 * to the same.
 */
import type { SectionKind } from '../../project/model.js';
import { coocSection } from './cooc.js';
import { matrixSection } from './matrix.js';
import { methodologySection } from './methodology.js';
import { profilesSection } from './profiles.js';
import { saturationSectionKind } from './saturation.js';
import type { SectionKindModule } from './state.js';
import { textSection } from './text.js';
import { themesSection } from './themes.js';

export const SECTIONS: Readonly<Record<SectionKind, SectionKindModule>> = {
  methodology: methodologySection,
  themes: themesSection,
  matrix: matrixSection,
  cooc: coocSection,
  saturation: saturationSectionKind,
  profiles: profilesSection,
  text: textSection,
};

export type { ReportState, SectionKindModule } from './state.js';
export { COOC_PAIRS } from './cooc.js';
export { periodOfDates } from './methodology.js';
