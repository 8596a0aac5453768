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
import { scanWords, TokenBuffer } from './scanner.js';
import { createStemmer, type Stem } from './stem.js';
import { tokenize } from './tokenize.js';
import { buildTrie } from './trie.js';

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
        re = new RegExp(unicodeBoundaries(source), 'giu');
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
  const trie = buildTrie(keywords, language);
  const tokens = new TokenBuffer();
  const foldCache = new Map<string, string>();
  const foldWord = (w: string): string => {
    let f = foldCache.get(w);
    if (f === undefined) {
      f = fold(w);
      if (foldCache.size > 200_000) foldCache.clear();
      foldCache.set(w, f);
    }
    return f;
  };

  /**
   * The keywords whose first element matches a word, computed once per word
   * form (stem, folded form and folded prefixes looked up together); undefined
   * when there are none, which is the common case.
   */
  let byWord = new Map<string, CompiledKeyword[] | null>();
  const keywordsStartingWith = (word: string): CompiledKeyword[] | undefined => {
    let list = byWord.get(word);
    if (list === undefined) {
      const f = foldWord(word);
      const hits = [...(index.byStem.get(stem(word)) ?? []), ...(index.byExact.get(f) ?? []), ...index.prefixes.lookup(f)];
      list = hits.length > 0 ? hits : null;
      if (byWord.size >= 200_000) byWord = new Map();
      byWord.set(word, list);
    }
    return list ?? undefined;
  };

  const match = (text: string): Map<string, Evidence[]> => {
    const found = new Map<string, Evidence[]>();
    if (keywords.length > 0) {
      scanWords(text, language, tokens);
      const n = tokens.count;
      const starts = tokens.starts;
      const ends = tokens.ends;
      // Words are built (and stemmed) only for candidates, and for the words that follow a candidate in a phrase.
      const words: (string | undefined)[] = [];
      const wordAt = (i: number): string => (words[i] ??= text.slice(starts[i] as number, ends[i] as number));
      const elementMatches = (e: Element, i: number): boolean => {
        if (i >= n) return false;
        if (e.kind === 'stem') return stem(wordAt(i)) === e.value;
        const f = foldWord(wordAt(i));
        return e.kind === 'exact' ? f === e.value : f.startsWith(e.value);
      };
      let vetoed: Set<string> | undefined;
      for (let i = 0; i < n; i++) {
        if (!trie.accepts(text, starts[i] as number, ends[i] as number)) continue;
        const list = keywordsStartingWith(wordAt(i));
        if (list === undefined) continue;
        for (const k of list) {
          if (k.elements.length > 1 && !k.elements.every((e, j) => j === 0 || elementMatches(e, i + j))) continue;
          if (k.veto) {
            (vetoed ??= new Set()).add(k.code);
            continue;
          }
          const from = starts[i] as number;
          const to = ends[i + k.elements.length - 1] as number;
          addEvidence(found, k.code, { keyword: k.source, kind: 'keyword', start: from, end: to, text: text.slice(from, to) });
        }
      }
      if (vetoed) {
        runPatterns(text, patterns, found);
        for (const code of vetoed) found.delete(code);
        return sortByCodebook(found, order);
      }
    }
    runPatterns(text, patterns, found);
    return found.size > 1 ? sortByCodebook(found, order) : found;
  };
  return { language, keywords, problems, stem, match };
}

function runPatterns(text: string, patterns: readonly { code: string; source: string; re: RegExp }[], found: Map<string, Evidence[]>): void {
  for (const p of patterns) {
    for (let from = 0; from < text.length; from += PATTERN_WINDOW) {
      const window = from === 0 && text.length <= PATTERN_WINDOW ? text : text.slice(from, from + PATTERN_WINDOW);
      p.re.lastIndex = 0;
      for (const m of window.matchAll(p.re)) {
        if (m[0] === '') continue;
        addEvidence(found, p.code, { keyword: p.source, kind: 'pattern', start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
      }
    }
  }
}

function sortByCodebook(found: Map<string, Evidence[]>, order: Map<string, number>): Map<string, Evidence[]> {
  return new Map([...found].sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0)));
}

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}_]';
const WORD_LITERAL = /^[\p{L}\p{N}_]$/u;
const BOUNDARY = `(?:(?<!${WORD_CHAR})(?=${WORD_CHAR})|(?<=${WORD_CHAR})(?!${WORD_CHAR}))`;
const NON_BOUNDARY = `(?:(?<=${WORD_CHAR})(?=${WORD_CHAR})|(?<!${WORD_CHAR})(?!${WORD_CHAR}))`;

/**
 * JavaScript's `\b` only knows ASCII letters, so `\bà la française\b` would
 * never match; in patterns, `\b` and `\B` are rewritten as boundaries between
 * Unicode letters, marks, digits or `_` and anything else (outside `[...]`).
 */
export function unicodeBoundaries(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      // Before or after a literal letter the boundary is a single lookaround, which keeps V8's fast literal search.
      if (!inClass && next === 'b' && WORD_LITERAL.test(source[i + 2] ?? '')) out += `(?<!${WORD_CHAR})`;
      else if (!inClass && next === 'b' && WORD_LITERAL.test(source[i - 1] ?? '') && source[i - 2] !== '\\') out += `(?!${WORD_CHAR})`;
      else if (!inClass && next === 'b') out += BOUNDARY;
      else if (!inClass && next === 'B') out += NON_BOUNDARY;
      else out += c + next;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

function addEvidence(found: Map<string, Evidence[]>, code: string, evidence: Evidence): void {
  const list = found.get(code);
  if (list) list.push(evidence);
  else found.set(code, [evidence]);
}

interface Index {
  byStem: Map<string, CompiledKeyword[]>;
  byExact: Map<string, CompiledKeyword[]>;
  prefixes: PrefixIndex;
}

/** Keywords indexed by their first element, so that a word is looked up, not compared with every keyword. */
function buildIndex(keywords: readonly CompiledKeyword[]): Index {
  const index: Index = { byStem: new Map(), byExact: new Map(), prefixes: new PrefixIndex() };
  for (const k of keywords) {
    const first = k.elements[0] as Element;
    if (first.kind === 'prefix') index.prefixes.add(first.value, k);
    else {
      const map = first.kind === 'stem' ? index.byStem : index.byExact;
      const list = map.get(first.value);
      if (list) list.push(k);
      else map.set(first.value, [k]);
    }
  }
  return index;
}

/** `word*` keywords in a character trie: a folded word finds all its matching prefixes in one walk. */
class PrefixIndex {
  private readonly children: Map<string, number>[] = [new Map()];
  private readonly keywords: CompiledKeyword[][] = [[]];

  add(prefix: string, keyword: CompiledKeyword): void {
    let node = 0;
    for (const c of prefix) {
      let next = (this.children[node] as Map<string, number>).get(c);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        this.keywords.push([]);
        (this.children[node] as Map<string, number>).set(c, next);
      }
      node = next;
    }
    (this.keywords[node] as CompiledKeyword[]).push(keyword);
  }

  lookup(folded: string): CompiledKeyword[] {
    const out: CompiledKeyword[] = [...(this.keywords[0] as CompiledKeyword[])];
    let node = 0;
    for (const c of folded) {
      const next = (this.children[node] as Map<string, number>).get(c);
      if (next === undefined) break;
      node = next;
      out.push(...(this.keywords[node] as CompiledKeyword[]));
    }
    return out;
  }
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
