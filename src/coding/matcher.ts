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
import { append } from '../core/arrays.js';
import type { Codebook, Language } from '../project/model.js';
import type { CompiledKeyword, Element } from './keyword.js';
import { fold, normalizeForPattern, patternView } from './normalize.js';
import { requiredLiterals } from './pattern-prefilter.js';
import { scanWords, TokenBuffer, type ScanTrie } from './scanner.js';
import { createStemmer, type Stem } from './stem.js';
import { tokenize } from './tokenize.js';
import { buildTrie } from './trie.js';
import { WordCache } from './word-cache.js';
import { repeats, slowPatterns } from './regex-probe.js';
import { detach } from '../core/location.js';
import { words as stopwordListEn } from 'natural/lib/natural/util/stopwords.js';
import { words as stopwordListFr } from 'natural/lib/natural/util/stopwords_fr.js';
import { createRequire } from 'node:module';

/** safe-regex2, loaded on first use (only patterns with repetitions need it). */
let safeRegexModule: ((source: string) => boolean) | undefined;
function safeRegex(): (source: string) => boolean {
  safeRegexModule ??= createRequire(import.meta.url)('safe-regex2') as (source: string) => boolean;
  return safeRegexModule;
}

const stopwordsFr: ReadonlySet<string> = new Set(stopwordListFr.map((w) => fold(w)));
const stopwordsEn: ReadonlySet<string> = new Set(stopwordListEn.map((w) => fold(w)));

// The keyword types live in keyword.ts, which the trie reads too (without importing the matcher).
export type { CompiledKeyword, Element } from './keyword.js';

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
  /**
   * The same for `text[from, to)`, without slicing; evidence offsets are in
   * `text`. `observe` is handed the words of the range as the matcher scanned
   * them (every word, candidates flagged by the keywords' trie), before they
   * are matched: the stage counts them there rather than scan them again.
   */
  matchRange(text: string, from: number, to: number, observe?: (words: TokenBuffer) => void): Map<string, Evidence[]>;
  /** The parts of the matcher that the byte-level matcher (utf8-matcher.ts) shares. */
  parts: MatcherParts;
}

/** What the byte-level matcher needs to find exactly what `match` finds. */
export interface MatcherParts {
  trie: ScanTrie;
  /** The keywords whose anchor element matches this word, or null. */
  keywordsFor(word: string): CompiledKeyword[] | null;
  /** The same, through no memo: for callers that ask once per word form (utf8-matcher.ts). */
  keywordsForOnce(word: string): CompiledKeyword[] | null;
  /** Whether an element of a phrase matches this word. */
  wordMatches(e: Element, word: string): boolean;
  /**
   * The literals one of which every pattern match contains (pattern-prefilter.ts):
   * empty without patterns, null when a pattern has none.
   */
  patternLiterals: readonly string[] | null;
  /** The codes whose patterns match `text` (vetoes not applied). */
  patternCodes(text: string): string[];
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
    const word = fold(token.text);
    if (exact) elements.push({ kind: 'exact', value: word, word });
    else if (prefix) elements.push({ kind: 'prefix', value: word, word });
    else elements.push({ kind: 'stem', value: stem(token.text), word });
  }
  return elements;
}

