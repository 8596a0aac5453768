/**
 * Numeric command-line options. Every one is checked here, so that a value out
 * of range is a usage error that states the range (exit 2), never a crash
 * further on (`search --context 999999999` once built a string too long for
 * JavaScript).
 */
import { UsageError } from './context.js';

/** The range of a whole-number option. */
export interface WholeRange {
  /** The value when the option is not given. */
  fallback: number;
  min: number;
  /**
   * The largest value allowed. Without one, the option is a count with no
   * natural bound (a limit, a threshold): larger values are taken as
   * `Number.MAX_SAFE_INTEGER`, which no count reaches.
   */
  max?: number;
  /** What a special value means, for the message: `0 for all`. */
  hint?: string;
}

/**
 * Parses a whole-number option: decimal digits (and a minus sign when the
 * range allows negative values), nothing else (`1e3`, `0x10`, `1.5` and
 * `Infinity` are refused).
 *
 * @param raw
 *   The option's text, or undefined when not given.
 * @param name
 *   The option as written (`--context`), for the message.
 * @returns
 *   The value, in range.
 * @throws UsageError
 *   When the text is not a whole number or is out of range.
 */
export function parseWhole(raw: string | number | undefined, name: string, range: WholeRange): number {
  if (raw === undefined) return range.fallback;
  const text = String(raw).trim();
  const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    const allowed = range.max !== undefined ? ` from ${range.min} to ${range.max}` : range.min === 0 ? '' : ` of at least ${range.min}`;
    const note = range.hint ?? (range.min === 0 && range.max === undefined ? '0 or more' : undefined);
    throw new UsageError(`\`${name}\` takes a whole number${allowed}${note ? ` (${note})` : ''}, not \`${raw}\`.`);
  }
  return Math.min(n, range.max ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Parses a probability option (a significance level): a decimal number
 * strictly between 0 and 1, with an optional exponent (`0.05`, `.01`, `1e-3`).
 *
 * @throws UsageError
 *   When the text is not such a number.
 */
export function parseProbability(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const n = /^(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n < 1)) throw new UsageError(`\`${name}\` is a probability between 0 and 1, not \`${raw}\`.`);
  return n;
}
