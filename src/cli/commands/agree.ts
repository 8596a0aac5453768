/**
 * `verbatim agree A B [C …]`: intercoder agreement between copies of the same
 * corpus coded by different people; `verbatim agree --auto`: the keywords
 * measured against the manual coding of one project.
 *
 * Alignment: segments are paired by transcript id and segment number. A
 * transcript missing from a folder, or with a different number of segments,
 * cannot be paired safely: it is left out with a warning (and listed in the
 * output). A segment whose words differ between folders (a typo fixed on one
 * branch) is still paired, with a warning.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';

/** Bold for headings when colour is on: decided by the command (`ctx.color`), not by chalk's look at a stream (a worker thread's is no terminal). */
const bold = new Chalk({ level: 1 }).bold;
import Table from 'cli-table3';
import { alignCoders, binaryAgreement, familyAgreement, subtree, type Alignment, type BinaryAgreement, type FamilyAgreement, type Measure, type Mismatch, type OriginFilter } from '../../analysis/agreement.js';
import { autoVsManual, type AutoVsManual, type Miss } from '../../analysis/auto-vs-manual.js';
import { minOf } from '../../core/arrays.js';
import { tally, type Diagnostic } from '../../core/diagnostic.js';
import { maskDeep, redactorOf, type Redactor } from '../../core/redact.js';
import { didYouMean } from '../../core/suggest.js';
import type { CodedProject } from '../../engine/pipeline.js';
import { stylish } from '../../formatters/index.js';
import type { Codebook } from '../../project/model.js';
import { locationOf } from '../../project/transcript.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { loadCoded, reportProblems } from '../shared.js';
import { fitColumns } from './analysis-shared.js';

/** Options of `verbatim agree`. */
export interface AgreeOptions {
  auto?: boolean;
  origin?: string;
  family?: string;
  code?: string[];
  details?: boolean;
  json?: boolean;
}

/** How long the beginning of a segment's text is, in the outputs. */
const EXCERPT = 70;

/**
 * Runs `verbatim agree`.
 *
 * @param folders
 *   Project folders, relative to the current directory: two or more, or at
 *   most one with `--auto` (default: the project).
 * @param options
 *   The command's options.
 * @param ctx
 *   The CLI context.
 * @returns
 *   0, 1 when a folder has errors, 2 for usage errors (thrown).
 */
