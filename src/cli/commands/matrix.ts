/**
 * `verbatim matrix --by ATTR`: codes × values of an attribute, counts and
 * percentages of each group; `--binary`: the respondent × code 0/1 table.
 */
import { crossTab, respondentCodeMatrix, type CodeMatrix, type CrossTab } from '../../analysis/crosstab.js';
import { attributeProblem } from '../../analysis/dataset.js';
import type { Redactor } from '../../core/redact.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import {
  exitFor,
  loadDataset,
  outputFormat,
  parseUnit,
  pctCell,
  pctCsv,
  renderCsv,
  renderJson,
  renderTable,
  type FilterFlags,
} from './analysis-shared.js';

/** Options of `verbatim matrix` as commander parses them. */
export interface MatrixOptions extends FilterFlags {
  by?: string;
  codes?: string[];
  unit?: string;
  binary?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** `verbatim matrix`: the cross table (or, with `--binary`, the 0/1 table) on stdout. */
export async function matrix(options: MatrixOptions, ctx: Context): Promise<ExitCode> {
  const format = outputFormat(options);
  const unit = parseUnit(options.unit);
  if (!options.binary && !options.by) throw new UsageError('`matrix` needs `--by ATTR` (e.g. `--by sphere`), or `--binary` for the respondent × code 0/1 table.');
  const loaded = loadDataset(ctx, options, (ds) => (options.by && !options.binary ? attributeProblem(ds, options.by) : undefined));
  if (!loaded) return EXIT.problems;
  const codes = options.codes && options.codes.length > 0 ? { codes: options.codes } : {};
  if (options.binary) {
    const m = respondentCodeMatrix(loaded.ds, { ...codes, unit });
    ctx.io.stdout(format === 'json' ? renderJson(m, loaded.redactor) : binaryCsv(m, loaded.redactor));
    return exitFor(loaded);
  }
  const table = crossTab(loaded.ds, { by: options.by as string, ...codes, unit });
  if (format === 'json') {
    ctx.io.stdout(renderJson(table, loaded.redactor));
  } else if (format === 'csv') {
    ctx.io.stdout(matrixCsv(table, loaded.redactor));
  } else {
    ctx.io.stdout(formatMatrix(table, { color: ctx.color, filters: loaded.filters, redactor: loaded.redactor, width: ctx.io.columns }));
  }
  return exitFor(loaded);
}

/**
 * The terminal table: one row per code (indented by depth), one column per
 * group with `count (percent of the group)`, then the total.
 */
export function formatMatrix(t: CrossTab, options: { color: boolean; filters?: string; redactor?: Redactor; width?: number | undefined }): string {
  const unitWord = t.unit === 'respondents' ? 'Respondents' : 'Segments';
  // Each column headed by its value's label in the panel, and its id (what --where takes).
  const head = ['Code', ...t.groups.map((g) => (g.label === g.value ? `${g.value}\nn=${g.n}` : `${g.label}\n${g.value}, n=${g.n}`)), `Total\nn=${t.n}`];
  const rows = t.rows.map((r) => [
    `${'  '.repeat(r.depth)}${r.code}`,
    ...t.groups.map((g) => cell(r.counts[g.value] ?? 0, g.n)),
    cell(r.total, t.n),
  ]);
  const title = `${unitWord} carrying each code, by ${t.byLabel === t.by ? t.by : `${t.byLabel} (${t.by})`}${options.filters ? `; only ${options.filters}` : ''}.`;
  const note = `A code counts the ${t.unit} carrying it or any of its sub-codes; percentages are of each column's n.`;
  return `${title}\n${renderTable(head, rows, { color: options.color, align: ['left', ...t.groups.map(() => 'right' as const), 'right'], width: options.width, ...(options.redactor ? { redactor: options.redactor } : {}) })}${note}\n`;
}

function cell(count: number, n: number): string {
  return n === 0 ? '–' : `${count} (${pctCell(count, n)})`;
}

/**
 * CSV of a cross table: `code, label, <value>, <value> %, …, total, total %`,
 * with a first row `n` giving each group's size.
 */
export function matrixCsv(t: CrossTab, redactor?: Redactor): string {
  const header = ['code', 'label', ...t.groups.flatMap((g) => [g.value, `${g.value} %`]), 'total', 'total %'];
  const sizes = ['n', t.unit, ...t.groups.flatMap((g) => [g.n, pctCsv(g.n, g.n)]), t.n, pctCsv(t.n, t.n)];
  const rows = t.rows.map((r) => [r.code, r.label, ...t.groups.flatMap((g) => [r.counts[g.value] ?? 0, pctCsv(r.counts[g.value] ?? 0, g.n)]), r.total, pctCsv(r.total, t.n)]);
  return renderCsv([header, sizes, ...rows], redactor);
}

/**
 * CSV of the 0/1 table: `id, [segment,] label, attributes…, codes…`; an
 * attribute a respondent lacks is an empty cell.
 */
export function binaryCsv(m: CodeMatrix, redactor?: Redactor): string {
  const seg = m.unit === 'segments';
  const header = ['id', ...(seg ? ['segment'] : []), 'label', ...m.attributes, ...m.codes];
  const rows = m.rows.map((r) => [r.transcript, ...(seg ? [r.segment] : []), r.label, ...m.attributes.map((a) => r.attributes[a]), ...r.values]);
  return renderCsv([header, ...rows], redactor);
}

