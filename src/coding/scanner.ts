/**
 * The word scanner: one pass over the text with `charCodeAt`, no regular
 * expression and no string built per word. It finds the same words as
 *
 *     /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*\/gu
 *
 * then drops French leading elisions (`l'`, `qu'`…) or an English final `'s`.
 * Token boundaries go into reusable typed arrays, so that scanning a paragraph
 * allocates nothing; callers build strings only for the words they need.
 */
import type { Language } from '../project/model.js';

/** Character classes, computed on first sight of each UTF-16 code unit. */
const UNKNOWN = 0;
const OTHER = 1;
const START = 2; // a letter or digit: starts and continues a word
const MARK = 3; // a combining mark: continues a word
const classes = new Uint8Array(65536);
const START_RE = /[\p{L}\p{N}]/u;
const MARK_RE = /\p{M}/u;
const astral = new Map<number, number>();

function classOf(code: number): number {
  let c = classes[code] as number;
  if (c === UNKNOWN) {
    const ch = String.fromCharCode(code);
    c = START_RE.test(ch) ? START : MARK_RE.test(ch) ? MARK : OTHER;
    classes[code] = c;
  }
  return c;
}

/** Class of the character at `i`, and its length in code units (2 for an astral letter). */
function classAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return classOf(code);
  const cp = text.codePointAt(i) as number;
  if (cp <= 0xffff) return OTHER;
  let c = astral.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = START_RE.test(ch) ? START : MARK_RE.test(ch) ? MARK : OTHER;
    astral.set(cp, c);
  }
  return c;
}

function widthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return 1;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
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
  count = 0;

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const s = new Int32Array(this.count * 2);
      s.set(this.starts);
      this.starts = s;
      const e = new Int32Array(this.count * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

/**
 * Scans `text` into `out` (cleared first). With `fr`, leading elisions are
 * split off and dropped; with `en`, a final `'s` is dropped.
 */
export function scanWords(text: string, language: Language, out: TokenBuffer): void {
  out.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Skip to the start of a word.
    if (classAt(text, i) !== START) {
      i += widthAt(text, i);
      continue;
    }
    let start = i;
    let leading = true;
    let lastApostrophe = -1;
    let parts = 1;
    i += widthAt(text, i);
    for (;;) {
      while (i < n) {
        const c = classAt(text, i);
        if (c !== START && c !== MARK) break;
        i += widthAt(text, i);
      }
      const code = text.charCodeAt(i);
      if (i + 1 < n && (code === APOS || code === RSQUO) && classAt(text, i + 1) === START) {
        // An apostrophe between letters: an elision to drop, or part of the word.
        if (language === 'fr' && leading && isElision(text, start, i)) {
          start = i + 1;
        } else {
          leading = false;
          lastApostrophe = i;
          parts++;
        }
        i += 1 + widthAt(text, i + 1);
        continue;
      }
      break;
    }
    let end = i;
    if (language === 'en' && parts === 2 && end - lastApostrophe === 2 && (text.charCodeAt(end - 1) | 0x20) === 0x73) end = lastApostrophe;
    out.push(start, end);
  }
}
