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
import { crossTab, percent } from '../analysis/crosstab.js';
import { cooccurrence } from '../analysis/cooccurrence.js';
import { attributeIds, attributeLabel, codeLabel, filterDataset, groupsOf, lineage, NONE, selectCodes, type Dataset, type Unit } from '../analysis/dataset.js';
import { distinctiveCodes, distinctiveRuleStatement } from '../analysis/distinctive.js';
import { saturation, saturationStatement } from '../analysis/saturation.js';
import { append, minOf } from '../core/arrays.js';
import type { QuoteSource } from '../core/quote-source.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import type { Code, Language, Plan, PlanSection } from '../project/model.js';
import type { QuoteStore } from './quote-texts.js';
import { labelsFor, type Labels } from './labels.js';
import { generatedMarker } from './generated.js';
import { bulletList, listItems, markdownBlocks, table } from './markdown.js';
import { barChart } from './mermaid.js';
import { paginate, part, PAGE_WORDS, renderPages, type Block } from './pages.js';
import { quantifiedStatement, respondentCounts, standingOut, type ProfileHit } from './statement.js';
import { formatInteger, formatPercent, lowerFirst, quoteMarks, typography } from './typography.js';
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

interface State {
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
  const st: State = {
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
  // The marker first: `verbatim report` replaces a file without --force only when it carries one.
  const out: string[] = [generatedMarker(plan.file), `# ${st.T(plan.title)}`];
  if (plan.subtitle) out.push(st.T(plan.subtitle));
  if (plan.author) out.push(st.T(plan.author));
  if (plan.period) out.push(st.T(plan.period));

  const titled = plan.sections.map((s) => sectionTitle(s, st));
  if (plan.toc) {
    const items = titled.filter((t): t is string => t !== undefined).map((t, i) => `${i + 1}. ${t}`);
    if (items.length > 0) out.push(`## ${st.T(st.L.toc)}`, items.join('\n'));
  }
  let number = 0;
  plan.sections.forEach((section, i) => {
    const title = titled[i];
    if (title !== undefined) {
      number++;
      out.push(`## ${number}. ${title}`);
    }
    const body = renderSection(section, title, st);
    if (body !== '') out.push(body);
  });
  // Spaces at line ends: a run is tried from its start only (from each of its spaces, it was quadratic).
  const markdown = `${mask(out.join('\n\n'))
    .replace(/(?<![ \t])[ \t]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trimEnd()}\n`;
  const unreviewed = unreviewedQuotes(st.verbatims);
  if (unreviewed.length > 0) {
    const shown = unreviewed.slice(0, 5).map((v) => `${v.transcript}:${v.segment} (${v.code})`);
    st.warnings.push(
      `${unreviewed.length} verbatim${unreviewed.length === 1 ? ' quotes an automatic coding' : 's quote automatic codings'} nobody has reviewed: ${shown.join(', ')}${unreviewed.length > shown.length ? ` and ${unreviewed.length - shown.length} more` : ''}. Review ${unreviewed.length === 1 ? 'it' : 'them'} (\`verbatim review\`), or set \`quotes: reviewed\` in the plan.`,
    );
  }
  return { markdown, language, sections: number, pages: st.pages, verbatims: st.verbatims, sources: sourcesOf(markdown, st), warnings: st.warnings };
}

/** The line of each verbatim in the finished report, in order (a quote is one line, `> « … »`, masked as the report is). */
function sourcesOf(markdown: string, st: State): QuoteSource[] {
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

/** The typeset title of a section, or undefined for an untitled `text` section. */
function sectionTitle(section: PlanSection, st: State): string | undefined {
  if (section.title) return st.T(section.title);
  if (section.kind === 'text') return undefined;
  if (section.kind === 'themes' && section.codes.length === 1) return st.T(codeLabel(st.ds, section.codes[0] as string));
  return st.T(st.L.defaultTitle[section.kind]);
}

function renderSection(section: PlanSection, title: string | undefined, st: State): string {
  const ds = section.origin === 'auto' || section.origin === 'manual' ? filterDataset(st.ds, { origin: section.origin }) : st.ds;
  const intro = markdownBlocks(section.text).map(st.T);
  switch (section.kind) {
    case 'methodology':
      st.pages++;
      return [...intro, ...methodology(section, ds, st)].join('\n\n');
    case 'text':
      return textPages(intro, title, st);
    case 'themes':
      return [...intro, ...themes(section, ds, st)].join('\n\n');
    case 'matrix':
      return [...intro, ...matrix(section, ds, st)].join('\n\n');
    case 'cooc':
      st.pages++;
      return [...intro, ...cooc(section, ds, st)].join('\n\n');
    case 'saturation':
      st.pages++;
      return [...intro, ...saturationSection(section, ds, st)].join('\n\n');
    case 'profiles':
      return [...intro, ...profiles(section, ds, st)].join('\n\n');
  }
}

// ─── methodology ───────────────────────────────────────────────────────────

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

function methodology(section: PlanSection, ds: Dataset, st: State): string[] {
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
  const out = [bulletList(facts.map(T))];
  const by = section.by[0];
  if (by === undefined) {
    out.push(T(`**${L.panel}${colon}**`), bulletList(ds.transcripts.map((t) => T(t.label))));
    return out;
  }
  const heading = L.panelBy(lowerFirst(attributeLabel(ds, by)));
  out.push(T(`**${heading}${colon}**`));
  const lines: string[] = [];
  for (const g of groupsOf(ds, by)) {
    if (g.transcripts.length === 0) continue;
    lines.push(`- ${T(g.value === NONE ? L.none : g.label)} (${formatInteger(g.transcripts.length, language)})`);
    for (const t of g.transcripts) lines.push(`  - ${T(t.label)}`);
  }
  out.push(lines.join('\n'));
  return out;
}

// ─── themes ────────────────────────────────────────────────────────────────

/** The codes listed, or every top-level code; unknown codes are left out (check reports them). */
function listedCodes(section: PlanSection, ds: Dataset): string[] {
  const codebook = ds.codebook;
  if (!codebook) return [];
  return section.codes.length > 0 ? section.codes.filter((c) => codebook.codes.has(c)) : [...codebook.roots];
}

/** The descendants of a code, in codebook order. */
function descendants(ds: Dataset, code: string): Code[] {
  const codebook = ds.codebook;
  if (!codebook) return [];
  return [...codebook.codes.values()].filter((c) => c.id !== code && lineage(codebook, c.id).includes(code));
}

function themes(section: PlanSection, ds: Dataset, st: State): string[] {
  const codes = listedCodes(section, ds);
  const attributes = section.by.length > 0 ? section.by : st.planBy.length > 0 ? st.planBy : attributeIds(ds);
  return codePages(codes, section, ds, attributes, st, Boolean(section.chart));
}

/**
 * One page (or several, numbered) per code: the code's block, then one block
 * per descendant. A code an earlier section stated (a `themes` page, then a
 * `matrix` listing it) is not stated again, and a code names the group it
 * stands out in once for the whole report.
 */
function codePages(codes: readonly string[], section: PlanSection, ds: Dataset, attributes: readonly string[], st: State, chart: boolean): string[] {
  const { counts, n } = respondentCounts(ds);
  const found = standingOut(ds, codes, attributes.filter((a) => attributeIds(ds).includes(a)));
  const hits = new Map<string, ProfileHit>();
  for (const code of codes.length === 0 ? [] : selectCodes(ds.codebook, codes)) {
    if (!st.groupOf.has(code)) st.groupOf.set(code, found.get(code));
    const hit = st.groupOf.get(code);
    if (hit) hits.set(code, hit);
  }
  const wanted = section.verbatims ?? st.plan.verbatims;
  const reviewed = (section.quotes ?? st.plan.quotes ?? 'all') === 'reviewed';
  const out: string[] = [];
  for (const code of codes) {
    if (st.stated.has(code)) continue;
    st.stated.add(code);
    for (const sub of descendants(ds, code)) st.stated.add(sub.id);
    const entry = ds.codebook?.codes.get(code) as Code;
    const subs = descendants(ds, code);
    const blocks: Block[] = [codeBlock(entry, undefined, { counts, n, hits, wanted, reviewed, ds, st })];
    if (chart && subs.length > 0) {
      const children = subs.filter((c) => c.parent === code);
      (blocks[0] as Block).parts.push({
        markdown: barChart({
          title: st.T(entry.label),
          labels: children.map((c) => st.T(c.label)),
          values: children.map((c) => Math.round(percent(counts.get(c.id) ?? 0, n) ?? 0)),
          axis: st.T(st.L.shareAxis),
          max: 100,
        }),
        words: 0,
      });
    }
    for (const sub of subs) {
      const level = Math.min(6, 4 + sub.depth - entry.depth - 1);
      blocks.push(codeBlock(sub, `${'#'.repeat(level)} ${st.T(sub.label)}`, { counts, n, hits, wanted, reviewed, ds, st }));
    }
    const pages = paginate(blocks, st.budget, st.L.continued);
    st.pages += pages.length;
    out.push(renderPages(st.T(entry.label), pages));
  }
  return out;
}

interface BlockContext {
  counts: Map<string, number>;
  n: number;
  hits: Map<string, ProfileHit>;
  wanted: number;
  /** Quote only codings a researcher made or accepted (`quotes: reviewed`). */
  reviewed: boolean;
  ds: Dataset;
  st: State;
}

/** A code's block: synthesis bullets, statement, verbatims. */
function codeBlock(code: Code, heading: string | undefined, bc: BlockContext): Block {
  const { st } = bc;
  const parts = [];
  const items = listItems(code.synthesis);
  if (items.length > 0) parts.push(part(bulletList(items.map(st.T))));
  else st.warnings.push(`Code \`${code.id}\` has no \`synthesis\` in the codebook: its part of the report has no bullets.`);
  parts.push(part(`*${st.T(quantifiedStatement(bc.counts.get(code.id) ?? 0, bc.n, bc.hits.get(code.id), st.language))}*`));
  const quotes = st.picker.pick(bc.ds, code.id, bc.wanted, { reviewed: bc.reviewed });
  append(st.verbatims, quotes);
  if (code.children.length === 0 && quotes.length < bc.wanted && (bc.counts.get(code.id) ?? 0) > 0) {
    st.warnings.push(`Code \`${code.id}\`: ${quotes.length} verbatim${quotes.length === 1 ? '' : 's'} of the ${bc.wanted} asked (too few ${bc.reviewed ? 'reviewed ' : ''}coded excerpts of 15 to 80 words, or already quoted).`);
  }
  for (const q of quotes) parts.push(part(`> ${quoteFor(q, st)}`));
  return { ...(heading ? { heading } : {}), parts };
}

function quoteFor(v: Verbatim, st: State): string {
  // The text is escaped and masked already: only the quote marks and typography remain.
  return quoteMarks(v.text, st.language);
}

// ─── matrix ────────────────────────────────────────────────────────────────

function unitOf(section: PlanSection): Unit {
  return section.unit ?? 'respondents';
}

function matrix(section: PlanSection, ds: Dataset, st: State): string[] {
  const { L, T, language } = st;
  const out: string[] = [];
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
    const parts = [part(table(head, rows, ['l', ...groups.map(() => 'r' as const), 'r'])), part(`*${T(L.matrixNote(unit))}*`)];
    if (section.chart) {
      const leaves = tab.rows.filter((r) => !(ds.codebook?.codes.get(r.code)?.children ?? []).some((c) => shown.has(c)));
      const charted = groups.filter((g) => g.n > 0);
      for (const r of leaves) {
        parts.push({
          markdown: barChart({
            title: T(r.label),
            labels: charted.map((g) => T(g.value === NONE ? L.none : g.label)),
            values: charted.map((g) => Math.round(percent(r.counts[g.value] ?? 0, g.n) ?? 0)),
            axis: T(unit === 'respondents' ? L.shareAxis : L.segmentShareAxis),
            max: 100,
          }),
          words: 0,
        });
      }
    }
    st.pages++;
    out.push(renderPages(T(L.breakdown(lowerFirst(tab.byLabel))), [[{ parts }]]));
  }
  // The table's charts already show the codes by group: the pages do not repeat them.
  if (section.codes.length > 0) append(out, codePages(codes, section, ds, section.by, st, false));
  return out;
}

// ─── cooc ──────────────────────────────────────────────────────────────────

/** How many pairs a `cooc` section shows, strongest first. */
export const COOC_PAIRS = 15;

function decimal(x: number, language: Language): string {
  const s = x.toFixed(2);
  return language === 'fr' ? s.replace('.', ',') : s;
}

function cooc(section: PlanSection, ds: Dataset, st: State): string[] {
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
  if (pairs.length === 0) return [T(L.coocNone)];
  const rows = pairs.map((p) => [T(codeLabel(ds, p.a)), T(codeLabel(ds, p.b)), formatInteger(p[unit].n12, language), decimal(p[unit].c, language)]);
  return [table(L.coocHead.map(T), rows, ['l', 'l', 'r', 'r']), `*${T(L.coocNote(unit))}*`];
}

// ─── saturation ────────────────────────────────────────────────────────────

function saturationSection(section: PlanSection, ds: Dataset, st: State): string[] {
  const { L, T, language } = st;
  const s = saturation(ds);
  const rows = s.steps.map((x) => [x.transcript, x.date ?? '–', formatInteger(x.new, language), formatInteger(x.cumulative, language)]);
  const out = [table(L.saturationHead.map(T), rows, ['l', 'l', 'r', 'r'])];
  if (section.chart !== false && s.steps.length > 0) {
    out.push(
      barChart({
        labels: s.steps.map((x) => x.transcript),
        values: s.steps.map((x) => x.new),
        line: s.steps.map((x) => x.cumulative),
        axis: L.saturationAxis,
      }),
    );
  }
  out.push(`*${T(saturationStatement(s, language))}*`);
  return out;
}

// ─── profiles ──────────────────────────────────────────────────────────────

function profiles(section: PlanSection, ds: Dataset, st: State): string[] {
  const { L, T, language } = st;
  const unit = unitOf(section);
  const codes = listedCodes(section, ds);
  const out: string[] = [];
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
        return part(`**${T(L.groupN(g.label, formatInteger(g.n, language)))}**\n\n${lines.length > 0 ? bulletList(lines) : T(L.profileNone)}`);
      });
    parts.push(part(`*${T(distinctiveRuleStatement(result.rule, language))}*`));
    const pages = paginate([{ parts }], st.budget, L.continued);
    st.pages += pages.length;
    out.push(renderPages(T(L.profilesTitle(lowerFirst(result.byLabel))), pages));
  }
  return out;
}

// ─── text ──────────────────────────────────────────────────────────────────

function textPages(blocks: readonly string[], title: string | undefined, st: State): string {
  if (blocks.length === 0) return '';
  const pages = paginate(
    blocks.map((b) => ({ parts: [part(b)] })),
    st.budget,
    st.L.continued,
  );
  st.pages += pages.length;
  if (pages.length === 1 || title === undefined) return blocks.join('\n\n');
  return renderPages(title, pages);
}
