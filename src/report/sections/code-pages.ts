/**
 * The pages of codes, as `themes` and `matrix` sections give them: for each
 * code a page (or several, numbered), with its block (synthesis bullets,
 * quantified statement, verbatims) and one block per descendant.
 */
import { percent } from '../../analysis/crosstab.js';
import { attributeIds, lineage, selectCodes, type Dataset, type Unit } from '../../analysis/dataset.js';
import { append } from '../../core/arrays.js';
import type { Code, PlanSection } from '../../project/model.js';
import type { Block, Heading, SectionItem } from '../document.js';
import { listItems } from '../markdown.js';
import { paginate, part } from '../pages.js';
import { quantifiedStatement, respondentCounts, standingOut, type ProfileHit } from '../statement.js';
import { quoteMarks } from '../typography.js';
import type { Verbatim } from '../verbatims.js';
import type { ReportState } from './state.js';

/** The codes listed, or every top-level code; unknown codes are left out (check reports them). */
export function listedCodes(section: PlanSection, ds: Dataset): string[] {
  const codebook = ds.codebook;
  if (!codebook) return [];
  return section.codes.length > 0 ? section.codes.filter((c) => codebook.codes.has(c)) : [...codebook.roots];
}

/** The descendants of a code, in codebook order. */
export function descendants(ds: Dataset, code: string): Code[] {
  const codebook = ds.codebook;
  if (!codebook) return [];
  return [...codebook.codes.values()].filter((c) => c.id !== code && lineage(codebook, c.id).includes(code));
}


/**
 * One page (or several, numbered) per code: the code's block, then one block
 * per descendant. A code an earlier section stated (a `themes` page, then a
 * `matrix` listing it) is not stated again, and a code names the group it
 * stands out in once for the whole report.
 */
export function codePages(codes: readonly string[], section: PlanSection, ds: Dataset, attributes: readonly string[], st: ReportState, chart: boolean): SectionItem[] {
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
  const out: SectionItem[] = [];
  for (const code of codes) {
    if (st.stated.has(code)) continue;
    const entry = ds.codebook?.codes.get(code) as Code;
    const subs = descendants(ds, code);
    st.stated.add(code);
    for (const sub of subs) st.stated.add(sub.id);
    const blocks: Block[] = [codeBlock(entry, undefined, { counts, n, hits, wanted, reviewed, ds, st })];
    if (chart && subs.length > 0) {
      const children = subs.filter((c) => c.parent === code);
      (blocks[0] as Block).parts.push(
        part({
          kind: 'chart',
          chart: {
            title: st.T(entry.label),
            labels: children.map((c) => st.T(c.label)),
            values: children.map((c) => Math.round(percent(counts.get(c.id) ?? 0, n) ?? 0)),
            axis: st.T(st.L.shareAxis),
            max: 100,
          },
        }),
      );
    }
    for (const sub of subs) {
      const level = Math.min(6, 4 + sub.depth - entry.depth - 1);
      blocks.push(codeBlock(sub, { level, text: st.T(sub.label) }, { counts, n, hits, wanted, reviewed, ds, st }));
    }
    const pages = paginate(blocks, st.budget, st.L.continued);
    st.pages += pages.length;
    out.push({ kind: 'pages', title: st.T(entry.label), pages });
  }
  return out;
}

export interface BlockContext {
  counts: Map<string, number>;
  n: number;
  hits: Map<string, ProfileHit>;
  wanted: number;
  /** Quote only codings a researcher made or accepted (`quotes: reviewed`). */
  reviewed: boolean;
  ds: Dataset;
  st: ReportState;
}

/** A code's block: synthesis bullets, statement, verbatims. */
export function codeBlock(code: Code, heading: Heading | undefined, bc: BlockContext): Block {
  const { st } = bc;
  const parts = [];
  const items = listItems(code.synthesis);
  if (items.length > 0) parts.push(part({ kind: 'bullets', items: items.map(st.T) }));
  else st.warnings.push(`Code \`${code.id}\` has no \`synthesis\` in the codebook: its part of the report has no bullets.`);
  parts.push(part({ kind: 'statement', text: st.T(quantifiedStatement(bc.counts.get(code.id) ?? 0, bc.n, bc.hits.get(code.id), st.language)) }));
  const quotes = st.picker.pick(bc.ds, code.id, bc.wanted, { reviewed: bc.reviewed });
  append(st.verbatims, quotes);
  if (code.children.length === 0 && quotes.length < bc.wanted && (bc.counts.get(code.id) ?? 0) > 0) {
    st.warnings.push(`Code \`${code.id}\`: ${quotes.length} verbatim${quotes.length === 1 ? '' : 's'} of the ${bc.wanted} asked (too few ${bc.reviewed ? 'reviewed ' : ''}coded excerpts of 15 to 80 words, or already quoted).`);
  }
  for (const q of quotes) parts.push(part({ kind: 'verbatim', text: quoteFor(q, st), source: q }));
  return { ...(heading ? { heading } : {}), parts };
}

export function quoteFor(v: Verbatim, st: ReportState): string {
  // The text is escaped and masked already: only the quote marks and typography remain.
  return quoteMarks(v.text, st.language);
}

export function unitOf(section: PlanSection): Unit {
  return section.unit ?? 'respondents';
}
