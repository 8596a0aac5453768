/**
 * Charts as Mermaid blocks, which GitHub and GitLab draw in place of the code
 * and which stay readable as text elsewhere. Only the stable core of
 * `xychart-beta` is used (title, a categorical x-axis, a numeric y-axis, bar
 * and line series): one bar series per chart, since several bar series are
 * drawn on top of each other rather than side by side.
 */
import { maxOf } from '../core/arrays.js';

/** Longest category label; longer ones are shortened with "…". */
export const MAX_LABEL = 40;

/** A string as a Mermaid quoted string: no double quote, no line break, not too long. */
export function mermaidString(text: string, max = MAX_LABEL): string {
  let s = text.replace(/["\\]/gu, "'").replace(/[\r\n]+/gu, ' ').replace(/\s+/gu, ' ').trim();
  if ([...s].length > max) s = `${[...s].slice(0, max - 1).join('').trimEnd()}…`;
  return `"${s}"`;
}

/** A number as Mermaid reads it: at most one decimal, no exponent. */
function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/** Options of {@link barChart}. */
export interface BarChart {
  title?: string;
  /** Category labels, left to right. */
  labels: readonly string[];
  /** One value per label. */
  values: readonly number[];
  /** Title of the value axis. */
  axis: string;
  /** Top of the value axis (default: the largest value, at least 1). */
  max?: number;
  /** An optional line series drawn over the bars (same axis). */
  line?: readonly number[];
  /** The names of the bar and line series, for a legend (the deck and the Word document; Mermaid has none). */
  names?: { bars: string; line: string };
}

/**
 * A fenced `mermaid` block with an `xychart-beta` bar chart.
 *
 * @returns
 *   The block, without a trailing newline.
 */
export function barChart(chart: BarChart): string {
  const top = chart.max ?? maxOf(chart.values, maxOf(chart.line ?? [], 1));
  return [
    '```mermaid',
    'xychart-beta',
    ...(chart.title ? [`    title ${mermaidString(chart.title, 80)}`] : []),
    `    x-axis [${chart.labels.map((l) => mermaidString(l)).join(', ')}]`,
    `    y-axis ${mermaidString(chart.axis, 60)} 0 --> ${num(top)}`,
    `    bar [${chart.values.map(num).join(', ')}]`,
    ...(chart.line ? [`    line [${chart.line.map(num).join(', ')}]`] : []),
    '```',
  ].join('\n');
}
