/**
 * `verbatim profiles --by ATTR`: for each value of an attribute, the codes
 * over-represented in that group, with the rule applied stated.
 */
import { attributeProblem } from '../../analysis/dataset.js';
import { distinctiveCodes, distinctiveRuleStatement, type Distinctive, type DistinctiveCode } from '../../analysis/distinctive.js';
import { quantifier, type Quantifier } from '../../analysis/quantifier.js';
import type { Redactor } from '../../core/redact.js';
import type { Language } from '../../project/model.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { parseProbability, parseWhole } from '../numbers.js';
import {
  exitFor,
  loadDataset,
  outputFormat,
  parseUnit,
  pctCell,
  renderCsv,
  renderJson,
  renderTable,
  type FilterFlags,
} from './analysis-shared.js';

/** Options of `verbatim profiles` as commander parses them. */
export interface ProfilesOptions extends FilterFlags {
  by?: string;
  codes?: string[];
  unit?: string;
  method?: string;
  minGap?: string;
  minCount?: string;
  alpha?: string;
  language?: string;
  json?: boolean;
  csv?: boolean;
}

/** `verbatim profiles`: the distinctive codes of each group on stdout. */
export async function profiles(options: ProfilesOptions, ctx: Context): Promise<ExitCode> {
  const format = outputFormat(options);
  const unit = parseUnit(options.unit);
  if (!options.by) throw new UsageError('`profiles` needs `--by ATTR` (e.g. `--by sphere`).');
  const method = options.method ?? 'auto';
  if (!['auto', 'share', 'g2'].includes(method)) throw new UsageError(`\`--method\` is \`auto\`, \`share\` or \`g2\`, not \`${method}\`.`);
  // A lead of more than 100 points is impossible: a larger gap is a mistake.
  const minGap = parseWhole(options.minGap, '--min-gap', { fallback: 25, min: 0, max: 100 });
  const minCount = parseWhole(options.minCount, '--min-count', { fallback: 2, min: 1 });
  const alpha = parseProbability(options.alpha, '--alpha', 0.05);
  if (options.language !== undefined && options.language !== 'fr' && options.language !== 'en') throw new UsageError(`\`--language\` is \`fr\` or \`en\`, not \`${options.language}\`.`);
  const by = options.by;
  const loaded = loadDataset(ctx, options, (ds) => attributeProblem(ds, by));
  if (!loaded) return EXIT.problems;
  const language: Language = (options.language as Language | undefined) ?? loaded.project.config.language;
  const result = distinctiveCodes(loaded.ds, {
    by,
    ...(options.codes && options.codes.length > 0 ? { codes: options.codes } : {}),
    unit,
    method: method as 'auto' | 'share' | 'g2',
    minGap,
    minCount,
    alpha,
  });
  const { redactor } = loaded;
  if (format === 'json') ctx.io.stdout(renderJson(profilesJson(result, language), redactor));
  else if (format === 'csv') ctx.io.stdout(profilesCsv(result, language, redactor));
  else ctx.io.stdout(formatProfiles(result, { color: ctx.color, language, filters: loaded.filters, redactor, width: ctx.io.columns }));
  return exitFor(loaded);
}

/** The quantifier of a code's share in its group. */
function words(c: DistinctiveCode, language: Language): Quantifier {
  return quantifier(c.n === 0 ? 0 : c.count / c.n, c.n, language);
}

/**
 * The result with the rule stated in the chosen language and, for
 * respondents (quantifier words speak of people, not segments), a quantifier
 * per code.
 */
export function profilesJson(result: Distinctive, language: Language): unknown {
  const people = result.unit === 'respondents';
  return {
    ...result,
    statement: distinctiveRuleStatement(result.rule, language),
    groups: result.groups.map((g) => ({ ...g, codes: g.codes.map((c) => (people ? { ...c, quantifier: words(c, language) } : c)) })),
  };
}

/** The terminal table: one block of rows per group, the rule above. */
export function formatProfiles(result: Distinctive, options: { color: boolean; language: Language; filters?: string; redactor?: Redactor; width?: number | undefined }): string {
  const g2 = result.rule.method === 'g2';
  const people = result.unit === 'respondents';
  const head = ['Group', 'Code', 'In group', 'Others', 'Gap', ...(g2 ? ['G²', 'p'] : []), ...(people ? ['Words'] : [])];
  const rows: string[][] = [];
  for (const g of result.groups) {
    // The value's label in the panel, and its id (what --where takes).
    const group = g.label === g.value ? `${g.value} (n=${g.n})` : `${g.label} (${g.value}, n=${g.n})`;
    if (g.codes.length === 0) {
      rows.push([group, '(no distinctive code)', '', '', '', ...(g2 ? ['', ''] : []), ...(people ? [''] : [])]);
      continue;
    }
    g.codes.forEach((c, i) => {
      rows.push([
        i === 0 ? group : '',
        c.code,
        `${c.count}/${c.n} (${pctCell(c.count, c.n)})`,
        `${c.restCount}/${c.restN} (${pctCell(c.restCount, c.restN)})`,
        `+${Math.round(c.gap)}`,
        ...(g2 ? [(c.g2 ?? 0).toFixed(2), formatP(c.p ?? 1)] : []),
        ...(people ? [words(c, options.language).word] : []),
      ]);
    });
  }
  const title = `Distinctive codes by ${result.byLabel === result.by ? result.by : `${result.byLabel} (${result.by})`}${options.filters ? `; only ${options.filters}` : ''}.`;
  const align = ['left', 'left', 'right', 'right', 'right', ...(g2 ? ['right', 'right'] : []), 'left'] as ('left' | 'right')[];
  const note = `Gap: percentage points of the group over the others.${people ? " Words: the quantifier of the group's share." : ''}`;
  return `${title}\n${distinctiveRuleStatement(result.rule, 'en')}\n${renderTable(head, rows, { color: options.color, align, width: options.width, ...(options.redactor ? { redactor: options.redactor } : {}) })}${note}\n`;
}

/** A p-value for display: three significant digits, `< 0.0001` below that. */
export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p.toPrecision(3);
}

/** CSV: one row per distinctive code. */
export function profilesCsv(result: Distinctive, language: Language, redactor?: Redactor): string {
  const header = ['by', 'value', 'group_n', 'code', 'label', 'count', 'share', 'rest_count', 'rest_n', 'rest_share', 'gap', 'g2', 'p', 'quantifier', 'method'];
  const r = (x: number): number => Math.round(x * 10) / 10;
  const rows = result.groups.flatMap((g) =>
    g.codes.map((c) => [
      result.by,
      g.value,
      g.n,
      c.code,
      c.label,
      c.count,
      r((100 * c.count) / c.n),
      c.restCount,
      c.restN,
      r((100 * c.restCount) / c.restN),
      r(c.gap),
      c.g2 === undefined ? undefined : Math.round(c.g2 * 1000) / 1000,
      c.p,
      result.unit === 'respondents' ? words(c, language).word : undefined,
      result.rule.method,
    ]),
  );
  return renderCsv([header, ...rows], redactor);
}

