/**
 * What the analysis commands (matrix, cooc, saturation, profiles) share: the
 * filter options, loading the dataset, and rendering tables and CSV.
 */
import { stripVTControlCharacters } from 'node:util';
import Table from 'cli-table3';
import { codesProblem, filterDataset, whereProblem, type Dataset, type Origin, type Unit } from '../../analysis/dataset.js';
import { maskDeep, redactorOf, type Redactor } from '../../core/redact.js';
import type { CodedCorpus, Keep } from '../../engine/corpus.js';
import type { Respondent, Transcript } from '../../project/model.js';
import { toCsv } from '../../exchange/csv.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { loadCoded, reportProblems } from '../shared.js';

export { addCodesOption, addFilterOptions, addOutputOptions, addUnitOption, type Action } from './analysis-options.js';

/** The options common to the analysis commands. */
export interface FilterFlags {
  /** `ATTR=VALUE`, repeatable. */
  where?: string[];
  origin?: string;
}

/** Parses the `--where ATTR=VALUE` options (a mistake is a usage error). */
export function parseWhere(raw: readonly string[] | undefined): [string, string][] {
  return (raw ?? []).map((w) => {
    const m = /^([^=]+)=(.*)$/.exec(w);
    if (!m || (m[1] as string).trim() === '' || (m[2] as string).trim() === '') throw new UsageError(`\`--where\` takes ATTR=VALUE (e.g. \`--where sphere=recherche\`), not \`${w}\`.`);
    return [(m[1] as string).trim(), (m[2] as string).trim()];
  });
}

/** Checks `--origin`. */
export function parseOrigin(raw: string | undefined): Origin | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'auto' && raw !== 'manual') throw new UsageError(`\`--origin\` is \`auto\` or \`manual\`, not \`${raw}\`.`);
  return raw;
}

/** Checks `--unit`. */
export function parseUnit(raw: string | undefined): Unit {
  if (raw === undefined) return 'respondents';
  if (raw !== 'respondents' && raw !== 'segments') throw new UsageError(`\`--unit\` is \`respondents\` or \`segments\`, not \`${raw}\`.`);
  return raw;
}

/** Checks `--json` / `--csv`. */
export function outputFormat(options: { json?: boolean; csv?: boolean }): 'table' | 'json' | 'csv' {
  if (options.json && options.csv) throw new UsageError('Choose one of `--json` and `--csv`.');
  return options.json ? 'json' : options.csv ? 'csv' : 'table';
}

/** A loaded, checked and filtered dataset. */
export interface Loaded<T extends Respondent = Respondent> {
  project: CodedCorpus<T>;
  /** The filtered dataset the analysis runs on. */
  ds: Dataset<T>;
  /** The project has errors: print the result anyway, exit 1. */
  hasErrors: boolean;
  /** `sphere=recherche, manual codings`: what the filters kept, for the table's footnote. */
  filters: string;
  /**
   * The project's redactor. Labels are masked in `ds` already; the renderers
   * below mask every cell with it too, since a value or an id may hold a
   * redacted name (a value the panel does not declare is shown as written).
   */
  redactor: Redactor;
}

/**
 * Loads and codes the project, checks the user's options against it (a
 * mistake is a `UsageError`, exit 2), prints the project's errors, and
 * applies the filters. Returns undefined, after saying why, when there is no
 * codebook to analyse.
 *
 * @param validate
 *   Checks of the command's own options on the unfiltered dataset: a message
 *   for a mistake, or undefined.
 */
export function loadDataset(ctx: Context, flags: FilterFlags & { codes?: string[] }, validate?: (ds: Dataset) => string | undefined): Loaded | undefined;
export function loadDataset(ctx: Context, flags: FilterFlags & { codes?: string[] }, validate: ((ds: Dataset) => string | undefined) | undefined, keep: 'text'): Loaded<Transcript> | undefined;
export function loadDataset(ctx: Context, flags: FilterFlags & { codes?: string[] }, validate?: (ds: Dataset) => string | undefined, keep: Keep = 'records'): Loaded | undefined {
  const where = parseWhere(flags.where);
  const origin = parseOrigin(flags.origin);
  const { project, diagnostics } = keep === 'text' ? loadCoded(ctx, {}, 'text') : loadCoded(ctx, {}, 'records');
  if (project.codebook) {
    const problem = whereProblem(project, where) ?? codesProblem(project, flags.codes ?? []) ?? validate?.(project);
    if (problem) throw new UsageError(problem);
  }
  const hasErrors = reportProblems(ctx, diagnostics);
  if (!project.codebook) {
    ctx.io.stderr('No codebook, so nothing to analyse: run `verbatim check`.\n');
    return undefined;
  }
  const filtered = filterDataset(project, { where, ...(origin ? { origin } : {}) });
  const redactor = redactorOf(project);
  const ds = maskedLabels(filtered, redactor);
  const filters = redactor.mask([...where.map(([a, v]) => `${a}=${v}`), ...(origin ? [`${origin === 'auto' ? 'automatic' : 'manual'} codings`] : [])].join(', '));
  return { project, ds, hasErrors, filters, redactor };
}

