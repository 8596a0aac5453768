/**
 * `verbatim report [PLAN…]`: renders each plan of `reports/*.plan.yaml` to
 * its Markdown report (`reports/<name>.md`, the plan's `output`, or `-o`).
 * `--check` writes nothing and fails when a committed report is not what the
 * project generates now, with a short diff.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { besideReport, formatSources, reportPathOf, isGeneratedSources, sourcesPathOf } from '../../core/quote-source.js';
import { redactorOf } from '../../core/redact.js';
import { didYouMean, listNames } from '../../core/suggest.js';
import type { ProjectFrame } from '../../engine/load-project.js';
import { defaultOutput, readLogo } from '../../engine/outputs.js';
import { SpillKeeper } from '../../engine/text-spill.js';
import { WriteError, writeFileSafely, type TargetInfo } from '../../engine/write.js';
import { REPORT_FORMATS, type Plan, type ReportFormat } from '../../project/model.js';
import { isGeneratedReport } from '../../report/generated.js';
import { QuoteStore } from '../../report/quote-texts.js';
import { buildReport, type ReportResult } from '../../report/render.js';
import { isGeneratedDocument, renderDocx } from '../../report/render-docx.js';
import { DEFAULT_THEME, isGeneratedDeck, renderPptx, type DeckTheme } from '../../report/render-pptx.js';
import { EXIT, UsageError, resolveIn, type Context, type ExitCode } from '../context.js';
import { loadCoded, reportProblems } from '../shared.js';
import { generatedTarget } from '../targets.js';

/** Options of `verbatim report` as commander parses them. */
export interface ReportOptions {
  output?: string;
  check?: boolean;
  json?: boolean;
  /** Replace a file Verbatim did not generate, or a symbolic link (the link itself, never the file it points at). */
  force?: boolean;
  /** `md`, `pptx`, `docx` (repeatable, comma-separated lists accepted); default `md`. */
  format?: string[];
}

/** The formats asked with `--format`, or undefined: each plan's `formats:` (default md). */
function formatsOf(options: ReportOptions): ReportFormat[] | undefined {
  if (options.format === undefined) return undefined;
  const asked = options.format.map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  for (const f of asked) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`Unknown report format \`${f}\`: use ${REPORT_FORMATS.join(', ')}.`);
  }
  return REPORT_FORMATS.filter((f) => asked.includes(f));
}


/** Lines of diff shown per stale report. */
export const DIFF_LINES = 40;

/** What happened to one plan. */
export interface PlanSummary {
  plan: string;
  /** The report's path, relative to the current folder. */
  file: string;
  /** `written`, `unchanged`; with --check `up-to-date`, `stale` or `missing`. */
  status: 'written' | 'unchanged' | 'up-to-date' | 'stale' | 'missing';
  language: string;
  sections: number;
  pages: number;
  verbatims: number;
  warnings: string[];
}

/** `verbatim report`. */
export async function report(names: string[] | undefined, options: ReportOptions, ctx: Context): Promise<ExitCode> {
  // Records, and the texts the verbatims are picked from in a temporary file, read back one at a time: the corpus is never held whole.
  const spill = new SpillKeeper();
  try {
    return await reportWith(spill, names, options, ctx);
  } finally {
    spill.close();
  }
}

