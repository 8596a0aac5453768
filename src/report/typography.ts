/**
 * Typography of the generated reports.
 *
 * French (`fr`), the rules of the French national printing office as a
 * consultancy applies them:
 *
 * | where                                   | what                                         |
 * |-----------------------------------------|----------------------------------------------|
 * | before `:` `;` `?` `!`                  | a no-break space U+00A0 (replacing a space)  |
 * | inside « »                              | a no-break space U+00A0 after « and before » |
 * | straight or curly double quotes `"x"`   | become « x »                                 |
 * | before `%` after a figure               | a narrow no-break space U+202F (`67 %`)      |
 * | thousands of generated figures          | a narrow no-break space U+202F (`12 345`)    |
 *
 * The narrow space (U+202F) is kept for figures, where it is the usual
 * separator; the four punctuation marks and the guillemets get the full
 * no-break space, which every font has and every renderer keeps.
 *
 * English (`en`): straight double quotes become “ ”; nothing else changes.
 *
 * Markdown syntax is left alone: fenced code, inline code, URLs, link
 * targets, autolinks and HTML tags or comments are protected before the rules
 * run. The functions are idempotent: typography applied twice is applied once.
 */
import type { Language } from '../project/model.js';

/** No-break space. */
export const NBSP = '\u00a0';
/** Narrow no-break space. */
export const NNBSP = '\u202f';

const SPACES = `[ ${NBSP}${NNBSP}]`;
/** What may follow a high punctuation mark for it to be one (not `12:30`, not `![image]`). */
const AFTER_MARK = `(?=[\\s*_»)\\]"”'’…,.]|$)`;
const COLON = new RegExp(`([^\\s${NBSP}${NNBSP}([«])${SPACES}?:${AFTER_MARK}`, 'gu');
// A run of `;?!` is read from the character before it (or its first mark) only: from each of its
// marks, the rest of a long run was read again (quadratic). A match never starts inside a run
// where its start failed, so the marks a run's later marks would have taken are the same.
const HIGH = new RegExp(`((?<![;?!])[;?!]|[^\\s${NBSP}${NNBSP}([«;?!])${SPACES}?([;?!]+)${AFTER_MARK}`, 'gu');
const OPEN_GUILLEMET = new RegExp(`«${SPACES}*`, 'gu');
// From the start of a run of spaces only, for the same reason.
const CLOSE_GUILLEMET = new RegExp(`(?<!${SPACES})${SPACES}*»`, 'gu');
const PERCENT = new RegExp(`(\\d)${SPACES}?%`, 'gu');

// The parts below are the matches of this expression, found in one pass:
//   /```[\s\S]*?```|`[^`\n]*`|\]\([^)\s]*\)|<[^>\n]+>|\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]]+/giu
// It reads, from each `](`, `<` or letter of a URL-like word, up to the character that ends the
// part, and again from the next one: `](](](…`, `<<<…` or `a-a-a-…` without an end took time
// quadratic in their length. Here each search for a character that ends a part goes on from where
// the previous one stopped.
/**
 * Where the Markdown that typography must not touch is: fenced code, inline
 * code, link targets, autolinks and HTML, URLs.
 *
 * @returns
 *   `[start, end)` of each part, in order.
 */
