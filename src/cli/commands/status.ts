/** `verbatim status`: what the project holds and how much of it is coded. */
import { maskDeep, redactorOf } from '../../core/redact.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
import { loadCoded, reportProblems } from '../shared.js';

export interface StatusOptions {
  json?: boolean;
}

/** The figures `status` prints. */
export interface StatusSummary {
  transcripts: number;
  segments: number;
  words: number;
  codebook: { id: string; codes: number; leaves: number } | null;
  codings: { total: number; auto: number; manual: number };
  /**
   * The review of the automatic codings (`verbatim review`): accepted (the paragraph carries the code by
   * hand too), rejected (`{!code}` removed it) and unreviewed, overall and per code.
   */
  review: { accepted: number; rejected: number; unreviewed: number; byCode: Record<string, { accepted: number; rejected: number; unreviewed: number }> };
  codedSegments: number;
  leavesUsed: number;
  attributes: string[];
  plans: string[];
  errors: number;
  warnings: number;
}

export async function status(options: StatusOptions, ctx: Context): Promise<ExitCode> {
  const { project, diagnostics } = loadCoded(ctx, {}, 'records');
  const segments = project.transcripts.reduce((n, t) => n + t.segmentCount, 0);
  const words = project.facts.words;
  const leaves = project.codebook ? [...project.codebook.codes.values()].filter((c) => c.children.length === 0) : [];
  // One pass over the codings, without a string per coding: 246,000 of them on 100 MB.
  const used = new Set<string>();
  const coded = new Map<string, Set<number>>();
  let auto = 0;
  for (const c of project.codings) {
    used.add(c.code);
    if (c.origin === 'auto') auto++;
    const segments = coded.get(c.transcript);
    if (segments) segments.add(c.segment);
    else coded.set(c.transcript, new Set([c.segment]));
  }
  let codedSegments = 0;
  for (const segments of coded.values()) codedSegments += segments.size;
  // Review: the automatic codings left are unreviewed; accepted ones are manual codings marked so.
  const review: StatusSummary['review'] = { accepted: 0, rejected: 0, unreviewed: 0, byCode: {} };
  for (const r of project.rejections) {
    review.rejected++;
    (review.byCode[r.code] ??= { accepted: 0, rejected: 0, unreviewed: 0 }).rejected++;
  }
  for (const c of project.codings) {
    if (c.origin !== 'auto' && !c.accepted) continue;
    const row = (review.byCode[c.code] ??= { accepted: 0, rejected: 0, unreviewed: 0 });
    if (c.accepted) {
      review.accepted++;
      row.accepted++;
    } else {
      review.unreviewed++;
      row.unreviewed++;
    }
  }
  const summary: StatusSummary = {
    transcripts: project.transcripts.length,
    segments,
    words,
    codebook: project.codebook ? { id: project.codebook.id, codes: project.codebook.codes.size, leaves: leaves.length } : null,
    codings: {
      total: project.codings.length,
      auto,
      manual: project.codings.length - auto,
    },
    review,
    codedSegments,
    leavesUsed: leaves.filter((c) => used.has(c.id)).length,
    attributes: (project.panel?.attributes ?? []).map((a) => a.id),
    plans: project.plans.map((p) => p.name),
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  const hasErrors = reportProblems(ctx, diagnostics);
  // Ids (the codebook's, attributes', plans') are printed as written: a redacted name in one is masked.
  const redactor = redactorOf(project);
  if (options.json) {
    ctx.io.stdout(`${JSON.stringify(maskDeep(summary, redactor), null, 2)}\n`);
  } else {
    ctx.io.stdout(redactor.mask(formatStatus(summary)));
  }
  return hasErrors ? EXIT.problems : EXIT.ok;
}

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (a: number, b: number): string => (b === 0 ? '0%' : `${Math.round((a / b) * 100)}%`);

export function formatStatus(s: StatusSummary): string {
  const lines = [
    `Transcripts  ${n(s.transcripts)} (${n(s.segments)} segments, ${n(s.words)} words of respondent text)`,
    `Codebook     ${s.codebook ? `${s.codebook.id}: ${n(s.codebook.codes)} codes, ${n(s.codebook.leaves)} leaves` : 'none'}`,
    `Codings      ${n(s.codings.total)} (${n(s.codings.auto)} automatic, ${n(s.codings.manual)} by hand)`,
    `Review       ${n(s.review.accepted + s.review.rejected)} of ${n(s.review.accepted + s.review.rejected + s.review.unreviewed)} automatic codings decided (${n(s.review.accepted)} accepted, ${n(s.review.rejected)} rejected), ${n(s.review.unreviewed)} to review (\`verbatim review\`; per code: --json)`,
    `Coverage     ${n(s.codedSegments)} of ${n(s.segments)} segments coded (${pct(s.codedSegments, s.segments)}); ${s.codebook ? `${n(s.leavesUsed)} of ${n(s.codebook.leaves)} leaf codes used` : ''}`,
    `Panel        ${s.attributes.length > 0 ? s.attributes.join(', ') : 'no attributes'}`,
    `Plans        ${s.plans.length > 0 ? s.plans.join(', ') : 'none'}`,
    `Check        ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
  ];
  return `${lines.join('\n')}\n`;
}