async function reportWith(spill: SpillKeeper, names: string[] | undefined, options: ReportOptions, ctx: Context): Promise<ExitCode> {
  const formats = formatsOf(options);
  let texts = new QuoteStore(undefined, spill);
  let { project, diagnostics } = loadCoded(ctx, { onText: (t) => texts.add(t) }, 'records');
  if (spill.failed) {
    // The scratch file could not be written (a full temporary folder): once more, with the texts in memory.
    const inMemory = new QuoteStore();
    ({ project, diagnostics } = loadCoded(ctx, { onText: (t) => inMemory.add(t) }, 'records'));
    texts = inMemory;
  }
  texts.useMatchers(project.matchers);
  if (reportProblems(ctx, diagnostics)) {
    ctx.io.stderr('verbatim: no report written: fix the errors above first.\n');
    return EXIT.problems;
  }
  if (project.plans.length === 0) {
    ctx.io.stderr(`verbatim: no report plan in \`${project.config.reports}/\`: add a \`<name>.plan.yaml\` there (\`verbatim init\` writes an example).\n`);
    return EXIT.problems;
  }
  const plans = selectPlans(project.plans, names ?? [], ctx);
  if (options.output !== undefined && plans.length > 1) {
    throw new UsageError(`\`--output\` writes one report: name one plan (${listNames(plans.map((p) => p.name), 'or')}).`);
  }
  const redactor = redactorOf(project);
  const rendered: { plan: Plan; target: string; result: ReportResult }[] = [];
  for (const plan of plans) {
    const result = buildReport(plan, project, { language: project.config.language, redactor, texts });
    // Read as a Markdown viewer shows it: escapes and entities undone.
    if (redactor.leaks(result.markdown, 'markdown').length > 0) {
      // The renderer masks everything; this guard is for a bug (or a name the cleaning of a quote put together), and nothing is written.
      ctx.io.stderr(`verbatim: the report of \`${plan.name}\` would show a redacted string; nothing was written. Please report this bug.\n`);
      return EXIT.problems;
    }
    // `-o deck.pptx` names the deck: every format's file is named from it (deck.md, deck.pptx, deck.docx).
    const relative = reportPathOf(options.output ?? plan.output ?? defaultOutput(project, plan));
    rendered.push({ plan, target: resolveIn(ctx, relative), result });
  }

  const summaries: PlanSummary[] = [];
  const diffs: string[] = [];
  // Every target is checked before the first write, so that a refusal writes nothing.
  const force = options.force === true;
  // Each plan's formats: --format, else its `formats:`, else Markdown.
  const formatsOfPlan = rendered.map(({ plan }) => formats ?? plan.formats ?? ['md']);
  const targets = rendered.map(({ target }, i) => (options.check || !formatsOfPlan[i]?.includes('md') ? undefined : checkReportTarget(project, target, force)));
  const sourceTargets = rendered.map(({ target }, i) => (options.check || !formatsOfPlan[i]?.includes('md') ? undefined : checkReportTarget(project, sourcesPathOf(target), force, 'sources')));
  // The decks and Word documents, made (and their targets checked) before the first write too.
  const packages = await Promise.all(
    rendered.map(async ({ plan, target, result }, i) =>
      Promise.all(
        PACKAGE_FORMATS.filter((f) => formatsOfPlan[i]?.includes(f)).map(async (f) => ({
          format: f,
          target: besideReport(target, `.${f}`),
          bytes: await PACKAGES[f].render(result.document, redactor.mask, themeOf(project, plan)),
        })),
      ),
    ),
  );
  const packageTargets = await Promise.all(packages.map((list) => Promise.all(list.map((d) => (options.check ? undefined : checkPackageTarget(project, d.target, force, d.format))))));
  for (const [i, { plan, target, result }] of rendered.entries()) {
    const md = formatsOfPlan[i]?.includes('md') === true;
    const what = { plan: plan.name, language: result.language, sections: result.sections, pages: result.pages, verbatims: result.verbatims.length, warnings: result.warnings };
    const packageSummaries: PlanSummary[] = [];
    for (const [j, pkg] of (packages[i] ?? []).entries()) {
      const pkgFile = (path.relative(ctx.io.cwd, pkg.target) || pkg.target).split(path.sep).join('/');
      const checked = packageTargets[i]?.[j];
      const existing = checked?.current ?? readBytes(pkg.target);
      const same = existing !== undefined && Buffer.from(existing).equals(Buffer.from(pkg.bytes));
      let status: PlanSummary['status'];
      if (options.check) status = existing === undefined ? 'missing' : same ? 'up-to-date' : 'stale';
      else if (same && checked?.kind === 'file') status = 'unchanged';
      else {
        writeFileSafely(pkg.target, pkg.bytes, { replaceLink: force });
        status = 'written';
      }
      // The warnings are the report's: said once, with its Markdown or its first package.
      packageSummaries.push({ ...what, file: pkgFile, status, ...(md || j > 0 ? { warnings: [] } : {}) });
    }
    if (!md) {
      summaries.push(...packageSummaries);
      continue;
    }
    const file = path.relative(ctx.io.cwd, target) || target;
    const current = targets[i]?.current ?? readText(target);
    // Where the verbatims come from, beside the report (which names no one): see core/quote-source.ts.
    const sourcesTarget = sourcesPathOf(target);
    const sourcesFile = path.relative(ctx.io.cwd, sourcesTarget) || sourcesTarget;
    const sources = formatSources(path.basename(target), result.sources);
    const currentSources = sourceTargets[i]?.current ?? readText(sourcesTarget);
    let status: PlanSummary['status'];
    if (options.check) {
      if (current === undefined) status = 'missing';
      else if (sameText(current, result.markdown)) status = 'up-to-date';
      else {
        status = 'stale';
        diffs.push(shortDiff(file, current, result.markdown));
      }
      if (status === 'up-to-date' && (currentSources === undefined || !sameText(currentSources, sources))) {
        status = 'stale';
        diffs.push(currentSources === undefined ? `${sourcesFile} is missing\n` : shortDiff(sourcesFile, currentSources, sources));
      }
    } else {
      const same = current !== undefined && current === result.markdown && targets[i]?.kind === 'file';
      const sameSources = currentSources !== undefined && currentSources === sources && sourceTargets[i]?.kind === 'file';
      if (!same) writeFileSafely(target, result.markdown, { replaceLink: force });
      if (!sameSources) writeFileSafely(sourcesTarget, sources, { replaceLink: force });
      status = same && sameSources ? 'unchanged' : 'written';
    }
    summaries.push({
      plan: plan.name,
      file: file.split(path.sep).join('/'),
      status,
      language: result.language,
      sections: result.sections,
      pages: result.pages,
      verbatims: result.verbatims.length,
      warnings: result.warnings,
    });
    summaries.push(...packageSummaries);
  }

  if (options.json) ctx.io.stdout(`${JSON.stringify({ plans: summaries }, null, 2)}\n`);
  else ctx.io.stdout(formatSummary(summaries));
  for (const s of summaries) for (const w of s.warnings) ctx.io.stderr(`warning (${s.plan}): ${w}\n`);
  for (const d of diffs) ctx.io.stderr(d);
  const failed = summaries.filter((s) => s.status === 'stale' || s.status === 'missing');
  if (failed.length > 0) {
    ctx.io.stderr(`verbatim: ${failed.length === 1 ? 'a report is' : `${failed.length} reports are`} not what the project generates: run \`verbatim report\` and commit the result.\n`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

/** The plans named on the command line (by name or by path), or all of them. */
function selectPlans(plans: readonly Plan[], names: readonly string[], ctx: Context): Plan[] {
  if (names.length === 0) return [...plans];
  const out: Plan[] = [];
  for (const name of names) {
    const byPath = path.resolve(ctx.io.cwd, name);
    const plan = plans.find((p) => p.name === name || p.file === name || resolveIn(ctx, p.file) === byPath);
    if (!plan) {
      const known = plans.map((p) => p.name);
      throw new UsageError(`No plan \`${name}\`${didYouMean(name, known) || `; the project's plans are ${listNames(known)}`}.`.replace(/\?\.$/u, '?'));
    }
    if (!out.includes(plan)) out.push(plan);
  }
  return out;
}

/**
 * A report's target (or its sources file's), before any write: never a
 * project input, never through a link, and an existing file only when
 * Verbatim generated it (its first line is the marker), unless `force`. Returns what is there and its text.
 *
 * @throws WriteError
 *   The refusal, printed as one line (exit 1).
 */
function checkReportTarget(project: ProjectFrame, target: string, force: boolean, kind: 'report' | 'sources' = 'report'): { kind: TargetInfo['kind']; current?: string } {
  const info = generatedTarget(project, target, force);
  if (info.kind !== 'file') return { kind: info.kind };
  const current = readText(target);
  const ours = kind === 'report' ? isGeneratedReport : isGeneratedSources;
  if (!force && (current === undefined || !ours(current))) {
    const first = kind === 'report' ? 'the `<!-- Generated by Verbatim …` marker' : 'the `# Generated by Verbatim with …` header';
    throw new WriteError(target, `Verbatim did not generate this file (its first line is not ${first}): add --force to replace it, or choose another -o`, 'EFOREIGN');
  }
  return { kind: info.kind, ...(current !== undefined ? { current } : {}) };
}

/** A plan's look: its `theme:` over the default, its logo read (check has reported a logo it cannot use, and report stops on errors). */
function themeOf(project: ProjectFrame, plan: Plan): DeckTheme {
  const { logo, ...look } = plan.theme ?? {};
  const read = logo === undefined ? undefined : readLogo(project, logo);
  return { ...DEFAULT_THEME, ...look, ...(read && !('problem' in read) ? { logo: read } : {}) };
}

/** The formats written as Office packages, and how: their renderer and what tells a file Verbatim wrote. */
const PACKAGE_FORMATS = ['pptx', 'docx'] as const;
type PackageFormat = (typeof PACKAGE_FORMATS)[number];
const PACKAGES: Record<PackageFormat, { render: (doc: ReportResult['document'], mask: (s: string) => string, theme: DeckTheme) => Promise<Uint8Array>; isGenerated: (bytes: Uint8Array) => Promise<boolean> }> = {
  pptx: { render: renderPptx, isGenerated: isGeneratedDeck },
  docx: { render: renderDocx, isGenerated: isGeneratedDocument },
};

/** A deck's or Word document's target: as a report's, and an existing file only when Verbatim wrote it (its document properties), unless `force`. */
async function checkPackageTarget(project: ProjectFrame, target: string, force: boolean, format: PackageFormat): Promise<{ kind: TargetInfo['kind']; current?: Uint8Array }> {
  const { kind } = generatedTarget(project, target, force);
  if (kind !== 'file') return { kind };
  const current = readBytes(target);
  if (!force && (current === undefined || !(await PACKAGES[format].isGenerated(current)))) {
    throw new WriteError(target, 'Verbatim did not generate this file (its document properties do not name Verbatim as its author): add --force to replace it, or choose another -o', 'EFOREIGN');
  }
  return { kind, ...(current !== undefined ? { current } : {}) };
}

function readBytes(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Equal, once line ends are normalised (a checkout may turn LF into CRLF). */
function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/gu, '\n') === b.replace(/\r\n/gu, '\n');
}

/** A unified diff, committed → generated, cut to {@link DIFF_LINES} lines. */
export function shortDiff(file: string, committed: string, generated: string): string {
  const patch = createTwoFilesPatch(`${file} (committed)`, `${file} (generated)`, committed.replace(/\r\n/gu, '\n'), generated, undefined, undefined, { context: 1 });
  const lines = patch.split('\n').filter((l) => !l.startsWith('=====') && !l.startsWith('\\ No newline'));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const shown = lines.slice(0, DIFF_LINES);
  const more = lines.length - shown.length;
  return `${shown.join('\n')}\n${more > 0 ? `… ${more} more line${more === 1 ? '' : 's'} of diff\n` : ''}`;
}

/** The summary printed after a run: one line per plan. */
export function formatSummary(summaries: readonly PlanSummary[]): string {
  const lines = summaries.map((s) => {
    const what = `${s.sections} section${s.sections === 1 ? '' : 's'}, ${s.pages} page${s.pages === 1 ? '' : 's'}, ${s.verbatims} verbatim${s.verbatims === 1 ? '' : 's'}${s.warnings.length > 0 ? `, ${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}` : ''}`;
    switch (s.status) {
      case 'written':
        return `wrote ${s.file} (${what})`;
      case 'unchanged':
        return `${s.file} is up to date (${what})`;
      case 'up-to-date':
        return `${s.file} matches its plan (${what})`;
      case 'stale':
        return `${s.file} is stale: it differs from what \`${s.plan}\` generates`;
      case 'missing':
        return `${s.file} is missing: \`verbatim report ${s.plan}\` writes it`;
    }
  });
  return `${lines.join('\n')}\n`;
}
