/**
 * `verbatim cooc`: which codes go together, on the same segment and on the
 * same respondent, with the c-coefficient n12 / (n1 + n2 − n12).
 */
import { cooccurrence, everyPair, type Cooccurrence, type CoocPair } from '../../analysis/cooccurrence.js';
import { maskDeep, type Redactor } from '../../core/redact.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
import { DEFAULT_COOC_LIMIT } from './analysis-options.js';
import { parseWhole } from '../numbers.js';
import { exitFor, loadDataset, outputFormat, renderCsv, renderTable, type FilterFlags } from './analysis-shared.js';

/** Options of `verbatim cooc` as commander parses them. */
export interface CoocOptions extends FilterFlags {
  codes?: string[];
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

/** `verbatim cooc`: the co-occurrence of codes on stdout. */
export async function cooc(options: CoocOptions, ctx: Context): Promise<ExitCode> {
  const format = outputFormat(options);
  const limit = parseWhole(options.limit, '--limit', { fallback: DEFAULT_COOC_LIMIT, min: 0, hint: '0 for all' });
  const loaded = loadDataset(ctx, options);
  if (!loaded) return EXIT.problems;
  const result = cooccurrence(loaded.ds, options.codes && options.codes.length > 0 ? { codes: options.codes } : {});
  // CSV and JSON give every pair: written a few thousand at a time, never held (5,000 codes make 12.5 million pairs).
  const { redactor } = loaded;
  if (format === 'json') writeCoocJson(result, everyPair(loaded.ds, result), ctx.io.stdout, redactor);
  else if (format === 'csv') writeCoocCsv(everyPair(loaded.ds, result), ctx.io.stdout, redactor);
  else ctx.io.stdout(formatCooc(result, { color: ctx.color, limit, filters: loaded.filters, redactor }));
  return exitFor(loaded);
}

/** Pairs per write of the CSV and JSON outputs. */
const CHUNK = 4096;

/**
 * Pairs that occur together at least once (on a segment or a respondent),
 * strongest first: segment c, then respondent c, then segments together,
 * then codebook order.
 */
export function rankPairs(result: Cooccurrence): CoocPair[] {
  return result.pairs
    .map((p, i) => ({ p, i }))
    .sort((x, y) => y.p.segments.c - x.p.segments.c || y.p.respondents.c - x.p.respondents.c || y.p.segments.n12 - x.p.segments.n12 || x.i - y.i)
    .map(({ p }) => p);
}

/** The terminal table of the strongest pairs. */
export function formatCooc(result: Cooccurrence, options: { color: boolean; limit: number; filters?: string; redactor?: Redactor }): string {
  const ranked = rankPairs(result);
  const shown = options.limit > 0 ? ranked.slice(0, options.limit) : ranked;
  const head = ['Code A', 'Code B', 'Segments\nboth', 'Segments\nc', 'Respondents\nboth', 'Respondents\nc'];
  const rows = shown.map((p) => [
    `${p.a} (${p.segments.n1})`,
    `${p.b} (${p.segments.n2})`,
    String(p.segments.n12),
    p.segments.c.toFixed(2),
    `${p.respondents.n12} of ${p.respondents.n1 + p.respondents.n2 - p.respondents.n12}`,
    p.respondents.c.toFixed(2),
  ]);
  const lines = [`Codes that go together${options.filters ? `; only ${options.filters}` : ''}.`];
  if (ranked.length === 0) return `${lines[0]}\nNo two codes occur together.\n`;
  lines.push(renderTable(head, rows, { color: options.color, align: ['left', 'left', 'right', 'right', 'right', 'right'], ...(options.redactor ? { redactor: options.redactor } : {}) }).trimEnd());
  lines.push('(n) after a code: the segments carrying it. c = n12 / (n1 + n2 − n12): 0 never together, 1 always together.');
  lines.push('"Respondents both": respondents carrying both codes, of those carrying either.');
  if (shown.length < ranked.length) lines.push(`${ranked.length - shown.length} more pairs: use \`--limit 0\` for all, or \`--csv\`.`);
  return `${lines.join('\n')}\n`;
}

/** CSV of every pair: both levels with n1, n2, n12 and c, header first. */
export function writeCoocCsv(pairs: Iterable<CoocPair>, write: (text: string) => void, redactor?: Redactor): void {
  const header = ['code_a', 'code_b', 'segments_a', 'segments_b', 'segments_both', 'segments_c', 'respondents_a', 'respondents_b', 'respondents_both', 'respondents_c'];
  const round = (c: number): number => Math.round(c * 10000) / 10000;
  let rows: (string | number)[][] = [header];
  for (const p of pairs) {
    rows.push([p.a, p.b, p.segments.n1, p.segments.n2, p.segments.n12, round(p.segments.c), p.respondents.n1, p.respondents.n2, p.respondents.n12, round(p.respondents.c)]);
    if (rows.length >= CHUNK) {
      write(renderCsv(rows, redactor));
      rows = [];
    }
  }
  if (rows.length > 0) write(renderCsv(rows, redactor));
}

/**
 * `{codes, pairs}` as JSON, byte for byte what `renderJson` gives for the
 * whole object (two-space indentation, a final newline), written a chunk of
 * pairs at a time.
 */
export function writeCoocJson(result: Cooccurrence, pairs: Iterable<CoocPair>, write: (text: string) => void, redactor?: Redactor): void {
  const m = <T>(v: T): T => (redactor ? maskDeep(v, redactor) : v);
  const indent = (json: string, by: string): string => json.replaceAll('\n', `\n${by}`);
  write(`{\n  "codes": ${indent(JSON.stringify(m(result.codes), null, 2), '  ')},\n  "pairs": [`);
  let chunk: string[] = [];
  let first = true;
  for (const p of pairs) {
    chunk.push(`${first ? '' : ','}\n    ${indent(JSON.stringify(m(p), null, 2), '    ')}`);
    first = false;
    if (chunk.length >= CHUNK) {
      write(chunk.join(''));
      chunk = [];
    }
  }
  write(`${chunk.join('')}${first ? ']' : '\n  ]'}\n}\n`);
}