/** Compiles the codebook's keywords, vetoes and patterns. */
export function compileMatcher(codebook: Codebook, language: Language, stem: Stem = createStemmer(language)): Matcher {
  const keywords: CompiledKeyword[] = [];
  const problems: MatcherProblem[] = [];
  const patterns: CompiledPattern[] = [];
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
        keywords.push({ code: code.id, source, elements, anchor: chooseAnchor(elements, language), index, veto: list === 'unless' });
      });
    }
    code.patterns.forEach((source, index) => {
      // Composed, as the text it runs on (see runPatterns): a pattern written in NFD matches NFC text too.
      const normal = normalizeForPattern(source);
      let re: RegExp;
      try {
        re = new RegExp(unicodeBoundaries(normal), 'giu');
      } catch (error) {
        problems.push({ code: code.id, list: 'patterns', index, ruleId: 'invalid-pattern', message: `The pattern \`${source}\` of \`${code.id}\` is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}.` });
        return;
      }
      // Without any repetition a pattern cannot backtrack catastrophically (and safe-regex2 need not be loaded).
      if (repeats(normal) && (!safeRegex()(normal) || nestedQuantifiedAlternation(normal))) {
        problems.push({ code: code.id, list: 'patterns', index, ruleId: 'unsafe-pattern', message: `The pattern \`${source}\` of \`${code.id}\` can backtrack catastrophically (a repeated group inside a repetition); rewrite it without nested repetition, or use keywords.` });
        return;
      }
      patterns.push({ code: code.id, source, re, literals: requiredLiterals(normal) });
    });
  }
  // Repetitions in a row that can match the same text pass the static tests; try them on crafted input.
  if (patterns.length > 0) {
    const slow = slowPatterns(patterns.map((p) => p.re.source));
    for (let i = patterns.length - 1; i >= 0; i--) {
      const p = patterns[i] as (typeof patterns)[number];
      if (!slow.has(p.re.source)) continue;
      const c = codebook.codes.get(p.code);
      problems.push({ code: p.code, list: 'patterns', index: c ? c.patterns.indexOf(p.source) : 0, ruleId: 'unsafe-pattern', message: `The pattern \`${p.source}\` of \`${p.code}\` backtracks catastrophically on long runs of similar characters (repetitions in a row that can match the same text, such as \`\\w*\\w*\`); rewrite it so that each part matches different characters, or use keywords.` });
      patterns.splice(i, 1);
    }
  }
  const order = new Map([...codebook.codes.keys()].map((id, i) => [id, i]));
  // The union of the distinct patterns, to rule out most paragraphs in one pass.
  const distinct = [...new Set(patterns.map((p) => p.re.source))];
  const anyPattern = patterns.length > 1 ? new RegExp(distinct.map((src) => `(?:${src})`).join('|'), 'iu') : undefined;
  const index = buildIndex(keywords);
  const trie = buildTrie(keywords, language);
  const tokens = new TokenBuffer();
  const foldCache = new Map<string, string>();
  const foldWord = (w: string): string => {
    let f = foldCache.get(w);
    if (f === undefined) {
      f = detach(fold(w));
      if (foldCache.size > 200_000) foldCache.clear();
      foldCache.set(detach(w), f);
    }
    return f;
  };

  /**
   * The keywords whose first element matches a word, computed once per word
   * form (stem, folded form and folded prefixes looked up together); null
   * when there are none, which is the common case.
   */
  const byWord = new WordCache<CompiledKeyword[] | null>();
  const keywordsStartingWith = (text: string, start: number, end: number): CompiledKeyword[] | null => {
    let list = byWord.get(text, start, end);
    if (list === undefined) {
      list = keywordsFor(text.slice(start, end));
      byWord.set(text, start, end, list);
    }
    return list;
  };
  const lookup = (key: string, f: string): CompiledKeyword[] | null => {
    const hits = [...(index.byStem.get(key) ?? []), ...(index.byExact.get(f) ?? []), ...index.prefixes.lookup(f)];
    return hits.length > 0 ? hits : null;
  };
  const keywordsFor = (word: string): CompiledKeyword[] | null => lookup(stem(word), foldWord(word));
  const keywordsForOnce = (word: string): CompiledKeyword[] | null => lookup((stem.once ?? stem)(word), fold(word));

  /**
   * Keyword matches in `text[from, to)`, offsets in `text`; vetoes applied
   * after patterns are added by the caller.
   */
  /** Whether the element matches the `i`-th token of the last scan (phrases: the words around the anchor). */
  const elementMatches = (text: string, e: Element, i: number): boolean => {
    if (i < 0 || i >= tokens.count) return false;
    return wordMatches(e, text.slice(tokens.starts[i] as number, tokens.ends[i] as number));
  };
  const wordMatches = (e: Element, word: string): boolean => {
    if (e.kind === 'stem') return stem(word) === e.value;
    const f = foldWord(word);
    return e.kind === 'exact' ? f === e.value : f.startsWith(e.value);
  };
  const phraseMatches = (text: string, k: CompiledKeyword, first: number): boolean => {
    const elements = k.elements;
    for (let j = 0; j < elements.length; j++) if (j !== k.anchor && !elementMatches(text, elements[j] as Element, first + j)) return false;
    return true;
  };

  /** Keyword matches in `text[from, to)`, offsets in `text`; returns the codes vetoed by `unless`. */
  const matchKeywords = (text: string, from: number, to: number, found: Map<string, Evidence[]>, observe?: (words: TokenBuffer) => void): Set<string> | undefined => {
    if (keywords.length === 0) {
      if (observe) {
        scanWords(text, language, tokens, undefined, from, to);
        observe(tokens);
      }
      return undefined;
    }
    scanWords(text, language, tokens, trie, from, to);
    observe?.(tokens);
    const n = tokens.count;
    const starts = tokens.starts;
    const ends = tokens.ends;
    const candidate = tokens.candidate;
    let vetoed: Set<string> | undefined;
    for (let i = 0; i < n; i++) {
      if (candidate[i] === 0) continue;
      const list = keywordsStartingWith(text, starts[i] as number, ends[i] as number);
      if (list === null) continue;
      for (let x = 0; x < list.length; x++) {
        const k = list[x] as CompiledKeyword;
        const first = i - k.anchor;
        const last = first + k.elements.length - 1;
        if (first < 0 || last >= n) continue;
        if (k.elements.length > 1 && !phraseMatches(text, k, first)) continue;
        if (k.veto) {
          (vetoed ??= new Set()).add(k.code);
          continue;
        }
        const a = starts[first] as number;
        const b = ends[last] as number;
        addEvidence(found, k.code, { keyword: k.source, kind: 'keyword', start: a, end: b, text: text.slice(a, b) });
      }
    }
    return vetoed;
  };
  const matchRange = (text: string, from: number, to: number, observe?: (words: TokenBuffer) => void): Map<string, Evidence[]> => {
    const found = new Map<string, Evidence[]>();
    // (A Map per segment is cheap next to the scan; most segments find something.)
    const vetoed = matchKeywords(text, from, to, found, observe);
    runPatterns(text, from, to, patterns, found, anyPattern);
    if (vetoed) for (const code of vetoed) found.delete(code);
    // Phrases are found at their anchor: put each code's evidence back in text order.
    for (const list of found.values()) if (list.length > 1) list.sort((x, y) => x.start - y.start || x.end - y.end);
    return found.size > 1 ? sortByCodebook(found, order) : found;
  };
  const patternCodes = (text: string): string[] => {
    const found = new Map<string, Evidence[]>();
    runPatterns(text, 0, text.length, patterns, found, anyPattern);
    return [...found.keys()];
  };
  const patternLiterals = patterns.some((p) => !p.literals) ? null : [...new Set(patterns.flatMap((p) => p.literals ?? []))];
  const parts: MatcherParts = { trie, keywordsFor, keywordsForOnce, wordMatches, patternLiterals, patternCodes };
  return { language, keywords, problems, stem, match: (text) => matchRange(text, 0, text.length), matchRange, parts };
}