export async function agree(folders: readonly string[], options: AgreeOptions, ctx: Context): Promise<ExitCode> {
  const origin = options.origin ?? 'all';
  if (origin !== 'all' && origin !== 'manual') throw new UsageError(`--origin takes \`all\` or \`manual\`, not \`${origin}\`.`);
  if (options.auto) {
    if (folders.length > 1) throw new UsageError('--auto compares the keywords with the manual coding of one project: give at most one folder (default: the project).');
    if (options.family) throw new UsageError('--family and --auto do not go together: --auto reports per code.');
    if (options.origin) throw new UsageError('--origin does not apply to --auto, which compares the two origins.');
    return agreeAuto(folders[0], options, ctx);
  }
  if (options.family && (options.code?.length ?? 0) > 0) throw new UsageError('--code does not apply to --family, which compares the children of one code.');
  if (folders.length < 2) {
    throw new UsageError(
      folders.length === 0
        ? 'Give two or more project folders coded by different people (`verbatim agree ../alice ../bob`), or use --auto to compare the keywords with the manual coding.'
        : 'Give at least two project folders to compare: the same transcripts coded by different people.',
    );
  }
  const coders = folders.map((f, i) => ({ label: coderLabel(i), folder: f, root: folderOf(ctx, f) }));
  const loaded: CodedProject[] = [];
  let failed = false;
  for (const c of coders) {
    const { project, diagnostics } = loadCoded({ ...ctx, root: c.root });
    if (reportFolder(ctx, diagnostics, c.folder, c.label)) failed = true;
    loaded.push(project);
  }
  if (failed) {
    ctx.io.stderr('Fix these errors first: figures computed on a broken project would be wrong.\n');
    return EXIT.problems;
  }
  const codebook = (loaded[0] as CodedProject).codebook;
  // A missing or broken codebook is an error reported above; this guards the type.
  if (!codebook) throw new UsageError(`${coders[0]?.folder} has no usable codebook.`);
  const codes = selectCodes(codebook, options.code ?? []);
  const alignment = alignCoders(loaded, codebook, origin);
  const labels = coders.map((c) => c.label);
  // Every copy's redactions: a name one coder's copy redacts is masked in the others' too.
  const redactor = redactorOf({ redact: loaded.flatMap((p) => p.redact), transcripts: loaded.flatMap((p) => p.transcripts) });
  warnAlignment(ctx, alignment, labels, redactor);
  if (alignment.segments.length === 0) throw new UsageError('The folders have no transcript in common with the same segments: nothing to compare.');
  const text = textOf(redactor);
  const setup: Setup = { coders, origin, alignment, text, redactor, locate: locatorOf(loaded[0] as CodedProject, (coders[0] as Coder).root, ctx) };

  if (options.family) {
    const family = codebook.codes.get(options.family);
    if (!family) throw new UsageError(`--family: no code \`${options.family}\` in ${coders[0]?.label}'s codebook${didYouMean(options.family, codebook.codes.keys())}.`);
    if (family.children.length === 0) throw new UsageError(`--family: \`${options.family}\` has no children; give a code whose children are the categories.`);
    const result = familyAgreement(alignment, codebook, options.family);
    const several = result.multiple.map((m) => `warning: ${m.transcript}:${m.segment}: ${labels[m.coder]} applied several codes of the family (${m.codes.join(', ')}); the value is their combination.`);
    for (const l of several.slice(0, MAX_WARNINGS)) ctx.io.stderr(`${redactor.mask(l)}\n`);
    if (several.length > MAX_WARNINGS) ctx.io.stderr(`… and ${several.length - MAX_WARNINGS} more (see \`multiple\` in --json).\n`);
    ctx.io.stdout(options.json ? `${JSON.stringify(maskDeep(familyJson(result, setup), setup.redactor), null, 2)}\n` : setup.redactor.mask(renderFamily(result, setup, ctx)));
    return EXIT.ok;
  }
  const result = binaryAgreement(alignment, codebook, codes);
  ctx.io.stdout(options.json ? `${JSON.stringify(maskDeep(binaryJson(result, codebook, setup), setup.redactor), null, 2)}\n` : setup.redactor.mask(renderBinary(result, codebook, setup, ctx)));
  return EXIT.ok;
}

interface Coder {
  label: string;
  folder: string;
  root: string;
}

interface Setup {
  coders: Coder[];
  origin: OriginFilter;
  alignment: Alignment;
  /** The masked beginning of a text. */
  text: (s: string) => string;
  /** What every output is masked with (ids and values too, which are printed as written). */
  redactor: Redactor;
  /** Where a segment is in the first copy's file, as a terminal opens it (`../alice/corpus/T03.md:12`). */
  locate: Locate;
}

/** Where segment `segment` of a transcript is in its file, from the current folder: `corpus/T03.md:12` ('' when unknown). */
type Locate = (transcript: string, segment: number) => string;

/** The {@link Locate} of a project loaded whole, whose folder is `root`. */
function locatorOf(project: CodedProject, root: string, ctx: Context): Locate {
  const files = new Map(project.files.map((f) => [f.path, f]));
  const byId = new Map(project.transcripts.map((t) => [t.id, t]));
  const folder = path.relative(ctx.io.cwd, root);
  return (id, n) => {
    const t = byId.get(id);
    const file = t && files.get(t.file);
    const segment = t?.segments[n - 1];
    if (!t || !file || !segment) return '';
    const at = locationOf(t, file, segment.start);
    return folder === '' ? at : `${folder.split(path.sep).join('/')}/${at}`;
  };
}

/**
 * Like `reportProblems`, for a folder other than the project: its errors under
 * a heading (their paths are relative to the folder), or a pointer to its
 * warnings. Returns true when it has errors.
 */
function reportFolder(ctx: Context, diagnostics: readonly Diagnostic[], folder: string, label?: string): boolean {
  const name = label ? `${label} (${folder})` : folder;
  const t = tally(diagnostics);
  if (t.errors > 0) {
    ctx.io.stderr(`Errors in ${name}:\n`);
    ctx.io.stderr(stylish(diagnostics.filter((d) => d.severity === 'error'), { color: ctx.colorErr }));
    return true;
  }
  if (t.warnings > 0) ctx.io.stderr(`${name}: ${plural(t.warnings, 'warning')}: run \`verbatim check -p ${folder}\` to see ${t.warnings === 1 ? 'it' : 'them'}.\n`);
  return false;
}

