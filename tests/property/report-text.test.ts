/**
 * The report's text functions were rewritten to run in linear time (issue 14,
 * findings F8 and F9): these properties hold that they still give what the
 * regular expressions they replace gave, on strings made of the characters
 * those expressions care about. The references below are the functions as
 * they were, quadratic on long runs and kept here only for comparison.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cell, listItems } from '../../src/report/markdown.js';
import { englishTypography, frenchTypography, protectedParts, quoteMarks } from '../../src/report/typography.js';
import { cleanQuote, countWords, cutSentence, holdsOneOf, sentenceRanges, sentenceWindows, spanWindows, widenOver, type QuoteWindow } from '../../src/report/verbatims.js';

/** Strings of the given pieces, short enough for the quadratic references. */
const made = (pieces: readonly string[], maxLength = 40): fc.Arbitrary<string> => fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(''));
const RUNS = { numRuns: 3000 };

describe('sentences', () => {
  const ABBREVIATIONS = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Dr', 'Pr', 'Me', 'Mgr', 'St', 'Ste', 'cf', 'Cf', 'p', 'pp', 'ex', 'Mr', 'Mrs', 'Ms', 'vs', 'av', 'apr', 'env', 'No', 'n°']);
  const SENTENCE_END = /[.!?…]+["»”’)\]]*(?=\s)/gu;
  const SENTENCE_START = /[\p{Lu}\p{N}«“"([—–-]/u;
  function reference(text: string, from = 0, to = text.length): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    const slice = text.slice(from, to);
    const push = (start: number, end: number): void => {
      const part = slice.slice(start, end);
      if (part.trim() === '') return;
      out.push({ start: from + start + part.length - part.trimStart().length, end: from + end - (part.length - part.trimEnd().length) });
    };
    let start = 0;
    SENTENCE_END.lastIndex = 0;
    for (let m = SENTENCE_END.exec(slice); m; m = SENTENCE_END.exec(slice)) {
      const end = m.index + m[0].length;
      const next = /\S/u.exec(slice.slice(end));
      if (!next || !SENTENCE_START.test(next[0])) continue;
      if (m[0] === '.') {
        const word = /([\p{L}°]+)$/u.exec(slice.slice(0, m.index))?.[1];
        if (word !== undefined && (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word))) continue;
      }
      push(start, end);
      start = end;
    }
    push(start, slice.length);
    return out;
  }
  // Words (abbreviations, initials, longer words, letters of two units), then what ends a sentence or not.
  const PIECES = ['M', 'Mme', 'Mlles', 'xMlles', 'cf', 'n°', '°', 'J', 'x', 'aaaaaaa', 'Le', 'é', 'É', '𝐀', '𝐀𝐀𝐀𝐀', '1', '\ud835'];
  const MARKS = ['. ', '.', '. ', '..', '! ', '?', '…» ', '.) ', '." ', '.]', '?\n', ' ', '  ', '\u00a0', '(', '«', '—'];

  it('split where the reference splits, in a whole text and in a part of it', () => {
    fc.assert(
      fc.property(made([...PIECES, ...MARKS, ...MARKS]), fc.nat(), fc.nat(), (text, a, b) => {
        expect(sentenceRanges(text)).toEqual(reference(text));
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        expect(sentenceRanges(text, from, to)).toEqual(reference(text, from, to));
      }),
      RUNS,
    );
  });
});

