/**
 * The keyword matcher, compiled once from the codebook. Keyword forms:
 *
 * - `word`: any word with the same stem (`alliances` → `allianc`);
 * - `two words`: that sequence of stems (elisions dropped: `donneur d'ordre`);
 * - `word*`: any word whose folded form starts with `word`;
 * - `=word`: the folded word itself, unstemmed (`=commune` is not `commun`);
 * - `patterns`: regular expressions on the paragraph, case-insensitive;
 * - `unless`: keywords that veto the code in a paragraph.
 */
import safeRegex from 'safe-regex2';
import type { Codebook, Language } from '../project/model.js';
import { fold } from './normalize.js';
import { createStemmer, type Stem } from './stem.js';
import { tokenize, type Token } from './tokenize.js';

/** One word of a keyword. */
export interface Element {
  kind: 'stem' | 'prefix' | 'exact';
  /** The stem, folded prefix or folded word to compare with. */
  value: string;
}

/** A compiled keyword (or `unless` veto) of a code. */
export interface CompiledKeyword {
  code: string;
  /** The keyword as written in the codebook. */
  source: string;
  elements: Element[];
  /** Index in the code's `keywords` (or `unless`) list. */
  index: number;
  veto: boolean;
}

/** Why a code was auto-coded: one keyword or pattern match. */
export interface Evidence {
  /** The keyword or pattern as written in the codebook. */
  keyword: string;
  kind: 'keyword' | 'pattern';
  /** `[start, end)` of the matched words in the matched text. */
  start: number;
  end: number;
  /** The matched words as written. */
  text: string;
}

/** A keyword or pattern that cannot be used, for `check`. */
export interface MatcherProblem {
  code: string;
  list: 'keywords' | 'patterns' | 'unless';
  index: number;
  ruleId: 'invalid-keyword' | 'invalid-pattern' | 'unsafe-pattern';
  message: string;
}

/** The compiled matcher. */
export interface Matcher {
  language: Language;
  keywords: CompiledKeyword[];
  problems: MatcherProblem[];
  stem: Stem;
  /** Codes found in `text`, with their evidence, in codebook order; vetoes applied. */
  match(text: string): Map<string, Evidence[]>;
}

/** Longest text a pattern runs on at once: bounds the cost of any regular expression. */
export const PATTERN_WINDOW = 20_000;

/** Parses one keyword into elements; an empty list means the keyword has no word. */
export function compileKeyword(source: string, language: Language, stem: Stem): Element[] {
  const elements: Element[] = [];
  // `*` and `=` are markers on a word, so find them around each token.
  for (const token of tokenize(source, language)) {
    const exact = source[token.start - 1] === '=';
    const prefix = source[token.end] === '*';
    if (exact) elements.push({ kind: 'exact', value: fold(token.text) });
    else if (prefix) elements.push({ kind: 'prefix', value: fold(token.text) });
    else elements.push({ kind: 'stem', value: stem(token.text) });
  }
  return elements;
}