/** A, B, C… for the coders (C27, C28… past Z). */
function coderLabel(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `C${i + 1}`;
}

function folderOf(ctx: Context, folder: string): string {
  const root = path.resolve(ctx.io.cwd, folder);
  let isDir: boolean;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`\`${folder}\` is not a folder: give project folders (each with corpus/ and codebooks/).`);
  return root;
}

/** The codes to report: every code, or the given ones with their descendants, in codebook order. */
function selectCodes(codebook: Codebook, wanted: readonly string[]): string[] {
  if (wanted.length === 0) return [...codebook.codes.keys()];
  const chosen = new Set<string>();
  for (const id of wanted) {
    if (!codebook.codes.has(id)) throw new UsageError(`--code: no code \`${id}\` in the codebook${didYouMean(id, codebook.codes.keys())}.`);
    for (const c of subtree(codebook, id)) chosen.add(c);
  }
  return [...codebook.codes.keys()].filter((id) => chosen.has(id));
}

/** Masks every redacted string, then cuts to the beginning of the text. */
function textOf(redactor: Redactor): (s: string) => string {
  // Mask before cutting, so that a cut never leaves half a name readable.
  return (s) => excerpt(redactor.mask(s));
}

/** The beginning of a text, on one line, cut at a word with an ellipsis. */
function excerpt(text: string, max = EXCERPT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

function describeMismatch(m: Mismatch, labels: readonly string[]): string {
  switch (m.kind) {
    case 'missing-transcript':
      return `${m.transcript} is missing in ${m.missingIn.map((i) => labels[i]).join(', ')}: left out`;
    case 'segment-count':
      return `${m.transcript} has ${m.counts.map((n, i) => `${n} segments in ${labels[i]}`).join(', ')}: left out (segments cannot be paired)`;
    case 'segment-text':
      return `${m.transcript}:${m.segment} has different words in ${m.coders.map((i) => labels[i]).join(', ')}: compared anyway`;
  }
}

/** At most this many mismatch warnings, then a count. */
const MAX_WARNINGS = 20;

function warnAlignment(ctx: Context, a: Alignment, labels: readonly string[], redactor: Redactor): void {
  const lines = a.mismatches.map((m) => `warning: ${describeMismatch(m, labels)}.`);
  for (const u of a.unknownCodes) {
    lines.push(`warning: ${labels[u.coder]} uses \`${u.code}\` (${u.segments} coding${u.segments === 1 ? '' : 's'}), which ${labels[0]}'s codebook does not have: ignored.`);
  }
  for (const l of lines.slice(0, MAX_WARNINGS)) ctx.io.stderr(`${redactor.mask(l)}\n`);
  if (lines.length > MAX_WARNINGS) ctx.io.stderr(`… and ${lines.length - MAX_WARNINGS} more (see --json).\n`);
}

// ---------------------------------------------------------------------------
// Formatting

const coef = (m: Measure): string => (m.value === null ? `undefined (${m.reason})` : fixed(m.value, 3));
const pct = (m: Measure): string => (m.value === null ? `undefined (${m.reason})` : `${fixed(m.value * 100, 1)}%`);
const fixed = (x: number, digits: number): string => {
  const s = x.toFixed(digits);
  return /^-0\.0*$/.test(s) ? s.slice(1) : s;
};
const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function table(ctx: Context, head: string[], rows: string[][], right: readonly number[] = []): string {
  const widths = fitColumns(head, rows, ctx.io.columns);
  const t = new Table({
    head: head.map((h) => (ctx.color ? bold(h) : h)),
    // cli-table3 colours the head and borders itself; colour goes only through ctx.color.
    style: { head: [], border: [] },
    // No rule between body rows: compact, and still one line per row.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: head.map((_, i) => (right.includes(i) ? 'right' : 'left')),
    // Wrapped to the terminal's width when it is known and the table is wider.
    ...(widths ? { colWidths: widths, wordWrap: true } : {}),
  });
  for (const row of rows) t.push(row);
  return `${t.toString()}\n`;
}

function coderLegend(coders: readonly Coder[]): string {
  return coders.map((c) => `${c.label} = ${c.folder}`).join(', ');
}

function unitLine(s: Setup): string {
  const a = s.alignment;
  const left = a.mismatches.filter((m) => m.kind !== 'segment-text').length;
  return `Unit: the respondent paragraph (segment); ${plural(a.segments.length, 'segment')} in ${plural(a.transcripts.length, 'transcript')}, paired by transcript id and segment number${left > 0 ? ` (${plural(left, 'transcript')} left out: see the warnings)` : ''}.`;
}

function originText(origin: OriginFilter): string {
  return origin === 'manual' ? 'manual codings only (markers)' : 'automatic and manual codings together (--origin manual for markers only)';
}

/** Code ids indented by depth, relative to the shallowest code shown. */
function indenter(codebook: Codebook, ids: readonly string[]): (id: string) => string {
  const depth = (id: string): number => codebook.codes.get(id)?.depth ?? 0;
  const base = minOf(ids.map(depth));
  return (id) => `${'  '.repeat(depth(id) - base)}${id}`;
}

function renderBinary(r: BinaryAgreement, codebook: Codebook, s: Setup, ctx: Context): string {
  const labels = s.coders.map((c) => c.label);
  const out: string[] = [];
  out.push(`Intercoder agreement, ${plural(r.coders, 'coder')}: ${coderLegend(s.coders)}`);
  out.push(unitLine(s));
  out.push(`Decision: per code, each coder coded a segment or not, from ${originText(s.origin)}; a parent code counts when the code or one of its descendants is applied.`);
  out.push(`Agreement: the share of pairs of coders who made the same decision on a segment (for two coders, the share of segments).`);
  out.push(
    `Chance: Cohen's kappa from each coder's own rate of use of the code (two coders); Krippendorff's alpha (nominal) from the rates pooled over all coders (coincidence matrix).`,
  );
  out.push('');
  const head = ['code', 'agreement', 'kappa', 'alpha', ...labels.map((l) => `coded by ${l}`)];
  const indent = indenter(codebook, r.codes.map((c) => c.code));
  const rows = r.codes.map((c) => [indent(c.code), pct(c.agreement), coef(c.kappa), coef(c.alpha), ...c.coded.map(String)]);
  out.push(table(ctx, head, rows, [1, 2, 3, ...labels.map((_, i) => 4 + i)]).trimEnd());
  out.push('');
  out.push(
    `Pooled over ${plural(r.pooled.codes, 'leaf code')} × ${plural(r.segments, 'segment')} = ${plural(r.pooled.decisions, 'decision')} (parent codes left out: they repeat their children): agreement ${pct(r.pooled.agreement)}, kappa ${coef(r.pooled.kappa)}, alpha ${coef(r.pooled.alpha)}.`,
  );
  const m = r.mean;
  out.push(
    `Mean of the leaf codes' figures, where defined: agreement ${pct(m.agreement)} (${plural(m.agreement.codes, 'code')}), kappa ${coef(m.kappa)} (${plural(m.kappa.codes, 'code')}), alpha ${coef(m.alpha)} (${plural(m.alpha.codes, 'code')}).`,
  );
  out.push('');
  if (r.disagreements.length === 0) {
    out.push('No disagreement: the coders made the same decisions on every segment.');
  } else {
    out.push(`Disagreements to reconcile (${plural(r.disagreements.length, 'segment')}); per coder, the codes it applied that not every coder applied:`);
    const dHead = ['segment', 'file', ...labels, 'all coders', 'text'];
    const dRows = r.disagreements.map((d) => [`${d.transcript}:${d.segment}`, s.locate(d.transcript, d.segment), ...d.only.map((o) => (o.length > 0 ? o.join(', ') : '—')), d.shared.length > 0 ? d.shared.join(', ') : '—', s.text(d.text)]);
    out.push(table(ctx, dHead, dRows).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

function renderFamily(r: FamilyAgreement, s: Setup, ctx: Context): string {
  const labels = s.coders.map((c) => c.label);
  const out: string[] = [];
  out.push(`Agreement on the family \`${r.family}\`, ${plural(r.coders, 'coder')}: ${coderLegend(s.coders)}`);
  out.push(unitLine(s));
  out.push(
    `Value: the child of \`${r.family}\` a coder applied to the segment (${r.categories.join(', ')}), directly or through a descendant, from ${originText(s.origin)}; missing when none.`,
  );
  out.push(
    `Chance: Krippendorff's alpha (nominal) from the values pooled over coders (coincidence matrix); segments with fewer than two values are not pairable. Cohen's kappa (two coders) on the segments both placed in the family, from each coder's own proportions.`,
  );
  out.push('');
  const d = (x: number | null): string => (x === null ? '—' : fixed(x, 3));
  out.push(`alpha      ${coef(r.alpha)}   (${plural(r.pairableValues, 'pairable value')} in ${plural(r.pairableSegments, 'segment')}; D_o = ${d(r.observedDisagreement)}, D_e = ${d(r.expectedDisagreement)})`);
  out.push(`agreement  ${pct(r.agreement)}   (pairs of values given to the same segment that match)`);
  out.push(`kappa      ${coef(r.kappa)}`);
  out.push('');
  out.push('Segments per value and coder:');
  out.push(table(ctx, ['value', ...labels], r.counts.map((c) => [c.value ?? '(missing)', ...c.coded.map(String)]), labels.map((_, i) => i + 1)).trimEnd());
  out.push('');
  out.push('Coincidence matrix (o_ck):');
  out.push(
    table(
      ctx,
      ['', ...r.values],
      r.values.map((v, i) => [v, ...(r.matrix[i] ?? []).map((x) => fixed(x, 2).replace(/\.00$/, ''))]),
      r.values.map((_, i) => i + 1),
    ).trimEnd(),
  );
  out.push('');
  if (r.disagreements.length === 0) {
    out.push('No disagreement: every coder gave every segment the same value.');
  } else {
    out.push(`Disagreements to reconcile (${plural(r.disagreements.length, 'segment')}; — is a missing value):`);
    out.push(table(ctx, ['segment', 'file', ...labels, 'text'], r.disagreements.map((x) => [`${x.transcript}:${x.segment}`, s.locate(x.transcript, x.segment), ...x.values.map((v) => v ?? '—'), s.text(x.text)])).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// JSON

/** `{value: null, reason}` figures become `null` plus an entry in `reasons`. */
function figures(named: Record<string, Measure>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const reasons: Record<string, string> = {};
  for (const [k, m] of Object.entries(named)) {
    out[k] = m.value;
    if (m.value === null && m.reason) reasons[k] = m.reason;
  }
  if (Object.keys(reasons).length > 0) out.reasons = reasons;
  return out;
}

function setupJson(s: Setup): Record<string, unknown> {
  const labels = s.coders.map((c) => c.label);
  return {
    unit: 'segment',
    origin: s.origin,
    coders: s.coders.map((c) => ({ label: c.label, folder: c.folder })),
    transcripts: s.alignment.transcripts,
    segments: s.alignment.segments.length,
    mismatches: s.alignment.mismatches.map((m) => ({ ...m, message: describeMismatch(m, labels) })),
    unknownCodes: s.alignment.unknownCodes.map((u) => ({ coder: labels[u.coder], code: u.code, codings: u.segments })),
  };
}

function binaryJson(r: BinaryAgreement, codebook: Codebook, s: Setup): unknown {
  return {
    mode: 'codes',
    ...setupJson(s),
    codes: r.codes.map((c) => ({ code: c.code, label: codebook.codes.get(c.code)?.label ?? c.code, leaf: c.leaf, coded: c.coded, ...figures({ agreement: c.agreement, kappa: c.kappa, alpha: c.alpha }) })),
    pooled: { codes: r.pooled.codes, decisions: r.pooled.decisions, ...figures({ agreement: r.pooled.agreement, kappa: r.pooled.kappa, alpha: r.pooled.alpha }) },
    mean: {
      ...figures({ agreement: r.mean.agreement, kappa: r.mean.kappa, alpha: r.mean.alpha }),
      codes: { agreement: r.mean.agreement.codes, kappa: r.mean.kappa.codes, alpha: r.mean.alpha.codes },
    },
    disagreements: r.disagreements.map((d) => ({ segment: `${d.transcript}:${d.segment}`, location: s.locate(d.transcript, d.segment), only: d.only, shared: d.shared, differing: d.differing, text: s.text(d.text) })),
  };
}

function familyJson(r: FamilyAgreement, s: Setup): unknown {
  const labels = s.coders.map((c) => c.label);
  return {
    mode: 'family',
    family: r.family,
    categories: r.categories,
    ...setupJson(s),
    ...figures({ alpha: r.alpha, agreement: r.agreement, kappa: r.kappa }),
    pairableSegments: r.pairableSegments,
    pairableValues: r.pairableValues,
    observedDisagreement: r.observedDisagreement,
    expectedDisagreement: r.expectedDisagreement,
    coincidences: { values: r.values, matrix: r.matrix },
    counts: r.counts,
    multiple: r.multiple.map((m) => ({ segment: `${m.transcript}:${m.segment}`, coder: labels[m.coder], codes: m.codes })),
    disagreements: r.disagreements.map((d) => ({ segment: `${d.transcript}:${d.segment}`, location: s.locate(d.transcript, d.segment), values: d.values, text: s.text(d.text) })),
  };
}

// ---------------------------------------------------------------------------
// --auto

async function agreeAuto(folder: string | undefined, options: AgreeOptions, ctx: Context): Promise<ExitCode> {
  const root = folder === undefined ? ctx.root : folderOf(ctx, folder);
  const { project, diagnostics } = loadCoded({ ...ctx, root });
  if (folder === undefined ? reportProblems(ctx, diagnostics) : reportFolder(ctx, diagnostics, folder)) return EXIT.problems;
  const codebook = project.codebook as Codebook;
  const codes = selectCodes(codebook, options.code ?? []);
  const result = autoVsManual({ ...project, codebook }, codes);
  const redactor = redactorOf(project);
  const text = textOf(redactor);
  const details = options.details ?? (options.code?.length === 1);
  const name = folder ?? (path.relative(ctx.io.cwd, root) || '.');
  const locate = locatorOf(project, root, ctx);
  if (options.json) {
    ctx.io.stdout(`${JSON.stringify(maskDeep(autoJson(result, codebook, name, text, locate), redactor), null, 2)}\n`);
  } else {
    ctx.io.stdout(redactor.mask(renderAuto(result, codebook, name, text, details, ctx, locate)));
  }
  return EXIT.ok;
}

function renderAuto(r: AutoVsManual, codebook: Codebook, name: string, text: (s: string) => string, details: boolean, ctx: Context, locate: Locate): string {
  const out: string[] = [];
  out.push(`Automatic coding (keywords) against manual coding (markers), project ${name}`);
  out.push(
    `Unit: the respondent paragraph (segment); ${plural(r.segments, 'segment')} in the ${plural(r.transcripts.length, 'transcript')} that have markers${r.leftOut.length > 0 ? ` (left out, no marker: ${r.leftOut.join(', ')})` : ''}.`,
  );
  out.push('Manual: a marker gives the segment the code or a descendant. Automatic: the keyword matches, rolled up the same way, including those rejected with {!code} (false positives).');
  out.push('Precision: share of auto-coded segments also coded by hand; recall: share of segments coded by hand that the keywords found; F1: 2·TP / (2·TP + FP + FN).');
  out.push('Precision takes the manual coding as complete: where researchers marked only examples, some keyword-only segments are right, and precision is a lower bound.');
  out.push('');
  if (r.codes.length === 0) {
    out.push('No code has a manual coding: nothing to compare. Code some segments by hand with {#code} markers first.');
    return `${out.join('\n')}\n`;
  }
  const head = ['code', 'by hand', 'keywords', 'both', 'precision', 'recall', 'F1'];
  const indent = indenter(codebook, r.codes.map((c) => c.code));
  const rows = r.codes.map((c) => [indent(c.code), String(c.manual), String(c.auto), String(c.truePositives), pct(c.precision), pct(c.recall), pct(c.f1)]);
  out.push(table(ctx, head, rows, [1, 2, 3, 4, 5, 6]).trimEnd());
  out.push('');
  const p = r.pooled;
  out.push(
    `Pooled over ${plural(p.codes, 'leaf code')} (counts summed: ${p.truePositives} found, ${p.falsePositives} keyword-only, ${p.falseNegatives} missed): precision ${pct(p.precision)}, recall ${pct(p.recall)}, F1 ${pct(p.f1)}.`,
  );
  out.push(
    `Mean of the leaf codes' figures, where defined: precision ${pct(r.mean.precision)} (${plural(r.mean.precision.codes, 'code')}), recall ${pct(r.mean.recall)} (${plural(r.mean.recall.codes, 'code')}), F1 ${pct(r.mean.f1)} (${plural(r.mean.f1.codes, 'code')}).`,
  );
  if (r.notCompared.length > 0) {
    const autoOnly = r.notCompared.filter((c) => c.auto > 0);
    const never = r.notCompared.filter((c) => c.auto === 0).map((c) => c.code);
    const parts = [
      ...(autoOnly.length > 0 ? [`auto-coded (segments): ${autoOnly.map((c) => `${c.code} (${c.auto})`).join(', ')}`] : []),
      ...(never.length > 0 ? [`never coded: ${never.join(', ')}`] : []),
    ];
    out.push(`Not shown, ${plural(r.notCompared.length, 'code')} nobody coded by hand (recall means nothing for them); ${parts.join('; ')}.`);
  }
  if (details) {
    for (const c of r.codes) {
      if (c.missedByKeywords.length === 0 && c.keywordsOnly.length === 0) continue;
      out.push('');
      out.push(ctx.color ? bold(c.code) : c.code);
      if (c.missedByKeywords.length > 0) {
        out.push(`  coded by hand, missed by the keywords (${c.missedByKeywords.length}):`);
        for (const m of c.missedByKeywords) out.push(`    ${address(m)}  ${locate(m.transcript, m.segment)}  ${text(m.text)}`);
      }
      if (c.keywordsOnly.length > 0) {
        out.push(`  found by the keywords, not coded by hand (${c.keywordsOnly.length}):`);
        for (const m of c.keywordsOnly) out.push(`    ${address(m)}  ${locate(m.transcript, m.segment)}  [${(m.keywords ?? []).join(', ')}]${m.rejected ? ' rejected' : ''}  ${text(m.text)}`);
      }
    }
  } else {
    out.push('');
    out.push('Add --details (or a single --code) to list the segments each side missed.');
  }
  return `${out.join('\n')}\n`;
}

const address = (m: Miss): string => `${m.transcript}:${m.segment}`;

function autoJson(r: AutoVsManual, codebook: Codebook, name: string, text: (s: string) => string, locate: Locate): unknown {
  return {
    mode: 'auto',
    project: name,
    unit: 'segment',
    transcripts: r.transcripts,
    leftOut: r.leftOut,
    segments: r.segments,
    codes: r.codes.map((c) => ({
      code: c.code,
      label: codebook.codes.get(c.code)?.label ?? c.code,
      leaf: c.leaf,
      keywords: c.keywords,
      manual: c.manual,
      auto: c.auto,
      truePositives: c.truePositives,
      falsePositives: c.falsePositives,
      falseNegatives: c.falseNegatives,
      ...figures({ precision: c.precision, recall: c.recall, f1: c.f1 }),
      missedByKeywords: c.missedByKeywords.map((m) => ({ segment: address(m), location: locate(m.transcript, m.segment), text: text(m.text) })),
      keywordsOnly: c.keywordsOnly.map((m) => ({ segment: address(m), location: locate(m.transcript, m.segment), keywords: m.keywords ?? [], rejected: m.rejected ?? false, text: text(m.text) })),
    })),
    notCompared: r.notCompared,
    pooled: {
      codes: r.pooled.codes,
      truePositives: r.pooled.truePositives,
      falsePositives: r.pooled.falsePositives,
      falseNegatives: r.pooled.falseNegatives,
      ...figures({ precision: r.pooled.precision, recall: r.pooled.recall, f1: r.pooled.f1 }),
    },
    mean: {
      ...figures({ precision: r.mean.precision, recall: r.mean.recall, f1: r.mean.f1 }),
      codes: { precision: r.mean.precision.codes, recall: r.mean.recall.codes, f1: r.mean.f1.codes },
    },
  };
}

