/**
 * `verbatim codes`: the code tree with full ids, labels, and how many
 * segments and respondents carry each code, so that nobody types a dotted id
 * from memory.
 */
import { eachUnit, isAncestor, type Dataset } from '../../analysis/dataset.js';
import type { Redactor } from '../../core/redact.js';
import { didYouMean } from '../../core/suggest.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
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
  const loaded = loadDataset(ctx, options, (ds) => (root !== undefined && !ds.codebook?.codes.has(root) ? `Unknown code \`${root}\`${didYouMean(root, ds.codebook?.codes.keys() ?? []) || ''}.`.replace(/\?\.$/, '?') : undefined));
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
