/**
 * The restitution report: a plan, a coded dataset → one Markdown document
 * that reads like a consultancy's restitution. Pure and deterministic: no
 * clock, no file, every list in a stated order.
 *
 * Layout:
 *
 * ```
 * # Title                      subtitle, author and period below it
 * ## Plan de la restitution    the numbered list of the sections (`toc: false` drops it)
 * ## 1. <section title>        one per section, numbered as in the plan
 * ### <page title> 1/3         pages of a section, split when long (pages.ts)
 * #### <sub-code label>        a code's block inside a page
 * ```
 *
 * Section kinds:
 *
 * - `methodology`: the plan's text, the number of interviews, the period (the
 *   plan's `period`, else the months of the interviews' dates) and the panel's
 *   pseudonymous labels grouped by the first `by` attribute.
 * - `themes`: a page per code listed (default: every top-level code): the
 *   code's synthesis bullets and quantified statement, then one block per
 *   sub-code in codebook order, each with its synthesis bullets, its statement
 *   (statement.ts) and its verbatims (verbatims.ts); `chart: true` adds a bar
 *   chart of the share of respondents per sub-code.
 * - `matrix`: per `by` attribute, the code × value table (respondents or
 *   segments, counts and %), with `chart: true` a bar chart per code; then the
 *   pages of the codes listed, as in `themes`, with groups taken from `by`.
 * - `cooc`: the pairs of codes most often together (c-coefficient).
 * - `saturation`: new codes per interview, a chart (unless `chart: false`)
 *   and the verdict.
 * - `profiles`: per `by` attribute (default every attribute), the codes that
 *   set each group apart, with the rule applied.
 * - `text`: the analyst's Markdown, split into pages at paragraph ends when long.
 *
 * Verbatims are not attributed: the model restitution quotes no one by name
 * or by profile, and with a dozen respondents a profile can be enough to
 * recognise a person. The panel is described once, by its labels, in the
 * methodology. Every redacted string is masked in the quotes (before they are
 * cleaned and escaped), in every text before typography and escaping, and, as
 * a last guard, in the whole document.
 */
import { filterDataset, type Dataset } from '../analysis/dataset.js';
import type { QuoteSource } from '../core/quote-source.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import type { Plan, PlanSection, Language } from '../project/model.js';
import type { QuoteStore } from './quote-texts.js';
import { labelsFor } from './labels.js';
import { generatedMarker } from './generated.js';
import type { DocSection, ReportDocument, SectionItem } from './document.js';
import { markdownBlocks } from './markdown.js';
import { renderMarkdown } from './render-markdown.js';
import { PAGE_WORDS } from './pages.js';
import { quoteFor } from './sections/code-pages.js';
import { SECTIONS, type ReportState } from './sections/index.js';
import { typography } from './typography.js';
import { VerbatimPicker, type Verbatim } from './verbatims.js';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** The language when the plan names none (the project's; default `fr`). */
  language?: Language;
  /** Masks the redacted strings in the whole report (none by default). */
  redactor?: Redactor;
  /** Words per page (default {@link PAGE_WORDS}). */
  pageWords?: number;
  /**
   * The texts to quote (filled while the corpus streams, so that the dataset
   * can hold compact records); by default, the dataset's own transcripts,
   * which must then be whole.
   */
  texts?: QuoteStore;
}

/** The report and what it holds. */
export interface ReportResult {
  /** The report as a format-neutral document, which each format renders. */
  document: ReportDocument;
  markdown: string;
  language: Language;
  /** Numbered sections. */
  sections: number;
  /** Pages: `###` headings, plus sections printed as a single page. */
  pages: number;
  verbatims: Verbatim[];
  /** Where each verbatim is in `markdown` (its line) and what it quotes, for the sources file (`core/quote-source.ts`). */
  sources: QuoteSource[];
  /** Things the analyst may want to fix (a code without synthesis, too few verbatims). */
  warnings: string[];
}

/** The report of a plan as Markdown (see {@link buildReport}). */
export function renderReport(plan: Plan, ds: Dataset, options: ReportOptions = {}): string {
  return buildReport(plan, ds, options).markdown;
}

/**
 * Renders a plan.
 *
 * @param plan
 *   The parsed plan.
 * @param ds
 *   The coded dataset (a `CodedProject` is one).
 * @param options
 *   Language fallback, strings to mask, page budget.
 */
