/**
 * The word scanner: one pass over the text with `charCodeAt`, no regular
 * expression and no string built per word. It finds the same words as
 *
 *     /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*\/gu
 *
 * then drops French leading elisions (`l'`, `qu'`…) or an English final `'s`.
 * Token boundaries go into reusable typed arrays, so that scanning a paragraph
 * allocates nothing; callers build strings only for the words they need.
 * Given a prefix trie, the same pass walks it and flags the candidate words.
 */
import type { Language } from '../project/model.js';

/** Character classes of UTF-16 code units (computed once, on first use). */
const OTHER = 0;
export const START = 1; // a letter or digit: starts and continues a word
export const MARK = 2; // a combining mark: continues a word
const HIGH = 3; // a high surrogate: look at the code point
let classes: Uint8Array | undefined;

export function classTable(): Uint8Array {
  if (!classes) {
    classes = new Uint8Array(65536);
    const start = /[\p{L}\p{N}]/u;
    const mark = /\p{M}/u;
    for (let c = 0; c < 65536; c++) {
      if (c >= 0xd800 && c <= 0xdbff) {
        classes[c] = HIGH;
        continue;
      }
      const ch = String.fromCharCode(c);
      classes[c] = start.test(ch) ? START : mark.test(ch) ? MARK : OTHER;
    }
  }
  return classes;
}

const astral = new Map<number, number>();
function astralClass(cp: number): number {
  let c = astral.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = /[\p{L}\p{N}]/u.test(ch) ? START : /\p{M}/u.test(ch) ? MARK : OTHER;
    astral.set(cp, c);
  }
  return c;
}

const APOS = 0x27;
const RSQUO = 0x2019;

/** True when `text[s, e)` is a French elision (l, d, j, n, s, c, m, t, qu, jusqu, lorsqu, puisqu, quoiqu), any case. */
export function isElision(text: string, s: number, e: number): boolean {
  const n = e - s;
  if (n === 1) {
    const c = text.charCodeAt(s) | 0x20;
    return c === 0x6c || c === 0x64 || c === 0x6a || c === 0x6e || c === 0x73 || c === 0x63 || c === 0x6d || c === 0x74;
  }
  if (n === 2 || n === 5 || n === 6) {
    const w = text.slice(s, e).toLowerCase();
    return w === 'qu' || w === 'jusqu' || w === 'lorsqu' || w === 'puisqu' || w === 'quoiqu';
  }
  return false;
}

/** Growable token boundary buffers, reused from paragraph to paragraph. */
export class TokenBuffer {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  /** 1 when the trie flagged the word as a candidate. */
  candidate = new Uint8Array(256);
  count = 0;

  /** Makes room for `n` tokens, so that the scanner can write without checks. */
  ensure(n: number): void {
    if (n <= this.starts.length) return;
    let size = this.starts.length;
    while (size < n) size *= 2;
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
    this.candidate = new Uint8Array(size);
  }

