/** Case and accent folding shared by the tokenizer, the stemmer and the matcher. */

const COMBINING = /\p{M}/gu;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Lower case, ligatures spelled out (œ → oe), diacritics removed, the
 * typographic apostrophe made plain (’ → '): `État` → `etat`, and a keyword
 * `aujourd'hui` matches `aujourd’hui`.
 */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Fast path: plain ASCII needs nothing more.
  if (ASCII.test(lower)) return lower;
  return lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/’/g, "'").normalize('NFD').replace(COMBINING, '').normalize('NFC');
}

/** Lower case, ligatures spelled out, apostrophes made plain, composed (NFC), accents kept: what the stemmers expect. */
export function lowerForStem(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/’/g, "'").normalize('NFC');
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
