/**
 * `verbatim saturation`: in interview order, the codes each interview brings
 * that no earlier one carried, and where saturation was reached.
 */
import { DEFAULT_SATURATION_K, saturation as computeSaturation, saturationStatement, type Saturation } from '../../analysis/saturation.js';
import { maxOf } from '../../core/arrays.js';
import type { Redactor } from '../../core/redact.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
import { parseWhole } from '../numbers.js';
import { exitFor, loadDataset, outputFormat, renderCsv, renderJson, renderTable, type FilterFlags } from './analysis-shared.js';

/** Options of `verbatim saturation` as commander parses them. */
export interface SaturationOptions extends FilterFlags {
  k?: string;
  list?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** `verbatim saturation`: the saturation curve and statement on stdout. */
export async function saturation(options: SaturationOptions, ctx: Context): Promise<ExitCode> {
  const format = outputFormat(options);
  const k = parseWhole(options.k, '-k', { fallback: DEFAULT_SATURATION_K, min: 1 });
  const loaded = loadDataset(ctx, options);
  if (!loaded) return EXIT.problems;
  const result = computeSaturation(loaded.ds, { k });
  const { redactor } = loaded;
  if (format === 'json') ctx.io.stdout(renderJson(result.steps.map((s) => ({ transcript: s.transcript, new: s.new, cumulative: s.cumulative })), redactor));
  else if (format === 'csv') ctx.io.stdout(saturationCsv(result, redactor));
  else ctx.io.stdout(formatSaturation(result, { color: ctx.color, list: Boolean(options.list), filters: loaded.filters, redactor }));
  return exitFor(loaded);
}

/**
 * The terminal table with a bar per interview, the new codes of each
 * interview when asked (`list`), and the statement.
 */
export function formatSaturation(s: Saturation, options: { color: boolean; list?: boolean; filters?: string; redactor?: Redactor }): string {
  const mask = options.redactor?.mask ?? ((t: string) => t);
  const widest = maxOf(s.steps.map((x) => x.new), 1);
  // Bars are scaled to at most 30 characters so that a long first interview fits.
  const bar = (n: number): string => '#'.repeat(Math.ceil((n * Math.min(30, widest)) / widest));
  const head = ['#', 'Interview', 'Date', 'New', 'Total', ''];
  const rows = s.steps.map((x, i) => [String(i + 1), x.transcript, x.date ?? '', String(x.new), String(x.cumulative), bar(x.new)]);
  const title = `New codes per interview, in interview order (date, then id)${options.filters ? `; only ${options.filters}` : ''}.`;
  const table = renderTable(head, rows, { color: options.color, align: ['right', 'left', 'left', 'right', 'right', 'left'], ...(options.redactor ? { redactor: options.redactor } : {}) });
  const list = options.list
    ? `New codes:\n${s.steps
        .filter((x) => x.new > 0)
        .map((x) => mask(`  ${x.transcript}: ${x.codes.join(', ')}\n`))
        .join('')}`
    : '';
  return `${title}\n${table}${list}Codes are counted as applied (the most specific ones).\n${mask(saturationStatement(s, 'en'))}\n`;
}

/** CSV: one row per interview, with its new codes separated by spaces. */
export function saturationCsv(s: Saturation, redactor?: Redactor): string {
  return renderCsv([['order', 'transcript', 'date', 'new', 'cumulative', 'codes'], ...s.steps.map((x, i) => [i + 1, x.transcript, x.date, x.new, x.cumulative, x.codes.join(' ')])], redactor);
}