/**
 * The dataset with the labels the tables, CSV and JSON print masked:
 * respondents', codes' (the analyst may name a case after a person),
 * attributes' and their values'. Ids are not masked (see docs/privacy.md).
 */
function maskedLabels<T extends Respondent>(ds: Dataset<T>, redactor: Redactor): Dataset<T> {
  if (redactor.isEmpty) return ds;
  const { mask } = redactor;
  const codebook = ds.codebook && { ...ds.codebook, codes: new Map([...ds.codebook.codes].map(([id, c]) => [id, { ...c, label: mask(c.label) }])) };
  const panel = ds.panel && { ...ds.panel, attributes: ds.panel.attributes.map((a) => ({ ...a, label: mask(a.label), values: a.values.map((v) => ({ ...v, label: mask(v.label) })) })) };
  return { ...ds, transcripts: ds.transcripts.map((t) => ({ ...t, label: mask(t.label) })), ...(codebook ? { codebook } : {}), ...(panel ? { panel } : {}) };
}

/** The exit code after printing a result. */
export function exitFor(loaded: Loaded): ExitCode {
  return loaded.hasErrors ? EXIT.problems : EXIT.ok;
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  color: boolean;
  /** Alignment per column (default left). */
  align?: ('left' | 'right' | 'center')[];
  /** Masks every cell (before the columns are measured, so that the table stays aligned). */
  redactor?: Redactor;
  /** The terminal's width: wider columns are wrapped to fit it (see {@link fitColumns}). */
  width?: number | undefined;
}

/** The characters a cell's longest line takes (ANSI codes left out). */
const lineWidth = (cell: string): number => Math.max(0, ...cell.split('\n').map((l) => [...stripVTControlCharacters(l)].length));

/**
 * Column widths (padding included) that make a table of these cells fit in
 * `width` characters, or undefined when it fits as it is (or no width is
 * known, as in a pipe). The widest column gives a character at a time, and
 * none gets narrower than its longest word, so that words are never cut.
 */
export function fitColumns(head: readonly string[], rows: readonly (readonly string[])[], width: number | undefined): number[] | undefined {
  if (width === undefined || head.length === 0) return undefined;
  const cells = (i: number): string[] => [head[i] ?? '', ...rows.map((r) => r[i] ?? '')];
  const widths = head.map((_h, i) => lineWidth(cells(i).join('\n')) + 2);
  const floor = head.map((_h, i) => Math.max(3, ...cells(i).flatMap((c) => c.split(/\s+/u)).map((w) => lineWidth(w) + 2)));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + head.length + 1;
  if (total() <= width) return undefined;
  while (total() > width) {
    let widest = -1;
    for (const [i, w] of widths.entries()) if (w > (floor[i] ?? 3) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 3) - 1;
  }
  return widths;
}

/**
 * A terminal table (cli-table3). Without colour, no ANSI code at all, so
 * that tests and pipes get plain text.
 */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], options: TableOptions): string {
  const mask = options.redactor && !options.redactor.isEmpty ? options.redactor.mask : (cell: string) => cell;
  const masked = rows.map((r) => r.map(mask));
  const colWidths = fitColumns(head.map(mask), masked, options.width);
  const table = new Table({
    head: head.map(mask),
    style: options.color ? { head: ['bold'], border: ['grey'], compact: true } : { head: [], border: [], compact: true },
    ...(options.align ? { colAligns: options.align } : {}),
    ...(colWidths ? { colWidths, wordWrap: true } : {}),
  });
  for (const r of masked) table.push(r);
  return `${table.toString()}\n`;
}

/** CSV text, header first, every text cell masked by `redactor`: the one CSV writer (formulas neutralised, see `exchange/csv.ts`). */
export function renderCsv(rows: readonly (readonly (string | number | undefined)[])[], redactor?: Redactor): string {
  return toCsv(redactor && !redactor.isEmpty ? rows.map((r) => r.map((c) => (typeof c === 'string' ? redactor.mask(c) : c))) : rows);
}

/** JSON with two-space indentation and a final newline, every string (and key) masked by `redactor`. */
export function renderJson(value: unknown, redactor?: Redactor): string {
  return `${JSON.stringify(redactor ? maskDeep(value, redactor) : value, null, 2)}\n`;
}

/** A percentage for a table cell: `42%`, or `–` for an empty base. */
export function pctCell(count: number, n: number): string {
  return n === 0 ? '–' : `${Math.round((100 * count) / n)}%`;
}

/** A percentage for CSV: one decimal, or empty for an empty base. */
export function pctCsv(count: number, n: number): number | undefined {
  return n === 0 ? undefined : Math.round((1000 * count) / n) / 10;
}