describe('quotes', () => {
  const STAGE_DIRECTION = /\s*\(\s*(?:rires?|sourires?|silence|pause|soupirs?|hésitations?|hésite|inaudibles?|laughs?|laughter|laughing|sighs?|inaudible|coughs?|toux)\s*\)/giu;
  const FILLER = /(?<![\p{L}\p{N}])(?:euh+|heu+|hum+|hmm+|um+|uh+|erm)(?![\p{L}\p{N}])[\s,…]*/giu;
  function reference(raw: string, sentenceStart = true): string {
    let s = raw
      .replace(STAGE_DIRECTION, '')
      .replace(FILLER, '')
      .replace(/[*]+/gu, '')
      .replace(/\s+/gu, ' ')
      .replace(/\s+([,.…])/gu, '$1')
      .replace(/([,;:])(?:\s*[,;:])+/gu, '$1')
      .replace(/^[\s,;:]+/u, '')
      .trim();
    s = s.replace(/[\\`<_]/gu, (c) => `\\${c}`);
    if (sentenceStart) s = s.replace(/^(\p{Ll})/u, (c) => c.toUpperCase());
    return s;
  }
  const PIECES = [' ', '  ', '\t', '\n', '\u00a0', '(', ')', '( ', ' )', 'rire', 'Rires', 'toux', 'ſilence', 'euh', 'Hum', 'hmmm', 'x', 'mot', ',', ';', ':', '…', '.', '*', '_', '<', 'é'];

  it('cleanQuote cleans as the reference does', () => {
    fc.assert(
      fc.property(made(PIECES), fc.boolean(), (text, start) => {
        expect(cleanQuote(text, start)).toBe(reference(text, start));
      }),
      RUNS,
    );
  });

  it('countWords counts what the word expression matches', () => {
    const WORDS = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
    const pieces = ['a', 'É', '9', "'", '’', '-', '--', ' ', '\u0301', 'ß', '\u{1d400}', '\ud835', '.', 'œ', '٣'];
    fc.assert(
      fc.property(made(pieces), (text) => {
        expect(countWords(text)).toBe(text.match(WORDS)?.length ?? 0);
      }),
      RUNS,
    );
  });

  function cutReference(text: string, range: { start: number; end: number }, min: number, max: number): number {
    const part = text.slice(range.start, range.end);
    const ends: number[] = [];
    const word = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
    for (let m = word.exec(part); m; m = word.exec(part)) ends.push(m.index + m[0].length);
    if (ends.length <= max) return range.end;
    const limit = ends[max - 1] as number;
    const from = ends[min - 1] as number;
    let cut = -1;
    const re = /\s*[,;:]|\s+[—–-]\s/gu;
    for (let m = re.exec(part); m; m = re.exec(part)) {
      if (m.index >= from && m.index <= limit) cut = m.index;
      if (m.index > limit) break;
    }
    return range.start + (cut >= 0 ? cut : limit);
  }

  it('cutSentence cuts where the reference cuts', () => {
    fc.assert(
      fc.property(made(['w', 'mot', ' ', '  ', '\n', ',', ' ,', ';', ':', ' - ', ' — ', '-', '–'], 60), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }), (text, min, more) => {
        const range = { start: 0, end: text.length };
        expect(cutSentence(text, range, min, min + more)).toBe(cutReference(text, range, min, min + more));
      }),
      RUNS,
    );
  });
});

describe('windows of a span', () => {
  const STAGE_DIRECTION = /\s*\(\s*(?:rires?|sourires?|silence|pause|soupirs?|hésitations?|hésite|inaudibles?|laughs?|laughter|laughing|sighs?|inaudible|coughs?|toux)\s*\)/giu;
  const FILLER = /(?<![\p{L}\p{N}])(?:euh+|heu+|hum+|hmm+|um+|uh+|erm)(?![\p{L}\p{N}])[\s,…]*/giu;
  const isBlank = (text: string): boolean => /^[\s«"“(—–-]*$/u.test(text.replace(STAGE_DIRECTION, '').replace(FILLER, ''));
  type R = { start: number; end: number };
  function reference(text: string, sentences: readonly R[], span: R, min: number, max: number): QuoteWindow[] {
    let { start, end } = span;
    const firstIndex = sentences.findIndex((s) => s.end > start);
    let lastIndex = -1;
    for (let k = sentences.length - 1; k >= 0; k--) if ((sentences[k] as R).start < end) { lastIndex = k; break; }
    if (firstIndex < 0 || lastIndex < firstIndex) return [];
    const first = sentences[firstIndex] as R;
    const last = sentences[lastIndex] as R;
    if (start <= first.start || isBlank(text.slice(first.start, start))) start = first.start;
    if (end >= last.end || /^[\s.!?…;:,»"”)\]]*$/u.test(text.slice(end, last.end))) end = last.end;
    const midStart = start !== first.start;
    const midEnd = end !== last.end;
    const words = countWords(text.slice(start, end));
    if (words >= min && words <= max) return [{ start, end, cutStart: midStart, cutEnd: midEnd }];
    if (words > max) {
      const pieces = sentences.slice(firstIndex, lastIndex + 1).map((s) => ({ start: Math.max(s.start, start), end: Math.min(s.end, end) }));
      return sentenceWindows(text, pieces, min, max).map((w) => ({ start: w.start, end: w.end, cutStart: w.start !== start || midStart, cutEnd: w.cutEnd || w.end !== end || midEnd }));
    }
    let i = firstIndex;
    let j = lastIndex;
    let total = countWords(text.slice(first.start, last.end));
    const wordsOf = (k: number): number => countWords(text.slice((sentences[k] as R).start, (sentences[k] as R).end));
    while (total < min) {
      if (j + 1 < sentences.length && total + wordsOf(j + 1) <= max) {
        j++;
        total += wordsOf(j);
      } else if (i > 0 && total + wordsOf(i - 1) <= max) {
        i--;
        total += wordsOf(i);
      } else break;
    }
    if (total < min || total > max) return [];
    return [{ start: (sentences[i] as R).start, end: (sentences[j] as R).end, cutStart: false, cutEnd: false }];
  }
  // Words, stage directions and fillers (whole, in pieces, joined by a stage direction), sentences without a word.
  const PIECES = ['Mot', 'mot', 'x', 'Euh', 'euh', 'eu', 'h', 'hm', 'er', 'rm', '(rire)', '( Rires )', '(', ')', 'rire', '«', '"', '—', '-', ',', '…', '. ', '! ', '. — . ', '. — ', ' ', '  ', '\n', '\u00a0', '’', '1', 'é'];

  // Openings that are nearly blank: fillers, their pieces brought together by a stage direction, a word now and then.
  const OPENINGS = ['eu', 'h', 'hm', 'er', 'm', 'euh', 'Hum', '(rire)', '(', ')', ' ', ',', '…', '«', 'x', '. ', '. — '];

  it.each([
    ['words, marks and sentences', PIECES],
    ['nearly blank openings', OPENINGS],
  ])('spanWindows gives what the reference gives, for any span and limits (%s)', (_, pieces) => {
    fc.assert(
      fc.property(made(pieces, 30), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 8 }), (text, a, b, min, more) => {
        const sentences = sentenceRanges(text);
        const start = a % (text.length + 1);
        const span = { start, end: start + (b % (text.length - start + 1)) };
        expect(spanWindows(text, sentences, span, min, min + more)).toEqual(reference(text, sentences, span, min, min + more));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('windows against keywords and redacted names', () => {
  type R = { start: number; end: number };
  const range = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 })).map(([start, length]): R => ({ start, end: start + length }));
  /** Sorted, disjoint ranges, as a redactor finds them. */
  const disjoint = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 6 })), { maxLength: 12 }).map((gaps) => {
    const out: R[] = [];
    let at = 0;
    for (const [gap, length] of gaps) {
      out.push({ start: at + gap, end: at + gap + length });
      at += gap + length;
    }
    return out;
  });

  it('holdsOneOf says what a search of every word says', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.array(range, { maxLength: 12 }), (words, windows) => {
        const holds = holdsOneOf(words);
        for (const w of windows) expect(holds(w)).toBe(words.some((e) => e.start >= w.start && e.end <= w.end));
      }),
      RUNS,
    );
  });

  it('widenOver widens as a pass over every name did', () => {
    fc.assert(
      fc.property(disjoint, range, (ranges, window) => {
        const expected = { ...window };
        for (const r of ranges) {
          if (r.start < expected.end && expected.start < r.end && (r.start < expected.start || r.end > expected.end)) {
            expected.start = Math.min(expected.start, r.start);
            expected.end = Math.max(expected.end, r.end);
          }
        }
        const w = { ...window };
        widenOver(w, ranges);
        expect(w).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('typography', () => {
  const NBSP = '\u00a0';
  const NNBSP = '\u202f';
  const SPACES = `[ ${NBSP}${NNBSP}]`;
  const AFTER_MARK = `(?=[\\s*_»)\\]"”'’…,.]|$)`;
  const COLON = new RegExp(`([^\\s${NBSP}${NNBSP}([«])${SPACES}?:${AFTER_MARK}`, 'gu');
  const HIGH = new RegExp(`([^\\s${NBSP}${NNBSP}([«])${SPACES}?([;?!]+)${AFTER_MARK}`, 'gu');
  const OPEN_GUILLEMET = new RegExp(`«${SPACES}*`, 'gu');
  const CLOSE_GUILLEMET = new RegExp(`${SPACES}*»`, 'gu');
  const PERCENT = new RegExp(`(\\d)${SPACES}?%`, 'gu');
  const PROTECTED = /```[\s\S]*?```|`[^`\n]*`|\]\([^)\s]*\)|<[^>\n]+>|\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]]+/giu;
  function guarded(text: string, fn: (s: string) => string): string {
    const kept: string[] = [];
    const masked = text.replace(PROTECTED, (m) => {
      kept.push(m);
      return `\uE000${kept.length - 1}\uE001`;
    });
    return fn(masked).replace(/\uE000(\d+)\uE001/gu, (_, i: string) => kept[Number(i)] as string);
  }
  function pairQuotes(text: string, open: string, close: string): string {
    return text.replace(/["“”]/gu, (mark, offset: number, whole: string) => {
      if (mark === '“') return open;
      if (mark === '”') return close;
      const before = offset === 0 ? '' : whole[offset - 1];
      return before === '' || before === undefined || /[\s([{—–\-/]/u.test(before) ? open : close;
    });
  }
  function french(text: string, options: { quotes?: boolean } = {}): string {
    return guarded(text, (s) =>
      (options.quotes === false ? s : pairQuotes(s, '«', '»'))
        .replace(OPEN_GUILLEMET, `«${NBSP}`)
        .replace(CLOSE_GUILLEMET, `${NBSP}»`)
        .replace(COLON, `$1${NBSP}:`)
        .replace(HIGH, `$1${NBSP}$2`)
        .replace(PERCENT, `$1${NNBSP}%`),
    );
  }
  const english = (text: string): string => guarded(text, (s) => pairQuotes(s, '“', '”'));
  function quotes(text: string): string {
    const trimmed = text.trim();
    return french(`«${NBSP}${pairQuotes(trimmed, '“', '”')}${NBSP}»`, { quotes: false });
  }

  // What the protected parts, the high marks and the guillemets are made of, and letters that fold (ſ, K).
  const PIECES = ['`', '```', ']', '(', ')', ']()', '<', '>', '\n', ' ', '  ', NBSP, NNBSP, '\t', 'http', 'x', 'ſ', 'K', 'é', '1', '+', '.', '-', ':', '://', '/', ';', '?', '!', '!!', '«', '»', '"', '“', '”', '%', ',', '*', '_', '’', '\uE000', '0'];

  it('protectedParts are the matches of the former expression', () => {
    fc.assert(
      fc.property(made(PIECES, 50), (text) => {
        expect(protectedParts(text)).toEqual([...text.matchAll(PROTECTED)].map((m) => [m.index, m.index + m[0].length]));
      }),
      { numRuns: 10_000 },
    );
  });

  it('French and English typography, and quote marks, give what the former expressions gave', () => {
    fc.assert(
      fc.property(made(PIECES, 50), (text) => {
        expect(frenchTypography(text)).toBe(french(text));
        expect(frenchTypography(text, { quotes: false })).toBe(french(text, { quotes: false }));
        expect(englishTypography(text)).toBe(english(text));
        expect(quoteMarks(text, 'fr')).toBe(quotes(text));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('Markdown of the analyst', () => {
  const cellReference = (text: string): string => text.replace(/\s*[\r\n]+\s*/gu, ' ').replace(/\|/gu, '\\|');
  const PIECES = [' ', '  ', '\t', '\n', '\r', '\r\n', '\n\n', '\u00a0', '- ', '* ', '  - ', 'a', 'mot', '|'];

  it('cell and listItems join lines as the former expressions did', () => {
    fc.assert(
      fc.property(made(PIECES), (text) => {
        expect(cell(text)).toBe(cellReference(text));
        const plain = text.replace(/[-*+]/gu, 'x');
        const reference = plain.trim() === '' ? [] : plain.replace(/\r\n?/gu, '\n').split(/\n\s*\n/u).map((p) => p.replace(/\s*\n\s*/gu, ' ').trim()).filter((p) => p !== '');
        expect(listItems(plain)).toEqual(reference);
      }),
      RUNS,
    );
  });
});