/** Compiles the codebook's keywords, vetoes and patterns. */
export function compileMatcher(codebook: Codebook, language: Language, stem: Stem = createStemmer(language)): Matcher {
  const keywords: CompiledKeyword[] = [];
  const problems: MatcherProblem[] = [];
  const patterns: { code: string; source: string; re: RegExp }[] = [];
  for (const code of codebook.codes.values()) {
    const lists: ['keywords' | 'unless', string[]][] = [
      ['keywords', code.keywords],
      ['unless', code.unless],
    ];
    for (const [list, words] of lists) {
      words.forEach((source, index) => {
        const elements = compileKeyword(source, language, stem);
        if (elements.length === 0) {
          problems.push({ code: code.id, list, index, ruleId: 'invalid-keyword', message: `The keyword \`${source}\` of \`${code.id}\` has no word in it; write a word or a phrase.` });
          return;
        }
        keywords.push({ code: code.id, source, elements, index, veto: list === 'unless' });
      });
    }
    code.patterns.forEach((source, index) => {
      let re: RegExp;
      try {
        re = new RegExp(source, 'giu');
      } catch (error) {
        problems.push({ code: code.id, list: 'patterns', index, ruleId: 'invalid-pattern', message: `The pattern \`${source}\` of \`${code.id}\` is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}.` });
        return;
      }
      if (!safeRegex(source) || nestedQuantifiedAlternation(source)) {
        problems.push({ code: code.id, list: 'patterns', index, ruleId: 'unsafe-pattern', message: `The pattern \`${source}\` of \`${code.id}\` can backtrack catastrophically (a repeated group inside a repetition); rewrite it without nested repetition, or use keywords.` });
        return;
      }
      patterns.push({ code: code.id, source, re });
    });
  }
  const order = new Map([...codebook.codes.keys()].map((id, i) => [id, i]));
  const index = buildIndex(keywords);

  const match = (text: string): Map<string, Evidence[]> => {
    const tokens = tokenize(text, language);
    const found = new Map<string, Evidence[]>();
    const vetoed = new Set<string>();
    const folded: (string | undefined)[] = new Array(tokens.length);
    const stems: (string | undefined)[] = new Array(tokens.length);
    const foldAt = (i: number): string => (folded[i] ??= fold((tokens[i] as Token).text));
    const stemAt = (i: number): string => (stems[i] ??= stem((tokens[i] as Token).text));
    const elementMatches = (e: Element, i: number): boolean => {
      if (i >= tokens.length) return false;
      if (e.kind === 'stem') return stemAt(i) === e.value;
      if (e.kind === 'exact') return foldAt(i) === e.value;
      return foldAt(i).startsWith(e.value);
    };
    for (let i = 0; i < tokens.length; i++) {
      const candidates = [...(index.byStem.get(stemAt(i)) ?? []), ...(index.byExact.get(foldAt(i)) ?? []), ...index.prefixed];
      for (const k of candidates) {
        if (!k.elements.every((e, j) => elementMatches(e, i + j))) continue;
        if (k.veto) {
          vetoed.add(k.code);
          continue;
        }
        const first = tokens[i] as Token;
        const last = tokens[i + k.elements.length - 1] as Token;
        addEvidence(found, k.code, { keyword: k.source, kind: 'keyword', start: first.start, end: last.end, text: text.slice(first.start, last.end) });
      }
    }
    for (const p of patterns) {
      for (let from = 0; from < text.length; from += PATTERN_WINDOW) {
        const window = text.slice(from, from + PATTERN_WINDOW);
        p.re.lastIndex = 0;
        for (const m of window.matchAll(p.re)) {
          if (m[0] === '') continue;
          addEvidence(found, p.code, { keyword: p.source, kind: 'pattern', start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
        }
      }
    }
    for (const code of vetoed) found.delete(code);
    return new Map([...found].sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0)));
  };
  return { language, keywords, problems, stem, match };
}

function addEvidence(found: Map<string, Evidence[]>, code: string, evidence: Evidence): void {
  const list = found.get(code);
  if (list) list.push(evidence);
  else found.set(code, [evidence]);
}

interface Index {
  byStem: Map<string, CompiledKeyword[]>;
  byExact: Map<string, CompiledKeyword[]>;
  prefixed: CompiledKeyword[];
}

/** Keywords indexed by their first element, so that most tokens are looked up once. */
function buildIndex(keywords: readonly CompiledKeyword[]): Index {
  const index: Index = { byStem: new Map(), byExact: new Map(), prefixed: [] };
  for (const k of keywords) {
    const first = k.elements[0] as Element;
    if (first.kind === 'prefix') index.prefixed.push(k);
    else {
      const map = first.kind === 'stem' ? index.byStem : index.byExact;
      const list = map.get(first.value);
      if (list) list.push(k);
      else map.set(first.value, [k]);
    }
  }
  return index;
}

/**
 * Catches what safe-regex2's star-height test misses: a repeated group whose
 * alternatives can match the same text, such as `(a|a)*` or `(\w|\d)+`.
 */
function nestedQuantifiedAlternation(source: string): boolean {
  return /\((?:\?:)?[^()]*\|[^()]*\)[*+{]/.test(source) && /\((?:\?:)?([^()|]*)\|\1\)/.test(source.replace(/\\[wdsWDS]/g, 'X'))
    ? true
    : /\((?:\?:)?[^()]*\\[wd][^()]*\|[^()]*\\[wd][^()]*\)[*+{]/.test(source);
}