  push(start: number, end: number, candidate: number): void {
    if (this.count === this.starts.length) {
      const n = this.count * 2;
      const s = new Int32Array(n);
      s.set(this.starts);
      this.starts = s;
      const e = new Int32Array(n);
      e.set(this.ends);
      this.ends = e;
      const c = new Uint8Array(n);
      c.set(this.candidate);
      this.candidate = c;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.candidate[this.count] = candidate;
    this.count++;
  }
}

/**
 * A prefix trie in flat arrays (see trie.ts): `symbol(code)` maps a code unit
 * to its folded symbol (> 0), 0 when no keyword prefix has it, -1 when it
 * folds to nothing (a combining mark), -2 when it folds to several letters.
 */
export interface ScanTrie {
  width: number;
  next: Int32Array;
  terminal: Uint8Array;
  rootTerminal: boolean;
  /** Symbols of the ASCII code units (the common case, without a call). */
  ascii: Int16Array;
  symbol(code: number): number;
  /** For code units that fold to several letters: their symbols. */
  symbols(code: number): readonly number[];
}

const NO_TRIE: ScanTrie = {
  width: 1,
  next: new Int32Array(1),
  terminal: new Uint8Array([1]),
  rootTerminal: true,
  ascii: new Int16Array(128),
  symbol: () => 0,
  symbols: () => [],
};

/**
 * Scans `text[from, to)` into `out` (cleared first). With `fr`, leading
 * elisions are split off and dropped; with `en`, a final `'s` is dropped.
 * With a trie, each word is flagged when it may match a keyword; without,
 * every word is flagged.
 */
export function scanWords(text: string, language: Language, out: TokenBuffer, trie: ScanTrie = NO_TRIE, from = 0, to = text.length): void {
  // The common case, text without astral characters, runs in tight loops; the general scanner below
  // handles everything, surrogate pairs included, and takes over when one shows up.
  if (!scanBmp(text, language, out, trie, from, to)) scanGeneral(text, language, out, trie, from, to);
}

/**
 * The fast scanner: tight loops for skipping separators, walking the trie and
 * consuming the rest of a word. Returns false, having written nothing
 * meaningful, at the first surrogate.
 */
function scanBmp(text: string, language: Language, out: TokenBuffer, trie: ScanTrie, from: number, to: number): boolean {
  const table = classTable();
  const fr = language === 'fr';
  const { width, next, terminal, ascii } = trie;
  const rootCandidate = trie.rootTerminal ? 1 : 0;
  out.ensure(((to - from) >> 1) + 2);
  const starts = out.starts;
  const ends = out.ends;
  const flags = out.candidate;
  let count = 0;
  let i = from;
  while (i < to) {
    let c = text.charCodeAt(i);
    let cls = table[c] as number;
    if (cls !== START) {
      if (cls === HIGH) return false;
      i++;
      continue;
    }
    let start = i;
    let node = 0;
    let candidate = rootCandidate;
    let leading = true;
    let parts = 1;
    let lastApostrophe = -1;
    for (;;) {
      // Walk the trie while the word may still be a candidate.
      if (candidate === 0 && node >= 0) {
        if (c < 128) {
          const sym = ascii[c] as number;
          if (sym > 0) {
            node = next[node * width + sym] as number;
            if (node === 0) node = -1;
            else if (terminal[node] === 1) candidate = 1;
          } else node = -1;
        } else {
          node = stepUnit(trie, node, c);
          if (node > 0 && terminal[node] === 1) candidate = 1;
        }
      }
      i++;
      if (i >= to) break;
      c = text.charCodeAt(i);
      cls = table[c] as number;
      if (cls === START || cls === MARK) continue;
      if (cls === HIGH) return false;
      // An apostrophe between letters joins the word, or ends an elision; anything else ends the word.
      if ((c === APOS || c === RSQUO) && i + 1 < to) {
        const after = table[text.charCodeAt(i + 1)] as number;
        if (after === HIGH) return false;
        if (after === START) {
          if (fr && leading && isElision(text, start, i)) {
            start = i + 1;
            node = 0;
            candidate = rootCandidate;
          } else {
            leading = false;
            lastApostrophe = i;
            parts++;
            if (candidate === 0 && node >= 0) {
              node = stepUnit(trie, node, c);
              if (node > 0 && terminal[node] === 1) candidate = 1;
            }
          }
          i++;
          c = text.charCodeAt(i);
          continue;
        }
      }
      break;
    }
    starts[count] = start;
    ends[count] = fr ? i : wordEnd(text, i, parts, lastApostrophe);
    flags[count++] = candidate;
  }
  out.count = count;
  return true;
}

/** The general scanner: any text, astral characters included (exported for tests). */
export function scanGeneral(text: string, language: Language, out: TokenBuffer, trie: ScanTrie, from: number, to: number): void {
  const table = classTable();
  const fr = language === 'fr';
  const { terminal } = trie;
  const rootCandidate = trie.rootTerminal ? 1 : 0;
  // A word takes at least one character and one separator: room for every token, written without checks.
  out.ensure(((to - from) >> 1) + 2);
  const starts = out.starts;
  const ends = out.ends;
  const flags = out.candidate;
  let count = 0;
  let inWord = false;
  let start = 0;
  let leading = true;
  let lastApostrophe = -1;
  let parts = 1;
  let node = 0;
  let candidate = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    let cls = table[c] as number;
    if (cls === HIGH) {
      // An astral character: classify the code point, walk the trie on both units.
      const low = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      cls = low >= 0xdc00 && low <= 0xdfff ? astralClass(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000) : OTHER;
      if (cls === OTHER || (!inWord && cls !== START)) {
        if (inWord) {
          ends[count] = i;
          starts[count] = start;
          flags[count++] = candidate;
          inWord = false;
        }
        if (low >= 0xdc00 && low <= 0xdfff) i++;
        continue;
      }
      if (!inWord) {
        inWord = true;
        start = i;
        leading = true;
        parts = 1;
        node = 0;
        candidate = rootCandidate;
      }
      if (candidate === 0 && node >= 0) {
        node = stepUnit(trie, node, c);
        if (node > 0 && terminal[node] === 1) candidate = 1;
        else if (node >= 0) {
          node = stepUnit(trie, node, low);
          if (node > 0 && terminal[node] === 1) candidate = 1;
        }
      }
      i++;
      continue;
    }
    if (!inWord) {
      if (cls !== START) continue;
      inWord = true;
      start = i;
      leading = true;
      parts = 1;
      node = 0;
      candidate = rootCandidate;
    } else if (cls === OTHER) {
      // An apostrophe between letters joins the word (or ends an elision); anything else ends it.
      if ((c === APOS || c === RSQUO) && i + 1 < to && startsWordAt(text, i + 1, to, table)) {
        if (fr && leading && isElision(text, start, i)) {
          start = i + 1;
          node = 0;
          candidate = rootCandidate;
          continue;
        }
        leading = false;
        lastApostrophe = i;
        parts++;
      } else {
        starts[count] = start;
        ends[count] = fr ? i : wordEnd(text, i, parts, lastApostrophe);
        flags[count++] = candidate;
        inWord = false;
        continue;
      }
    }
    // Walk the trie until the word is a candidate or cannot be one.
    if (candidate === 0 && node >= 0) {
      node = stepUnit(trie, node, c);
      if (node > 0 && terminal[node] === 1) candidate = 1;
    }
  }
  if (inWord) {
    starts[count] = start;
    ends[count] = fr ? to : wordEnd(text, to, parts, lastApostrophe);
    flags[count++] = candidate;
  }
  out.count = count;
}

