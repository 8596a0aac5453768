/**
 * `verbatim codes`: the code tree with full ids, labels, and how many
 * segments and respondents carry each code, so that nobody types a dotted id
 * from memory.
 */
import { createTwoFilesPatch } from 'diff';
import { codesProblem, eachUnit, isAncestor, type Dataset } from '../../analysis/dataset.js';
import { redactorOf, type Redactor } from '../../core/redact.js';
import { loadFrame, type ProjectFrame } from '../../engine/load-project.js';
import { applyChanges, planMerge, planMove, planRename, type Refactoring } from '../../engine/refactor.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { exitFor, loadDataset, outputFormat, renderCsv, renderJson, renderTable, type FilterFlags } from './analysis-shared.js';

/** Options of `verbatim codes` as commander parses them. */
export interface CodesOptions extends FilterFlags {
  flat?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** A code with its counts. */
export interface CodeEntry {
  id: string;
  label: string;
  /** The parent's full id, or null for a top-level code. */
  parent: string | null;
  depth: number;
  children: string[];
  definition?: string;
  /** Segments carrying the code or one of its descendants. */
  segments: number;
  /** Respondents carrying the code or one of its descendants. */
  respondents: number;
  /** Codings with exactly this code (automatic and manual). */
  codings: number;
}

/**
 * Every code of the codebook in codebook order (or `root` and its
 * descendants), with its counts on the dataset.
 */
export function codeEntries(ds: Dataset, root?: string): CodeEntry[] {
  const codebook = ds.codebook;
  if (!codebook) return [];
  const segments = new Map<string, number>();
  const respondents = new Map<string, number>();
  const codings = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const u of eachUnit(ds, 'segments')) for (const c of u.codes) bump(segments, c);
  for (const u of eachUnit(ds, 'respondents')) for (const c of u.codes) bump(respondents, c);
  for (const c of ds.codings) bump(codings, c.code);
  const out: CodeEntry[] = [];
  for (const code of codebook.codes.values()) {
    if (root !== undefined && code.id !== root && !isAncestor(codebook, root, code.id)) continue;
    out.push({
      id: code.id,
      label: code.label,
      parent: code.parent ?? null,
      depth: code.depth,
      children: code.children,
      ...(code.definition !== undefined ? { definition: code.definition } : {}),
      segments: segments.get(code.id) ?? 0,
      respondents: respondents.get(code.id) ?? 0,
      codings: codings.get(code.id) ?? 0,
    });
  }
  return out;
}

/** `verbatim codes [CODE]`: the tree (or `--flat`, `--json`, `--csv`) on stdout. */
export async function codes(root: string | undefined, options: CodesOptions, ctx: Context): Promise<ExitCode> {
  const format = outputFormat(options);
  const loaded = loadDataset(ctx, options, (ds) => (root !== undefined ? codesProblem(ds, [root]) : undefined));
  if (!loaded) return EXIT.problems;
  const { ds, redactor } = loaded;
  const entries = codeEntries(ds, root);
  if (format === 'json') ctx.io.stdout(renderJson(entries, redactor));
  else if (format === 'csv') ctx.io.stdout(renderCsv([['id', 'label', 'parent', 'depth', 'segments', 'respondents', 'codings'], ...entries.map((e) => [e.id, e.label, e.parent ?? '', e.depth, e.segments, e.respondents, e.codings])], redactor));
  else if (options.flat) ctx.io.stdout(formatFlat(entries, redactor));
  else ctx.io.stdout(formatTree(entries, { color: ctx.color, filters: loaded.filters, respondents: ds.transcripts.length, redactor }));
  return exitFor(loaded);
}

/** One code per line, `id<TAB>label<TAB>segments<TAB>respondents`, no header: for grep, cut and fzf. */
export function formatFlat(entries: readonly CodeEntry[], redactor?: Redactor): string {
  const mask = redactor?.mask ?? ((t: string) => t);
  return entries.map((e) => mask(`${e.id}\t${e.label.replace(/\s+/g, ' ')}\t${e.segments}\t${e.respondents}\n`)).join('');
}

