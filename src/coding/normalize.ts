/** Case and accent folding shared by the tokenizer, the stemmer and the matcher. */

const COMBINING = /\p{M}/gu;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The typographic ligatures of text extracted from PDF files (`ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ`,
 * U+FB00 to U+FB06), which no keyboard types: spelled out as their
 * compatibility decomposition (NFKC) gives them, and for these only.
 */
const PRINT_LIGATURES = /[\ufb00-\ufb06]/g;
const LIGATURE_LETTERS = ['ff', 'fi', 'fl', 'ffi', 'ffl', 'st', 'st'];

/** `text` with the ligatures of {@link PRINT_LIGATURES} spelled out (`ﬁnancement` → `financement`). */
export function spellLigatures(text: string): string {
  return text.replace(PRINT_LIGATURES, (c) => LIGATURE_LETTERS[c.charCodeAt(0) - 0xfb00] as string);
}

/**
 * Lower case, ligatures spelled out (œ → oe, ﬁ → fi), diacritics removed, the
 * typographic apostrophe made plain (’ → '): `État` → `etat`, and a keyword
 * `aujourd'hui` matches `aujourd’hui`.
 */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Fast path: plain ASCII needs nothing more.
  if (ASCII.test(lower)) return lower;
  return spellLigatures(lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/’/g, "'")).normalize('NFD').replace(COMBINING, '').normalize('NFC');
}

/** Lower case, ligatures spelled out, apostrophes made plain, composed (NFC), accents kept: what the stemmers expect. */
export function lowerForStem(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return spellLigatures(lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/’/g, "'")).normalize('NFC');
}

/** What a pattern is compiled from, and what it runs on: composed (NFC), print ligatures spelled out. */
export function normalizeForPattern(text: string): string {
  return spellLigatures(text.normalize('NFC'));
}

/** A text as patterns read it ({@link normalizeForPattern}), and where each of its characters comes from. */
export interface PatternView {
  text: string;
  /** Where the source of character `i` starts. */
  from(i: number): number;
  /** Where the source of character `i` ends. */
  to(i: number): number;
}

/** A character with the combining marks after it (or marks with no character before them). */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

/**
 * `text` as patterns read it, undefined when that is `text` itself: an NFD
 * paragraph (`e` + U+0301) is read composed, so that a pattern `réforme`
 * matches it, and `ﬁ` as `fi`. Each character with its marks is normalised on
 * its own, so that every character of the view maps back to the characters it
 * comes from.
 */
export function patternView(text: string): PatternView | undefined {
  if (ASCII.test(text)) return undefined;
  if (text.normalize('NFC') === text && !/[\ufb00-\ufb06]/.test(text)) return undefined;
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (const m of text.matchAll(CLUSTER)) {
    const n = normalizeForPattern(m[0]);
    parts.push(n);
    for (let k = 0; k < n.length; k++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
  }
  return { text: parts.join(''), from: (i) => from[i] as number, to: (i) => to[i] as number };
}

const foldedUnits: (string | undefined)[] = new Array(65536);

/**
 * The folded form of one UTF-16 code unit, as `fold` would fold it inside a
 * word (a combining mark folds to the empty string, `œ` to `oe`).
 */
export function foldUnit(code: number): string {
  let f = foldedUnits[code];
  if (f === undefined) {
    f = code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : fold(String.fromCharCode(code));
    foldedUnits[code] = f;
  }
  return f;
}