/** The end of an English word: a final `'s` (two parts, the second `s`) is not part of it. */
function wordEnd(text: string, end: number, parts: number, lastApostrophe: number): number {
  return parts === 2 && end - lastApostrophe === 2 && (text.charCodeAt(end - 1) | 0x20) === 0x73 ? lastApostrophe : end;
}

/** One trie step on a code unit (any kind); -1 once dead. */
function stepUnit(trie: ScanTrie, node: number, unit: number): number {
  const sym = unit < 128 ? (trie.ascii[unit] as number) : trie.symbol(unit);
  if (sym > 0) {
    const n = trie.next[node * trie.width + sym] as number;
    return n === 0 ? -1 : n;
  }
  if (sym === -1) return node;
  if (sym === 0) return -1;
  return stepSeveral(trie, node, unit);
}

/** True when a word can start at `i` (a letter or digit, possibly astral). */
function startsWordAt(text: string, i: number, to: number, table: Uint8Array): boolean {
  const c = text.charCodeAt(i);
  const cls = table[c] as number;
  if (cls !== HIGH) return cls === START;
  const low = i + 1 < to ? text.charCodeAt(i + 1) : 0;
  return low >= 0xdc00 && low <= 0xdfff && astralClass(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000) === START;
}

/** Trie steps for a code unit that folds to several letters (œ → o, e); -1 once dead. */
export function stepSeveral(trie: ScanTrie, node: number, unit: number): number {
  let n = node;
  for (const sym of trie.symbols(unit)) {
    if (sym <= 0) return -1;
    n = trie.next[n * trie.width + sym] as number;
    if (n === 0) return -1;
    if (trie.terminal[n] === 1) return n;
  }
  return n;
}