/** The terminal table: full ids indented by depth, labels, counts. */
export function formatTree(entries: readonly CodeEntry[], options: { color: boolean; filters?: string; respondents: number; redactor?: Redactor }): string {
  const head = ['Code', 'Label', 'Segments', 'Respondents'];
  const rows = entries.map((e) => [`${'  '.repeat(e.depth)}${e.id}`, e.label, String(e.segments), `${e.respondents} of ${options.respondents}`]);
  const table = renderTable(head, rows, { color: options.color, align: ['left', 'left', 'right', 'right'], ...(options.redactor ? { redactor: options.redactor } : {}) });
  const title = `${entries.length} code${entries.length === 1 ? '' : 's'}${options.filters ? `; only ${options.filters}` : ''}.`;
  return `${title}\n${table}A parent counts the segments and respondents that carry it or one of its sub-codes.\n`;
}

/** Options of `verbatim codes rename`, `move` and `merge`. */
export interface RefactorOptions {
  dryRun?: boolean;
}

/**
 * `verbatim codes rename OLD NEW`: the codebook, every marker and every plan
 * line that names the code or a sub-code, in one change (all files or none);
 * `--dry-run` prints the diff instead.
 */
export async function rename(from: string, to: string, options: RefactorOptions, ctx: Context): Promise<ExitCode> {
  return refactor(ctx, options, [from], `${from} → ${to}`, (frame) => planRename(frame, from, to));
}

/**
 * `verbatim codes move CODE PARENT` (`.` for the top level): the code's entry
 * and its sub-codes go under the parent in the codebook; every marker and plan
 * line naming them follows.
 */
export async function move(code: string, parent: string, options: RefactorOptions, ctx: Context): Promise<ExitCode> {
  const top = parent === '.' || parent === '';
  return refactor(ctx, options, top ? [code] : [code, parent], `${code} → ${top ? 'top level' : `under ${parent}`}`, (frame) => planMove(frame, code, top ? undefined : parent));
}

/**
 * `verbatim codes merge FROM INTO`: every marker and plan line naming FROM
 * names INTO; FROM's keywords join INTO's; its sub-codes move under INTO; its
 * entry goes.
 */
export async function merge(from: string, into: string, options: RefactorOptions, ctx: Context): Promise<ExitCode> {
  return refactor(ctx, options, [from, into], `${from} → ${into}`, (frame) => planMerge(frame, from, into));
}

/**
 * The part every refactoring shares: load the project's frame, refuse an
 * unknown code as a usage error (with its did-you-mean), plan, then print the
 * diff (`--dry-run`) or write every file, or none.
 */
async function refactor(ctx: Context, options: RefactorOptions, ids: readonly string[], what: string, plan: (frame: ProjectFrame) => Refactoring): Promise<ExitCode> {
  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  const unknown = frame.codebook && codesProblem({ transcripts: [], codings: [], codebook: frame.codebook }, ids);
  if (unknown) throw new UsageError(unknown);
  const result = plan(frame);
  if (!result.ok) {
    ctx.io.stderr(`verbatim: ${redactorOf({ ...frame, transcripts: [] }).mask(result.problem)}\n`);
    return EXIT.problems;
  }
  const { changes } = result;
  const markers = changes.reduce((n, c) => n + c.edits, 0);
  const summary = `${what}: ${markers} edit${markers === 1 ? '' : 's'} in ${changes.length} file${changes.length === 1 ? '' : 's'}`;
  if (options.dryRun) {
    // The diff shows the researcher's own files: it is not masked (like `git diff`), and goes to stdout only.
    for (const c of changes) ctx.io.stdout(createTwoFilesPatch(`a/${c.file}`, `b/${c.file}`, c.before, c.after, undefined, undefined, { context: 1 }).replace(/^=+\n/u, ''));
    ctx.io.stderr(`${summary} (dry run: nothing written).\n`);
    return EXIT.ok;
  }
  applyChanges(ctx.root, changes);
  ctx.io.stderr(`${summary}: written.\n`);
  return EXIT.ok;
}