/** A usable pattern, with the literals one of which each of its matches contains (see pattern-prefilter.ts). */
interface CompiledPattern {
  code: string;
  source: string;
  re: RegExp;
  literals: string[] | undefined;
}

/** Characters that the pattern view turns into ASCII letters or signs: the print ligatures, `;` and `` ` `` (the Kelvin sign lower-cases to `k`). */
const ASCII_WHEN_COMPOSED = /[\ufb00-\ufb06\u037e\u1fef]/;

/** Pattern matches in `text[from, to)`, in windows of at most {@link PATTERN_WINDOW} characters. */
function runPatterns(text: string, from: number, to: number, patterns: readonly CompiledPattern[], found: Map<string, Evidence[]>, any: RegExp | undefined): void {
  if (patterns.length === 0) return;
  for (let a = from; a < to; a += PATTERN_WINDOW) {
    const b = Math.min(to, a + PATTERN_WINDOW);
    const raw = a === 0 && b === text.length ? text : text.slice(a, b);
    // A pattern runs only where one of its literals is (ASCII case folded; \`ſ\` matches \`s\` under \`iu\`, so a window with one runs them all).
    // The literals are ASCII: in the text whenever in its composed view below, but for the ligatures and the few characters that compose to ASCII.
    const lower = raw.includes('ſ') || ASCII_WHEN_COMPOSED.test(raw) ? undefined : raw.toLowerCase();
    const candidates = lower === undefined ? patterns : patterns.filter((p) => !p.literals || p.literals.some((l) => lower.includes(l)));
    if (candidates.length === 0) continue;
    // Patterns read the text composed, ligatures spelled out (as they are compiled); offsets stay on \`text\`.
    const view = patternView(raw);
    const window = view ? view.text : raw;
    // One pass for all the patterns first: most paragraphs match none.
    if (any && candidates.length > 1) {
      any.lastIndex = 0;
      if (!any.test(window)) continue;
    }
    for (const p of candidates) {
      p.re.lastIndex = 0;
      // A cheap test first: most paragraphs match no pattern.
      if (!p.re.test(window)) continue;
      p.re.lastIndex = 0;
      for (const m of window.matchAll(p.re)) {
        if (m[0] === '') continue;
        const start = view ? view.from(m.index) : m.index;
        const end = view ? view.to(m.index + m[0].length - 1) : m.index + m[0].length;
        addEvidence(found, p.code, { keyword: p.source, kind: 'pattern', start: a + start, end: a + end, text: view ? raw.slice(start, end) : m[0] });
      }
    }
  }
}