export function protectedParts(text: string): [number, number][] {
  const fence = after(text, /```/gu);
  const tickOrLine = after(text, /[`\n]/gu);
  const closeOrSpace = after(text, /[)\s]/gu);
  const angleOrLine = after(text, /[>\n]/gu);
  const notScheme = after(text, /[^a-z0-9+.-]/giu);
  const urlEnd = after(text, /[\s)>\]]/gu);
  const end = (at: number): number => {
    switch (text[at]) {
      case '`': {
        if (text.startsWith('```', at)) {
          const close = fence(at + 3);
          if (close < text.length) return close + 3;
        }
        const close = tickOrLine(at + 1);
        return text[close] === '`' ? close + 1 : -1;
      }
      case ']': {
        if (text[at + 1] !== '(') return -1;
        const close = closeOrSpace(at + 2);
        return text[close] === ')' ? close + 1 : -1;
      }
      case '<': {
        const close = angleOrLine(at + 1);
        return close > at + 1 && text[close] === '>' ? close + 1 : -1;
      }
      default: {
        // A letter at a word boundary: a scheme, `://`, then the address.
        const scheme = notScheme(at + 1);
        if (!text.startsWith('://', scheme)) return -1;
        const address = urlEnd(scheme + 3);
        return address > scheme + 3 ? address : -1;
      }
    }
  };
  const out: [number, number][] = [];
  const starts = /[`\]<]|\b[a-z]/giu;
  for (let m = starts.exec(text); m; m = starts.exec(text)) {
    const e = end(m.index);
    if (e < 0) continue;
    out.push([m.index, e]);
    starts.lastIndex = e;
  }
  return out;
}

/**
 * The first match of `pattern` (global) at or after a position, or the
 * text's length; asked at positions that mostly grow, it searches each part
 * of the text once: the last answer holds for every position up to it.
 */
function after(text: string, pattern: RegExp): (from: number) => number {
  let askedFrom = Infinity;
  let found = -1;
  return (from) => {
    if (from < askedFrom || from > found) {
      pattern.lastIndex = from;
      found = pattern.exec(text)?.index ?? text.length;
      askedFrom = from;
    }
    return found;
  };
}

/** Replaces protected parts with placeholders, runs `fn`, puts them back. */
function guarded(text: string, fn: (s: string) => string): string {
  const kept: string[] = [];
  let masked = '';
  let at = 0;
  for (const [start, end] of protectedParts(text)) {
    masked += `${text.slice(at, start)}\uE000${kept.length}\uE001`;
    kept.push(text.slice(start, end));
    at = end;
  }
  masked += text.slice(at);
  // A placeholder is not a letter: a colon right after a URL stays as written.
  return fn(masked).replace(/\uE000(\d+)\uE001/gu, (_, i: string) => kept[Number(i)] as string);
}

/**
 * Straight (and curly English) double quotes to a pair of quote marks: a mark
 * after a space, an opening bracket or the start opens, any other closes.
 */
function pairQuotes(text: string, open: string, close: string): string {
  return text.replace(/["“”]/gu, (mark, offset: number, whole: string) => {
    if (mark === '“') return open;
    if (mark === '”') return close;
    const before = offset === 0 ? '' : whole[offset - 1];
    return before === '' || before === undefined || /[\s([{—–\-/]/u.test(before) ? open : close;
  });
}

/**
 * French typography on a Markdown fragment (see the module comment).
 *
 * @param options
 *   `quotes: false` leaves double quotes as they are (inside a verbatim, “ ”
 *   are the inner quote marks).
 */
export function frenchTypography(text: string, options: { quotes?: boolean } = {}): string {
  return guarded(text, (s) =>
    (options.quotes === false ? s : pairQuotes(s, '«', '»'))
      .replace(OPEN_GUILLEMET, `«${NBSP}`)
      .replace(CLOSE_GUILLEMET, `${NBSP}»`)
      .replace(COLON, `$1${NBSP}:`)
      .replace(HIGH, `$1${NBSP}$2`)
      .replace(PERCENT, `$1${NNBSP}%`),
  );
}

/** English typography on a Markdown fragment: curly double quotes. */
export function englishTypography(text: string): string {
  return guarded(text, (s) => pairQuotes(s, '“', '”'));
}

/** The typography of a language. */
export function typography(text: string, language: Language): string {
  return language === 'fr' ? frenchTypography(text) : englishTypography(text);
}

/**
 * A verbatim between quote marks: « … » with no-break spaces in French,
 * “…” in English. Double quotes inside become the inner marks (“ ” in French,
 * ‘ ’ in English), so that the outer pair stays unambiguous.
 *
 * @param text
 *   The words quoted, already cleaned (no marker, redactions masked).
 * @param language
 *   The report's language.
 */
export function quoteMarks(text: string, language: Language): string {
  const trimmed = text.trim();
  if (language === 'fr') {
    const inner = pairQuotes(trimmed, '“', '”');
    return frenchTypography(`«${NBSP}${inner}${NBSP}»`, { quotes: false });
  }
  return `“${pairQuotes(trimmed, '‘', '’')}”`;
}

/**
 * A whole number as the report writes it: thousands separated by a narrow
 * no-break space in French (`12 345`), a comma in English (`12,345`).
 */
export function formatInteger(n: number, language: Language): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(n)));
  const sep = language === 'fr' ? NNBSP : ',';
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return sign + out;
}

/** A percentage rounded to a whole number: `67 %` (narrow no-break space) in French, `67%` in English. */
export function formatPercent(count: number, base: number, language: Language): string {
  if (base === 0) return '–';
  const p = Math.round((100 * count) / base);
  return language === 'fr' ? `${p}${NNBSP}%` : `${p}%`;
}

/** The first letter in lower case, unless the word looks like an acronym (`AMF`, `PME`). */
export function lowerFirst(text: string): string {
  const m = /^(\p{Lu})(\p{Ll}|[\s'’-]|$)/u.exec(text);
  return m ? (m[1] as string).toLowerCase() + text.slice(1) : text;
}