export function buildReport(plan: Plan, ds: Dataset, options: ReportOptions = {}): ReportResult {
  const language = plan.language ?? options.language ?? 'fr';
  const redactor = options.redactor ?? createRedactor([]);
  const mask = redactor.mask;
  const st: ReportState = {
    plan,
    ds,
    language,
    L: labelsFor(language),
    // Masked before typography, which puts no-break spaces and quote marks inside a name.
    T: (s) => typography(mask(s), language),
    mask,
    picker: new VerbatimPicker(ds, { redactor, language: ds.codebook?.language ?? language, ...(options.texts ? { texts: options.texts } : {}) }),
    budget: options.pageWords ?? PAGE_WORDS,
    pages: 0,
    verbatims: [],
    warnings: [],
    planBy: [...new Set(plan.sections.flatMap((s) => s.by))],
    stated: new Set(),
    groupOf: new Map(),
  };
  const document = buildDocument(plan, st);
  const markdown = renderMarkdown(document, mask);
  const unreviewed = unreviewedQuotes(st.verbatims);
  if (unreviewed.length > 0) {
    const shown = unreviewed.slice(0, 5).map((v) => `${v.transcript}:${v.segment} (${v.code})`);
    st.warnings.push(
      `${unreviewed.length} verbatim${unreviewed.length === 1 ? ' quotes an automatic coding' : 's quote automatic codings'} nobody has reviewed: ${shown.join(', ')}${unreviewed.length > shown.length ? ` and ${unreviewed.length - shown.length} more` : ''}. Review ${unreviewed.length === 1 ? 'it' : 'them'} (\`verbatim review\`), or set \`quotes: reviewed\` in the plan.`,
    );
  }
  return { document, markdown, language, sections: document.sections.filter((s) => s.number !== undefined).length, pages: st.pages, verbatims: st.verbatims, sources: sourcesOf(markdown, st), warnings: st.warnings };
}

/** The line of each verbatim in the finished report, in order (a quote is one line, `> « … »`, masked as the report is). */
function sourcesOf(markdown: string, st: ReportState): QuoteSource[] {
  const lines = markdown.split('\n');
  const out: QuoteSource[] = [];
  let at = 0;
  for (const v of st.verbatims) {
    const wanted = st.mask(`> ${quoteFor(v, st)}`).replace(/[ \t]+$/u, '');
    let i = lines.indexOf(wanted, at);
    if (i < 0) i = lines.indexOf(wanted);
    if (i < 0) continue;
    out.push({ line: i + 1, transcript: v.transcript, segment: v.segment, code: v.code });
    at = i + 1;
  }
  return out;
}

/** The verbatims taken from an automatic coding nobody reviewed (an accepted one is a manual coding: `mergeAccepted`). */
export function unreviewedQuotes(verbatims: readonly Verbatim[]): Verbatim[] {
  return verbatims.filter((v) => v.tier === 2);
}

/** The typeset title of a section: the plan's, its kind's own, or its kind's default; undefined for an untitled `text` section. */
function sectionTitle(section: PlanSection, st: ReportState): string | undefined {
  if (section.title) return st.T(section.title);
  const kind = SECTIONS[section.kind];
  const own = kind.titleOf?.(section, st);
  if (own !== undefined) return own;
  return kind.defaultTitle ? st.T(kind.defaultTitle[st.language]) : undefined;
}

/** The plan rendered once, as a format-neutral document (document.ts). */
function buildDocument(plan: Plan, st: ReportState): ReportDocument {
  const titled = plan.sections.map((s) => sectionTitle(s, st));
  let number = 0;
  const sections: DocSection[] = plan.sections.map((section, i) => {
    const title = titled[i];
    const items = renderSection(section, title, st);
    return title === undefined ? { kind: section.kind, items } : { kind: section.kind, number: ++number, title, items };
  });
  return {
    // The marker first: `verbatim report` replaces a file without --force only when it carries one.
    marker: generatedMarker(plan.file),
    title: st.T(plan.title),
    ...(plan.subtitle ? { subtitle: st.T(plan.subtitle) } : {}),
    ...(plan.author ? { author: st.T(plan.author) } : {}),
    ...(plan.period ? { period: st.T(plan.period) } : {}),
    ...(plan.toc ? { toc: { title: st.T(st.L.toc), items: titled.filter((t): t is string => t !== undefined) } } : {}),
    continued: st.L.continued,
    sections,
  };
}

function renderSection(section: PlanSection, title: string | undefined, st: ReportState): SectionItem[] {
  const ds = section.origin === 'auto' || section.origin === 'manual' ? filterDataset(st.ds, { origin: section.origin }) : st.ds;
  const intro = markdownBlocks(section.text).map(st.T);
  return SECTIONS[section.kind].render(section, ds, st, intro, title);
}

export { COOC_PAIRS, periodOfDates } from './sections/index.js';
