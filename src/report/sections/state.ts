/**
 * What every section kind shares while a report renders: the plan, the
 * dataset, the language's words, the verbatim picker, and what the report has
 * gathered so far (pages, verbatims, warnings, the codes already stated).
 */
import type { Dataset } from '../../analysis/dataset.js';
import type { Language, Plan, PlanSection } from '../../project/model.js';
import type { SectionItem } from '../document.js';
import type { Labels } from '../labels.js';
import type { ProfileHit } from '../statement.js';
import type { Verbatim, VerbatimPicker } from '../verbatims.js';

/** The state of a report being rendered, shared by its sections. */
export interface ReportState {
  plan: Plan;
  ds: Dataset;
  language: Language;
  L: Labels;
  T: (s: string) => string;
  /** Masks the redacted strings (the whole report is masked once more at the end). */
  mask: (s: string) => string;
  picker: VerbatimPicker;
  budget: number;
  pages: number;
  verbatims: Verbatim[];
  warnings: string[];
  /** Every `by` of the plan, in plan order. */
  planBy: string[];
  /** The codes whose block (statement, verbatims) a section wrote: a later section does not state them again. */
  stated: Set<string>;
  /** The group each stated code was said to stand out in (or none): one code names one group in a report. */
  groupOf: Map<string, ProfileHit | undefined>;
}

/**
 * A section kind (`kind:` in a plan): its module renders it, and says its
 * title when the plan gives none. `sections/index.ts` lists them all.
 */
export interface SectionKindModule {
  /** The title of a section the plan leaves untitled, by language; none: such a section has no heading. */
  defaultTitle?: Record<Language, string>;
  /** A title from the section itself, before the default (a `themes` section of one code takes its label). */
  titleOf?: (section: PlanSection, st: ReportState) => string | undefined;
  /**
   * The section's items, under its heading: `intro` is the section's `text`,
   * typeset, block by block; `title` its typeset title, if any. Counts its pages
   * in `st.pages`.
   */
  render: (section: PlanSection, ds: Dataset, st: ReportState, intro: readonly string[], title: string | undefined) => SectionItem[];
}