/** The codes found, in codebook order (a new map only when they are not in that order already). */
function sortByCodebook(found: Map<string, Evidence[]>, order: Map<string, number>): Map<string, Evidence[]> {
  let previous = -1;
  let sorted = true;
  for (const code of found.keys()) {
    const o = order.get(code) ?? 0;
    if (o < previous) {
      sorted = false;
      break;
    }
    previous = o;
  }
  if (sorted) return found;
  const codes = [...found.keys()].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const out = new Map<string, Evidence[]>();
  for (const code of codes) out.set(code, found.get(code) as Evidence[]);
  return out;
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
      // Before or after a letter (or a group of words) the boundary is a single lookaround, which keeps V8's fast search.
      if (!inClass && next === 'b' && startsWithWord(source, i + 2)) out += `(?<!${WORD_CHAR})`;
      else if (!inClass && next === 'b' && endsWithWord(source, i)) out += `(?!${WORD_CHAR})`;
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

/**
 * The anchor of a keyword: not a stop word if possible, then the longest
 * (longer words are rarer), preferring exact forms to stems and stems to
 * prefixes; the first such element on ties.
 */
export function chooseAnchor(elements: readonly Element[], language: Language): number {
  if (elements.length < 2) return 0;
  const stop = language === 'en' ? stopwordsEn : stopwordsFr;
  let best = 0;
  let bestScore = -1;
  elements.forEach((e, i) => {
    const score = (stop.has(e.word) ? 0 : 1000) + e.value.length * 3 + (e.kind === 'exact' ? 2 : e.kind === 'stem' ? 1 : 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** True when the pattern at `at` must begin with a letter: a literal letter, or a group whose alternatives all do. */
function startsWithWord(source: string, at: number): boolean {
  if (WORD_LITERAL.test(source[at] ?? '')) return true;
  if (source[at] !== '(') return false;
  const group = groupAt(source, at);
  return group !== undefined && group.alternatives.every((alt) => WORD_LITERAL.test(alt[0] ?? ''));
}

/** True when the pattern before `at` must end with a letter: a literal letter, or a group whose alternatives all do. */
function endsWithWord(source: string, at: number): boolean {
  const before = source[at - 1] ?? '';
  if (WORD_LITERAL.test(before)) return source[at - 2] !== '\\';
  if (before !== ')') return false;
  // Find the group that closes here.
  for (let open = at - 2; open >= 0; open--) {
    if (source[open] !== '(') continue;
    const group = groupAt(source, open);
    if (group && group.end === at - 1) return group.alternatives.every((alt) => WORD_LITERAL.test(alt[alt.length - 1] ?? '') && alt[alt.length - 2] !== '\\');
  }
  return false;
}

/** A simple group `(a|b)` or `(?:a|b)` at `at`: its top-level alternatives, or undefined when it holds anything else than literals. */
function groupAt(source: string, at: number): { alternatives: string[]; end: number } | undefined {
  let i = at + 1;
  if (source.startsWith('?:', i)) i += 2;
  else if (source[i] === '?') return undefined;
  const alternatives: string[] = [''];
  for (; i < source.length; i++) {
    const c = source[i] as string;
    if (c === ')') return { alternatives, end: i };
    if (c === '|') alternatives.push('');
    else if (/[\p{L}\p{N} '’-]/u.test(c)) alternatives[alternatives.length - 1] += c;
    else return undefined;
  }
  return undefined;
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

/** Keywords indexed by their anchor element, so that a word is looked up, not compared with every keyword. */
function buildIndex(keywords: readonly CompiledKeyword[]): Index {
  const index: Index = { byStem: new Map(), byExact: new Map(), prefixes: new PrefixIndex() };
  for (const k of keywords) {
    const anchor = k.elements[k.anchor] as Element;
    if (anchor.kind === 'prefix') index.prefixes.add(anchor.value, k);
    else {
      const map = anchor.kind === 'stem' ? index.byStem : index.byExact;
      const list = map.get(anchor.value);
      if (list) list.push(k);
      else map.set(anchor.value, [k]);
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
      append(out, this.keywords[node] as CompiledKeyword[]);
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
